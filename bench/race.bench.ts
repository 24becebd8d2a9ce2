/**
 * P2 (issue 18): 200 clients racing for 10 slots. Each of 200 verified clients (one organization
 * each, with credits) tries to book one of 10 hour-long slots of one consultant, all 200 requests
 * released together (each client's keep-alive connection is opened beforehand, so that the
 * release is not staggered by 200 TCP handshakes); 20 clients per slot. Through GraphQL over
 * HTTP against `npm start` in a child process over a scratch database (bench/lib/api-server.ts),
 * as test/consultations/booking.race.test.ts does in-process.
 *
 * Per round, on 10 fresh slots: exactly 10 bookings succeed, no two of the consultant's holding
 * consultations overlap, every refusal is CONFLICT (anything else is an error), and the credit
 * check holds: each winner's organization moved one unit from available to reserved, each
 * loser's balance is unchanged, reserved units and RESERVE ledger entries equal its bookings,
 * and every lot adds up. The p95 latency (release to response) is printed, not a target.
 *
 * Env: BENCH_DATABASE_URL (use that server, in a scratch database), BENCH_RACE_ROUNDS (default 3),
 * BENCH_RACE_CLIENTS (default 200).
 */
import pg from 'pg';
import { grantSessions, inBatches, SESSION_MINUTES, startServer, type Server } from './lib/api-server.js';
import { creditCheck, type Balance } from './lib/race-check.js';
import { withScratchDatabase } from './lib/scratch-database.js';
import type { BenchContext } from './run.js';

const CLIENTS = Number(process.env.BENCH_RACE_CLIENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_RACE_ROUNDS ?? 3);
const SLOTS = 10;
const HOUR = 3_600_000;

const BOOK = 'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id status start } }';

interface Racer {
  token: string;
  organizationId: string;
}

export default async function raceBench(ctx: BenchContext): Promise<void> {
  await withScratchDatabase(async (url) => {
    const server = await startServer(url);
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    try {
      ctx.log(`server: npm start's src/main.ts in its own process on ${server.url} (startup ${(server.startupMs / 1000).toFixed(1)} s)`);
      await race(ctx, server, pool);
    } finally {
      await pool.end();
      await server.stop();
    }
  });
}

async function race(ctx: BenchContext, server: Server, pool: pg.Pool): Promise<void> {
  const setupStarted = performance.now();
  const consultant = await server.openAllHoursConsultant('bench-race-consultant@serenity.test');
  const racers = await inBatches(CLIENTS, 4, async (i): Promise<Racer> => {
    const client = await server.verifiedClient(`bench-racer-${i}@globex.test`, `Race Org ${i}`);
    // More than the rounds can take: a refusal for want of credit would not be a lost race.
    await grantSessions(pool, client.organizationId, ROUNDS + 1);
    return { token: client.token, organizationId: client.organizationId };
  });
  const organizationIds = racers.map((r) => r.organizationId);
  // One keep-alive connection per client, opened before the race (fetch's pool keeps them).
  await Promise.all(racers.map((r) => server.gql('{ me { id } }', {}, r.token)));
  ctx.log(`setup: 1 consultant open 24 h, ${CLIENTS} verified clients (one organization each, ${ROUNDS + 1} sessions each), connections open (${((performance.now() - setupStarted) / 1000).toFixed(1)} s)`);

  let fewest = Infinity;
  let errors = 0;
  let creditProblems = 0;
  const errorSamples = new Set<string>();
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const slots = Array.from({ length: SLOTS }, (_, k) => new Date(consultant.firstMidnight + (round * SLOTS + k) * HOUR));
    const before = await balances(pool, organizationIds);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const attempts = racers.map(async (racer, i) => {
      await gate;
      const started = performance.now();
      const outcome = await attempt(server, racer, consultant.id, slots[i % SLOTS]!);
      return { racer, outcome, ms: performance.now() - started };
    });
    release();
    const results = await Promise.all(attempts);

    const winners = new Set(results.filter((r) => r.outcome === 'OK').map((r) => r.racer.organizationId));
    const successes = results.filter((r) => r.outcome === 'OK').length;
    const conflicts = results.filter((r) => r.outcome === 'CONFLICT').length;
    const others = results.filter((r) => r.outcome !== 'OK' && r.outcome !== 'CONFLICT');
    for (const r of others) errorSamples.add(r.outcome);
    fewest = Math.min(fewest, successes);
    errors += others.length;

    const after = await balances(pool, organizationIds);
    const problems = creditCheck(organizationIds, before, after, winners);
    creditProblems += problems.length;
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    latencies.push(...times);
    ctx.log(
      `round ${round + 1}: ${successes} booked, ${conflicts} CONFLICT, ${others.length} other; credit check ${problems.length === 0 ? 'OK' : `✗ ${problems.slice(0, 3).join('; ')}`}; ` +
        `latency p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`,
    );
  }
  const overlaps = await overlapping(pool, consultant.id);
  latencies.sort((a, b) => a - b);
  ctx.log(`all ${ROUNDS} rounds: ${overlaps} overlapping pair(s) among the consultant's consultations; latency p95 ${percentile(latencies, 0.95).toFixed(0)} ms over ${latencies.length} requests`);
  if (errorSamples.size > 0) ctx.log(`  refusals other than CONFLICT: ${[...errorSamples].slice(0, 5).join(' | ')}`);

  ctx.figure({ goal: 'P2', name: `bookings that succeeded, fewest in a round (${SLOTS} slots, ${CLIENTS} clients, ${ROUNDS} rounds)`, value: fewest, target: { atLeast: SLOTS } });
  ctx.figure({ goal: 'P2', name: 'overlapping consultations (pairs)', value: overlaps, target: { atMost: 0 } });
  ctx.figure({ goal: 'P2', name: 'losers not answered CONFLICT (errors)', value: errors, target: { atMost: 0 } });
  ctx.figure({ goal: 'P2', name: 'credit check: balances or ledger off', value: creditProblems, target: { atMost: 0 } });
}

