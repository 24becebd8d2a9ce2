/**
 * Control characters in strings never reach a resolver or PostgreSQL: every String and ID an
 * operation carries — written in the document or sent as a variable, inside input objects and
 * lists — is checked before execution and refused with BAD_USER_INPUT naming its field, over
 * HTTP and over WebSockets alike; nothing is written. Tabs and line breaks stay allowed in text.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { IDENTITY_TABLES, PASSWORD, demoSignIn, snapshotTables, uniqueEmail } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let tokens: Record<'admin' | 'client' | 'consultant', string>;
let client: TestClient;
let consultant: TestConsultant;
let consultationId: string;

const TABLES = [
  ...IDENTITY_TABLES,
  'auth_attempt',
  'package',
  'consultation',
  'consultation_status_change',
  'credit_lot',
  'credit_ledger_entry',
  'availability_schedule',
  'availability_exception',
];

beforeAll(async () => {
  server = await startTestServer();
  const admin = await demoSignIn(server, 'admin@serenity.local');
  client = await verifiedClient(server, { organizationName: 'Careful Text Co' });
  await grantSessions(server, admin, client.organizationId, 3);
  consultant = await openAllHoursConsultant(server);
  tokens = { admin, client: client.token, consultant: consultant.token };
  const booked = await gqlOk<{ bookConsultation: { id: string } }>(
    server,
    BOOK,
    { input: { consultantId: consultant.id, start: gridStart(30 * 60).toISOString(), durationMinutes: 60, purpose: 'A first one' } },
    client.token,
  );
  consultationId = booked.bookConsultation.id;
});
afterAll(() => server.stop());

/** A GraphQL string literal for any text: everything outside printable ASCII escaped as \uXXXX. */
function literal(text: string): string {
  return `"${[...text].map((ch) => (/^[\x20-\x7e]$/.test(ch) && ch !== '"' && ch !== '\\' ? ch : [...ch].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''))).join('')}"`;
}

interface Target {
  name: string;
  as?: keyof typeof tokens;
  /** The field the error must name. */
  field: string;
  /** The document with the bad text written in it. */
  literal: (bad: string) => string;
  /** The same operation with the bad text in a variable. */
  variable: { query: string; variables: (bad: string) => Record<string, unknown> };
}

const START = '2030-01-07T10:00:00Z';
const registerInput = (firstName: string) => ({
  userType: 'CLIENT',
  email: uniqueEmail('control'),
  password: PASSWORD,
  profile: { firstName, lastName: 'Doe' },
  organizationName: 'Control Co',
  organizationType: 'COMPANY',
});

