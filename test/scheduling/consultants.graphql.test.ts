import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSignIn } from '../support/identity.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let sarah: string;
let marcus: string;
let jane: string;
let admin: string;
let sarahId: string;
let marcusId: string;

async function call(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const { json } = await postGraphQL(server.graphqlUrl, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});
  return json!;
}
const login = (email: string) => demoSignIn(server, email);
async function profileId(token: string): Promise<string> {
  const me = await call('{ me { consultantProfile { id } } }', {}, token);
  return (me.data as { me: { consultantProfile: { id: string } } }).me.consultantProfile.id;
}
async function row(id: string) {
  return server.app.orm.em.getConnection().execute('select * from consultant_profile where id = ?', [id]);
}

const PROFILE = `id code displayName title timeZone email bio languages availabilityStatus
  skills { name category proficiency years } certifications { name issuer issuedOn expiresOn } hourlyRate { amount currency }`;
const UPDATE = `mutation($input: ConsultantProfileInput!) { updateConsultantProfile(input: $input) { ${PROFILE} } }`;
const ONE = `query($id: ID!) { consultant(id: $id) { ${PROFILE} } }`;
const LIST = `query($filter: ConsultantFilter, $first: Int, $after: String) {
  consultants(filter: $filter, first: $first, after: $after) { totalCount edges { cursor node { id code } } pageInfo { hasNextPage endCursor } } }`;

