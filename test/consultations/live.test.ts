import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_CHANNEL } from '../../src/platform/live.js';
import { BOOK, grantSessions, gridStart, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import { liveClient, metric, subscribe, subscribersAtLeast } from '../support/live.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** Live status over graphql-ws on a real server: events after commit, per-subscriber authorization, close codes. */
let server: TestServer;
let admin: string;
let consultant: TestConsultant;
let other: TestConsultant;
let client: TestClient;
let stranger: TestClient;
const opened: Array<{ dispose(): Promise<void> | void }> = [];
beforeAll(async () => {
  server = await startTestServer();
  admin = await demoSignIn(server, 'admin@serenity.local');
  [consultant, other, client, stranger] = await Promise.all([openAllHoursConsultant(server), openAllHoursConsultant(server), verifiedClient(server), verifiedClient(server)]);
  await Promise.all([grantSessions(server, admin, client.organizationId, 20), grantSessions(server, admin, stranger.organizationId, 20)]);
  // The setup's credit movements were published too: their notices must be in before the tests
  // subscribe, or one arriving late would count as a test's event. PostgreSQL delivers notices in
  // commit order, so once a marker sent now has arrived, every earlier one has.
  await sql(server, 'SELECT pg_notify(?, ?)', [LIVE_CHANNEL, JSON.stringify({ topic: 'test.settled' })]);
  for (let waited = 0; !((await metric(server.graphqlUrl, 'serenity_live_events_total{topic="test.settled"}')) >= 1); waited += 20) {
    if (waited > 5000) throw new Error('the settling notice did not reach the server');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
afterAll(async () => {
  for (const c of opened) await c.dispose();
  await server?.stop();
});

const connect = (token?: string) => {
  const live = liveClient(server.graphqlUrl, token);
  opened.push(live.client);
  return live;
};
// Each booking on a day of its own, two hours after now's time of day: always open (booking.ts).
let day = 0;
const nextStart = () => gridStart(++day * 24 * 60 + 120).toISOString();
const book = (who: TestClient, consultantId = consultant.id) =>
  gqlOk<{ bookConsultation: { id: string; start: string } }>(
    server,
    BOOK,
    { input: { consultantId, start: nextStart(), durationMinutes: 60, purpose: 'Live' } },
    who.token,
  ).then((d) => d.bookConsultation);

const CONSULTATION_UPDATED = 'subscription($id: ID) { consultationUpdated(id: $id) { id status client { id } } }';
const SCHEDULE = 'subscription($c: ID!) { consultantSchedule(consultantId: $c) { kind at previousStart consultation { id status start } } }';
const BALANCE = 'subscription { creditBalanceChanged { availableCredits reservedCredits } }';
const INBOX = 'subscription { notificationReceived { id kind title } }';

describe('live status', () => {
  it('a booking reaches its client, its consultant and an admin; nothing reaches another tenant or another consultant', async () => {
    const before = await metric(server.graphqlUrl, 'serenity_live_subscriptions');
    const mine = subscribe<{ consultationUpdated: { id: string; status: string; client: { id: string } } }>(connect(client.token).client, CONSULTATION_UPDATED);
    const strangers = subscribe(connect(stranger.token).client, CONSULTATION_UPDATED);
    const schedule = subscribe<{ consultantSchedule: { kind: string; consultation: { id: string; status: string } } }>(connect(consultant.token).client, SCHEDULE, { c: consultant.id });
    const otherSchedule = subscribe(connect(other.token).client, SCHEDULE, { c: other.id });
    const adminSchedule = subscribe<{ consultantSchedule: { kind: string } }>(connect(admin).client, SCHEDULE, { c: consultant.id });
    const balance = subscribe<{ creditBalanceChanged: { availableCredits: number; reservedCredits: number } }>(connect(client.token).client, BALANCE);
    const strangerBalance = subscribe(connect(stranger.token).client, BALANCE);
    await subscribersAtLeast(server.graphqlUrl, before + 7);

    const booked = await book(client);

    const update = await mine.event(0);
    expect(update.consultationUpdated).toMatchObject({ id: booked.id, client: { id: client.userId } });
    expect((await schedule.event(0)).consultantSchedule).toMatchObject({ kind: 'BOOKED', consultation: { id: booked.id } });
    expect((await adminSchedule.event(0)).consultantSchedule.kind).toBe('BOOKED');
    // A credit was reserved: the event is the balance as the query now tells it.
    const now = await gqlOk<{ creditSummary: { availableCredits: number; reservedCredits: number } }>(server, '{ creditSummary { availableCredits reservedCredits } }', {}, client.token);
    expect((await balance.event(0)).creditBalanceChanged).toEqual(now.creditSummary);
    expect(now.creditSummary.reservedCredits).toBe(1);

    // An event that reached everyone it should also went past the others: a later one of the
    // stranger's own arrives, so theirs were not merely slow.
    const strangersBooking = await book(stranger, other.id);
    const theirs = (await strangers.event(0)) as { consultationUpdated: { id: string } };
    expect(theirs.consultationUpdated.id).toBe(strangersBooking.id);
    expect(strangers.events).toHaveLength(1);
    expect(((await otherSchedule.event(0)) as { consultantSchedule: { consultation: { id: string } } }).consultantSchedule.consultation.id).toBe(strangersBooking.id);
    expect(otherSchedule.events).toHaveLength(1);
    await strangerBalance.event(0);
    expect(strangerBalance.events).toHaveLength(1);
    expect(mine.events.map((e) => e.consultationUpdated.id)).toEqual([booked.id]);
    expect(schedule.events).toHaveLength(1);
    expect([mine, strangers, schedule, otherSchedule, adminSchedule, balance, strangerBalance].flatMap((s) => s.errors)).toEqual([]);
  });

  it('a reschedule says where the session was; one consultation by id', async () => {
    const booked = await book(client);
    // Subscriptions of this file stay until its end: the count only grows.
    const before = await metric(server.graphqlUrl, 'serenity_live_subscriptions');
    const one = subscribe<{ consultationUpdated: { id: string } }>(connect(client.token).client, CONSULTATION_UPDATED, { id: booked.id });
    const schedule = subscribe<{ consultantSchedule: { kind: string; previousStart: string; consultation: { start: string } } }>(connect(consultant.token).client, SCHEDULE, { c: consultant.id });
    await subscribersAtLeast(server.graphqlUrl, before + 2);
    await book(client); // another consultation: not for `one`
    const moved = nextStart();
    await gqlOk(server, 'mutation($id: ID!, $s: DateTime!) { rescheduleConsultation(id: $id, start: $s) { id } }', { id: booked.id, s: moved }, client.token);
    const event = await schedule.event(1);
    expect(event.consultantSchedule).toMatchObject({ kind: 'RESCHEDULED', previousStart: booked.start, consultation: { start: moved } });
    await one.event(0);
    expect(one.events.map((e) => e.consultationUpdated.id)).toEqual([booked.id]);
  });

  it('refuses what the caller may not follow: another consultant’s schedule (FORBIDDEN), a client’s, another tenant’s consultation (NOT_FOUND)', async () => {
    const refused = subscribe(connect(consultant.token).client, SCHEDULE, { c: other.id });
    expect(JSON.stringify(await refused.error())).toContain('FORBIDDEN');
    const byClient = subscribe(connect(client.token).client, SCHEDULE, { c: consultant.id });
    expect(JSON.stringify(await byClient.error())).toContain('FORBIDDEN');
    const booked = await book(client);
    const notTheirs = subscribe(connect(stranger.token).client, CONSULTATION_UPDATED, { id: booked.id });
    expect(JSON.stringify(await notTheirs.error())).toContain('NOT_FOUND');
  });

  it('closes a connection whose token is invalid, or that has none, with 4401', async () => {
    const anonymous = connect();
    subscribe(anonymous.client, BALANCE);
    expect((await anonymous.closed).code).toBe(4401);
    const live = connect('not-a-token');
    const s = subscribe(live.client, BALANCE);
    const closed = await live.closed;
    expect(closed.code).toBe(4401);
    expect(s.events).toEqual([]);
  });

  it('an in-app notification reaches its user only', async () => {
    const before = await metric(server.graphqlUrl, 'serenity_live_subscriptions');
    const mine = subscribe<{ notificationReceived: { id: string; kind: string } }>(connect(client.token).client, INBOX);
    const strangers = subscribe(connect(stranger.token).client, INBOX);
    await subscribersAtLeast(server.graphqlUrl, before + 2);
    await book(client);
    // The bookings' in-app messages are written by the dispatch job (JOBS_PROCESS_EVERY_MS=200).
    await mine.event(0, 15_000);
    await book(stranger, other.id);
    await strangers.event(0, 15_000);
    const ownerOf = async (id: string) => (await sql<{ user_id: string }>(server, 'SELECT user_id FROM notification WHERE id = ?', [id]))[0]?.user_id;
    for (const e of mine.events) expect(await ownerOf(e.notificationReceived.id)).toBe(client.userId);
    for (const e of strangers.events as Array<{ notificationReceived: { id: string } }>) expect(await ownerOf(e.notificationReceived.id)).toBe(stranger.userId);
  });
});
