/**
 * Live status (issue 15): N concurrent WebSocket subscribers on ONE API instance, each receiving
 * one event per booking, for N = 1,000 and 10,000; then the lag from a change on instance A to a
 * subscriber on instance B.
 *
 * Processes (the machine has 2 cores): the server is `npm start` (src/main.ts) in a child process
 * over a scratch database, so its RSS is its own (/proc/<pid>/status VmRSS); the subscribers run
 * in another child process (bench/lib/live-subscribers.ts: raw `ws` sockets speaking
 * graphql-transport-ws, one socket and one subscription per user), so that the client side does
 * not share the server's event loop; this process only sets up and books.
 *
 * Fan-out, as an organization's people watch it: one client organization whose MEMBERs follow
 * creditBalanceChanged (85 %), whose OWNERs follow consultationUpdated without id (10 %: owners see
 * every booking of the organization), and admins following the consultant's consultantSchedule
 * (5 %). One booking by the organization (a consultation change and a credit reservation) is one
 * event for every subscriber. The subscribers' accounts are written in SQL and their access
 * tokens signed here with the server's JWT secret (credentials.ts signAccessToken): 10,000
 * password sign-ins would measure argon2, deliberately slow.
 *
 * Delivery time: from just before the booking request is sent (an upper bound of its commit; the
 * booking's own round trip is printed) to the event's arrival at each subscriber. Lost: expected
 * events that did not arrive within BENCH_LIVE_TIMEOUT_MS, plus any refused subscriber.
 *
 * Env: BENCH_DATABASE_URL (use that server, in a scratch database), BENCH_LIVE_SUBSCRIBERS
 * (default "1000,10000"), BENCH_LIVE_ROUNDS (bookings per N, default 3), BENCH_LIVE_CROSS
 * (cross-instance bookings, default 30), BENCH_LIVE_TIMEOUT_MS (default 20000).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { signAccessToken } from '../src/identity/credentials.js';
import { grantSessions, rssOf, SESSION_MINUTES, startServer, type Server } from './lib/api-server.js';
import { startSubscribers, type SubscriberSpec } from './lib/live-subscribers.js';
import { withScratchDatabase } from './lib/scratch-database.js';
import type { BenchContext } from './run.js';

const COUNTS = (process.env.BENCH_LIVE_SUBSCRIBERS ?? '1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_LIVE_ROUNDS ?? 3);
const CROSS_EVENTS = Number(process.env.BENCH_LIVE_CROSS ?? 30);
const TIMEOUT_MS = Number(process.env.BENCH_LIVE_TIMEOUT_MS ?? 20_000);
const TARGET_P95_MS = 1000;
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const HOUR = 3_600_000;

const BALANCE = 'subscription { creditBalanceChanged { availableCredits reservedCredits } }';
const UPDATED = 'subscription { consultationUpdated { id status start } }';
const SCHEDULE = 'subscription($c: ID!) { consultantSchedule(consultantId: $c) { kind consultation { id status start } } }';
const BOOK = 'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id status } }';

interface World {
  consultantId: string;
  firstMidnight: number;
  bookerToken: string;
  organizationId: string;
  passwordHash: string;
  slot: number;
}

export default async function subscriptionsBench(ctx: BenchContext): Promise<void> {
  await withScratchDatabase(async (url) => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const a = await startServer(url, { env: { LOG_LEVEL: 'warn' } });
    const running: Server[] = [a];
    try {
      ctx.log(`server A: npm start's src/main.ts in its own process (pid ${a.pid}, startup ${(a.startupMs / 1000).toFixed(1)} s); subscribers in a second process, raw ws`);
      const world = await setUp(a, pool);
      for (const n of COUNTS) await fanOut(ctx, a, pool, world, n);
      const b = await startServer(url, { env: { LOG_LEVEL: 'warn', JOBS: 'off' } });
      running.push(b);
      await crossInstance(ctx, a, b, pool, world);
    } finally {
      for (const server of running) await server.stop();
      await pool.end();
    }
  });
}

async function setUp(server: Server, pool: pg.Pool): Promise<World> {
  const consultant = await server.openAllHoursConsultant('bench-live-consultant@serenity.test');
  const booker = await server.verifiedClient('bench-live-owner@globex.test', 'Bench Live Org');
  await grantSessions(pool, booker.organizationId, 1_000_000);
  const { rows: [user] } = await pool.query<{ password_hash: string }>('SELECT password_hash FROM app_user WHERE id = $1', [booker.userId]);
  return { consultantId: consultant.id, firstMidnight: consultant.firstMidnight, bookerToken: booker.token, organizationId: booker.organizationId, passwordHash: user!.password_hash, slot: 0 };
}

/** `n` accounts (members, owners, admins as the header says) with a session each, and their subscriptions. */
async function subscribersFor(pool: pg.Pool, world: World, n: number): Promise<SubscriberSpec[]> {
  const admins = Math.round(n * 0.05);
  const owners = Math.round(n * 0.1);
  const batch = randomUUID().slice(0, 8);
  const { rows } = await pool.query<{ id: string; role: string; org_role: string | null; session_id: string }>(
    `WITH people AS (
       SELECT gen_random_uuid() AS id, i,
              CASE WHEN i < $2 THEN 'ADMIN' ELSE 'CLIENT' END AS role,
              CASE WHEN i < $2 THEN NULL WHEN i < $2 + $3 THEN 'OWNER' ELSE 'MEMBER' END AS org_role
         FROM generate_series(0, $1::int - 1) AS i
     ), users AS (
       INSERT INTO app_user (id, email, password_hash, role, first_name, last_name, time_zone, email_verified_at, created_at, updated_at)
       SELECT id, 'bench-live-' || $5 || '-' || i || '@globex.test', $4, role, 'Live', 'Subscriber ' || i, 'UTC', now(), now(), now() FROM people
       RETURNING id
     ), members AS (
       INSERT INTO membership (id, organization_id, user_id, role, created_at)
       SELECT gen_random_uuid(), $6, p.id, p.org_role, now() FROM people p JOIN users u ON u.id = p.id WHERE p.org_role IS NOT NULL
     ), sessions AS (
       INSERT INTO auth_session (id, user_id, organization_id, created_at)
       SELECT gen_random_uuid(), p.id, CASE WHEN p.role = 'CLIENT' THEN $6::uuid END, now() FROM people p JOIN users u ON u.id = p.id
       RETURNING id, user_id
     )
     SELECT p.id, p.role, p.org_role, s.id AS session_id FROM people p JOIN sessions s ON s.user_id = p.id ORDER BY p.i`,
    [n, admins, owners, world.passwordHash, batch, world.organizationId],
  );
  return Promise.all(
    rows.map(async (row) => {
      const org = row.role === 'CLIENT' ? world.organizationId : null;
      const { token } = await signAccessToken({ sub: row.id, sid: row.session_id, org }, JWT_SECRET, 3600);
      if (row.role === 'ADMIN') return { token, query: SCHEDULE, variables: { c: world.consultantId } };
      return { token, query: row.org_role === 'OWNER' ? UPDATED : BALANCE };
    }),
  );
}

