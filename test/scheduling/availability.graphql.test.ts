import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSignIn } from '../support/identity.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let sarah: string;
let sarahId: string;
let jane: string;
let admin: string;

async function call(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const { json } = await postGraphQL(server.graphqlUrl, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});
  return json!;
}
const login = (email: string) => demoSignIn(server, email);

const SLOTS = 'query($input: OpenSlotsInput!) { openSlots(input: $input) { start end consultantId localStart } }';
const DATES = 'query($input: OpenSlotsInput!) { openDates(input: $input) }';
const WEEKLY = 'mutation($input: WeeklyAvailabilityInput!) { setWeeklyAvailability(input: $input) { timeZone slotStepMinutes bufferMinutes rules { weekday intervals { start end } } } }';
const EXCEPTION = 'mutation($input: AvailabilityExceptionInput!) { addAvailabilityException(input: $input) { fromDate toDate kind intervals { start end } } }';

/** A Monday 3 weeks ahead (UTC date), so notice and horizon never get in the way. */
function nextMonday(): string {
  const d = new Date(Date.now() + 21 * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await startTestServer();
  [sarah, jane, admin] = await Promise.all([login('sarah.chen@serenity.local'), login('jane.smith@acme.example'), login('admin@serenity.local')]);
  const me = await call('{ me { consultantProfile { id } } }', {}, sarah);
  sarahId = (me.data as { me: { consultantProfile: { id: string } } }).me.consultantProfile.id;
});
afterAll(() => server.stop());

