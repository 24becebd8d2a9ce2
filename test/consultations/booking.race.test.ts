/**
 * No double booking, ever (I1, I2, I5) under concurrent requests through GraphQL: many clients
 * racing for one slot, many organizations for a few slots, and the day's cap; and credit
 * verdicts that match the lots as committed when the booking holds them (issue 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdLots } from '../support/credit-locks.js';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await demoSignIn(server, 'admin@serenity.local');
});
afterAll(() => server.stop());

function attempt(client: TestClient, consultantId: string, start: Date) {
  return gql(server, BOOK, { input: { consultantId, start: start.toISOString(), durationMinutes: 60, purpose: 'Race' } }, client.token);
}

function outcomes(results: Array<{ errors: Array<{ extensions?: Record<string, unknown> }> }>) {
  const codes = results.map((r) => (r.errors.length ? String(r.errors[0]!.extensions?.code) : 'OK'));
  return codes.reduce<Record<string, number>>((count, code) => ({ ...count, [code]: (count[code] ?? 0) + 1 }), {});
}

async function ledgerTotals(consultantId: string): Promise<{ consultations: number; reserved: number }> {
  const [row] = await sql<{ consultations: string; reserved: string | null }>(
    server,
    `SELECT COUNT(DISTINCT c.id) AS consultations, SUM(e.units) AS reserved
       FROM consultation c JOIN credit_ledger_entry e ON e.consultation_id = c.id AND e.type = 'RESERVE' WHERE c.consultant_id = ?`,
    [consultantId],
  );
  return { consultations: Number(row!.consultations), reserved: Number(row!.reserved ?? 0) };
}

describe('racing for time', () => {
  it('100 concurrent bookings of one slot: exactly 1 succeeds, 99 CONFLICT, one credit reserved', async () => {
    const consultant = await openAllHoursConsultant(server);
    const client = await verifiedClient(server, { organizationName: 'Racers' });
    await grantSessions(server, admin, client.organizationId, 100);
    const start = gridStart(3 * 60);
    const results = await Promise.all(Array.from({ length: 100 }, () => attempt(client, consultant.id, start)));
    expect(outcomes(results)).toEqual({ OK: 1, CONFLICT: 99 });
    expect(await ledgerTotals(consultant.id)).toEqual({ consultations: 1, reserved: 1 });
    const [lots] = await sql<{ available: number; reserved: number }>(server, 'SELECT SUM(available)::int AS available, SUM(reserved)::int AS reserved FROM credit_lot WHERE organization_id = ? AND source = ?', [
      client.organizationId,
      'PROMOTIONAL',
    ]);
    expect(lots).toEqual({ available: 99, reserved: 1 });
  });

  it('200 concurrent bookings over 10 slots by 20 organizations: 10 succeed', async () => {
    const consultant = await openAllHoursConsultant(server);
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => verifiedClient(server, { organizationName: `Org ${i}` })));
    await Promise.all(clients.map((c) => grantSessions(server, admin, c.organizationId, 10)));
    const base = gridStart(60);
    const slots = Array.from({ length: 10 }, (_, i) => new Date(base.getTime() + i * 60 * 60_000));
    const results = await Promise.all(clients.flatMap((client) => slots.map((slot) => attempt(client, consultant.id, slot))));
    expect(outcomes(results)).toEqual({ OK: 10, CONFLICT: 190 });
    expect(await ledgerTotals(consultant.id)).toEqual({ consultations: 10, reserved: 10 });
    const starts = await sql<{ start_at: Date }>(server, "SELECT start_at FROM consultation WHERE consultant_id = ? AND status = 'SCHEDULED' ORDER BY start_at", [consultant.id]);
    expect(starts.map((r) => new Date(r.start_at).toISOString())).toEqual(slots.map((s) => s.toISOString()));
    // Every organization's lots still add up: reserved credits are exactly its bookings.
    const perOrg = await sql<{ reserved: number; bookings: number }>(
      server,
      `SELECT (SELECT COALESCE(SUM(reserved), 0)::int FROM credit_lot l WHERE l.organization_id = o.id) AS reserved,
              (SELECT COUNT(*)::int FROM consultation c WHERE c.organization_id = o.id AND c.status = 'SCHEDULED') AS bookings
         FROM organization o WHERE o.id = ANY(?::uuid[])`,
      [`{${clients.map((c) => c.organizationId).join(',')}}`],
    );
    for (const row of perOrg) expect(row.reserved).toBe(row.bookings);
  });

  it('max sessions per day holds under concurrency (I2)', async () => {
    const consultant = await openAllHoursConsultant(server, { maxSessionsPerDay: 3 });
    const client = await verifiedClient(server, { organizationName: 'Capped' });
    await grantSessions(server, admin, client.organizationId, 12);
    const base = gridStart(26 * 60);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(client, consultant.id, new Date(base.getTime() + i * 60 * 60_000))));
    expect(outcomes(results)).toEqual({ OK: 3, CONFLICT: 5 });
    expect(results.filter((r) => r.errors.length).every((r) => r.errors[0]!.extensions?.reason === 'DAY_FULL')).toBe(true);
  });
});

const ADJUST = 'mutation($lot: ID!, $units: Int!, $reason: String!) { adjustCredits(lotId: $lot, units: $units, reason: $reason) { id remaining } }';

describe('racing for credits', () => {
  // The booking's snapshot must not predate its lock on the lots: credits committed while it
  // waited for another transaction of the organization count (issue 10: WRONG_LENGTH while the
  // organization had 9–10 unused 60-minute credits). Each case repeats, on its own organization.
  const ROUNDS = 3;

  it('a 60-minute lot granted while the booking waits for the organization’s lots pays for it', async () => {
    const consultant = await openAllHoursConsultant(server);
    for (let round = 0; round < ROUNDS; round++) {
      const client = await verifiedClient(server, { organizationName: `Waiting ${round}` });
      const holder = await holdLots(server.app.orm.em, client.organizationId);
      const booking = attempt(client, consultant.id, gridStart(60 + round * 120));
      await holder.waitedFor();
      const lotId = await grantSessions(server, admin, client.organizationId, 10);
      await holder.release();
      const result = await booking;
      expect(result.errors.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([]);
      expect(result.data.bookConsultation.payment.credits).toEqual([{ lotId, units: 1 }]);
    }
  });

  it('a spent 60-minute lot topped up (adjustCredits) while the booking waits pays for it', async () => {
    const consultant = await openAllHoursConsultant(server);
    for (let round = 0; round < ROUNDS; round++) {
      const client = await verifiedClient(server, { organizationName: `Topped up ${round}` });
      const lotId = await grantSessions(server, admin, client.organizationId, 1);
      await gqlOk(server, ADJUST, { lot: lotId, units: -1, reason: 'Spent' }, admin);
      const holder = await holdLots(server.app.orm.em, client.organizationId);
      const booking = attempt(client, consultant.id, gridStart(60 + round * 120));
      await holder.waitedFor();
      await gqlOk(server, ADJUST, { lot: lotId, units: 5, reason: 'Top-up' }, admin);
      await holder.release();
      const result = await booking;
      expect(result.errors.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([]);
      expect(result.data.bookConsultation.payment.credits).toEqual([{ lotId, units: 1 }]);
    }
  });

  it('one lock order: the consultant before the organization’s lots (two bookings of one organization never deadlock)', async () => {
    const consultant = await openAllHoursConsultant(server);
    const client = await verifiedClient(server, { organizationName: 'Lock order' });
    const lotId = await grantSessions(server, admin, client.organizationId, 3);
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    let holding!: (pid: number) => void;
    const pid = new Promise<number>((resolve) => (holding = resolve));
    const holder = server.app.orm.em.fork().transactional(async (tx) => {
      const [row] = await tx.getConnection().execute<Array<{ pid: number }>>('SELECT pg_advisory_xact_lock(hashtextextended(?, 0)), pg_backend_pid() AS pid', [`consultant:${consultant.id}`], 'all', tx.getTransactionContext());
      holding(row!.pid);
      await gate;
    });
    const booking = attempt(client, consultant.id, gridStart(60));
    try {
      const holderPid = await pid;
      const waiting = async () => (await sql<{ n: number }>(server, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))', [holderPid]))[0]!.n;
      await expect.poll(waiting, { timeout: 15_000, interval: 20 }).toBe(1);
      // Waiting for the consultant, the booking holds none of the lots.
      const lockable = await server.app.orm.em
        .fork()
        .transactional((tx) => tx.getConnection().execute('SELECT id FROM credit_lot WHERE organization_id = ? FOR UPDATE NOWAIT', [client.organizationId], 'all', tx.getTransactionContext()));
      expect(lockable).toHaveLength(2);
    } finally {
      letGo();
      await holder;
    }
    expect((await booking).data.bookConsultation.payment.credits).toEqual([{ lotId, units: 1 }]);
  });

  it('20 organizations with one 60-minute credit beside the trial, 200 bookings over 2 consultants: every refusal is CONFLICT or ALL_RESERVED, and only once the credit is held', async () => {
    const consultants = await Promise.all([0, 1].map(() => openAllHoursConsultant(server)));
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => verifiedClient(server, { organizationName: `One credit ${i}` })));
    await Promise.all(clients.map((c) => grantSessions(server, admin, c.organizationId, 1)));
    const base = gridStart(3 * 60);
    const starts = Array.from({ length: 5 }, (_, i) => new Date(base.getTime() + i * 60 * 60_000));
    const tries = clients.flatMap((client) => consultants.flatMap((consultant) => starts.map((start) => ({ client, result: attempt(client, consultant.id, start) }))));
    const results = await Promise.all(tries.map((t) => t.result));
    // PAYMENT_REQUIRED counted with its reason.
    const counts = outcomes(results.map((r) => ({ errors: r.errors.map((e) => ({ extensions: { code: [e.extensions?.code, e.extensions?.reason].filter(Boolean).join('/') } })) })));
    expect(Object.keys(counts).filter((code) => !['OK', 'CONFLICT/OVERLAPS', 'PAYMENT_REQUIRED/ALL_RESERVED'].includes(code))).toEqual([]);
    expect(counts.OK).toBe(10);
    expect(counts['PAYMENT_REQUIRED/ALL_RESERVED']).toBeGreaterThan(0);
    const bookings = await sql<{ organization_id: string; bookings: number }>(
      server,
      "SELECT organization_id, COUNT(*)::int AS bookings FROM consultation WHERE consultant_id = ANY(?::uuid[]) AND status = 'SCHEDULED' GROUP BY organization_id",
      [`{${consultants.map((c) => c.id).join(',')}}`],
    );
    const booked = new Map(bookings.map((row) => [row.organization_id, row.bookings]));
    expect([...booked.values()].every((n) => n === 1)).toBe(true);
    // Refused for want of credit only once its one credit was held by its own booking.
    tries.forEach((t, i) => {
      if (results[i]!.errors[0]?.extensions?.code === 'PAYMENT_REQUIRED') expect(booked.get(t.client.organizationId)).toBe(1);
    });
  });
});
