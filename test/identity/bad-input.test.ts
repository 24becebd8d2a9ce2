import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, gqlOk } from '../support/graphql.js';
import {
  PASSWORD,
  REGISTER,
  mailToken,
  registerClient,
  registerConsultant,
  snapshotTables,
  sql,
  uniqueEmail,
  verify,
  type SignedIn,
} from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
/** A verified owner of "Globex Inc", for the organization operations. */
let owner: SignedIn;
beforeAll(async () => {
  server = await startTestServer();
  owner = await registerClient(server, { organizationName: 'Globex Inc' });
  await verify(server, owner.email);
});
afterAll(() => server.stop());

const LONG = 'x'.repeat(10_000);

/** A valid client registration, with `overrides` merged in (profile merged field by field). */
function clientInput(overrides: Record<string, unknown> = {}, profile: Record<string, unknown> = {}) {
  return {
    userType: 'CLIENT',
    email: uniqueEmail('jane.doe'),
    password: PASSWORD,
    profile: { firstName: 'Jane', lastName: 'Doe', title: 'CFO', phone: '+1 415 555 0100', ...profile },
    timeZone: 'Europe/Berlin',
    organizationName: 'Globex Inc',
    organizationType: 'COMPANY',
    ...overrides,
  };
}

function consultantInput(overrides: Record<string, unknown> = {}) {
  return { userType: 'CONSULTANT', email: uniqueEmail('consultant', 'serenity.test'), password: PASSWORD, profile: { firstName: 'Sam', lastName: 'White' }, ...overrides };
}

const register = (input: Record<string, unknown>) => ({ query: REGISTER, variables: { input } });

const VERIFY = 'mutation($token: String!) { verifyEmail(token: $token) { id } }';
const RESET = 'mutation($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }';
const ACCEPT = `mutation($token: String!, $password: String, $profile: ProfileInput, $timeZone: TimeZone) {
  acceptInvitation(token: $token, password: $password, profile: $profile, timeZone: $timeZone) { accessToken }
}`;
const REFRESH = 'mutation($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { accessToken } }';
const INVITE = 'mutation($email: String!, $role: OrgRole) { inviteMember(email: $email, role: $role) { id } }';

interface Request {
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
}

interface BadInputCase {
  name: string;
  /** Makes what the case needs (accounts, tokens) and returns the request; runs before the "nothing written" snapshot. */
  request: () => Promise<Request> | Request;
  code: string;
  /** A phrase the message must contain, so a person knows what to fix. */
  message: RegExp;
  /** extensions.field; null: the error names no field. */
  field: string | null;
}

/** Registers an unverified client and returns its email and the token of its verification mail. */
async function unverifiedClient() {
  const client = await registerClient(server);
  return { client, token: await mailToken(server, client.email, 'verify-email') };
}

/** A client with a password-reset token emailed to it. */
async function clientWithResetToken() {
  const client = await registerClient(server);
  await gqlOk(server, 'mutation($email: String!) { requestPasswordReset(email: $email) }', { email: client.email });
  return { client, token: await mailToken(server, client.email, 'password-reset') };
}

/** An invitation from the owner to a new address; the token from its mail. */
async function invitation() {
  const email = uniqueEmail('invitee');
  await gqlOk(server, INVITE, { email }, owner.accessToken);
  return { email, token: await mailToken(server, email, 'invitation') };
}