/** A Friday 3 weeks ahead (UTC date): far enough for notice, inside the horizon. */
function fridayAhead(): string {
  const d = new Date(Date.now() + 21 * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((12 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await startTestServer();
  [sarah, marcus, jane, admin] = await Promise.all([
    login('sarah.chen@serenity.local'),
    login('marcus.weber@serenity.local'),
    login('jane.smith@acme.example'),
    login('admin@serenity.local'),
  ]);
  [sarahId, marcusId] = await Promise.all([profileId(sarah), profileId(marcus)]);
});
afterAll(() => server.stop());

describe('consultant profiles', () => {
  it('the seed gives the demo consultants a profile; email stays private to self and admins', async () => {
    const byClient = await call(ONE, { id: sarahId }, jane);
    expect(byClient.errors).toBeUndefined();
    const seen = (byClient.data as { consultant: Record<string, unknown> }).consultant;
    expect(seen).toMatchObject({ id: sarahId, displayName: 'Sarah Chen', title: 'Strategy Consultant', timeZone: 'America/New_York', email: null, availabilityStatus: 'AVAILABLE' });
    expect(seen.languages).toEqual(['English', 'Mandarin']);
    expect(seen.hourlyRate).toEqual({ amount: 30000, currency: 'USD' });
    expect((seen.skills as unknown[]).length).toBeGreaterThan(0);
    expect(((await call(ONE, { id: sarahId }, sarah)).data as { consultant: { email: string } }).consultant.email).toBe('sarah.chen@serenity.local');
    expect(((await call(ONE, { id: sarahId }, admin)).data as { consultant: { email: string } }).consultant.email).toBe('sarah.chen@serenity.local');
    expect(((await call(ONE, { id: sarahId }, marcus)).data as { consultant: { email: string | null } }).consultant.email).toBeNull();
  });

  it('a consultant updates their own profile partially and reads it back', async () => {
    const before = ((await call(ONE, { id: sarahId }, sarah)).data as { consultant: Record<string, unknown> }).consultant;
    const input = {
      bio: '  Helping CFOs plan growth.  ',
      skills: [
        { name: 'Business Strategy', category: 'FUNCTIONAL', proficiency: 'EXPERT', years: 12 },
        { name: 'Pricing', category: 'DOMAIN', proficiency: 'INTERMEDIATE', years: 3 },
      ],
      certifications: [{ name: 'CFA', issuer: 'CFA Institute', issuedOn: '2018-06-30', expiresOn: null }],
      availabilityStatus: 'PARTIALLY_AVAILABLE',
    };
    const { data, errors } = await call(UPDATE, { input }, sarah);
    expect(errors).toBeUndefined();
    const updated = (data as { updateConsultantProfile: Record<string, unknown> }).updateConsultantProfile;
    expect(updated).toMatchObject({
      id: sarahId,
      bio: 'Helping CFOs plan growth.',
      skills: input.skills,
      certifications: input.certifications,
      availabilityStatus: 'PARTIALLY_AVAILABLE',
      // Left out: kept.
      languages: before.languages,
      hourlyRate: before.hourlyRate,
    });
    expect(((await call(ONE, { id: sarahId }, jane)).data as { consultant: Record<string, unknown> }).consultant).toEqual({ ...updated, email: null });

    const cleared = await call(UPDATE, { input: { consultantId: sarahId, hourlyRate: null } }, sarah);
    expect(cleared.errors).toBeUndefined();
    expect((cleared.data as { updateConsultantProfile: { hourlyRate: unknown; bio: string } }).updateConsultantProfile).toMatchObject({ hourlyRate: null, bio: 'Helping CFOs plan growth.' });
  });

  it('admins update any consultant, naming it; others cannot', async () => {
    const byAdmin = await call(UPDATE, { input: { consultantId: marcusId, hourlyRate: { amount: 27500, currency: 'EUR' }, languages: ['German', 'English', 'French'] } }, admin);
    expect(byAdmin.errors).toBeUndefined();
    expect((byAdmin.data as { updateConsultantProfile: unknown }).updateConsultantProfile).toMatchObject({ id: marcusId, hourlyRate: { amount: 27500, currency: 'EUR' }, languages: ['German', 'English', 'French'] });

    const input = { bio: 'Not mine to write.' };
    expect((await call(UPDATE, { input }, admin)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.consultantId' });
    expect((await call(UPDATE, { input: { ...input, consultantId: '00000000-0000-4000-8000-000000000000' } }, admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await call(UPDATE, { input: { ...input, consultantId: marcusId } }, sarah)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call(UPDATE, { input: { ...input, consultantId: marcusId } }, jane)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call(UPDATE, { input })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await row(marcusId))[0]?.bio).not.toBe('Not mine to write.');
  });

  const skill = (change: Record<string, unknown> = {}) => ({ name: 'Audit', category: 'DOMAIN', proficiency: 'EXPERT', years: 5, ...change });
  const cert = (change: Record<string, unknown> = {}) => ({ name: 'CPA', issuer: 'AICPA', issuedOn: '2020-01-15', expiresOn: '2026-01-15', ...change });
  it.each([
    ['a bio over 4000 characters', { bio: 'x'.repeat(4001) }, 'input.bio'],
    ['more than 30 languages', { languages: Array.from({ length: 31 }, (_, i) => `Language ${i}`) }, 'input.languages'],
    ['a one-letter language', { languages: ['English', 'E'] }, 'input.languages'],
    ['a language over 40 characters', { languages: ['L'.repeat(41)] }, 'input.languages'],
    ['more than 50 skills', { skills: Array.from({ length: 51 }, (_, i) => skill({ name: `Skill ${i}` })) }, 'input.skills'],
    ['a blank skill name', { skills: [skill({ name: '   ' })] }, 'input.skills.name'],
    ['a skill name over 80 characters', { skills: [skill({ name: 'S'.repeat(81) })] }, 'input.skills.name'],
    ['negative years', { skills: [skill({ years: -1 })] }, 'input.skills.years'],
    ['over 60 years', { skills: [skill({ years: 61 })] }, 'input.skills.years'],
    ['a skill twice (case-insensitively)', { skills: [skill(), skill({ name: 'AUDIT' })] }, 'input.skills.name'],
    ['more than 30 certifications', { certifications: Array.from({ length: 31 }, (_, i) => cert({ name: `Cert ${i}` })) }, 'input.certifications'],
    ['an impossible issue date', { certifications: [cert({ issuedOn: '2023-02-30' })] }, 'input.certifications.issuedOn'],
    ['an issue date that is no date', { certifications: [cert({ issuedOn: 'last year' })] }, 'input.certifications.issuedOn'],
    ['a malformed expiry', { certifications: [cert({ expiresOn: '2026/01/15' })] }, 'input.certifications.expiresOn'],
    ['an expiry before the issue', { certifications: [cert({ expiresOn: '2019-12-31' })] }, 'input.certifications.expiresOn'],
    ['a negative rate', { hourlyRate: { amount: -1, currency: 'USD' } }, 'input.hourlyRate.amount'],
    ['a rate over 10000000 minor units', { hourlyRate: { amount: 10_000_001, currency: 'USD' } }, 'input.hourlyRate.amount'],
    ['a rate of 2^31 - 1 minor units', { hourlyRate: { amount: 2_147_483_647, currency: 'USD' } }, 'input.hourlyRate.amount'],
    ['a booking fee over 10000000 minor units', { bookingFee: { amount: 10_000_001, currency: 'USD' } }, 'input.bookingFee.amount'],
    ['a lower-case currency', { hourlyRate: { amount: 100, currency: 'usd' } }, 'input.hourlyRate.currency'],
    ['a four-letter currency', { hourlyRate: { amount: 100, currency: 'USDX' } }, 'input.hourlyRate.currency'],
  ])('updateConsultantProfile refuses %s and writes nothing', async (_name, change, field) => {
    const before = await row(marcusId);
    const { errors } = await call(UPDATE, { input: { bio: 'Changed?', ...change } }, marcus);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await row(marcusId)).toEqual(before);
  });
});

describe('finding consultants', () => {
  type Page = { totalCount: number; edges: Array<{ cursor: string; node: { id: string; code: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  const ids = (page: Page) => page.edges.map((e) => e.node.id);
  async function list(variables: Record<string, unknown>, token = jane): Promise<Page> {
    const { data, errors } = await call(LIST, variables, token);
    expect(errors).toBeUndefined();
    return (data as { consultants: Page }).consultants;
  }

  it('filters by skill and language, case-insensitively', async () => {
    expect(ids(await list({ filter: { skill: 'business STRATEGY' } }))).toEqual([sarahId]);
    expect(ids(await list({ filter: { skill: 'change management' } }))).toEqual([marcusId]);
    expect(ids(await list({ filter: { language: 'GERMAN' } }))).toEqual([marcusId]);
    expect(ids(await list({ filter: { language: 'english', skill: 'Change Management' } }))).toEqual([marcusId]);
    expect(await list({ filter: { skill: 'Underwater Basket Weaving' } })).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('filters by an open slot in a range: a Friday evening in UTC is Sarah’s afternoon, and Marcus’s day off', async () => {
    const friday = fridayAhead();
    const availableBetween = { from: `${friday}T18:00:00Z`, to: `${friday}T20:00:00Z`, durationMinutes: 60 };
    const page = await list({ filter: { availableBetween } });
    expect(ids(page)).toEqual([sarahId]);
    expect(page.totalCount).toBe(1);
    // Monday morning in Berlin: Marcus only (New York is still asleep).
    const monday = new Date(new Date(`${friday}T00:00:00Z`).getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect(ids(await list({ filter: { availableBetween: { from: `${monday}T07:00:00Z`, to: `${monday}T10:00:00Z`, durationMinutes: 60 } } }))).toEqual([marcusId]);
    const bad = await call(LIST, { filter: { availableBetween: { ...availableBetween, durationMinutes: 50 } } }, jane);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.availableBetween.durationMinutes' });
  });

  it('combines an open slot with skill and language, and pages the open ones by code', async () => {
    const friday = fridayAhead();
    const availableBetween = { from: `${friday}T18:00:00Z`, to: `${friday}T20:00:00Z`, durationMinutes: 60 };
    expect(ids(await list({ filter: { availableBetween, skill: 'business STRATEGY' } }))).toEqual([sarahId]);
    expect(await list({ filter: { availableBetween, skill: 'change management' } })).toMatchObject({ totalCount: 0, edges: [] });
    expect(await list({ filter: { availableBetween, language: 'GERMAN' } })).toMatchObject({ totalCount: 0, edges: [] });
    const first = await list({ filter: { availableBetween }, first: 1 });
    expect(first).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });
    expect(await list({ filter: { availableBetween }, first: 1, after: first.pageInfo.endCursor })).toMatchObject({ totalCount: 1, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('pages by code with first and after', async () => {
    const all = await list({});
    expect(all.totalCount).toBe(2);
    const codes = all.edges.map((e) => e.node.code);
    expect(codes).toEqual([...codes].sort());
    const first = await list({ first: 1 });
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(first.edges).toHaveLength(1);
    const second = await list({ first: 1, after: first.pageInfo.endCursor });
    expect(second).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: false } });
    expect([...ids(first), ...ids(second)]).toEqual(ids(all));
    expect((await call(LIST, { first: 101 }, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await call(LIST, { after: 'garbage!' }, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('one consultant by code too (as the booking widget at /book/<code> looks them up), in any case', async () => {
    const { code } = ((await call(ONE, { id: sarahId }, jane)).data as { consultant: { code: string } }).consultant;
    const byCode = (await call(ONE, { id: code.toLowerCase() }, jane)).data as { consultant: { id: string; displayName: string } };
    expect(byCode.consultant).toMatchObject({ id: sarahId, displayName: 'Sarah Chen' });
    expect((await call(ONE, { id: 'CON-NOBODY-20260101-001' }, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('an unknown or malformed id is NOT_FOUND; anonymous callers are UNAUTHENTICATED', async () => {
    expect((await call(ONE, { id: '00000000-0000-4000-8000-000000000000' }, jane)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await call(ONE, { id: 'garbage' }, jane)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await call(ONE, { id: sarahId })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await call(LIST, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
