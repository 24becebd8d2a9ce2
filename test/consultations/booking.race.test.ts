/**
 * No double booking, ever (I1, I2, I5) under concurrent requests through GraphQL: many clients
 * racing for one slot, many organizations for a few slots, and the day's cap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient } from '../support/booking.js';
import { demoSignIn, gql, sql } from '../support/identity.js';
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
