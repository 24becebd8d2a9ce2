import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../src/modules.js';
import { clusterUrl, killPostgresOn, leftoverPostgres, spawnScript, type ApiProcess } from '../support/api-process.js';
import { seededRandom } from '../support/seeded-random.js';

/**
 * The real `npm start` stopped by a signal at a random moment of its start-up or of its
 * running, many times over: every stop must be clean. START_STOP_CYCLES runs more cycles;
 * START_STOP_SEED replays the moments of a failed run (the seed is in the failure message).
 */
const CYCLES = Number(process.env.START_STOP_CYCLES ?? 10);
const SEED = Number(process.env.START_STOP_SEED ?? Math.floor(Math.random() * 2 ** 31));

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-startstop-'));
  await chmod(dataDir, 0o755); // reachable by the postgres user when tests run as root
});
afterAll(async () => {
  killPostgresOn(path.join(dataDir, 'postgres'));
  await rm(dataDir, { recursive: true, force: true });
});


function killGroup(api: ApiProcess) {
  try {
    process.kill(-api.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How a person or a supervisor stops it. */
const STOPS = {
  SIGTERM: (api: ApiProcess) => process.kill(api.pid, 'SIGTERM'),
  SIGINT: (api: ApiProcess) => process.kill(api.pid, 'SIGINT'),
  // Ctrl-C in a terminal: SIGINT to the whole foreground process group, children included.
  'Ctrl-C': (api: ApiProcess) => process.kill(-api.pid, 'SIGINT'),
  // Ctrl-C under `npm start`: the group's SIGINT, and npm forwards one more to its child.
  'Ctrl-C under npm': (api: ApiProcess) => {
    process.kill(-api.pid, 'SIGINT');
    process.kill(api.pid, 'SIGINT');
  },
} as const;

/** The recurring jobs in Agenda's table, read the moment /readyz first answers 200. */
async function recurringJobsScheduled(clusterDir: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: clusterUrl(dataDir, clusterDir) });
  await client.connect();
  try {
    const recurring = JOBS.filter((job) => job.every).map((job) => job.name);
    const { rows } = await client.query<{ name: string }>('SELECT DISTINCT name FROM agenda_jobs WHERE name = ANY($1) ORDER BY name', [recurring]);
    return rows.map((r) => r.name);
  } catch (error) {
    return [`reading agenda_jobs failed: ${(error as Error).message}`];
  } finally {
    await client.end();
  }
}

describe('npm start stopped by a signal', () => {
  it(`is ready once everything runs, and stops cleanly at any moment: exit 0, shutdown logged, no PostgreSQL left, nothing unhandled (${CYCLES} cycles)`, async () => {
    const random = seededRandom(SEED);
    const clusterDir = path.join(dataDir, 'postgres');
    const failures: string[] = [];
    const summary: string[] = [];
    // From the first log line to ready; measured on a start that finds the cluster initialised.
    let startupMs = 3000;
    let readyMeansJobsStarted: string[] = [];

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // The first two run to ready: the first initialises the cluster, the second measures a start.
      const phase = cycle < 2 || random() < 0.5 ? 'running' : 'starting';
      const names = Object.keys(STOPS) as Array<keyof typeof STOPS>;
      const how = names[Math.floor(random() * names.length)]!;
      const api = await spawnScript({ dataDir, detached: true, env: { LOG_LEVEL: 'debug' } });
      let moment: string;
      try {
        // The first line tells the process runs our code; before it Node is still loading.
        await api.waitForOutput(/^\{/m);
        const began = Date.now();
        if (phase === 'starting') {
          const delay = Math.floor(random() * startupMs);
          await sleep(delay);
          moment = `${delay} ms into start-up`;
        } else {
          await api.waitReady();
          if (cycle === 0) readyMeansJobsStarted = await recurringJobsScheduled(clusterDir);
          if (cycle === 1) startupMs = Date.now() - began;
          const response = await fetch(`http://127.0.0.1:${api.port}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ packages { code } }' }),
          });
          expect(response.status).toBe(200);
          const delay = Math.floor(random() * 300);
          await sleep(delay);
          moment = `${delay} ms after ready and one query`;
        }
        STOPS[how](api);
      } catch (error) {
        killGroup(api);
        throw error;
      }
      const timeout = setTimeout(() => killGroup(api), 30_000);
      const { code, signal } = await api.exited;
      clearTimeout(timeout);

      const output = api.output();
      const problems = [
        code !== 0 || signal !== null ? `exit ${code ?? signal}` : '',
        output.includes('"msg":"shutting down') ? '' : 'no shutdown log line',
        output.includes('"msg":"stopped"') ? '' : 'no "stopped" log line',
        /unhandled|uncaught/i.test(api.stderr()) ? 'unhandled error on stderr' : '',
        /"level":(50|60)/.test(output) ? 'error logged' : '',
        ...leftoverPostgres(clusterDir).map((p) => `left running: ${p}`),
        existsSync(path.join(dataDir, 'postgres-owner.json')) ? 'DATA_DIR still claimed (postgres-owner.json left)' : '',
      ].filter(Boolean);
      summary.push(`cycle ${cycle}: ${how} ${moment} → exit ${code ?? signal}`);
      if (problems.length) failures.push(`cycle ${cycle} (${how}, ${moment}): ${problems.join('; ')}\n${api.tail(12)}`);
    }

    // The first start, on an empty cluster: ready only once every recurring job is scheduled.
    expect(readyMeansJobsStarted).toEqual(JOBS.filter((job) => job.every).map((job) => job.name).sort());
    expect(failures, `seed ${SEED} (START_STOP_SEED=${SEED} replays it)\n${summary.join('\n')}`).toEqual([]);
  }, CYCLES * 15_000 + 30_000);
});
