/**
 * Booking (issue 5): bookConsultation through GraphQL over HTTP against a real running server
 * (candidate) next to the same transaction written in raw SQL on the `pg` driver (baseline),
 * both measured in this run on a throwaway database, reported as `ratio = candidate / baseline`;
 * then the latency of openSlots for one consultant over 30 days with 1,000 consultations.
 *
 * The server is `npm start` (src/main.ts) in a child process over the scratch database, set up
 * through its API as test/support does (consultants open 24 h on a 5-minute grid, verified
 * clients; see scenario 2 for its consultant's grid); credits are granted in SQL.
 *
 * Scenario 1: 32 workers, each booking the next free 60-minute slot of a consultant no other
 * booking in flight holds (32 consultants, one client organization each), so bookings do not
 * all queue on one consultant's advisory lock. Measured with a lean selection, then with the
 * tests' full one (test/support/booking.ts BOOK), each against its own baseline rounds.
 * Scenario 2: openSlots (30 days, 60 minutes, timeZone UTC) of a consultant with 1,000 SCHEDULED
 * consultations in that range: p50/p95 over sequential calls, through GraphQL, through
 * AvailabilityService.openSlots in this process, and slots.ts generateSlots alone. This
 * consultant is open 24 h on the product's default 30-minute grid (slotStepMinutes' default),
 * not the tests' 5-minute one: a realistic calendar (about 410 slots; on the 5-minute grid the
 * same calendar lists 2,310 slots, 372 KiB of JSON). The slot count is printed.
 *
 * Env: BENCH_DATABASE_URL (use that server, in a scratch database), BENCH_ROUND_MS (default 3000),
 * BENCH_SLOTS_CALLS (default 200).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ENTITIES } from '../src/modules.js';
import { MikroORM, ormOptions } from '../src/platform/db.js';
import { AvailabilityService } from '../src/scheduling/availability.service.js';
import { generateSlots } from '../src/scheduling/slots.js';
import { SESSION_MINUTES, startServer, type Server } from './lib/api-server.js';
import { BOOK_LEAN, bookGraphQL, bookingLanes, laneScheduler, SLOT_DAYS, type Lane } from './lib/booking-load.js';
import { alternate, perSecond, runLoad, type LoadResult } from './lib/load.js';
import { withScratchDatabase } from './lib/scratch-database.js';
import type { BenchContext } from './run.js';

const WORKERS = 32;
const ROUNDS = 2;
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const TARGET_RATIO = 0.5;

const SLOTS_CALLS = Number(process.env.BENCH_SLOTS_CALLS ?? 200);
const SLOTS_WARMUP = 20;
const SLOTS_DAYS = 30;
const SLOTS_CONSULTATIONS = 1000;
/** The existing consultations: 30 minutes each, back to back, this many a day (17 h busy, 7 h open). */
const EXISTING_MINUTES = 30;
const EXISTING_PER_DAY = 34;
/** The openSlots consultant's grid: the product default (WeeklyAvailabilityInput.slotStepMinutes). */
const SLOTS_STEP_MINUTES = 30;
const TARGET_P95_MS = 20;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** test/support/booking.ts's BOOK: every field, with the relations resolved per field. */
const BOOK_FULL = `mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id code status start end durationMinutes bufferMinutes purpose notes skills usedFreeTrial creditState rescheduleCount
  attendees { name email role } assignment { reason score candidates }
  client { id displayName organizationName } consultant { id }
  payment { method creditState credits { lotId units } }
  history { event fromStatus toStatus actorRole reason } } }`;
const OPEN_SLOTS = `query($input: OpenSlotsInput!) { openSlots(input: $input) { start end consultantId localStart } }`;

