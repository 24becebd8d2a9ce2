import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOK, grantSessions, gridStart, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { liveClient, metric, subscribe, subscribersAtLeast } from '../support/live.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * One event to many subscribers of one instance costs one read of what changed, not one per
 * subscriber (bench/subscriptions.bench.ts measures what that means at 10,000). The statements
 * are counted where every ORM and hand-written SQL read passes: the ORM connection's execute.
 */
let server: TestServer;
let admin: string;
let consultant: TestConsultant;
let client: TestClient;
beforeAll(async () => {
  // No jobs and no periodic re-check of the connections: the statements counted are the event's.
  server = await startTestServer({ JOBS: 'off', LIVE_RECHECK_MS: '3600000' });
  admin = await demoSignIn(server, 'admin@serenity.local');
  [consultant, client] = await Promise.all([openAllHoursConsultant(server), verifiedClient(server)]);
  await grantSessions(server, admin, client.organizationId, 20);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await server?.stop();
});

let day = 0;
const book = () =>
  gqlOk<{ bookConsultation: { id: string } }>(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(++day * 24 * 60 + 120).toISOString(), durationMinutes: 60, purpose: 'Fan-out' } }, client.token).then(
    (d) => d.bookConsultation,
  );

/** Statements reading consultations or credit lots, the rows a booking's events name (the booking's own among them). */
const READS = /\b(from|join)\s+"?(consultation|credit_lot)"?(\s|$)/i;

/**
 * `k` subscribers of each live field a booking reaches (the owner's consultationUpdated and
 * creditBalanceChanged, the consultant's consultantSchedule); one booking; the reads the server
 * issued from the booking until every subscriber had its event, and the loads it counted.
 */
async function oneBookingTo(k: number): Promise<{ reads: number; loads: number; ids: string[] }> {
  const owner = liveClient(server.graphqlUrl, client.token);
  const own = liveClient(server.graphqlUrl, consultant.token);
  try {
    const subscriptions = Array.from({ length: k }, () => [
      subscribe<{ consultationUpdated: { id: string } }>(owner.client, 'subscription { consultationUpdated { id status } }'),
      subscribe<{ creditBalanceChanged: { reservedCredits: number } }>(owner.client, 'subscription { creditBalanceChanged { reservedCredits } }'),
      subscribe<{ consultantSchedule: { consultation: { id: string } } }>(own.client, 'subscription($c: ID!) { consultantSchedule(consultantId: $c) { kind consultation { id } } }', { c: consultant.id }),
    ]).flat();
    await subscribersAtLeast(server.graphqlUrl, 3 * k);
    const loadsBefore = await loadsTotal();

    const connection = server.app.orm.em.getConnection();
    const execute = vi.spyOn(connection, 'execute');
    let events: unknown[];
    let statements: string[];
    try {
      await book();
      events = await Promise.all(subscriptions.map((s) => s.event(0)));
      statements = execute.mock.calls.map(([query]) => (typeof query === 'string' ? query : 'sql' in query ? query.sql : query.toString()));
    } finally {
      execute.mockRestore();
    }
    for (const s of subscriptions) expect(s.errors).toEqual([]);
    const ids = events.map((e) => JSON.stringify(e));
    return { reads: statements.filter((q) => READS.test(q)).length, loads: (await loadsTotal()) - loadsBefore, ids };
  } finally {
    await owner.client.dispose();
    await own.client.dispose();
    // The next call starts from a server that serves none of these any more.
    await expect.poll(() => metric(server.graphqlUrl, 'serenity_live_subscriptions'), { timeout: 5000, interval: 20 }).toBe(0);
  }
}

async function loadsTotal(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server.graphqlUrl))).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('serenity_live_loads_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
}

describe('live fan-out', () => {
  it('ten subscribers of each kind cost the same reads as one: one load per message and instance', { timeout: 60_000 }, async () => {
    const one = await oneBookingTo(1);
    const ten = await oneBookingTo(10);
    // What each received is what one subscriber receives: the booking, the balance, the schedule.
    expect(new Set(ten.ids).size).toBe(3);
    // The counting sees the reads at all (the booking's own, and the one load of each message).
    expect(one.reads).toBeGreaterThan(2);
    expect(ten.reads).toBe(one.reads);
    // Two messages (the consultation's change and the credit reservation): two loads, whoever listens.
    expect(one.loads).toBe(2);
    expect(ten.loads).toBe(2);
  });
});