const targets: Target[] = [
  {
    name: 'package(id)',
    field: 'id',
    literal: (bad) => `{ package(id: ${literal(`PKG-${bad}`)}) { code } }`,
    variable: { query: 'query($id: ID!) { package(id: $id) { code } }', variables: (bad) => ({ id: `PKG-${bad}` }) },
  },
  {
    name: 'login(email)',
    field: 'email',
    literal: (bad) => `mutation { login(email: ${literal(`a${bad}@b.c`)}, password: "whatever-123") { accessToken } }`,
    // The variable's name differs from the argument's: the error names the argument.
    variable: { query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', variables: (bad) => ({ e: `a${bad}@b.c`, p: 'whatever-123' }) },
  },
  {
    name: 'login(password)',
    field: 'password',
    literal: (bad) => `mutation { login(email: "jane.smith@acme.example", password: ${literal(`Serenity-${bad}`)}) { accessToken } }`,
    variable: { query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', variables: (bad) => ({ e: 'jane.smith@acme.example', p: `Serenity-${bad}` }) },
  },
  {
    name: 'register(input.profile.firstName)',
    field: 'input.profile.firstName',
    literal: (bad) =>
      `mutation { register(input: { userType: CLIENT, email: "${uniqueEmail('control')}", password: "${PASSWORD}", profile: { firstName: ${literal(`Jo${bad}`)}, lastName: "Doe" },
        organizationName: "Control Co", organizationType: COMPANY }) { accessToken } }`,
    variable: { query: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', variables: (bad) => ({ input: registerInput(`Jo${bad}`) }) },
  },
  {
    name: 'updatePackage(input.description)',
    as: 'admin',
    field: 'input.description',
    literal: (bad) => `mutation { updatePackage(id: "PKG-DISCOVERY-ASSESSMENT", input: { description: ${literal(`New ${bad} text`)} }) { code } }`,
    variable: {
      query: 'mutation($id: ID!, $input: UpdatePackageInput!) { updatePackage(id: $id, input: $input) { code } }',
      variables: (bad) => ({ id: 'PKG-DISCOVERY-ASSESSMENT', input: { description: `New ${bad} text` } }),
    },
  },
  {
    name: 'updatePackage(input.features[1])',
    as: 'admin',
    field: 'input.features.1',
    literal: (bad) => `mutation { updatePackage(id: "PKG-DISCOVERY-ASSESSMENT", input: { features: ["Fine", ${literal(`Not ${bad}`)}] }) { code } }`,
    // A variable inside an object written in the document: the path runs through both.
    variable: {
      query: 'mutation($features: [String!]) { updatePackage(id: "PKG-DISCOVERY-ASSESSMENT", input: { features: $features }) { code } }',
      variables: (bad) => ({ features: ['Fine', `Not ${bad}`] }),
    },
  },
  {
    name: 'restorePackage(id)',
    as: 'admin',
    field: 'id',
    literal: (bad) => `mutation { restorePackage(id: ${literal(`PKG-DISCOVERY-ASSESSMENT${bad}`)}) { code } }`,
    variable: { query: 'mutation($id: ID!) { restorePackage(id: $id) { code } }', variables: (bad) => ({ id: `PKG-DISCOVERY-ASSESSMENT${bad}` }) },
  },
  {
    name: 'bookConsultation(input.purpose)',
    as: 'client',
    field: 'input.purpose',
    literal: (bad) => `mutation { bookConsultation(input: { start: "${START}", durationMinutes: 60, purpose: ${literal(`Plan ${bad}`)} }) { id } }`,
    variable: { query: BOOK, variables: (bad) => ({ input: { start: START, durationMinutes: 60, purpose: `Plan ${bad}` } }) },
  },
  {
    name: 'bookConsultation(input.attendees[0].email)',
    as: 'client',
    field: 'input.attendees.0.email',
    literal: (bad) => `mutation { bookConsultation(input: { start: "${START}", durationMinutes: 60, purpose: "Plan", attendees: [{ name: "Al", email: ${literal(`al${bad}@x.test`)} }] }) { id } }`,
    variable: { query: BOOK, variables: (bad) => ({ input: { start: START, durationMinutes: 60, purpose: 'Plan', attendees: [{ name: 'Al', email: `al${bad}@x.test` }] } }) },
  },
  {
    name: 'openSlots(input.skills[1])',
    as: 'client',
    field: 'input.skills.1',
    literal: (bad) => `{ openSlots(input: { from: "${START}", to: "2030-01-08T10:00:00Z", durationMinutes: 60, timeZone: "UTC", skills: ["Finance", ${literal(`Tax${bad}`)}] }) { start } }`,
    variable: {
      query: 'query($input: OpenSlotsInput!) { openSlots(input: $input) { start } }',
      variables: (bad) => ({ input: { from: START, to: '2030-01-08T10:00:00Z', durationMinutes: 60, timeZone: 'UTC', skills: ['Finance', `Tax${bad}`] } }),
    },
  },
  {
    name: 'updateConsultantProfile(input.bio)',
    as: 'consultant',
    field: 'input.bio',
    literal: (bad) => `mutation { updateConsultantProfile(input: { bio: ${literal(`About me ${bad}`)} }) { id } }`,
    variable: { query: 'mutation($input: ConsultantProfileInput!) { updateConsultantProfile(input: $input) { id } }', variables: (bad) => ({ input: { bio: `About me ${bad}` } }) },
  },
  {
    name: 'addAvailabilityException(input.reason)',
    as: 'consultant',
    field: 'input.reason',
    literal: (bad) => `mutation { addAvailabilityException(input: { from: "2030-02-01", to: "2030-02-02", kind: TIME_OFF, reason: ${literal(`Off ${bad}`)} }) { id } }`,
    variable: {
      query: 'mutation($input: AvailabilityExceptionInput!) { addAvailabilityException(input: $input) { id } }',
      variables: (bad) => ({ input: { from: '2030-02-01', to: '2030-02-02', kind: 'TIME_OFF', reason: `Off ${bad}` } }),
    },
  },
  {
    name: 'inviteMember(email)',
    as: 'client',
    field: 'email',
    literal: (bad) => `mutation { inviteMember(email: ${literal(`new${bad}@careful.test`)}) { id } }`,
    variable: { query: 'mutation($email: String!) { inviteMember(email: $email) { id } }', variables: (bad) => ({ email: `new${bad}@careful.test` }) },
  },
  {
    name: 'grantCredits(input.reason)',
    as: 'admin',
    field: 'input.reason',
    literal: () => '', // filled in by the cases below (needs the organization id)
    variable: { query: 'mutation($input: GrantCreditsInput!) { grantCredits(input: $input) { id } }', variables: () => ({}) },
  },
  {
    name: 'cancelConsultation(reason)',
    as: 'client',
    field: 'reason',
    literal: (bad) => `mutation { cancelConsultation(id: "${consultationId}", reason: ${literal(`Ill ${bad}`)}) { creditReleased } }`,
    variable: { query: 'mutation($id: ID!, $reason: String) { cancelConsultation(id: $id, reason: $reason) { creditReleased } }', variables: (bad) => ({ id: consultationId, reason: `Ill ${bad}` }) },
  },
  {
    name: 'verifyEmail(token)',
    field: 'token',
    literal: (bad) => `mutation { verifyEmail(token: ${literal(`tok${bad}en`)}) { id } }`,
    variable: { query: 'mutation($token: String!) { verifyEmail(token: $token) { id } }', variables: (bad) => ({ token: `tok${bad}en` }) },
  },
];

// grantCredits needs the organization id, known only once the server runs.
const grant = targets.find((t) => t.name.startsWith('grantCredits'))!;
grant.literal = (bad) => `mutation { grantCredits(input: { organizationId: "${client.organizationId}", units: 1, source: PROMOTIONAL, sessionMinutes: 60, validityDays: 30, reason: ${literal(`Gift ${bad}`)} }) { id } }`;
grant.variable.variables = (bad) => ({ input: { organizationId: client.organizationId, units: 1, source: 'PROMOTIONAL', sessionMinutes: 60, validityDays: 30, reason: `Gift ${bad}` } });

/** Refused in every string: C0 controls but tab, LF, CR; DEL; C1 controls; U+FFFE and U+FFFF. */
const REFUSED: Array<[string, string]> = [
  ['NUL', '\u0000'],
  ['BEL', '\u0007'],
  ['vertical tab', '\u000b'],
  ['ESC', '\u001b'],
  ['DEL', '\u007f'],
  ['NEL (C1)', '\u0085'],
  ['CSI (C1)', '\u009b'],
  ['U+FFFE', '\ufffe'],
  ['U+FFFF', '\uffff'],
];

interface Case {
  name: string;
  /** Built when the case runs (ids are known once beforeAll ran). */
  request: () => { query: string; variables: Record<string, unknown> };
  as?: keyof typeof tokens;
  field: string;
}

const written = (t: Target, bad: string) => () => ({ query: t.literal(bad), variables: {} });
const inVariable = (t: Target, bad: string) => () => ({ query: t.variable.query, variables: t.variable.variables(bad) });
const target = (name: string) => targets.find((t) => t.name === name)!;

const cases: Case[] = [
  // Every operation with a NUL, written in the document and sent as a variable.
  ...targets.flatMap((t): Case[] => [
    { name: `${t.name}: NUL written in the document`, request: written(t, '\u0000'), as: t.as, field: t.field },
    { name: `${t.name}: NUL in a variable`, request: inVariable(t, '\u0000'), as: t.as, field: t.field },
  ]),
  // Every refused character, both ways, in an ID argument and in nested free text.
  ...REFUSED.flatMap(([label, bad]): Case[] => {
    const [pkg, reg, book] = [target('package(id)'), target('register(input.profile.firstName)'), target('bookConsultation(input.purpose)')];
    return [
      { name: `package(id) with ${label}, written`, request: written(pkg, bad), field: pkg.field },
      { name: `package(id) with ${label}, in a variable`, request: inVariable(pkg, bad), field: pkg.field },
      { name: `register(input.profile.firstName) with ${label}, in a variable`, request: inVariable(reg, bad), field: reg.field },
      { name: `bookConsultation(input.purpose) with ${label}, written`, request: written(book, bad), as: book.as, field: book.field },
    ];
  }),
];

describe('control characters are refused before execution, naming the field, and nothing is written', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const request = testCase.request();
    const before = await snapshotTables(server, TABLES);
    const result = await gql(server, request.query, request.variables, testCase.as ? tokens[testCase.as] : undefined);

    expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
    const [error] = result.errors;
    expect(error!.extensions?.code, error!.message).toBe('BAD_USER_INPUT');
    expect(error!.extensions?.field).toBe(testCase.field);
    expect(error!.message).toMatch(/must not contain .*U\+[0-9A-F]{4}/);
    expect(error!.message).toContain(testCase.field);
    expect(result.data ?? null).toBeNull();
    expect(await snapshotTables(server, TABLES)).toEqual(before);
  });

  it('covers the operations it claims to', () => {
    expect(targets.length).toBeGreaterThanOrEqual(15);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('a lone surrogate (only a variable can carry one) is refused too', async () => {
    const result = await gql(server, 'query($id: ID!) { package(id: $id) { code } }', { id: 'PKG-\ud800' });
    expect(result.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(result.errors[0]?.message).toMatch(/U\+D800/);
  });

  it('through fragments, aliases and variable defaults', async () => {
    const viaFragment = await gql(server, `query { ...P } fragment P on Query { mine: package(id: ${literal('PKG-\u0000')}) { code } }`);
    expect(viaFragment.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const viaDefault = await gql(server, `query($id: ID! = ${literal('PKG-\u0001')}) { package(id: $id) { code } }`);
    expect(viaDefault.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('IDs take no tab or line break either; an otherwise unknown id stays NOT_FOUND', async () => {
    for (const bad of ['\t', '\n', '\r']) {
      const result = await gql(server, 'query($id: ID!) { package(id: $id) { code } }', { id: `PKG${bad}X` });
      expect(result.errors[0]?.extensions, JSON.stringify(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    }
    expect((await gql(server, '{ package(id: "PKG-NOPE") { code } }')).errors[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('tabs and line breaks stay allowed in text', () => {
  it('a purpose and a bio with tab, LF and CR are stored as written', async () => {
    const purpose = 'Agenda:\n\t1. Pricing\r\n\t2. Hiring';
    const booked = await gqlOk<{ bookConsultation: { purpose: string } }>(
      server,
      BOOK,
      { input: { consultantId: consultant.id, start: gridStart(34 * 60).toISOString(), durationMinutes: 60, purpose } },
      client.token,
    );
    expect(booked.bookConsultation.purpose).toBe(purpose);

    const bio = 'Ten years in finance.\n\tCFO, then advisor.';
    const written = await gqlOk<{ updateConsultantProfile: { bio: string } }>(server, `mutation { updateConsultantProfile(input: { bio: ${literal(bio)} }) { bio } }`, {}, consultant.token);
    expect(written.updateConsultantProfile.bio).toBe(bio);
  });

  it('other Unicode text (accents, CJK, emoji, RTL) passes', async () => {
    const bio = 'Zoë — 東京 🚀 مرحبا';
    const written = await gqlOk<{ updateConsultantProfile: { bio: string } }>(server, 'mutation($input: ConsultantProfileInput!) { updateConsultantProfile(input: $input) { bio } }', { input: { bio } }, consultant.token);
    expect(written.updateConsultantProfile.bio).toBe(bio);
  });
});

describe('over WebSockets too', () => {
  async function overWs(query: string, variables: Record<string, unknown> = {}) {
    // Every WebSocket is signed in (4401 otherwise); the guard runs before any operation.
    const ws = createClient({ url: server.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${client.token}` } });
    try {
      return await new Promise<{ data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>((resolve, reject) => {
        let value = {};
        ws.subscribe({ query, variables }, { next: (v) => (value = v), error: (e) => resolve({ errors: e as never }), complete: () => resolve(value) });
        setTimeout(() => reject(new Error('no answer over the WebSocket')), 5000);
      });
    } finally {
      await ws.dispose();
    }
  }

  it.each([
    ['package(id), written', `{ package(id: ${literal('PKG-\u0000')}) { code } }`, {}, 'id'],
    ['package(id), in a variable', 'query($id: ID!) { package(id: $id) { code } }', { id: 'PKG-\u0000' }, 'id'],
    ['login(email), in a variable', 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: 'a\u0000@b.c', p: 'whatever-123' }, 'email'],
    ['register(input.profile.firstName), in a variable', 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }', { input: registerInput('Jo\u001b') }, 'input.profile.firstName'],
  ])('%s', async (_name, query, variables, field) => {
    const before = await snapshotTables(server, TABLES);
    const result = await overWs(query, variables);
    expect(result.errors, JSON.stringify(result)).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.data ?? null).toBeNull();
    expect(await snapshotTables(server, TABLES)).toEqual(before);
  });

  it('text with tab and line breaks still works', async () => {
    const result = await overWs('query($id: ID!) { package(id: $id) { code description } }', { id: 'PKG-DISCOVERY-ASSESSMENT' });
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({ package: { code: 'PKG-DISCOVERY-ASSESSMENT' } });
  });
});
