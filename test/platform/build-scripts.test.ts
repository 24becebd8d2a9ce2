import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { npmScriptCommand } from '../support/api-process.js';
import { composeFile, copyPaths, dockerfileStages, execForm } from '../support/deploy-files.js';

/**
 * The operator's scripts from the build (npm run migrate:prod, check:invariants:prod,
 * admin:create:prod): tsc's JavaScript run by plain Node, with no TypeScript runtime, on a
 * database of their own; and what the Dockerfile and compose.yaml run is in the build.
 */
let outDir: string;
let dataDir: string;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  await mkdir('test-artifacts', { recursive: true });
  outDir = await mkdtemp(path.join('test-artifacts', 'build-scripts-'));
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-build-scripts-'));
  const tsc = path.join('node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { timeout: 150_000 });
}, 180_000);
afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
  if (outDir) await rm(outDir, { recursive: true, force: true });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A path of `npm run build`'s dist/ in this test's build. */
const built = (distPath: string) => {
  expect(distPath).toMatch(/^dist\//);
  return path.join(outDir, distPath.slice('dist/'.length));
};

/** An npm *:prod script as npm runs it (node dist/…), on this build and `databaseUrl`. */
function runBuilt(script: string, databaseUrl: string, options: { env?: Record<string, string>; args?: string[] } = {}) {
  const { command, args } = npmScriptCommand(script);
  expect(args).toHaveLength(1);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, [built(args[0]!), ...(options.args ?? [])], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ empty: true });
  databases.push(database);
  return database;
}

async function rows(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('the operator scripts from the build', () => {
  it('are *:prod npm scripts running plain Node on dist/scripts/', () => {
    for (const script of ['migrate:prod', 'check:invariants:prod', 'admin:create:prod']) {
      const { args } = npmScriptCommand(script);
      expect(args).toEqual([expect.stringMatching(/^dist\/scripts\/[\w-]+\.js$/)]);
      expect(existsSync(built(args[0]!)), args[0]).toBe(true);
    }
  });

  it('migrate:prod, twice at once on an empty database: both exit 0, each migration applied once; then check:invariants:prod and admin:create:prod on it', { timeout: 120_000 }, async () => {
    const database = await emptyDatabase();
    const [one, two] = await Promise.all([runBuilt('migrate:prod', database.url), runBuilt('migrate:prod', database.url)]);
    expect([one.code, two.code], one.stderr + two.stderr).toEqual([0, 0]);
    const applied = await rows(database.url, 'SELECT name, count(*)::int AS n FROM mikro_orm_migrations GROUP BY name');
    expect(applied.length).toBeGreaterThan(10);
    expect(applied.every((r) => r.n === 1)).toBe(true);
    // One applied them all, the other waited for it and found nothing pending.
    const [waited, first] = one.stdout.includes('no migration pending') ? [one, two] : [two, one];
    expect(first.stdout).toMatch(new RegExp(`applied ${applied.length} migrations:\\n  Migration\\d+_`));
    expect(waited.stdout).toMatch(new RegExp(`no migration pending \\(${applied.length} applied\\)`));

    const checked = await runBuilt('check:invariants:prod', database.url);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/All \d+ checks hold\./);

    const admin = await runBuilt('admin:create:prod', database.url, {
      env: { ADMIN_PASSWORD: 'a-long-admin-password-2026' },
      args: ['--email', 'ops@serenity.example', '--first-name', 'Ada', '--last-name', 'Admin'],
    });
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stdout).toMatch(/^Created admin ops@serenity\.example/);
    expect(await rows(database.url, "SELECT role FROM app_user WHERE email = 'ops@serenity.example'")).toEqual([{ role: 'ADMIN' }]);
  });

  it('migrate:prod exits 1 when a migration fails, and keeps none of its run', { timeout: 60_000 }, async () => {
    const database = await emptyDatabase();
    // The first migration creates "package": a table of that name already there makes it fail.
    await rows(database.url, 'CREATE TABLE package (id int)');
    const failed = await runBuilt('migrate:prod', database.url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/migrate: failed; no migration of this run was applied:.*relation "package" already exists/);
    expect(await rows(database.url, 'SELECT name FROM mikro_orm_migrations')).toEqual([]);
  });
});

describe('what the Dockerfile and compose.yaml run is in the build', () => {
  it("the image's CMD and the compose services' commands name files of dist/", () => {
    const runtime = dockerfileStages().at(-1)!;
    const commands = [
      execForm(runtime.instructions.filter((i) => i.keyword === 'CMD').at(-1)!.args),
      ...Object.values(composeFile().services).flatMap((service) => (service.command ? [service.command] : [])),
    ];
    expect(commands.length).toBe(4);
    for (const [program, ...args] of commands) {
      expect(program).toBe('node');
      // The script is the first argument that is not a Node flag (start:prod has --max-semi-space-size and --optimize-for-size).
      const file = args.find((arg) => !arg.startsWith('-'));
      expect(existsSync(built(file!)), file).toBe(true);
    }
    // The image copies dist/ whole.
    expect(runtime.instructions.some((i) => i.keyword === 'COPY' && copyPaths(i.args).sources[0] === '/app/dist')).toBe(true);
  });
});
