/**
 * Memory of the built server (issue 18, P7): `npm run start:prod` (dist/src/main.js with the Node
 * flags package.json gives it) in its own process over a scratch database, its resident memory
 * (VmRSS) read from /proc every 100 ms:
 *
 *   idle        after start-up and a few requests, the highest sample over 5 s of quiet
 *   under load  the highest sample while the booking bench's load runs (bench/lib/booking-load.ts:
 *               32 clients booking distinct slots of 32 consultants through GraphQL), its
 *               set-up through the API included (registrations hash passwords with argon2)
 *
 * once with JOBS=on (the default: the API also runs the background jobs) and once with JOBS=off
 * (production's API replicas, with separate workers). The V8 heap in use (prom-client's
 * serenity_nodejs_heap_size_used_bytes from /metrics) is printed beside each.
 *
 * Builds first (`npm run build`) unless dist/ is newer than every source it is made from.
 * Env: BENCH_DATABASE_URL (use that server, in a scratch database), BENCH_MEMORY_LOAD_MS (default 10000),
 * BENCH_MEMORY_NODE_ARGS (Node flags before start:prod's, to measure one).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { rssOf, startServer, type Server } from './lib/api-server.js';
import { BOOK_LEAN, bookGraphQL, bookingLanes, laneScheduler } from './lib/booking-load.js';
import { perSecond, runLoad } from './lib/load.js';
import { withScratchDatabase } from './lib/scratch-database.js';
import type { BenchContext } from './run.js';

const WORKERS = 32;
const LOAD_MS = Number(process.env.BENCH_MEMORY_LOAD_MS ?? 10_000);
const IDLE_MS = 5000;
/** Node flags to try before start:prod's own (BENCH_MEMORY_NODE_ARGS="--flag …"), e.g. a V8 setting being measured. */
const NODE_ARGS = (process.env.BENCH_MEMORY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const SAMPLE_MS = 100;
const TARGET_IDLE_MB = 150;
const TARGET_LOAD_MB = 300;
const MB = 1024 * 1024;

export default async function memoryBench(ctx: BenchContext): Promise<void> {
  await freshBuild(ctx);
  for (const jobs of ['on', 'off'] as const) {
    await withScratchDatabase(async (url) => {
      const server = await startServer(url, { built: true, env: { JOBS: jobs }, nodeArgs: NODE_ARGS });
      try {
        await measure(ctx, server, url, jobs);
      } finally {
        await server.stop();
      }
    });
  }
}

async function measure(ctx: BenchContext, server: Server, url: string, jobs: 'on' | 'off'): Promise<void> {
  ctx.log(`JOBS=${jobs}: npm run start:prod in its own process (startup ${(server.startupMs / 1000).toFixed(1)} s)`);
  // Warm-up: the catalog, a sign-in-free query and the health endpoints, as a load balancer and a first visitor would.
  for (let i = 0; i < 5; i++) {
    await server.gql('{ packages { code name credits } }', {});
    await fetch(`${server.base}/readyz`);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = await sampling(server.pid, () => new Promise((resolve) => setTimeout(resolve, IDLE_MS)));
  const idleHeap = await heapUsed(server);
  ctx.log(`  idle        ${await heapDetail(server)}`);

  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    let bookings = 0;
    let rate = 0;
    let setupPeak = 0;
    const loaded = await sampling(server.pid, async () => {
      const setup = await sampling(server.pid, () => bookingLanes(server, pool, WORKERS));
      setupPeak = setup.peak;
      const onFreeLane = laneScheduler(setup.result);
      const result = await runLoad(WORKERS, LOAD_MS, () => onFreeLane((lane, start) => bookGraphQL(server, BOOK_LEAN, lane, start)));
      bookings = result.ok;
      rate = perSecond(result);
    });
    // The set-up's own sampler may catch a peak between the outer one's samples.
    const peak = Math.max(loaded.peak, setupPeak);
    const loadHeap = await heapUsed(server);
    ctx.log(`  after load  ${await heapDetail(server)} RSS now ${mb(await rssOf(server.pid))} MB`);
    ctx.log(`  idle        RSS ${mb(idle.peak)} MB (highest of ${idle.samples} samples over ${IDLE_MS / 1000} s), V8 heap used ${mb(idleHeap)} MB`);
    ctx.log(`  under load  RSS ${mb(peak)} MB (set-up of ${WORKERS} consultants and clients: ${mb(setupPeak)} MB; then ${bookings} bookings in ${LOAD_MS / 1000} s, ${rate.toFixed(0)}/s, ${WORKERS} clients), V8 heap used after ${mb(loadHeap)} MB`);
    ctx.figure({ goal: 'P7', name: `built server RSS idle, JOBS=${jobs}`, unit: 'MB', value: idle.peak / MB, target: { below: TARGET_IDLE_MB } });
    ctx.figure({ goal: 'P7', name: `built server RSS under booking load, JOBS=${jobs}`, unit: 'MB', value: peak / MB, target: { below: TARGET_LOAD_MB } });
  } finally {
    await pool.end();
  }
}

/** Runs `fn` while reading the process's VmRSS every 100 ms; the highest sample (the last one taken after `fn`). */
async function sampling<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; peak: number; samples: number }> {
  let peak = await rssOf(pid);
  let samples = 1;
  const timer = setInterval(() => {
    rssOf(pid).then((rss) => {
      peak = Math.max(peak, rss);
      samples += 1;
    }, () => undefined);
  }, SAMPLE_MS);
  try {
    const result = await fn();
    peak = Math.max(peak, await rssOf(pid));
    return { result, peak, samples: samples + 1 };
  } finally {
    clearInterval(timer);
  }
}

