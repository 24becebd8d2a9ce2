/**
 * Bad booking input through GraphQL: every case gets its typed error (code, and the field or
 * reason a client can act on) and writes nothing — no consultation, history, ledger entry or
 * lot change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, registerClient, snapshotTables } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;
let client: TestClient;
let open: TestConsultant;
let strict: TestConsultant;
let onLeave: TestConsultant;
let otherTenantConsultation: string;

const TABLES = ['consultation', 'consultation_status_change', 'credit_ledger_entry', 'credit_lot'];
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startTestServer();
  admin = await demoSignIn(server, 'admin@serenity.local');
  client = await verifiedClient(server, { organizationName: 'Careful Co' });
  await grantSessions(server, admin, client.organizationId, 5);
  open = await openAllHoursConsultant(server);
  strict = await openAllHoursConsultant(server, { minNoticeMinutes: 6 * 60, horizonDays: 10 });
  onLeave = await openAllHoursConsultant(server);
  await gqlOk(server, 'mutation { updateConsultantProfile(input: { availabilityStatus: ON_LEAVE }) { id } }', {}, onLeave.token);
  const other = await verifiedClient(server, { organizationName: 'Other Tenant' });
  await grantSessions(server, admin, other.organizationId, 1);
  const booked = await gqlOk<{ bookConsultation: { id: string } }>(
    server,
    BOOK,
    { input: { consultantId: open.id, start: gridStart(26 * 60).toISOString(), durationMinutes: 60, purpose: 'Theirs' } },
    other.token,
  );
  otherTenantConsultation = booked.bookConsultation.id;
});
afterAll(() => server.stop());

type Case = [name: string, input: () => Record<string, unknown>, expected: Record<string, unknown>];

/** The next midnight (after 2 hours from now) of a fixed-offset Etc/GMT zone. */
function nextLocalMidnight(zone: string): Date {
  const offsetHours = zone === 'Etc/GMT' ? 0 : -Number(zone.slice('Etc/GMT'.length));
  const today = new Date();
  let midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - offsetHours * HOUR;
  while (midnight < Date.now() + 2 * HOUR) midnight += 24 * HOUR;
  return new Date(midnight);
}

const valid = () => ({ consultantId: open.id, start: gridStart(3 * 60).toISOString(), durationMinutes: 60, purpose: 'Pricing strategy' });

