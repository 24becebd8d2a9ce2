import { readFileSync, unlinkSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Which process runs the embedded PostgreSQL of a DATA_DIR: a file in DATA_DIR naming it.
 * A second process must never stop a database whose owner is alive (it would take the
 * running API down with it); it uses that database (admin:create) or refuses (npm start).
 */
export interface DataDirOwner {
  pid: number;
  /** The process's start time (Linux /proc), so a pid reused by another process is not mistaken for the owner. */
  processStart?: string;
  /** What runs it, e.g. "npm start". */
  command: string;
  /** Where its PostgreSQL listens, once started. */
  databasePort?: number;
  /** Where its API answers, once listening. */
  apiUrl?: string;
}

const OWNER_FILE = 'postgres-owner.json';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner,
    hint = 'Stop it first, or give this process another DATA_DIR.',
  ) {
    const where = [
      owner.apiUrl ? `API on ${owner.apiUrl}` : undefined,
      owner.databasePort ? `embedded PostgreSQL on 127.0.0.1:${owner.databasePort}` : 'its embedded PostgreSQL still starting',
    ].filter(Boolean);
    super(`DATA_DIR ${dataDir} is in use by a running ${owner.command} (pid ${owner.pid}; ${where.join(', ')}). ${hint}`);
    this.name = 'DataDirInUseError';
  }
}

export interface OwnerClaim {
  /** Adds what the owner has started (its database port, its API URL) to the file. */
  update(details: Pick<DataDirOwner, 'databasePort' | 'apiUrl'>): Promise<void>;
  /** Removes the file (when it is still ours). */
  release(): void;
}

/** The live owner of DATA_DIR's embedded database, if any (a file left by a dead process is ignored). */
export async function liveOwner(dataDir: string): Promise<DataDirOwner | undefined> {
  const owner = await readOwner(dataDir);
  return owner && owner.pid !== process.pid && isOwnerAlive(owner) ? owner : undefined;
}

/**
 * Makes this process the owner of DATA_DIR's embedded database; throws DataDirInUseError when
 * a live process already is. A file left by a process that died (killed, crashed) is replaced.
 */
export async function claimDataDir(dataDir: string): Promise<OwnerClaim> {
  const file = path.join(dataDir, OWNER_FILE);
  let record: DataDirOwner = { pid: process.pid, processStart: processStart(process.pid), command: currentCommand() };
  for (let attempt = 0; ; attempt++) {
    // link() creates the file with its whole content or fails when one exists: two processes
    // starting together cannot both win, nor read a half-written file.
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(record));
    try {
      await fs.link(temporary, file);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    } finally {
      await fs.rm(temporary, { force: true });
    }
    const owner = await readOwner(dataDir);
    if (owner && owner.pid !== process.pid && isOwnerAlive(owner)) throw new DataDirInUseError(dataDir, owner);
    await fs.rm(file, { force: true });
  }

  const ours = () => readOwnerSync(file)?.pid === process.pid;
  return {
    async update(details) {
      record = { ...record, ...details };
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, JSON.stringify(record));
      await fs.rename(temporary, file); // atomic: readers see the old or the new record
    },
    release() {
      try {
        if (ours()) unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

async function readOwner(dataDir: string): Promise<DataDirOwner | undefined> {
  return readOwnerSync(path.join(dataDir, OWNER_FILE));
}

function readOwnerSync(file: string): DataDirOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as DataDirOwner;
    return Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isOwnerAlive(owner: DataDirOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(owner.pid);
  return !owner.processStart || !start || start === owner.processStart;
}

/** Field 22 of /proc/<pid>/stat (start time since boot); undefined where there is no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function currentCommand(): string {
  const script = process.env.npm_lifecycle_event;
  if (script) return script === 'start' ? 'npm start' : `npm run ${script}`;
  return process.argv[1] ? `node ${path.relative(process.cwd(), process.argv[1])}` : 'node';
}