/** Books the world's next free hour; resolves with when the request was sent and how long the booking took. */
async function book(server: Server, world: World): Promise<{ sentAt: number; ms: number }> {
  const start = new Date(world.firstMidnight + world.slot++ * HOUR).toISOString();
  const sentAt = performance.timeOrigin + performance.now();
  const data = await server.gql<{ bookConsultation: { status: string } }>(BOOK, { input: { consultantId: world.consultantId, start, durationMinutes: SESSION_MINUTES, purpose: 'Live bench' } }, world.bookerToken);
  if (data.bookConsultation.status !== 'SCHEDULED') throw new Error(`booked as ${data.bookConsultation.status}`);
  return { sentAt, ms: performance.timeOrigin + performance.now() - sentAt };
}

async function liveSubscriptions(server: Server): Promise<number> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('serenity_live_subscriptions '));
  return line ? Number(line.split(' ')[1]) : NaN;
}

async function fanOut(ctx: BenchContext, server: Server, pool: pg.Pool, world: World, n: number): Promise<void> {
  const specs = await subscribersFor(pool, world, n);
  const subscribers = startSubscribers();
  try {
    const rssBefore = await rssOf(server.pid);
    const base = await liveSubscriptions(server);
    const connected = await subscribers.connect(server.url.replace(/^http/, 'ws'), specs);
    if (connected.refused.length) ctx.log(`  refused: ${connected.refused.join(' | ')}`);
    // Subscribed once the server serves them all (a subscribe message is only a request).
    const deadline = Date.now() + 60_000;
    while ((await liveSubscriptions(server)) < base + n - connected.refused.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const serving = (await liveSubscriptions(server)) - base;
    const rssConnected = await rssOf(server.pid);
    ctx.log(`N = ${n.toLocaleString('en')}: ${serving.toLocaleString('en')} subscriptions served after ${(connected.ms / 1000).toFixed(1)} s of connecting; server RSS ${mib(rssBefore)} → ${mib(rssConnected)} (${((rssConnected - rssBefore) / 1024 / n).toFixed(1)} KiB per subscriber)`);

    const delays: number[] = [];
    const bookings: number[] = [];
    let lost = connected.refused.length * ROUNDS;
    let extra = 0;
    const errors = new Set<string>();
    for (let round = 1; round <= ROUNDS; round++) {
      const booking = await book(server, world);
      bookings.push(booking.ms);
      const result = await subscribers.arrivals(round, TIMEOUT_MS);
      const arrived = result.at.filter((t): t is number => t !== null);
      const mine = arrived.map((t) => t - booking.sentAt).sort((x, y) => x - y);
      delays.push(...mine);
      lost += result.at.length - arrived.length;
      extra = result.extra;
      for (const e of result.errors) errors.add(e);
      ctx.log(`  booking ${round}: ${summary(mine)}   ${arrived.length.toLocaleString('en')}/${n.toLocaleString('en')} arrived (booking took ${booking.ms.toFixed(0)} ms)${result.closed ? `, ${result.closed} sockets closed` : ''}`);
    }
    delays.sort((x, y) => x - y);
    const rssAfter = await rssOf(server.pid);
    ctx.log(`  all ${ROUNDS} bookings: ${summary(delays)}   lost ${lost}, duplicated ${extra}; server RSS after delivery ${mib(rssAfter)}`);
    if (errors.size) ctx.log(`  errors: ${[...errors].join(' | ')}`);
    ctx.figure({ goal: 'P6', name: `${n.toLocaleString('en')} subscribers, one event each: delivery p95`, value: percentile(delays, 0.95), unit: 'ms', target: { below: TARGET_P95_MS } });
    ctx.figure({ goal: 'P6', name: `${n.toLocaleString('en')} subscribers: events lost`, value: lost, target: { atMost: 0 } });
  } finally {
    await subscribers.close();
  }
  // The next N starts from an empty server: wait until its subscriptions are gone.
  const deadline = Date.now() + 30_000;
  while ((await liveSubscriptions(server)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

async function crossInstance(ctx: BenchContext, a: Server, b: Server, pool: pg.Pool, world: World): Promise<void> {
  const [spec] = await subscribersFor(pool, world, 1); // an admin: consultantSchedule
  const subscribers = startSubscribers();
  try {
    await subscribers.connect(b.url.replace(/^http/, 'ws'), [spec!]);
    while ((await liveSubscriptions(b)) < 1) await new Promise((r) => setTimeout(r, 20));
    const delays: number[] = [];
    let lost = 0;
    for (let i = 1; i <= CROSS_EVENTS; i++) {
      const booking = await book(a, world);
      const [at] = (await subscribers.arrivals(i, 5000)).at;
      if (at == null) lost += 1;
      else delays.push(at - booking.sentAt);
    }
    delays.sort((x, y) => x - y);
    ctx.log(`cross-instance: ${CROSS_EVENTS} bookings on A, one subscriber on B (pid ${b.pid}): ${summary(delays)}   lost ${lost}`);
    ctx.figure({ goal: 'P6', name: 'booking on A to subscriber on B: p95', value: percentile(delays, 0.95), unit: 'ms', target: { below: TARGET_P95_MS } });
  } finally {
    await subscribers.close();
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const summary = (sorted: number[]) =>
  `p50 ${percentile(sorted, 0.5).toFixed(0).padStart(5)} ms   p95 ${percentile(sorted, 0.95).toFixed(0).padStart(5)} ms   max ${(sorted.at(-1) ?? NaN).toFixed(0).padStart(5)} ms`;
