/**
 * The read path (issue 18, P4): `packages` and `openSlots` (one consultant, 7 days) through our
 * server (`npm start`'s src/main.ts in a child process, bench/lib/api-server.ts) against a bare
 * baseline in a child process of its own: graphql-js's `graphql()` on node:http with a
 * hand-built schema of the same fields, resolving the same rows with `pg` and the same SQL
 * (bench/lib/bare-graphql-server.ts). 32 clients, the same query text to both, each client
 * back to back on a keep-alive connection; rounds alternate baseline and candidate.
 * ratio = our requests/s ÷ the baseline's. The baseline skips auth (openSlots needs a signed-in
 * caller on ours, who sends the token; the baseline is sent it too and ignores it).
 *
 * The client sends what `fetch` sends (Accept-Encoding: gzip, deflate, br) and decodes the
 * answer, so that compression, where a server does it, is measured as real clients meet it.
 * Before the load, both servers' answers are compared: the same JSON.
 *
 * Env: BENCH_DATABASE_URL, BENCH_ROUND_MS (default 1500), BENCH_READ_ROUNDS (default 6: short rounds, alternated, even out a busy machine),
 * BENCH_CPU_PROF=<dir>: our server runs with --cpu-prof, its profile written there when it stops.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import pg from 'pg';
import { freePort, startServer } from './lib/api-server.js';
import { alternate, perSecond, runLoad, type LoadResult } from './lib/load.js';
import { withScratchDatabase } from './lib/scratch-database.js';
import type { BenchContext } from './run.js';

const CLIENTS = 32;
const ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 6);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500);
const TARGET_RATIO = 0.6;
const SLOT_DAYS = 7;
const DAY = 24 * 60 * 60_000;

/** What a catalog page shows: every field of every package. */
const PACKAGES = `query Catalog { packages { id code name type lotKind description features targetAudience credits sessionMinutes allowedBlockMinutes
  validityDays price { amount currency } billingCycle badge displayOrder maxPurchasesPerClient priority lateCancelConsumes purchasable active } }`;
const OPEN_SLOTS = 'query Slots($input: OpenSlotsInput!) { openSlots(input: $input) { start end consultantId localStart } }';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function readPathBench(ctx: BenchContext): Promise<void> {
  await withScratchDatabase(async (url) => {
    const profileDir = process.env.BENCH_CPU_PROF;
    // SEED: the catalog's 7 packages (and the demo accounts, unused here).
    const server = await startServer(url, { env: { SEED: 'true' }, nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [] });
    const bare = await startBareServer(url).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    try {
      ctx.log(`ours: src/main.ts on ${server.url} (startup ${(server.startupMs / 1000).toFixed(1)} s); baseline: graphql-js + pg on node:http at ${bare.url}`);
      const consultant = await server.openAllHoursConsultant('read-consultant@serenity.test', 30);
      const client = await server.verifiedClient('read-client@globex.test', 'Read Path Org');
      const from = new Date(Math.ceil((Date.now() + 60 * 60_000) / (60 * 60_000)) * 60 * 60_000);
      const input = { consultantId: consultant.id, from: from.toISOString(), to: new Date(from.getTime() + SLOT_DAYS * DAY).toISOString(), durationMinutes: 60, timeZone: 'Europe/Berlin' };

      const scenarios = [
        { name: 'packages', short: 'packages', body: JSON.stringify({ query: PACKAGES, variables: {} }), token: undefined },
        { name: `openSlots, 1 consultant, ${SLOT_DAYS} days`, short: 'openSlots', body: JSON.stringify({ query: OPEN_SLOTS, variables: { input } }), token: client.token },
      ];
      const postmaster = await postmasterPid(url);
      const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
      try {
        for (const scenario of scenarios) {
          const ours = await post(agent, server.url, scenario.body, scenario.token);
          const theirs = await post(agent, bare.url, scenario.body, scenario.token);
          if (ours.text !== theirs.text) {
            const at = [...ours.text].findIndex((c, i) => c !== theirs.text[i]);
            throw new Error(`${scenario.short}: the two servers answer differently from character ${at}:\n ours …${ours.text.slice(at - 100, at + 200)}\n bare …${theirs.text.slice(at - 100, at + 200)}`);
          }
          ctx.log(`${scenario.name}: ${(ours.text.length / 1024).toFixed(1)} KiB of JSON (${ours.encoding ?? 'identity'} from ours), ${CLIENTS} clients, ${ROUNDS} × ${ROUND_MS / 1000} s each`);
          // CPU seconds each server process spent per request: steadier than requests/s on a busy machine.
          // And PostgreSQL's (the shared cluster, round by round): round trips and writes cost there, on the same cores.
          const cpu = { baseline: 0, candidate: 0 };
          const database = { baseline: 0, candidate: 0 };
          const measured = async (variant: keyof typeof cpu, pid: number, url: string) => {
            const before = await cpuSecondsOf(pid);
            const databaseBefore = postmaster ? await clusterCpuSeconds(postmaster) : 0;
            const result = await runLoad(CLIENTS, ROUND_MS, () => post(agent, url, scenario.body, scenario.token));
            cpu[variant] += (await cpuSecondsOf(pid)) - before;
            if (postmaster) database[variant] += (await clusterCpuSeconds(postmaster)) - databaseBefore;
            return result;
          };
          const total = await alternate(
            ROUNDS,
            { baseline: () => measured('baseline', bare.pid, bare.url), candidate: () => measured('candidate', server.pid, server.url) },
            (variant, round, result) => ctx.log(`  round ${round} ${variant.padEnd(9)} ${rate(result)}`),
          );
          const perRequest = (variant: keyof typeof cpu) =>
            `${((cpu[variant] * 1000) / total[variant].ok).toFixed(2)} ms CPU per request` + (postmaster ? ` (+ ${((database[variant] * 1000) / total[variant].ok).toFixed(2)} ms PostgreSQL's)` : '');
          ctx.log(`  baseline  (graphql-js + pg)   ${rate(total.baseline)}, ${perRequest('baseline')}`);
          ctx.log(`  candidate (our server)        ${rate(total.candidate)}, ${perRequest('candidate')}`);
          const ratio = perSecond(total.candidate) / perSecond(total.baseline);
          ctx.log(`  ratio = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO})`);
          ctx.figure({ goal: 'P4', name: `${scenario.short} through the server: ratio to bare graphql-js + pg`, value: ratio, target: { atLeast: TARGET_RATIO } });
        }
      } finally {
        agent.destroy();
      }
    } finally {
      await Promise.all([server.stop(), bare.stop()]);
      if (profileDir) ctx.log(`CPU profile of our server: ${path.resolve(profileDir)}/*.cpuprofile`);
    }
  });
}