export default async function bookingBench(ctx: BenchContext): Promise<void> {
  await withScratchDatabase(async (url) => {
    const server = await startServer(url);
    try {
      ctx.log(`server: npm start's src/main.ts in its own process on ${server.url} (startup ${(server.startupMs / 1000).toFixed(1)} s)`);
      const orm = await MikroORM.init({ ...ormOptions(url, ENTITIES), pool: { min: 0, max: 2 } });
      const pool = new pg.Pool({ connectionString: url, max: WORKERS });
      try {
        await bookingScenario(ctx, server, pool);
        await openSlotsScenario(ctx, server, orm, pool);
      } finally {
        await pool.end();
        await orm.close(true);
      }
    } finally {
      await server.stop();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Scenario 1: bookings per second

async function bookingScenario(ctx: BenchContext, server: Server, pool: pg.Pool): Promise<void> {
  const setupStarted = performance.now();
  const lanes = await bookingLanes(server, pool, WORKERS);
  ctx.log(`setup: ${WORKERS} consultants open 24 h, ${WORKERS} verified clients with plenty of sessions each (${((performance.now() - setupStarted) / 1000).toFixed(1)} s)`);
  const onFreeLane = laneScheduler(lanes);

  const variants = [
    { title: 'selection: id code status start end', short: 'lean selection', document: BOOK_LEAN },
    { title: 'selection: the tests’ BOOK (every field)', short: 'every field', document: BOOK_FULL },
  ];
  let booked = 0;
  for (const variant of variants) {
    ctx.log(`bookConsultation, distinct slots, ${WORKERS} workers on ${WORKERS} consultants, ${variant.title}, ${ROUNDS} × ${ROUND_MS / 1000} s per variant`);
    const total = await alternate(
      ROUNDS,
      {
        baseline: () => runLoad(WORKERS, ROUND_MS, () => onFreeLane((lane, start) => bookRaw(pool, lane, start))),
        candidate: () => runLoad(WORKERS, ROUND_MS, () => onFreeLane((lane, start) => bookGraphQL(server, variant.document, lane, start))),
      },
      (name, round, result) => ctx.log(`  round ${round} ${name.padEnd(9)} ${rate(result)}`),
    );
    ctx.log(`  baseline  (raw SQL, pg)                  ${rate(total.baseline)}`);
    ctx.log(`  candidate (GraphQL bookConsultation)     ${rate(total.candidate)}`);
    const ratio = perSecond(total.candidate) / perSecond(total.baseline);
    ctx.log(`  ratio = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO})`);
    ctx.figure({ goal: 'P1', name: `bookConsultation, ${variant.short}: ratio to raw SQL`, value: ratio, target: { atLeast: TARGET_RATIO } });
    booked += total.baseline.ok + total.candidate.ok;
  }

  await verifyBookings(pool, lanes, booked);
  const used = Math.max(...lanes.map((l) => l.nextSlot));
  ctx.log(`  bookings OK (${booked} consultations, each with its RESERVE entry and BOOKED history; lots balanced; at most ${used} of ${SLOT_DAYS * 24} slots used per consultant)`);
}

/**
 * Baseline: the same transaction by hand. Lock the consultant, read its holding consultations
 * around the time (busy periods), lock the organization's lots, take one unit of the first that
 * pays a 60-minute session, record it, store the consultation and its BOOKED history entry.
 */
async function bookRaw(pool: pg.Pool, lane: Lane, start: Date): Promise<void> {
  const end = new Date(start.getTime() + SESSION_MINUTES * MINUTE);
  const consultationId = randomUUID();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('consultant:' || $1, 0))", [lane.consultantId]);
    const { rows: busy } = await client.query<{ start_at: Date; end_at: Date; buffer_minutes: number }>(
      `SELECT start_at, end_at, buffer_minutes FROM consultation
        WHERE consultant_id = $1 AND status IN ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS')
          AND start_at < $2 AND held_until > $3`,
      [lane.consultantId, new Date(end.getTime() + 2 * DAY), new Date(start.getTime() - 2 * DAY)],
    );
    if (busy.some((b) => b.start_at.getTime() < end.getTime() && b.end_at.getTime() + b.buffer_minutes * MINUTE > start.getTime())) {
      throw new Error(`slot ${start.toISOString()} of consultant ${lane.consultantId} is taken`);
    }
    const { rows: lots } = await client.query<{ id: string; kind: string; priority: number; session_minutes: number; available: number; expires_at: Date; granted_at: Date }>(
      `SELECT id, kind, priority, session_minutes, available, expires_at, granted_at FROM credit_lot
        WHERE organization_id = $1 AND (available > 0 OR reserved > 0) ORDER BY id FOR UPDATE`,
      [lane.organizationId],
    );
    // Draw-down order (allocation.ts): priority, expiry, grant, id; the first SESSION lot that pays 60 minutes.
    lots.sort((a, b) => a.priority - b.priority || a.expires_at.getTime() - b.expires_at.getTime() || a.granted_at.getTime() - b.granted_at.getTime() || (a.id < b.id ? -1 : 1));
    const lot = lots.find((l) => l.kind === 'SESSION' && l.available > 0 && l.session_minutes >= SESSION_MINUTES && l.expires_at.getTime() >= end.getTime());
    if (!lot) throw new Error(`organization ${lane.organizationId} has no credit left`);
    await client.query('UPDATE credit_lot SET available = available - 1, reserved = reserved + 1 WHERE id = $1', [lot.id]);
    await client.query(
      `INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, consultation_id, member_id, session_start, actor_id, created_at)
       VALUES ($1, $2, 'RESERVE', 1, $3, $4, $5, $4, now())`,
      [lane.organizationId, lot.id, consultationId, lane.userId, start],
    );
    await client.query(
      `INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes,
                                 buffer_minutes, held_until, purpose, created_at, updated_at)
       VALUES ($1, 'CNS-BENCH-' || nextval('consultation_code_seq'), $2, $3, $3, $4, 'SCHEDULED', $5, $6, $7, 0, $6, 'Benchmark session', now(), now())`,
      [consultationId, lane.organizationId, lane.userId, lane.consultantId, start, end, SESSION_MINUTES],
    );
    await client.query(
      `INSERT INTO consultation_status_change (id, consultation_id, organization_id, event, from_status, to_status, actor_id, actor_role, at)
       VALUES ($1, $2, $3, 'BOOKED', NULL, 'SCHEDULED', $4, 'CLIENT', now())`,
      [randomUUID(), consultationId, lane.organizationId, lane.userId],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Nothing lost or invented: one consultation, RESERVE entry and BOOKED entry per counted booking; lots add up. */
async function verifyBookings(pool: pg.Pool, lanes: Lane[], bookings: number): Promise<void> {
  const organizationIds = lanes.map((l) => l.organizationId);
  const consultantIds = lanes.map((l) => l.consultantId);
  const { rows: [row] } = await pool.query<{ consultations: string; reserves: string; history: string; unbalanced: string; reserved: string }>(
    `SELECT (SELECT count(*) FROM consultation WHERE consultant_id = ANY($2::uuid[]) AND status = 'SCHEDULED') AS consultations,
            (SELECT count(*) FROM credit_ledger_entry WHERE type = 'RESERVE' AND organization_id = ANY($1::uuid[])) AS reserves,
            (SELECT count(*) FROM consultation_status_change WHERE event = 'BOOKED' AND organization_id = ANY($1::uuid[])) AS history,
            (SELECT count(*) FROM credit_lot WHERE organization_id = ANY($1::uuid[]) AND granted + adjusted <> available + reserved + consumed + expired + revoked) AS unbalanced,
            (SELECT coalesce(sum(reserved), 0) FROM credit_lot WHERE organization_id = ANY($1::uuid[])) AS reserved`,
    [organizationIds, consultantIds],
  );
  const problems = [
    Number(row!.consultations) !== bookings && `${row!.consultations} consultations for ${bookings} bookings`,
    Number(row!.reserves) !== bookings && `${row!.reserves} RESERVE entries for ${bookings} bookings`,
    Number(row!.history) !== bookings && `${row!.history} BOOKED history entries for ${bookings} bookings`,
    Number(row!.reserved) !== bookings && `lots hold ${row!.reserved} reserved units for ${bookings} bookings`,
    Number(row!.unbalanced) !== 0 && `${row!.unbalanced} unbalanced lot(s)`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`booking check failed: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------
// Scenario 2: openSlots latency

async function openSlotsScenario(ctx: BenchContext, server: Server, orm: MikroORM, pool: pg.Pool): Promise<void> {
  const consultant = await server.openAllHoursConsultant('bench-slots-consultant@serenity.test', SLOTS_STEP_MINUTES);
  const client = await server.verifiedClient('bench-slots-client@globex.test', 'Bench Slots Org');
  const from = new Date(Math.ceil((Date.now() + HOUR) / HOUR) * HOUR);
  const to = new Date(from.getTime() + SLOTS_DAYS * DAY);
  // 1,000 SCHEDULED consultations of 30 minutes, back to back from `from` each day, none overlapping.
  await pool.query(
    `INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes,
                               buffer_minutes, held_until, purpose, created_at, updated_at)
     SELECT gen_random_uuid(), 'CNS-BENCH-SLOTS-' || i, $1, $2, $2, $3, 'SCHEDULED', s, s + $5 * interval '1 minute', $5, 0, s + $5 * interval '1 minute',
            'Existing session', now(), now()
       FROM generate_series(0, $4::int - 1) AS i,
            LATERAL (SELECT $6::timestamptz + (i / $7) * interval '1 day' + (i % $7) * $5 * interval '1 minute' AS s) AS t`,
    [client.organizationId, client.userId, consultant.id, SLOTS_CONSULTATIONS, EXISTING_MINUTES, from, EXISTING_PER_DAY],
  );
  await pool.query('ANALYZE consultation');
  const { rows: [inRange] } = await pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM consultation WHERE consultant_id = $1 AND start_at >= $2 AND held_until <= $3',
    [consultant.id, from, to],
  );
  if (Number(inRange!.n) !== SLOTS_CONSULTATIONS) throw new Error(`${inRange!.n} of ${SLOTS_CONSULTATIONS} consultations inside the searched range`);

  const input = { consultantId: consultant.id, from: from.toISOString(), to: to.toISOString(), durationMinutes: SESSION_MINUTES, timeZone: 'UTC' };
  const search = { consultantId: consultant.id, from, to, durationMinutes: SESSION_MINUTES, timeZone: 'UTC' };
  let slots = 0;
  let bytes = 0;
  const viaGraphQL = await latencies(async () => {
    const { data, size } = await server.gqlSized<{ openSlots: unknown[] }>(OPEN_SLOTS, { input }, client.token);
    slots = data.openSlots.length;
    bytes = size;
  });
  const viaService = await latencies(async () => {
    const found = await new AvailabilityService(orm.em.fork()).openSlots(search);
    if (found.length !== slots) throw new Error(`the service found ${found.length} slots, GraphQL ${slots}`);
  });
  // slots.ts alone, on what the service loads (no I/O): the pure rule evaluation.
  const availability = new AvailabilityService(orm.em.fork());
  const schedule = (await availability.scheduleFor(consultant.id))!;
  const busy = (await availability.busyOf([consultant.id], from, to)).get(consultant.id)!;
  const pure = await latencies(async () => {
    generateSlots(schedule, busy, { from, to, durationMinutes: SESSION_MINUTES, now: new Date() });
  });

  ctx.log(`openSlots, 1 consultant, ${SLOTS_DAYS} days, ${SESSION_MINUTES}-minute slots on a ${SLOTS_STEP_MINUTES}-minute grid, ${busy.length} busy periods (${SLOTS_CONSULTATIONS} in range), ${slots} slots (${(bytes / 1024).toFixed(0)} KiB JSON), ${SLOTS_CALLS} sequential calls after ${SLOTS_WARMUP} warm-up`);
  ctx.log(`  GraphQL over HTTP                        ${summary(viaGraphQL)}`);
  ctx.log(`  AvailabilityService.openSlots            ${summary(viaService)}`);
  ctx.log(`  slots.ts generateSlots (no I/O)          ${summary(pure)}`);
  const p95 = percentile(viaGraphQL, 0.95);
  ctx.log(`  GraphQL p95 = ${p95.toFixed(1)} ms (target < ${TARGET_P95_MS} ms)`);
  ctx.figure({ goal: 'P3', name: `openSlots over GraphQL, ${SLOTS_DAYS} days, ${SLOTS_CONSULTATIONS.toLocaleString('en')} consultations: p95`, value: p95, unit: 'ms', target: { below: TARGET_P95_MS } });
}

async function latencies(op: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < SLOTS_WARMUP; i++) await op();
  const times: number[] = [];
  for (let i = 0; i < SLOTS_CALLS; i++) {
    const started = performance.now();
    await op();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

/** Nearest-rank percentile of sorted times. */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const summary = (sorted: number[]) =>
  `p50 ${percentile(sorted, 0.5).toFixed(1).padStart(6)} ms   p95 ${percentile(sorted, 0.95).toFixed(1).padStart(6)} ms   max ${sorted.at(-1)!.toFixed(1).padStart(6)} ms`;

const rate = (result: LoadResult) =>
  `${perSecond(result).toFixed(0).padStart(6)} bookings/s (${result.ok} in ${(result.elapsedMs / 1000).toFixed(1)} s)`;
