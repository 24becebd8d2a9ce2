import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { FALLBACK_PREFIX, FALLBACK_ROOT, removeStaleFallbacks } from '../../src/platform/cluster-location.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/embedded-postgres.js';
import { killPostgresOn } from '../support/api-process.js';

/**
 * Run as root (as here and in CI) with a DATA_DIR the postgres user cannot enter — what
 * `mktemp -d` makes — the cluster lives under /var/tmp. Deleting DATA_DIR must still reset
 * everything, and those folders must not pile up.
 */
const logger = pino({ level: 'silent' });
const isRoot = process.getuid?.() === 0;
const made: string[] = [];
afterAll(async () => {
  for (const folder of made) {
    killPostgresOn(path.join(folder, 'pgdata'));
    killPostgresOn(folder);
    await rm(folder, { recursive: true, force: true });
  }
});

/** The /var/tmp/serenity-pgdata-* folder holding a cluster. */
function fallbackFolder(clusterDir: string): string {
  const folder = path.join(FALLBACK_ROOT, path.relative(FALLBACK_ROOT, clusterDir).split(path.sep)[0]!);
  if (!path.basename(folder).startsWith(FALLBACK_PREFIX)) throw new Error(`${clusterDir} is not under ${FALLBACK_ROOT}/${FALLBACK_PREFIX}*`);
  return folder;
}

async function start(dataDir: string): Promise<EmbeddedPostgres> {
  const embedded = await startEmbeddedPostgres({ dataDir, logger });
  made.push(fallbackFolder(embedded.dataDir));
  return embedded;
}

async function query<T extends pg.QueryResultRow>(embedded: EmbeddedPostgres, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: embedded.url('postgres') });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Fallback folders whose marker names this DATA_DIR. */
async function foldersOf(dataDir: string): Promise<string[]> {
  const names = (await readdir(FALLBACK_ROOT)).filter((name) => name.startsWith(FALLBACK_PREFIX));
  const mine: string[] = [];
  for (const name of names) {
    const marker = await readFile(path.join(FALLBACK_ROOT, name, 'data-dir'), 'utf8').catch(() => '');
    if (marker.trim() === dataDir) mine.push(path.join(FALLBACK_ROOT, name));
  }
  return mine;
}

describe.runIf(isRoot)('the embedded cluster of a DATA_DIR the postgres user cannot enter (as root)', () => {
  it('lives under /var/tmp tied to DATA_DIR: kept across restarts, new and empty once DATA_DIR is deleted, removed when DATA_DIR is gone', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-fallback-')); // mode 0700, owned by root

    const first = await start(dataDir);
    expect(first.dataDir.startsWith(path.join(FALLBACK_ROOT, FALLBACK_PREFIX))).toBe(true);
    await query(first, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('from the first start')");
    await first.stop();

    const restarted = await start(dataDir);
    expect(restarted.dataDir).toBe(first.dataDir);
    expect(await query(restarted, 'SELECT note FROM kept')).toEqual([{ note: 'from the first start' }]);
    await restarted.stop();

    // Deleting DATA_DIR resets everything: the next start gets a new cluster (and its password).
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { mode: 0o700 });
    const fresh = await start(dataDir);
    expect(fresh.dataDir).not.toBe(first.dataDir);
    expect(await query(fresh, "SELECT to_regclass('kept') AS kept")).toEqual([{ kept: null }]);
    expect(existsSync(fallbackFolder(first.dataDir))).toBe(false);
    expect(await foldersOf(dataDir)).toEqual([fallbackFolder(fresh.dataDir)]);
    await fresh.stop();

    // DATA_DIR gone for good: the next start of an embedded database (any DATA_DIR) removes it.
    await rm(dataDir, { recursive: true, force: true });
    await removeStaleFallbacks(logger);
    expect(existsSync(fallbackFolder(fresh.dataDir))).toBe(false);
  }, 120_000);

  it('keeps a running cluster whose DATA_DIR is gone until it stops', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-fallback-'));
    const running = await start(dataDir);
    await rm(dataDir, { recursive: true, force: true });
    await removeStaleFallbacks(logger);
    expect(await query(running, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    await running.stop();
    await removeStaleFallbacks(logger);
    expect(existsSync(fallbackFolder(running.dataDir))).toBe(false);
  }, 60_000);

  it('removes a cluster made before the markers once unused for a while, and keeps a recent one', async () => {
    const old = path.join(FALLBACK_ROOT, `${FALLBACK_PREFIX}0ld0ld0ld0ld`);
    const recent = path.join(FALLBACK_ROOT, `${FALLBACK_PREFIX}rec3ntrec3nt`);
    made.push(old, recent);
    for (const folder of [old, recent]) {
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'PG_VERSION'), '18\n');
    }
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, hourAgo, hourAgo);

    await removeStaleFallbacks(logger);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
  });
});