describe('availability and open slots', () => {
  it('the seeded consultant offers her New York hours, shown in the client’s zone', async () => {
    const monday = nextMonday();
    const { data, errors } = await call(
      SLOTS,
      { input: { consultantId: sarahId, from: `${monday}T00:00:00Z`, to: `${monday}T23:59:59Z`, durationMinutes: 60, timeZone: 'America/Chicago' } },
      jane,
    );
    expect(errors).toBeUndefined();
    const slots = (data as { openSlots: Array<{ start: string; localStart: string; consultantId: string }> }).openSlots;
    // 09:00–12:00 and 13:00–17:00 New York, 30-minute grid, 60-minute sessions: 5 + 7 starts.
    expect(slots).toHaveLength(12);
    expect(new Set(slots.map((s) => s.consultantId))).toEqual(new Set([sarahId]));
    // 09:00 in New York is 08:00 in Chicago, whatever the season.
    expect(slots[0]!.localStart).toMatch(new RegExp(`^${monday}T08:00:00-0[56]:00$`));
  });

  it('a consultant sets their week; time off removes a date from the calendar', async () => {
    const monday = nextMonday();
    const week = await call(
      WEEKLY,
      { input: { timeZone: 'America/New_York', rules: [{ weekday: 1, intervals: [{ start: '10:00', end: '12:00' }] }, { weekday: 2, intervals: [{ start: '10:00', end: '12:00' }] }], bufferMinutes: 10 } },
      sarah,
    );
    expect(week.data).toEqual({ setWeeklyAvailability: { timeZone: 'America/New_York', slotStepMinutes: 30, bufferMinutes: 10, rules: [{ weekday: 1, intervals: [{ start: '10:00', end: '12:00' }] }, { weekday: 2, intervals: [{ start: '10:00', end: '12:00' }] }] } });
    const range = { consultantId: sarahId, from: `${monday}T00:00:00Z`, to: new Date(new Date(`${monday}T00:00:00Z`).getTime() + 7 * 86_400_000).toISOString(), durationMinutes: 60, timeZone: 'America/New_York' };
    const tuesday = new Date(new Date(`${monday}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    expect((await call(DATES, { input: range }, jane)).data).toEqual({ openDates: [monday, tuesday] });

    const off = await call(EXCEPTION, { input: { from: monday, to: monday, kind: 'TIME_OFF', reason: 'Conference' } }, sarah);
    expect(off.data).toEqual({ addAvailabilityException: { fromDate: monday, toDate: monday, kind: 'TIME_OFF', intervals: null } });
    expect((await call(DATES, { input: range }, jane)).data).toEqual({ openDates: [tuesday] });
  });

  it.each([
    ['an unknown weekday', { rules: [{ weekday: 8, intervals: [{ start: '09:00', end: '10:00' }] }] }, 'input.rules.weekday'],
    ['a wall time that is not one', { rules: [{ weekday: 1, intervals: [{ start: '09:00', end: '25:00' }] }] }, 'input'],
    ['an interval ending before it starts', { rules: [{ weekday: 1, intervals: [{ start: '12:00', end: '09:00' }] }] }, 'input'],
    ...(
      [
        ['a horizon over two years', { horizonDays: 731 }, 'input.horizonDays'],
        ['a horizon of 2^31 - 1 days', { horizonDays: 2_147_483_647 }, 'input.horizonDays'],
        ['a horizon of 0 days', { horizonDays: 0 }, 'input.horizonDays'],
        ['a notice over 30 days', { minNoticeMinutes: 43_201 }, 'input.minNoticeMinutes'],
        ['a buffer over 4 hours', { bufferMinutes: 241 }, 'input.bufferMinutes'],
        ['a negative buffer', { bufferMinutes: -1 }, 'input.bufferMinutes'],
        ['a slot step over 4 hours', { slotStepMinutes: 241 }, 'input.slotStepMinutes'],
        ['a slot step under 5 minutes', { slotStepMinutes: 4 }, 'input.slotStepMinutes'],
        ['more than 96 sessions a day', { maxSessionsPerDay: 97 }, 'input.maxSessionsPerDay'],
        ['a day limit of 0 sessions', { maxSessionsPerDay: 0 }, 'input.maxSessionsPerDay'],
      ] satisfies Array<[string, Record<string, number>, string]>
    ).map(([name, change, field]): [string, Record<string, unknown>, string] => [name, { rules: [{ weekday: 1, intervals: [{ start: '09:00', end: '10:00' }] }], ...change }, field]),
    // Found by the schema fuzz (without any weekly rule): the table's CHECK answered INTERNAL_SERVER_ERROR.
    ['a horizon of 0 days, without rules', { rules: [], horizonDays: 0 }, 'input.horizonDays'],
    ['a slot step of 1 minute, without rules', { rules: [], slotStepMinutes: 1 }, 'input.slotStepMinutes'],
  ])('setWeeklyAvailability refuses %s', async (_name, change, field) => {
    const input = { timeZone: 'America/New_York', ...change };
    const { errors } = await call(WEEKLY, { input }, sarah);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it.each([
    ['over 730 days', { from: '2030-01-01', to: '2032-01-02', kind: 'TIME_OFF' }, 'input.to'],
    ['of 8000 years', { from: '2030-01-01', to: '9999-12-31', kind: 'TIME_OFF' }, 'input.to'],
  ])('addAvailabilityException refuses a range %s', async (_name, input, field) => {
    const { errors } = await call(EXCEPTION, { input }, sarah);
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('the bounds themselves are accepted', async () => {
    const rules = [{ weekday: 1, intervals: [{ start: '09:00', end: '17:00' }] }];
    for (const bounds of [
      { horizonDays: 730, minNoticeMinutes: 43_200, bufferMinutes: 240, slotStepMinutes: 240, maxSessionsPerDay: 96 },
      { horizonDays: 1, minNoticeMinutes: 0, bufferMinutes: 0, slotStepMinutes: 5, maxSessionsPerDay: 1 },
    ]) {
      expect((await call(WEEKLY, { input: { timeZone: 'America/New_York', rules, ...bounds } }, sarah)).errors, JSON.stringify(bounds)).toBeUndefined();
    }
    expect((await call(EXCEPTION, { input: { from: '2030-01-01', to: '2031-12-31', kind: 'TIME_OFF' } }, sarah)).errors).toBeUndefined();
  });

  it('only consultants (their own) and admins (anyone’s, named) manage availability', async () => {
    const input = { timeZone: 'UTC', rules: [] };
    expect((await call(WEEKLY, { input }, jane)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await call(WEEKLY, { input })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await call(WEEKLY, { input }, admin)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.consultantId' });
    const byAdmin = await call(WEEKLY, { input: { ...input, consultantId: sarahId, rules: [{ weekday: 3, intervals: [{ start: '09:00', end: '11:00' }] }] } }, admin);
    expect(byAdmin.errors).toBeUndefined();
    const marcus = await login('marcus.weber@serenity.local');
    expect((await call(WEEKLY, { input: { ...input, consultantId: sarahId } }, marcus)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('slot searches are bounded and typed', async () => {
    const base = { consultantId: sarahId, from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', durationMinutes: 60, timeZone: 'UTC' };
    expect((await call(SLOTS, { input: { ...base, durationMinutes: 50 } }, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.durationMinutes' });
    expect((await call(SLOTS, { input: { ...base, to: '2030-06-01T00:00:00Z' } }, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.to' });
    expect((await call(SLOTS, { input: { ...base, to: base.from } }, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.to' });
    expect((await call(SLOTS, { input: { ...base, timeZone: 'Mars/Base' } }, jane)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await call(SLOTS, { input: { ...base, consultantId: '00000000-0000-4000-8000-000000000000' } }, jane)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await call(SLOTS, { input: base })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  // Found by the schema fuzz: the busy-time margin around a range at either end of the
  // DateTime scalar reached past PostgreSQL's dates: INTERNAL_SERVER_ERROR.
  it.each([
    ['year 9999', { from: '9999-12-01T00:00:00Z', to: '9999-12-31T00:00:00Z' }, 'input.to'],
    ['year 1', { from: '0001-01-01T00:00:00Z', to: '0001-01-05T00:00:00Z' }, 'input.from'],
  ])('searches in %s are bad input, whoever searches', async (_when, range, field) => {
    const base = { durationMinutes: 60, timeZone: 'UTC', ...range };
    for (const input of [{ ...base, consultantId: sarahId }, base]) {
      for (const document of [SLOTS, DATES]) expect((await call(document, { input }, jane)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const consultants = await call('query($f: ConsultantFilter) { consultants(filter: $f) { totalCount } }', { f: { availableBetween: { durationMinutes: 60, ...range } } }, jane);
    expect(consultants.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