interface Answer {
  text: string;
  encoding: string | undefined;
}

/** One POST as a client sends it; throws on anything but a 200 answer without errors. */
function post(agent: http.Agent, url: string, body: string, token: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'accept-encoding': 'gzip, deflate, br',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            const encoding = response.headers['content-encoding'];
            const raw = Buffer.concat(chunks);
            const text = (encoding === 'br' ? zlib.brotliDecompressSync(raw) : encoding === 'gzip' ? zlib.gunzipSync(raw) : encoding === 'deflate' ? zlib.inflateSync(raw) : raw).toString();
            if (response.statusCode !== 200 || !text.startsWith('{"data":') || text.includes('"errors":')) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
            resolve({ text: text.trimEnd(), encoding });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** bench/lib/bare-graphql-server.ts in a child process, as our server runs (same Node, same loader). */
async function startBareServer(databaseUrl: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'bench/lib/bare-graphql-server.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, PORT: String(port) },
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the baseline server did not start in 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the baseline server exited:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      process.removeListener('exit', killOnExit);
    },
  };
}

/** User + system CPU time of a process so far (/proc/<pid>/stat, in clock ticks of 1/100 s). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The cluster's postmaster, from its data directory's postmaster.pid; null when not on this machine or not readable. */
async function postmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    const first = (await readFile(path.join(rows[0]!.data_directory, 'postmaster.pid'), 'utf8')).split('\n')[0];
    return Number(first) || null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** CPU seconds of a PostgreSQL cluster: the postmaster (with its exited children) and every live child (backends, WAL writer …). */
async function clusterCpuSeconds(postmaster: number): Promise<number> {
  const own = await readFile(`/proc/${postmaster}/stat`, 'utf8');
  const fields = own.slice(own.lastIndexOf(')') + 2).split(' ');
  let total = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[1]) === postmaster) total += (Number(rest[11]) + Number(rest[12])) / 100;
  }
  return total;
}

const rate = (result: LoadResult) => `${perSecond(result).toFixed(0).padStart(6)} requests/s (${result.ok} in ${(result.elapsedMs / 1000).toFixed(1)} s)`;
