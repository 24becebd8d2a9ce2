/**
 * Consultation.meeting for a page of consultations is one statement (the per-request
 * DataLoader in meeting.resolver.ts), not one per consultation: a consultant's week of 20
 * sessions, read as the dashboard reads it, on a real server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ JITSI_BASE_URL: 'https://jitsi.e2e.test' });
});
afterAll(() => server?.stop());

/** Counts the statements reading the meeting table that the server runs until `done`. */
function countMeetingReads(target: TestServer) {
  const connection = target.app.orm.em.getConnection();
  const execute = connection.execute.bind(connection) as (...args: unknown[]) => unknown;
  let count = 0;
  // An own property over the prototype's method, removed again by done().
  connection.execute = ((...args: unknown[]) => {
    if (typeof args[0] === 'string' && /^\s*select\b[\s\S]*\bfrom "meeting"/i.test(args[0])) count++;
    return execute(...args);
  }) as typeof connection.execute;
  return {
    get count() {
      return count;
    },
    done: () => void Reflect.deleteProperty(connection, 'execute'),
  };
}

const WEEK = `query { upcomingConsultations(days: 7) { date consultations { id meeting { provider status joinUrl hostUrl passcode dialIn } } } }`;

describe('Consultation.meeting over a page', () => {
  it('a consultant’s week of 20 sessions reads their meetings in one statement', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const consultant = await openAllHoursConsultant(server);
    const client = await verifiedClient(server, { organizationName: 'Hooli' });
    await grantSessions(server, admin, client.organizationId, 20);
    for (let i = 0; i < 20; i++) {
      await gqlOk(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(120 + i * 360).toISOString(), durationMinutes: 60, purpose: `Session ${i + 1}` } }, client.token);
    }
    await vi.waitFor(async () => expect((await sql<{ n: number }>(server, `SELECT count(*)::int AS n FROM meeting WHERE status = 'READY'`))[0]!.n).toBe(20), { timeout: 60_000, interval: 200 });

    const reads = countMeetingReads(server);
    let week: { upcomingConsultations: Array<{ consultations: Array<{ meeting: { status: string; joinUrl: string | null } }> }> };
    try {
      week = await gqlOk(server, WEEK, {}, consultant.token);
    } finally {
      reads.done();
    }
    const sessions = week.upcomingConsultations.flatMap((d) => d.consultations);
    expect(sessions).toHaveLength(20);
    expect(sessions.every((s) => s.meeting.status === 'READY' && s.meeting.joinUrl?.startsWith('https://jitsi.e2e.test/'))).toBe(true);
    expect(reads.count).toBe(1);
    // Twenty bookings through the API and their meetings: slow on a loaded machine.
  }, 120_000);
});