/** prom-client's heap gauge (default metrics), in bytes. */
async function heapUsed(server: Server): Promise<number> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  const match = /^serenity_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(text);
  if (!match) throw new Error('no serenity_nodejs_heap_size_used_bytes in /metrics');
  return Number(match[1]);
}

/** V8's committed heap by space, external memory (Buffers, ArrayBuffers), from /metrics. */
async function heapDetail(server: Server): Promise<string> {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  const total = value(/^serenity_nodejs_heap_size_total_bytes (\S+)/m);
  const external = value(/^serenity_nodejs_external_memory_bytes (\S+)/m);
  const spaces = [...text.matchAll(/^serenity_nodejs_heap_space_size_total_bytes\{space="(\w+)"\} (\S+)/gm)].map((m) => `${m[1]} ${mb(Number(m[2]))}`).join(', ');
  return `V8 heap committed ${mb(total)} MB (${spaces}), external ${mb(external)} MB`;
}

const mb = (bytes: number) => (bytes / MB).toFixed(0);

/** `npm run build` unless dist/ is newer than src/, migrations/, emails/, the SDK's source and package.json. */
async function freshBuild(ctx: BenchContext): Promise<void> {
  const built = ['dist/src/main.js', 'dist/prebuilt/web/manifest.json'];
  const builtAt = built.every((file) => existsSync(file)) ? Math.min(...built.map((file) => statSync(file).mtimeMs)) : 0;
  const newest = Math.max(...['src', 'migrations', 'emails', 'sdk/src', 'package.json', 'tsconfig.build.json'].map(newestMtime));
  if (builtAt > newest) {
    ctx.log('dist/ is newer than its sources: using it');
    return;
  }
  const started = performance.now();
  const npm = process.env.npm_execpath;
  await new Promise<void>((resolve, reject) => {
    const child = npm ? spawn(process.execPath, [npm, 'run', 'build'], { stdio: 'ignore' }) : spawn('npm', ['run', 'build'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
  });
  ctx.log(`npm run build (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

function newestMtime(at: string): number {
  if (!existsSync(at)) return 0;
  const stat = statSync(at);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(at).map((entry) => newestMtime(path.join(at, entry))));
}