/** 'OK', the refusal's extensions.code, or what else came back. */
async function attempt(server: Server, racer: Racer, consultantId: string, start: Date): Promise<string> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${racer.token}` },
    body: JSON.stringify({ query: BOOK, variables: { input: { consultantId, start: start.toISOString(), durationMinutes: SESSION_MINUTES, purpose: 'Race' } } }),
  });
  const text = await response.text();
  try {
    const json = JSON.parse(text) as { data?: { bookConsultation?: { status: string } | null }; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    if (json.errors?.length) return json.errors[0]!.extensions?.code ?? `no code: ${json.errors[0]!.message}`;
    return json.data?.bookConsultation?.status === 'SCHEDULED' ? 'OK' : `booked as ${json.data?.bookConsultation?.status}`;
  } catch {
    return `HTTP ${response.status}: ${text.slice(0, 120)}`;
  }
}

/** The ledger check query: each organization's lots, bookings and RESERVE entries. */
async function balances(pool: pg.Pool, organizationIds: string[]): Promise<Map<string, Balance>> {
  const { rows } = await pool.query<{ id: string } & Balance>(
    `SELECT o.id,
            (SELECT coalesce(sum(available), 0)::int FROM credit_lot l WHERE l.organization_id = o.id) AS available,
            (SELECT coalesce(sum(reserved), 0)::int FROM credit_lot l WHERE l.organization_id = o.id) AS reserved,
            (SELECT count(*)::int FROM consultation c WHERE c.organization_id = o.id AND c.status = 'SCHEDULED') AS bookings,
            (SELECT coalesce(sum(units), 0)::int FROM credit_ledger_entry e WHERE e.organization_id = o.id AND e.type = 'RESERVE') AS reserves,
            (SELECT count(*)::int FROM credit_lot l WHERE l.organization_id = o.id
                AND l.granted + l.adjusted <> l.available + l.reserved + l.consumed + l.expired + l.revoked) AS "unbalancedLots"
       FROM organization o WHERE o.id = ANY($1::uuid[])`,
    [organizationIds],
  );
  return new Map(rows.map(({ id, ...balance }) => [id, balance]));
}

/** Pairs of the consultant's holding consultations whose held times overlap (I1). */
async function overlapping(pool: pg.Pool, consultantId: string): Promise<number> {
  const { rows: [row] } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM consultation a JOIN consultation b ON a.consultant_id = b.consultant_id AND a.id < b.id
      WHERE a.consultant_id = $1 AND a.status IN ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS') AND b.status IN ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS')
        AND a.start_at < b.held_until AND b.start_at < a.held_until`,
    [consultantId],
  );
  return row!.n;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
