import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/identity/identity.seed.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;
let jane: string;
let acmeId: string;

async function call(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const { json } = await postGraphQL(server.graphqlUrl, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});
  return json!;
}

async function login(email: string): Promise<{ token: string; organizationId: string | null }> {
  const { data } = await call('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { organization { id } } } }', { e: email, p: DEMO_PASSWORD });
  const login = (data as { login: { accessToken: string; user: { organization: { id: string } | null } } }).login;
  return { token: login.accessToken, organizationId: login.user.organization?.id ?? null };
}

const SUMMARY = `query($org: ID) { creditSummary(organizationId: $org) {
  availableCredits reservedCredits availableMinutes reservedMinutes
  lots { source kind sessionMinutes granted remaining reserved used status package { code } }
  expiringSoon { source }
  freeTrial { granted available used expiresAt }
  lifetime { grantedCredits usedCredits grantedMinutes usedMinutes } } }`;

const GRANT = `mutation($input: GrantCreditsInput!) { grantCredits(input: $input) { id source kind granted remaining priority sessionMinutes allowedBlockMinutes package { code } } }`;

beforeAll(async () => {
  server = await startTestServer();
  admin = (await login('admin@serenity.local')).token;
  const acme = await login('jane.smith@acme.example');
  jane = acme.token;
  acmeId = acme.organizationId!;
});
afterAll(() => server.stop());

