/**
 * The booking load the benches share (booking.bench.ts P1, memory.bench.ts P7): `workers` lanes,
 * each a consultant open 24 h and a verified client with credit, and a scheduler that hands a
 * booking a lane no other booking in flight holds, with that lane's next free 60-minute slot (so
 * bookings do not all queue on one consultant's advisory lock and never collide).
 */
import type pg from 'pg';
import { grantSessions, inBatches, SESSION_MINUTES, type Server } from './api-server.js';

const HOUR = 3_600_000;
/** Bookable days per consultant: the horizon is 90 days, and the first local midnight is up to ~13 h away. */
export const SLOT_DAYS = 88;
/** Far more than any run books: nobody runs out of credit mid-measure. */
const UNITS_PER_LOT = 1_000_000;

/** The lean selection: what a client needs to show the booking. */
export const BOOK_LEAN = `mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id code status start end } }`;

/** One worker's consultant and client: a worker holds a lane for one booking, so no two bookings share a consultant. */
export interface Lane {
  consultantId: string;
  clientToken: string;
  userId: string;
  organizationId: string;
  /** The consultant's first local midnight ahead (UTC ms): slot n starts n hours after, skipping nothing (24 h a day). */
  firstMidnight: number;
  /** The next free slot, shared by every variant so that every booking gets a time of its own. */
  nextSlot: number;
}

/** `workers` lanes set up through the server's API (credits granted in SQL), then ANALYZE. */
export async function bookingLanes(server: Server, pool: pg.Pool, workers: number): Promise<Lane[]> {
  const lanes = await inBatches(workers, 4, async (i) => {
    const consultant = await server.openAllHoursConsultant(`bench-consultant-${i}@serenity.test`);
    const client = await server.verifiedClient(`bench-client-${i}@globex.test`, `Bench Org ${i}`);
    await grantSessions(pool, client.organizationId, UNITS_PER_LOT);
    return { consultantId: consultant.id, clientToken: client.token, userId: client.userId, organizationId: client.organizationId, firstMidnight: consultant.firstMidnight, nextSlot: 0 };
  });
  await pool.query('ANALYZE');
  return lanes;
}

/** Runs `op` on a lane no other booking in flight holds, with that lane's next slot. */
export function laneScheduler(lanes: Lane[]): (op: (lane: Lane, start: Date) => Promise<void>) => Promise<void> {
  const free = [...lanes];
  return async (op) => {
    const lane = free.pop();
    if (!lane) throw new Error('more bookings in flight than lanes');
    try {
      if (lane.nextSlot >= SLOT_DAYS * 24) throw new Error(`consultant ${lane.consultantId} has no free slot left: lower BENCH_ROUND_MS`);
      const start = new Date(lane.firstMidnight + lane.nextSlot * HOUR);
      lane.nextSlot += 1;
      await op(lane, start);
    } finally {
      free.push(lane);
    }
  };
}

/** The mutation over HTTP, as a client would send it. */
export async function bookGraphQL(server: Server, document: string, lane: Lane, start: Date): Promise<void> {
  const data = await server.gql<{ bookConsultation: { id: string; status: string } }>(
    document,
    { input: { consultantId: lane.consultantId, start: start.toISOString(), durationMinutes: SESSION_MINUTES, purpose: 'Benchmark session' } },
    lane.clientToken,
  );
  if (data.bookConsultation.status !== 'SCHEDULED') throw new Error(`booked as ${data.bookConsultation.status}`);
}