const cases: BadInputCase[] = [
  // Emails
  ...['jane.doe.globex.test', 'jane@globex', 'jane doe@globex.test', 'jane@@globex.test', '', `${LONG}@globex.test`].map(
    (email): BadInputCase => ({
      name: `register with malformed email ${JSON.stringify(email.slice(0, 30))}`,
      request: () => register(clientInput({ email })),
      code: 'BAD_USER_INPUT',
      message: /not an email address/,
      field: 'input.email',
    }),
  ),
  { name: 'login with a malformed email', request: () => ({ query: 'mutation { login(email: "jane", password: "whatever-123") { accessToken } }' }), code: 'BAD_USER_INPUT', message: /not an email address/, field: 'email' },
  { name: 'requestPasswordReset with a malformed email', request: () => ({ query: 'mutation { requestPasswordReset(email: "jane@") }' }), code: 'BAD_USER_INPUT', message: /not an email address/, field: 'email' },
  { name: 'resendVerification with a malformed email', request: () => ({ query: 'mutation { resendVerification(email: "@globex.test") }' }), code: 'BAD_USER_INPUT', message: /not an email address/, field: 'email' },

  // Weak passwords: one case per rule
  { name: 'password too short', request: () => register(clientInput({ password: 'Ab1-short' })), code: 'BAD_USER_INPUT', message: /at least 10 characters/, field: 'input.password' },
  { name: 'password 10,000 characters long', request: () => register(clientInput({ password: `Aa1-${LONG}` })), code: 'BAD_USER_INPUT', message: /at most 128 characters/, field: 'input.password' },
  { name: 'password with too few character classes', request: () => register(clientInput({ password: 'onlylowercaseletters' })), code: 'BAD_USER_INPUT', message: /mix at least three of/, field: 'input.password' },
  { name: 'common password', request: () => register(clientInput({ password: 'Password123' })), code: 'BAD_USER_INPUT', message: /too common/, field: 'input.password' },
  {
    name: 'password containing the email name',
    request: () => register(clientInput({ email: 'jane.doe@globex.test', password: 'My-Jane.Doe-2026' })),
    code: 'BAD_USER_INPUT',
    message: /must not contain your email address/,
    field: 'input.password',
  },

  // Names and profile
  { name: '10,000-character first name', request: () => register(clientInput({}, { firstName: LONG })), code: 'BAD_USER_INPUT', message: /First name must be at most 100 characters/, field: 'input.profile.firstName' },
  { name: '10,000-character last name', request: () => register(clientInput({}, { lastName: LONG })), code: 'BAD_USER_INPUT', message: /Last name must be at most 100 characters/, field: 'input.profile.lastName' },
  { name: 'blank first name', request: () => register(clientInput({}, { firstName: '   ' })), code: 'BAD_USER_INPUT', message: /First name is required/, field: 'input.profile.firstName' },
  { name: 'markup in a last name', request: () => register(clientInput({}, { lastName: '<script>alert(1)</script>' })), code: 'BAD_USER_INPUT', message: /must not contain control characters or < >/, field: 'input.profile.lastName' },
  { name: '10,000-character title', request: () => register(clientInput({}, { title: LONG })), code: 'BAD_USER_INPUT', message: /Title must be at most 100 characters/, field: 'input.profile.title' },
  { name: 'phone that is not a number', request: () => register(clientInput({}, { phone: 'call me maybe' })), code: 'BAD_USER_INPUT', message: /Phone must be a number/, field: 'input.profile.phone' },
  {
    name: '10,000-character organization name',
    request: () => register(clientInput({ organizationName: LONG })),
    code: 'BAD_USER_INPUT',
    message: /Organization name must be at most 200 characters/,
    field: 'input.organizationName',
  },

  // Enums, time zones, user types
  {
    name: 'unknown enum value written in the document',
    request: () => ({
      query: `mutation { register(input: { userType: CLIENT, email: "${uniqueEmail('enum')}", password: "${PASSWORD}", profile: { firstName: "A", lastName: "B" },
        organizationName: "Globex Inc", organizationType: MEGACORP }) { accessToken } }`,
    }),
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /MEGACORP/,
    field: null,
  },
  {
    name: 'registering as ADMIN (not a UserType) in the document',
    request: () => ({ query: `mutation { register(input: { userType: ADMIN, email: "${uniqueEmail('admin')}", password: "${PASSWORD}", profile: { firstName: "A", lastName: "B" } }) { accessToken } }` }),
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /ADMIN/,
    field: null,
  },
  { name: 'unknown enum value in variables', request: () => register(clientInput({ organizationType: 'MEGACORP' })), code: 'BAD_USER_INPUT', message: /MEGACORP/, field: 'input.organizationType' },
  { name: 'unknown organization role in variables', request: () => ({ query: INVITE, variables: { email: uniqueEmail('role'), role: 'ADMIN' }, token: owner.accessToken }), code: 'BAD_USER_INPUT', message: /ADMIN/, field: 'role' },
  { name: 'a UTC offset as time zone', request: () => register(clientInput({ timeZone: '+02:00' })), code: 'BAD_USER_INPUT', message: /is not an IANA time zone such as Europe\/Berlin/, field: 'input.timeZone' },
  { name: 'an unknown time zone', request: () => register(clientInput({ timeZone: 'Mars/Olympus_Mons' })), code: 'BAD_USER_INPUT', message: /"Mars\/Olympus_Mons" is not an IANA time zone/, field: 'input.timeZone' },
  {
    name: 'consultant registering with organizationName',
    request: () => register(consultantInput({ organizationName: 'Globex Inc' })),
    code: 'BAD_USER_INPUT',
    message: /Consultants belong to the platform/,
    field: 'input.organizationName',
  },
  {
    name: 'consultant registering with organizationType',
    request: () => register(consultantInput({ organizationType: 'COMPANY' })),
    code: 'BAD_USER_INPUT',
    message: /Consultants belong to the platform/,
    field: 'input.organizationName',
  },
  { name: 'client without organizationType', request: () => register(clientInput({ organizationType: null })), code: 'BAD_USER_INPUT', message: /Organization type is required/, field: 'input.organizationType' },
  { name: 'client without organizationName', request: () => register(clientInput({ organizationName: null })), code: 'BAD_USER_INPUT', message: /Organization name is required/, field: 'input.organizationName' },

  // Duplicates
  {
    name: 'duplicate email, in another case (JANE@… vs jane@…)',
    request: async () => {
      const email = uniqueEmail('jane');
      await registerClient(server, { email });
      return register(clientInput({ email: email.toUpperCase() }));
    },
    code: 'CONFLICT',
    message: /already exists: sign in, or reset its password/,
    field: 'input.email',
  },
  {
    name: 'duplicate email of a consultant, with surrounding spaces',
    request: async () => {
      const consultant = await registerConsultant(server);
      return register(consultantInput({ email: `  ${consultant.email}  ` }));
    },
    code: 'CONFLICT',
    message: /already exists/,
    field: 'input.email',
  },

  // Verification tokens
  { name: 'unknown verification token', request: () => ({ query: VERIFY, variables: { token: 'no-such-token' } }), code: 'BAD_USER_INPUT', message: /verification link is not valid/, field: 'token' },
  {
    name: 'expired verification token',
    request: async () => {
      const { client, token } = await unverifiedClient();
      await sql(server, "UPDATE one_time_token SET expires_at = now() - interval '1 second' WHERE user_id = ? AND purpose = 'VERIFY_EMAIL'", [client.user.id]);
      return { query: VERIFY, variables: { token } };
    },
    code: 'BAD_USER_INPUT',
    message: /verification link has expired: ask for a new one/,
    field: 'token',
  },
  {
    name: 'reused verification token',
    request: async () => {
      const { token } = await unverifiedClient();
      await gqlOk(server, VERIFY, { token });
      return { query: VERIFY, variables: { token } };
    },
    code: 'BAD_USER_INPUT',
    message: /verification link was already used/,
    field: 'token',
  },
  {
    name: 'a password-reset token used to verify',
    request: async () => ({ query: VERIFY, variables: { token: (await clientWithResetToken()).token } }),
    code: 'BAD_USER_INPUT',
    message: /verification link is not valid/,
    field: 'token',
  },

  // Reset tokens
  {
    name: 'reused reset token',
    request: async () => {
      const { token } = await clientWithResetToken();
      await gqlOk(server, RESET, { token, newPassword: 'First-New-Secret-1' });
      return { query: RESET, variables: { token, newPassword: 'Second-New-Secret-2' } };
    },
    code: 'BAD_USER_INPUT',
    message: /password reset link was already used/,
    field: 'token',
  },
  {
    name: 'expired reset token',
    request: async () => {
      const { client, token } = await clientWithResetToken();
      await sql(server, "UPDATE one_time_token SET expires_at = now() - interval '1 second' WHERE user_id = ? AND purpose = 'PASSWORD_RESET'", [client.user.id]);
      return { query: RESET, variables: { token, newPassword: 'Brand-New-Secret-3' } };
    },
    code: 'BAD_USER_INPUT',
    message: /password reset link has expired/,
    field: 'token',
  },
  {
    name: 'a verification token used to reset a password',
    request: async () => ({ query: RESET, variables: { token: (await unverifiedClient()).token, newPassword: 'Brand-New-Secret-4' } }),
    code: 'BAD_USER_INPUT',
    message: /password reset link is not valid/,
    field: 'token',
  },
  {
    name: 'a weak new password with a valid reset token (which stays valid)',
    request: async () => ({ query: RESET, variables: { token: (await clientWithResetToken()).token, newPassword: 'short' } }),
    code: 'BAD_USER_INPUT',
    message: /at least 10 characters/,
    field: 'newPassword',
  },

  // Refresh tokens (reuse of a rotated one revokes its session by design: see auth.journey.test.ts)
  { name: 'unknown refresh token', request: () => ({ query: REFRESH, variables: { refreshToken: 'no-such-refresh-token' } }), code: 'UNAUTHENTICATED', message: /Unknown refresh token: sign in again/, field: null },
  {
    name: 'expired refresh token',
    request: async () => {
      const client = await registerClient(server);
      await sql(server, "UPDATE refresh_token SET expires_at = now() - interval '1 second' WHERE session_id IN (SELECT id FROM auth_session WHERE user_id = ?)", [client.user.id]);
      return { query: REFRESH, variables: { refreshToken: client.refreshToken } };
    },
    code: 'UNAUTHENTICATED',
    message: /refresh token has expired: sign in again/,
    field: null,
  },

  // Invitations
  { name: 'invalid invitation token', request: () => ({ query: ACCEPT, variables: { token: 'no-such-invitation', password: PASSWORD, profile: { firstName: 'A', lastName: 'B' } } }), code: 'BAD_USER_INPUT', message: /invitation is not valid/, field: 'token' },
  {
    name: 'expired invitation',
    request: async () => {
      const { email, token } = await invitation();
      await sql(server, "UPDATE invitation SET expires_at = now() - interval '1 second' WHERE email = ?", [email]);
      return { query: ACCEPT, variables: { token, password: PASSWORD, profile: { firstName: 'A', lastName: 'B' } } };
    },
    code: 'BAD_USER_INPUT',
    message: /invitation has expired: ask the owner for a new one/,
    field: 'token',
  },
  {
    name: 'reused invitation',
    request: async () => {
      const { token } = await invitation();
      await gqlOk(server, ACCEPT, { token, password: PASSWORD, profile: { firstName: 'Ann', lastName: 'Accepted' } });
      return { query: ACCEPT, variables: { token, password: PASSWORD, profile: { firstName: 'Ann', lastName: 'Again' } } };
    },
    code: 'BAD_USER_INPUT',
    message: /invitation was already used/,
    field: 'token',
  },
  {
    name: 'accepting as someone new without a password',
    request: async () => ({ query: ACCEPT, variables: { token: (await invitation()).token, profile: { firstName: 'A', lastName: 'B' } } }),
    code: 'BAD_USER_INPUT',
    message: /Choose a password/,
    field: 'password',
  },
  {
    name: 'accepting as someone new with a weak password',
    request: async () => ({ query: ACCEPT, variables: { token: (await invitation()).token, password: 'weakweakweak', profile: { firstName: 'A', lastName: 'B' } } }),
    code: 'BAD_USER_INPUT',
    message: /mix at least three of/,
    field: 'password',
  },
  {
    name: 'accepting as someone new without names',
    request: async () => ({ query: ACCEPT, variables: { token: (await invitation()).token, password: PASSWORD } }),
    code: 'BAD_USER_INPUT',
    message: /first and last name/,
    field: 'profile',
  },
  {
    name: 'accepting as someone new with a 10,000-character first name',
    request: async () => ({ query: ACCEPT, variables: { token: (await invitation()).token, password: PASSWORD, profile: { firstName: LONG, lastName: 'B' } } }),
    code: 'BAD_USER_INPUT',
    message: /First name must be at most 100 characters/,
    field: 'profile.firstName',
  },
  {
    name: 'accepting as someone new with an invalid time zone',
    request: async () => ({ query: ACCEPT, variables: { token: (await invitation()).token, password: PASSWORD, profile: { firstName: 'A', lastName: 'B' }, timeZone: 'Not/AZone' } }),
    code: 'BAD_USER_INPUT',
    message: /is not an IANA time zone/,
    field: 'timeZone',
  },
  { name: 'inviting a malformed email', request: () => ({ query: INVITE, variables: { email: 'bob-at-globex' }, token: owner.accessToken }), code: 'BAD_USER_INPUT', message: /not an email address/, field: 'email' },
  { name: 'inviting an existing member', request: () => ({ query: INVITE, variables: { email: owner.email.toUpperCase() }, token: owner.accessToken }), code: 'CONFLICT', message: /already a member of Globex Inc/, field: 'email' },
  {
    name: 'inviting a consultant',
    request: async () => ({ query: INVITE, variables: { email: (await registerConsultant(server)).email }, token: owner.accessToken }),
    code: 'CONFLICT',
    message: /is a consultant account; only clients join organizations/,
    field: 'email',
  },

  // Garbage and unknown ids
  { name: 'removeMember with a garbage id', request: () => ({ query: 'mutation { removeMember(userId: "nope") }', token: owner.accessToken }), code: 'NOT_FOUND', message: /Member "nope" was not found/, field: 'id' },
  {
    name: 'removeMember with an unknown uuid',
    request: () => ({ query: 'mutation { removeMember(userId: "00000000-0000-4000-8000-000000000000") }', token: owner.accessToken }),
    code: 'NOT_FOUND',
    message: /Member "00000000-0000-4000-8000-000000000000" was not found/,
    field: 'id',
  },
  {
    name: 'removeMember of a user of another organization',
    request: async () => ({ query: 'mutation($id: ID!) { removeMember(userId: $id) }', variables: { id: (await registerClient(server, { organizationName: 'Initech' })).user.id }, token: owner.accessToken }),
    code: 'NOT_FOUND',
    message: /Member ".*" was not found/,
    field: 'id',
  },
  { name: 'removing the last owner', request: () => ({ query: 'mutation($id: ID!) { removeMember(userId: $id) }', variables: { id: owner.user.id }, token: owner.accessToken }), code: 'CONFLICT', message: /at least one owner/, field: null },
  { name: 'changeMemberRole with a garbage id', request: () => ({ query: 'mutation { changeMemberRole(userId: "nope", role: OWNER) { role } }', token: owner.accessToken }), code: 'NOT_FOUND', message: /Member "nope" was not found/, field: 'id' },
  { name: 'switchOrganization with a garbage id', request: () => ({ query: 'mutation { switchOrganization(organizationId: "nope") { accessToken } }', token: owner.accessToken }), code: 'NOT_FOUND', message: /Organization "nope" was not found/, field: 'id' },
  { name: 'revokeInvitation with a garbage id', request: () => ({ query: 'mutation { revokeInvitation(id: "nope") { id } }', token: owner.accessToken }), code: 'NOT_FOUND', message: /Invitation "nope" was not found/, field: 'id' },
];