describe('credits through GraphQL', () => {
  it('the seeded organization got its free trial, as a verified client does', async () => {
    const { data } = await call(SUMMARY, {}, jane);
    expect(data).toMatchObject({
      creditSummary: {
        availableCredits: 1,
        reservedCredits: 0,
        availableMinutes: 0,
        lots: [{ source: 'FREE_TRIAL', kind: 'SESSION', sessionMinutes: 15, granted: 1, remaining: 1, reserved: 0, used: 0, status: 'ACTIVE', package: { code: 'PKG-FREE-TRIAL' } }],
        freeTrial: { granted: true, available: true, used: false },
        lifetime: { grantedCredits: 1, usedCredits: 0, grantedMinutes: 0, usedMinutes: 0 },
      },
    });
  });

  it('a newly verified client organization gets exactly one free trial', async () => {
    const register = await call(
      `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
      { input: { userType: 'CLIENT', email: 'new@initech.test', password: 'Tr1al-Passw0rd!', profile: { firstName: 'Nina', lastName: 'New' }, organizationName: 'Initech', organizationType: 'ENTERPRISE' } },
    );
    const token = (register.data as { register: { accessToken: string } }).register.accessToken;
    const before = await call(SUMMARY, {}, token);
    expect((before.data as { creditSummary: { freeTrial: { granted: boolean } } }).creditSummary.freeTrial.granted).toBe(false);

    const mail = await server.app.mailer.capture!.waitFor({ to: 'new@initech.test', kind: 'verify-email' });
    const verifyToken = new URL(mail.links[0]!).searchParams.get('token');
    expect((await call('mutation($t: String!) { verifyEmail(token: $t) { emailVerified } }', { t: verifyToken })).errors).toBeUndefined();
    const after = await call(SUMMARY, {}, token);
    expect(after.data).toMatchObject({ creditSummary: { availableCredits: 1, freeTrial: { granted: true, available: true } } });
  });

  it('admins grant credits; the ledger lists every movement, newest first, page by page', async () => {
    const granted = await call(GRANT, { input: { organizationId: acmeId, source: 'PROMOTIONAL', packageId: null, units: 3, sessionMinutes: 60, validityDays: 10, reason: 'Launch promotion' } }, admin);
    expect(granted.data).toMatchObject({ grantCredits: { source: 'PROMOTIONAL', kind: 'SESSION', granted: 3, remaining: 3, priority: 0, sessionMinutes: 60, allowedBlockMinutes: [60], package: null } });

    const summary = await call(SUMMARY, { org: acmeId }, admin);
    expect(summary.data).toMatchObject({ creditSummary: { availableCredits: 4, expiringSoon: [{ source: 'PROMOTIONAL' }] } });

    const LEDGER = `query($first: Int, $after: String) { creditLedger(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { type units reason lot { source } } } } }`;
    const first = (await call(LEDGER, { first: 1 }, jane)).data as {
      creditLedger: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { type: string; units: number; reason: string | null; lot: { source: string } } }> };
    };
    expect(first.creditLedger.totalCount).toBe(2);
    expect(first.creditLedger.pageInfo.hasNextPage).toBe(true);
    expect(first.creditLedger.edges.map((e) => e.node)).toEqual([{ type: 'GRANT', units: 3, reason: 'Launch promotion', lot: { source: 'PROMOTIONAL' } }]);
    const second = (await call(LEDGER, { first: 1, after: first.creditLedger.pageInfo.endCursor }, jane)).data as typeof first;
    expect(second.creditLedger.edges.map((e) => e.node.lot.source)).toEqual(['FREE_TRIAL']);
    expect(second.creditLedger.pageInfo.hasNextPage).toBe(false);
  });

  it('a package gives kind, session length and validity of granted credits', async () => {
    const { data } = await call(GRANT, { input: { organizationId: acmeId, source: 'ADJUSTMENT', packageId: await packageId('PKG-ANNUAL-PARTNERSHIP'), units: 120, reason: 'Goodwill hours' } }, admin);
    expect(data).toMatchObject({ grantCredits: { kind: 'TIME', granted: 120, priority: 10, allowedBlockMinutes: [60, 90, 120], package: { code: 'PKG-ANNUAL-PARTNERSHIP' } } });
    expect((await call(SUMMARY, {}, jane)).data).toMatchObject({ creditSummary: { availableMinutes: 120 } });
  });

  it.each([
    ['zero units', { units: 0 }, 'BAD_USER_INPUT', 'input.units'],
    ['negative units', { units: -5 }, 'BAD_USER_INPUT', 'input.units'],
    ['a purchase source', { source: 'PURCHASE' }, 'BAD_USER_INPUT', 'input.source'],
    ['no reason', { reason: '  ' }, 'BAD_USER_INPUT', 'input.reason'],
    ['an odd session length', { sessionMinutes: 50 }, 'BAD_USER_INPUT', 'input.sessionMinutes'],
    ['an unknown organization', { organizationId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'id'],
    ['an unknown package', { packageId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'id'],
  ])('grantCredits refuses %s and writes nothing', async (_name, change, code, field) => {
    const count = async () => (await server.app.orm.em.getConnection().execute<{ n: number }[]>('SELECT count(*)::int AS n FROM credit_ledger_entry'))[0]!.n;
    const before = await count();
    const input = { organizationId: acmeId, source: 'PROMOTIONAL', units: 1, sessionMinutes: 60, validityDays: 10, reason: 'Test', ...change };
    const { errors } = await call(GRANT, { input }, admin);
    expect(errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(await count()).toBe(before);
  });

  it('only admins grant, and only admins name another organization', async () => {
    const input = { organizationId: acmeId, source: 'PROMOTIONAL', units: 1, sessionMinutes: 60, validityDays: 10, reason: 'Self-service?' };
    expect((await call(GRANT, { input }, jane)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call(GRANT, { input })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await call(SUMMARY, {}, admin)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organizationId' });
    expect((await call(SUMMARY, { org: '00000000-0000-4000-8000-000000000000' }, jane)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await call('{ creditLedger(after: "garbage") { totalCount } }', {}, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await call('{ creditLedger(first: 1000) { totalCount } }', {}, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

async function packageId(code: string): Promise<string> {
  const { data } = await call('query($id: ID!) { package(id: $id) { id } }', { id: code });
  return (data as { package: { id: string } }).package.id;
}

describe('adjustCredits', () => {
  const ADJUST = 'mutation($lot: ID!, $units: Int!, $reason: String!) { adjustCredits(lotId: $lot, units: $units, reason: $reason) { granted remaining } }';

  it('admins correct a lot up or down, within what is available, with a reason in the ledger', async () => {
    const lotId = (((await call(SUMMARY.replace('lots { source', 'lots { id source'), {}, jane)).data as { creditSummary: { lots: Array<{ id: string; source: string }> } }).creditSummary.lots.find((l) => l.source === 'FREE_TRIAL')!).id;
    expect((await call(ADJUST, { lot: lotId, units: 2, reason: 'Apology for an outage' }, admin)).data).toEqual({ adjustCredits: { granted: 1, remaining: 3 } });
    expect((await call(ADJUST, { lot: lotId, units: -3, reason: 'Booked in error' }, admin)).data).toEqual({ adjustCredits: { granted: 1, remaining: 0 } });
    expect((await call(ADJUST, { lot: lotId, units: -1, reason: 'Too much' }, admin)).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'units' });
    expect((await call(ADJUST, { lot: lotId, units: 0, reason: 'Nothing' }, admin)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'units' });
    expect((await call(ADJUST, { lot: lotId, units: 1, reason: 'Self-service' }, jane)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call(ADJUST, { lot: 'nope', units: 1, reason: 'x' }, admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const ledger = await call('{ creditLedger(first: 2) { edges { node { type units reason } } } }', {}, jane);
    expect(ledger.data).toEqual({ creditLedger: { edges: [{ node: { type: 'ADJUST', units: -3, reason: 'Booked in error' } }, { node: { type: 'ADJUST', units: 2, reason: 'Apology for an outage' } }] } });
  });
});
