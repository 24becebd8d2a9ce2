import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/identity/identity.seed.js';
import { gql, gqlOk, type GraphQLResult } from './graphql.js';
import type { TestServer } from './server.js';

/** A password every rule accepts (not containing any test email's name). */
export const PASSWORD = 'Correct-Horse-42';

let emailCounter = 0;
/** A fresh address per call within a test file, e.g. wile-3@globex.test. */
export function uniqueEmail(name: string, domain = 'globex.test'): string {
  emailCounter += 1;
  return `${name}-${emailCounter}@${domain}`;
}

export const USER_FIELDS = `
  id email role roles emailVerified emailVerifiedAt firstName lastName displayName title phone timeZone
  organizationRole
  organization { id name type }
  organizations { active role organization { id name } }
  clientProfile { code organization { id name type } }
  consultantProfile { code }
`;

export const AUTH_PAYLOAD = `accessToken accessTokenExpiresAt refreshToken user { ${USER_FIELDS} }`;

export interface MeUser {
  id: string;
  email: string;
  role: string;
  roles: string[];
  emailVerified: boolean;
  emailVerifiedAt: string | null;
  firstName: string;
  lastName: string;
  displayName: string;
  title: string | null;
  phone: string | null;
  timeZone: string;
  organizationRole: 'OWNER' | 'MEMBER' | null;
  organization: { id: string; name: string; type: string } | null;
  organizations: Array<{ active: boolean; role: string; organization: { id: string; name: string } }>;
  clientProfile: { code: string; organization: { id: string; name: string; type: string } } | null;
  consultantProfile: { code: string } | null;
}

export interface AuthPayloadJson {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: MeUser;
}

/** A signed-in person: what register / login / acceptInvitation answered, plus the credentials used. */
export interface SignedIn extends AuthPayloadJson {
  email: string;
  password: string;
}

export const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD} } }`;
export const LOGIN = `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${AUTH_PAYLOAD} } }`;
export const ME = `query Me { me { ${USER_FIELDS} } }`;

export interface RegisterOptions {
  email?: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  title?: string | null;
  timeZone?: string | null;
  organizationName?: string;
  organizationType?: string;
}

/** Registers a CLIENT with its organization (default "Globex Inc", COMPANY) through GraphQL. */
export async function registerClient(server: TestServer, options: RegisterOptions = {}): Promise<SignedIn> {
  const email = options.email ?? uniqueEmail('client');
  const password = options.password ?? PASSWORD;
  const data = await gqlOk<{ register: AuthPayloadJson }>(server, REGISTER, {
    input: {
      userType: 'CLIENT',
      email,
      password,
      profile: { firstName: options.firstName ?? 'Wile', lastName: options.lastName ?? 'Coyote', title: options.title ?? 'CFO' },
      timeZone: options.timeZone ?? 'Europe/Berlin',
      organizationName: options.organizationName ?? 'Globex Inc',
      organizationType: options.organizationType ?? 'COMPANY',
    },
  });
  return { ...data.register, email, password };
}

/** Registers a CONSULTANT (no organization) through GraphQL. */
export async function registerConsultant(server: TestServer, options: RegisterOptions = {}): Promise<SignedIn> {
  const email = options.email ?? uniqueEmail('consultant', 'serenity.test');
  const password = options.password ?? PASSWORD;
  const data = await gqlOk<{ register: AuthPayloadJson }>(server, REGISTER, {
    input: {
      userType: 'CONSULTANT',
      email,
      password,
      profile: { firstName: options.firstName ?? 'Sarah', lastName: options.lastName ?? 'White', title: options.title ?? 'Strategy Consultant' },
      timeZone: options.timeZone ?? 'America/New_York',
    },
  });
  return { ...data.register, email, password };
}

export type MailKind = 'verify-email' | 'password-reset' | 'invitation';
const LINK_PATH: Record<MailKind, string> = {
  'verify-email': '/verify-email',
  'password-reset': '/reset-password',
  invitation: '/accept-invitation',
};

/** The token of the newest captured mail of `kind` to `to`, read from its link. */
export async function mailToken(server: TestServer, to: string, kind: MailKind): Promise<string> {
  const mail = await server.app.mailer.capture!.waitFor({ to, kind });
  const prefix = `${server.config.publicUrl}${LINK_PATH[kind]}?token=`;
  const link = mail.links.find((l) => l.startsWith(prefix));
  expect(link, `a ${prefix}… link in ${JSON.stringify(mail.links)}`).toBeDefined();
  const token = new URL(link!).searchParams.get('token');
  expect(token).toBeTruthy();
  return token!;
}

/**
 * The token of a mail newer than the one that carried `previous`: the "same answer either
 * way" mutations send their mail after answering, so it may arrive a moment later.
 */
export async function newerMailToken(server: TestServer, to: string, kind: MailKind, previous: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const token = await mailToken(server, to, kind);
    if (token !== previous) return token;
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to} newer than the one with the previous token`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Verifies `email` with the token from its newest verification mail. */
export async function verify(server: TestServer, email: string): Promise<MeUser> {
  const token = await mailToken(server, email, 'verify-email');
  const data = await gqlOk<{ verifyEmail: MeUser }>(server, `mutation($token: String!) { verifyEmail(token: $token) { ${USER_FIELDS} } }`, { token });
  return data.verifyEmail;
}

export async function login(server: TestServer, email: string, password: string): Promise<SignedIn> {
  const data = await gqlOk<{ login: AuthPayloadJson }>(server, LOGIN, { email, password });
  return { ...data.login, email, password };
}

/** `me` as the bearer of `token` (the whole result, so callers can check errors). */
export function me(server: TestServer, token: string): Promise<GraphQLResult<{ me: MeUser | null }>> {
  return gql<{ me: MeUser | null }>(server, ME, {}, token);
}

/** Raw SQL against the server's database (MikroORM placeholders: `?`). */
export function sql<T = Record<string, unknown>>(server: TestServer, query: string, params: unknown[] = []): Promise<T[]> {
  return server.app.orm.em.getConnection().execute<T[]>(query, params);
}

/** Tables whose rows a failed identity operation must leave exactly as they were. */
export const IDENTITY_TABLES = [
  'app_user',
  'organization',
  'membership',
  'auth_session',
  'refresh_token',
  'one_time_token',
  'invitation',
  'client_profile',
  'consultant_profile',
  'code_sequence',
] as const;

/** Per table: its row count and a digest of every row, so an UPDATE shows as well as an INSERT. */
export async function snapshotTables(server: TestServer, tables: readonly string[] = IDENTITY_TABLES): Promise<Record<string, { rows: number; digest: string }>> {
  const snapshot: Record<string, { rows: number; digest: string }> = {};
  for (const table of tables) {
    const [row] = await sql<{ rows: number | string; digest: string | null }>(
      server,
      `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} t`,
    );
    snapshot[table] = { rows: Number(row!.rows), digest: row!.digest ?? '' };
  }
  return snapshot;
}

/** The access token of a seeded demo account (password DEMO_PASSWORD). */
export async function demoSignIn(server: TestServer, email: string): Promise<string> {
  const data = await gqlOk<{ login: { accessToken: string } }>(server, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
    e: email,
    p: DEMO_PASSWORD,
  });
  return data.login.accessToken;
}