describe('bad input: a typed error with a helpful message, and nothing written', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const request = await testCase.request();
    const before = await snapshotTables(server);
    const result = await gql(server, request.query, request.variables ?? {}, request.token);

    expect(result.errors, `errors of ${testCase.name}`).toHaveLength(1);
    const [error] = result.errors;
    expect(error!.extensions?.code, error!.message).toBe(testCase.code);
    expect(error!.message).toMatch(testCase.message);
    if (testCase.field === null) expect(error!.extensions).not.toHaveProperty('field');
    else expect(error!.extensions?.field).toBe(testCase.field);
    // Messages are for people: no internals, and the 10,000-character inputs are not echoed back.
    expect(error!.message).not.toMatch(/stack|SQL|violates|undefined|null value/i);
    expect(error!.message.length).toBeLessThan(300);
    expect(result.data ?? null).toBeNull();

    expect(await snapshotTables(server)).toEqual(before);
  });

  it('the "nothing written" check would see a write (inserts and updates alike)', async () => {
    const before = await snapshotTables(server);
    const client = await registerClient(server);
    const afterInsert = await snapshotTables(server);
    for (const table of ['app_user', 'organization', 'membership', 'auth_session', 'client_profile', 'one_time_token', 'code_sequence']) {
      expect(afterInsert[table], table).not.toEqual(before[table]);
    }
    await sql(server, 'UPDATE app_user SET email_verified_at = now() WHERE id = ?', [client.user.id]);
    const afterUpdate = await snapshotTables(server);
    expect(afterUpdate.app_user!.rows).toBe(afterInsert.app_user!.rows);
    expect(afterUpdate.app_user!.digest).not.toBe(afterInsert.app_user!.digest);
  });

  it('covers every rule it claims to (the table is not accidentally empty)', () => {
    expect(cases.length).toBeGreaterThan(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('concurrent registrations of one email: one account, the others CONFLICT', async () => {
    const email = uniqueEmail('race');
    const before = await snapshotTables(server, ['app_user', 'organization', 'membership', 'client_profile']);
    const results = await Promise.all([email, email.toUpperCase(), ` ${email}`].map((address) => gql(server, REGISTER, { input: clientInput({ email: address, organizationName: 'Race Co' }) })));
    const codes = results.map((r) => r.errors[0]?.extensions?.code ?? 'ok').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'ok']);
    const after = await snapshotTables(server, ['app_user', 'organization', 'membership', 'client_profile']);
    for (const table of Object.keys(before)) expect(after[table]!.rows, table).toBe(before[table]!.rows + 1);
  });

  it('a refused reset leaves the token usable and the password unchanged', async () => {
    const { client, token } = await clientWithResetToken();
    expect((await gql(server, RESET, { token, newPassword: 'short' })).errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(server, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: client.email, p: client.password })).errors).toEqual([]);
    expect(await gqlOk(server, RESET, { token, newPassword: 'Strong-Enough-Now-1' })).toEqual({ resetPassword: true });
  });
});