const CASES: Case[] = [
  ['a zero duration', () => ({ ...valid(), durationMinutes: 0 }), { code: 'BAD_USER_INPUT', field: 'input.durationMinutes' }],
  ['a negative duration', () => ({ ...valid(), durationMinutes: -60 }), { code: 'BAD_USER_INPUT', field: 'input.durationMinutes' }],
  ['a huge duration', () => ({ ...valid(), durationMinutes: 100_000 }), { code: 'BAD_USER_INPUT', field: 'input.durationMinutes' }],
  ['a duration off the 15-minute step', () => ({ ...valid(), durationMinutes: 50 }), { code: 'BAD_USER_INPUT', field: 'input.durationMinutes' }],
  ['a past start', () => ({ ...valid(), start: new Date(Date.now() - HOUR).toISOString() }), { code: 'BAD_USER_INPUT', field: 'input.start' }],
  ['a start that is not a date-time', () => ({ ...valid(), start: 'tomorrow at ten' }), { code: 'BAD_USER_INPUT' }],
  ['a start off the slot grid', () => ({ ...valid(), start: new Date(gridStart(3 * 60).getTime() + 60_000).toISOString() }), { code: 'BAD_USER_INPUT', field: 'input.start', reason: 'OFF_GRID' }],
  ['a session across the consultant’s local midnight', () => ({ ...valid(), start: new Date(nextLocalMidnight(open.timeZone).getTime() - 30 * 60_000).toISOString() }), { code: 'BAD_USER_INPUT', reason: 'OUTSIDE_HOURS' }],
  ['a start inside the minimum notice', () => ({ ...valid(), consultantId: strict.id, start: gridStart(60).toISOString() }), { code: 'BAD_USER_INPUT', field: 'input.start', reason: 'TOO_SOON' }],
  ['a start beyond the horizon', () => ({ ...valid(), consultantId: strict.id, start: new Date(gridStart(60).getTime() + 11 * 24 * HOUR).toISOString() }), { code: 'BAD_USER_INPUT', reason: 'TOO_FAR' }],
  ['a time another organization holds', () => ({ ...valid(), start: gridStart(26 * 60).toISOString() }), { code: 'CONFLICT', reason: 'OVERLAPS' }],
  ['an unknown consultant', () => ({ ...valid(), consultantId: '6d1c1a8e-0000-4000-8000-000000000000' }), { code: 'NOT_FOUND' }],
  ['a consultant id that is not one', () => ({ ...valid(), consultantId: 'sarah' }), { code: 'NOT_FOUND' }],
  ['a consultant on leave', () => ({ ...valid(), consultantId: onLeave.id }), { code: 'CONFLICT' }],
  ['a skill the consultant lacks', () => ({ ...valid(), skills: ['Underwater basket weaving'] }), { code: 'BAD_USER_INPUT', field: 'input.skills' }],
  ['a blank purpose', () => ({ ...valid(), purpose: '   ' }), { code: 'BAD_USER_INPUT', field: 'input.purpose' }],
  ['a purpose too long', () => ({ ...valid(), purpose: 'x'.repeat(2001) }), { code: 'BAD_USER_INPUT', field: 'input.purpose' }],
  ['an attendee without an email address', () => ({ ...valid(), attendees: [{ name: 'Dora', email: 'dora-at-home' }] }), { code: 'BAD_USER_INPUT', field: 'input.attendees.0.email' }],
  ['eleven attendees', () => ({ ...valid(), attendees: Array.from({ length: 11 }, (_, i) => ({ name: `P${i}`, email: `p${i}@careful.test` })) }), { code: 'BAD_USER_INPUT', field: 'input.attendees' }],
  ['an unknown meeting provider', () => ({ ...valid(), meetingProvider: 'CARRIER_PIGEON' }), { code: 'BAD_USER_INPUT' }],
  ['the free trial for 60 minutes', () => ({ ...valid(), useFreeTrial: true }), { code: 'BAD_USER_INPUT', field: 'input.durationMinutes' }],
  ['a session length no credit fits', () => ({ ...valid(), durationMinutes: 90 }), { code: 'PAYMENT_REQUIRED' }],
  ['an empty idempotency key', () => ({ ...valid(), idempotencyKey: '' }), { code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' }],
  // Found by the schema fuzz: the busy-time queries around a start in year 9999 reached past
  // PostgreSQL's dates ("time zone displacement out of range"): INTERNAL_SERVER_ERROR.
  ['a start in year 9999 (auto-assigned)', () => ({ ...valid(), consultantId: undefined, start: '9999-12-31T23:00:00Z' }), { code: 'BAD_USER_INPUT', field: 'input.start' }],
  ['a start in year 9999', () => ({ ...valid(), start: '9999-12-31T23:00:00Z' }), { code: 'BAD_USER_INPUT', field: 'input.start' }],
  ['a start more than ten years ahead', () => ({ ...valid(), start: new Date(gridStart(0).getTime() + 3700 * 24 * HOUR).toISOString() }), { code: 'BAD_USER_INPUT', field: 'input.start' }],
];

describe('bookConsultation refuses bad input and writes nothing', () => {
  it.each(CASES)('%s', async (_name, input, expected) => {
    const before = await snapshotTables(server, TABLES);
    const { errors, data } = await gql(server, BOOK, { input: input() }, client.token);
    expect(data?.bookConsultation ?? null).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions).toMatchObject(expected);
    expect(errors[0]!.message.length).toBeGreaterThan(10);
    expect(await snapshotTables(server, TABLES)).toEqual(before);
  });

  it('an unverified client may not book; a consultant may not book', async () => {
    const unverified = await registerClient(server);
    const before = await snapshotTables(server, TABLES);
    const asUnverified = await gql(server, BOOK, { input: valid() }, unverified.accessToken);
    expect(asUnverified.errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const asConsultant = await gql(server, BOOK, { input: valid() }, open.token);
    expect(asConsultant.errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await snapshotTables(server, TABLES)).toEqual(before);
  });
});

describe('the other operations refuse bad input', () => {
  const cases: Array<[name: string, document: string, variables: () => Record<string, unknown>, expected: Record<string, unknown>]> = [
    ['another tenant’s consultation (cancel)', 'mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased } }', () => ({ id: otherTenantConsultation }), { code: 'NOT_FOUND' }],
    ['another tenant’s consultation (read)', 'query($id: ID!) { consultation(id: $id) { id } }', () => ({ id: otherTenantConsultation }), { code: 'NOT_FOUND' }],
    ['a reschedule to year 9999', 'mutation($id: ID!, $s: DateTime!) { rescheduleConsultation(id: $id, start: $s) { id } }', () => ({ id: otherTenantConsultation, s: '9999-12-31T23:00:00Z' }), { code: 'BAD_USER_INPUT', field: 'start' }],
    ['a reschedule into the past', 'mutation($id: ID!, $s: DateTime!) { rescheduleConsultation(id: $id, start: $s) { id } }', () => ({ id: otherTenantConsultation, s: '2020-01-01T10:00:00Z' }), { code: 'BAD_USER_INPUT', field: 'start' }],
    ['an unknown time zone', 'query($tz: TimeZone) { upcomingConsultations(timeZone: $tz) { date } }', () => ({ tz: 'Mars/Olympus_Mons' }), { code: 'BAD_USER_INPUT' }],
    ['zero days ahead', 'query { upcomingConsultations(days: 0) { date } }', () => ({}), { code: 'BAD_USER_INPUT', field: 'days' }],
    ['a year ahead', 'query { upcomingConsultations(days: 365) { date } }', () => ({}), { code: 'BAD_USER_INPUT', field: 'days' }],
    ['a filter ending before it starts', 'query { myConsultations(filter: { from: "2027-01-02T00:00:00Z", to: "2027-01-01T00:00:00Z" }) { totalCount } }', () => ({}), { code: 'BAD_USER_INPUT', field: 'filter.to' }],
    ['a page of zero', 'query { myConsultations(first: 0) { totalCount } }', () => ({}), { code: 'BAD_USER_INPUT', field: 'first' }],
    ['a forged cursor', 'query { myConsultations(after: "bm9wZQ") { totalCount } }', () => ({}), { code: 'BAD_USER_INPUT', field: 'after' }],
    ['a rating of six', 'mutation($id: ID!) { submitFeedback(consultationId: $id, input: { overall: 6, expertise: 5, communication: 5, helpfulness: 5, wouldRecommend: true }) { overall } }', () => ({ id: otherTenantConsultation }), { code: 'BAD_USER_INPUT', field: 'input.overall' }],
  ];

  it.each(cases)('%s', async (_name, document, variables, expected) => {
    const before = await snapshotTables(server, TABLES);
    const { errors } = await gql(server, document, variables(), client.token);
    expect(errors[0]?.extensions).toMatchObject(expected);
    expect(await snapshotTables(server, TABLES)).toEqual(before);
  });
});
