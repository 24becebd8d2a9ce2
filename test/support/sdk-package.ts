/**
 * The SDK as a partner gets it: `npm pack` in sdk/ (its prepack builds dist/), the tarball
 * installed into an empty folder. One pack per test file; the install is offline-first from
 * npm's cache (its one dependency is in the repository's lockfile).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The repository's TypeScript compiler, run with the project's Node. */
export const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

export interface PackedSdk {
  tarball: string;
  /** Paths inside the tarball, e.g. "dist/index.js" (package.json included). */
  files: string[];
}

/**
 * Packs are one at a time across test files (vitest runs two at once): each rebuilds sdk/dist,
 * and a pack must not read a dist another one is deleting. A directory is the lock (mkdir is
 * atomic); one older than a minute was left by a killed run.
 */
async function withPackLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = path.join(os.tmpdir(), `serenity-sdk-pack-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 60_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export async function packSdk(destination: string): Promise<PackedSdk> {
  const { stdout } = await withPackLock(() =>
    run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: path.join(ROOT, 'sdk'), maxBuffer: 16 * 1024 * 1024 }),
  );
  // prepack's own output comes first; the JSON array is the last thing npm prints.
  const [packed] = JSON.parse(stdout.slice(stdout.lastIndexOf('\n[') + 1)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: path.join(destination, packed!.filename), files: packed!.files.map((f) => f.path) };
}

/** A new folder with a package.json (ESM) and the tarball installed: the partner's project. */
export async function installPacked(tarball: string, parent: string, name = 'partner'): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: dir });
  return dir;
}

export async function packAndInstall(): Promise<PackedSdk & { tmp: string; project: string }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'serenity-sdk-'));
  const packed = await packSdk(tmp);
  return { ...packed, tmp, project: await installPacked(packed.tarball, tmp) };
}
