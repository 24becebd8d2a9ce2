import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from './logger.js';
import { MINUTE_MS } from './time.js';

/**
 * Where the embedded cluster of a DATA_DIR lives: DATA_DIR/postgres, or — run as root with a
 * DATA_DIR the `postgres` user cannot enter — /var/tmp/serenity-pgdata-<id>/pgdata, where <id>
 * is stored in DATA_DIR (so deleting DATA_DIR starts a new cluster) and the folder's `data-dir`
 * marker names its DATA_DIR (so one whose DATA_DIR is gone is found and removed).
 */
export const FALLBACK_ROOT = '/var/tmp';
export const FALLBACK_PREFIX = 'serenity-pgdata-';
const ID_FILE = 'postgres-cluster-id';
const MARKER = 'data-dir';
/** A cluster from before the markers, unused this long, is taken for abandoned. */
const LEGACY_IDLE_MS = 10 * MINUTE_MS;

export type PostgresUser = { uid: number; gid: number };

export async function clusterLocation(dataDir: string, owner: PostgresUser | undefined, logger: Logger): Promise<string> {
  await fs.mkdir(dataDir, { recursive: true });
  const resolved = path.resolve(dataDir);
  if (owner) await removeStaleFallbacks(logger);
  let clusterDir = path.join(resolved, 'postgres');
  if (owner && !reachableBy(resolved, owner)) {
    // Same reason as for the binaries: keep the cluster where the postgres user can reach it.
    const base = path.join(FALLBACK_ROOT, `${FALLBACK_PREFIX}${await clusterId(resolved)}`);
    clusterDir = path.join(base, 'pgdata');
    await fs.mkdir(base, { recursive: true, mode: 0o755 });
    await fs.chmod(base, 0o755);
    await fs.writeFile(path.join(base, MARKER), `${resolved}\n`);
    await adoptLegacyCluster(resolved, clusterDir, logger);
    logger.warn({ dataDir: resolved, clusterDir }, 'DATA_DIR is not reachable by the postgres user; the embedded database lives in clusterDir instead');
  }
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (owner) {
    await fs.chown(clusterDir, owner.uid, owner.gid);
    await fs.chmod(clusterDir, 0o700);
  }
  return clusterDir;
}

/** The id tying DATA_DIR to its fallback folder, created on first use. */
async function clusterId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, ID_FILE);
  const stored = readText(file);
  if (stored) return stored;
  const id = randomBytes(8).toString('hex');
  await fs.writeFile(file, `${id}\n`);
  return id;
}

/**
 * Removes fallback clusters nobody can use any more: their DATA_DIR is gone or holds another
 * id (it was deleted and made again), and no PostgreSQL runs on them. Clusters from before the
 * markers cannot be matched with their DATA_DIR and go once unused for a while.
 */
export async function removeStaleFallbacks(logger: Logger): Promise<void> {
  let entries: string[];
  try {
    entries = (await fs.readdir(FALLBACK_ROOT)).filter((name) => name.startsWith(FALLBACK_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const base = path.join(FALLBACK_ROOT, name);
    const markedDataDir = readText(path.join(base, MARKER));
    let stale: boolean;
    let pgdata: string;
    if (markedDataDir) {
      pgdata = path.join(base, 'pgdata');
      stale = readText(path.join(markedDataDir, ID_FILE)) !== name.slice(FALLBACK_PREFIX.length);
    } else if (existsSync(path.join(base, 'PG_VERSION'))) {
      pgdata = base;
      stale = Date.now() - modifiedAt(base) > LEGACY_IDLE_MS;
    } else {
      continue; // being made by a starting process (the marker comes first), or not ours
    }
    if (!stale || postmasterRunning(pgdata)) continue;
    logger.info({ clusterDir: pgdata, dataDir: markedDataDir }, 'removing an embedded PostgreSQL cluster whose DATA_DIR is gone');
    await fs.rm(base, { recursive: true, force: true });
  }
}

/** A cluster made before the markers, named after DATA_DIR's path, moves into the new place. */
async function adoptLegacyCluster(dataDir: string, clusterDir: string, logger: Logger): Promise<void> {
  const legacy = path.join(FALLBACK_ROOT, `${FALLBACK_PREFIX}${createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`);
  if (existsSync(path.join(clusterDir, 'PG_VERSION')) || !existsSync(path.join(legacy, 'PG_VERSION')) || postmasterRunning(legacy)) return;
  logger.info({ from: legacy, to: clusterDir }, 'moving the embedded PostgreSQL cluster of this DATA_DIR to its new place');
  await fs.rm(clusterDir, { recursive: true, force: true });
  await fs.rename(legacy, clusterDir);
}

/** True when `owner` can traverse every ancestor of `target` (and read target when it is a file). */
export function reachableBy(target: string, owner: PostgresUser): boolean {
  let current = path.resolve(target);
  for (;;) {
    let stat;
    try {
      stat = statSync(current);
    } catch {
      return false;
    }
    const bits = stat.uid === owner.uid ? stat.mode >> 6 : stat.gid === owner.gid ? stat.mode >> 3 : stat.mode;
    if (stat.isDirectory() && (bits & 0o1) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** The pid in the cluster's postmaster.pid, when that process is a running PostgreSQL. */
export function runningPostmaster(clusterDir: string): number | undefined {
  const pid = Number(readText(path.join(clusterDir, 'postmaster.pid'))?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isPostgresProcess(pid) ? pid : undefined;
}

function postmasterRunning(clusterDir: string): boolean {
  return runningPostmaster(clusterDir) !== undefined;
}

function isPostgresProcess(pid: number): boolean {
  return readText(`/proc/${pid}/comm`)?.includes('postgres') ?? false;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
