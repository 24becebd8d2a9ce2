import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ENTITIES } from '../../src/modules.js';
import { connectOrm, migrate, MIGRATIONS_DIR, type MikroORM } from '../../src/platform/db.js';
import { createLogger } from '../../src/platform/logger.js';
import { StartupError } from '../../src/platform/startup-error.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Migrations on a database several processes share: a deployment's migrate step, or processes
 * that each migrate at start (MIGRATE_ON_START) all starting at once on a new database.
 */
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const migrationNames = () =>
  readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^Migration\d+_\w+\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ empty: true });
  cleanup.push(() => database.drop());
  return database;
}

async function orm(url: string): Promise<MikroORM> {
  const connected = await connectOrm(url, ENTITIES);
  cleanup.push(() => connected.close(true));
  return connected;
}

async function sqlOn<Row extends pg.QueryResultRow>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

const appliedRows = async (url: string) => (await sqlOn<{ name: string }>(url, 'SELECT name FROM mikro_orm_migrations ORDER BY id')).map((r) => r.name);
const tables = async (url: string) => (await sqlOn<{ name: string }>(url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).map((r) => r.name);

/** The API (or a worker) on `url` as startApp runs it, with MIGRATE_ON_START=false. */
async function startWithoutMigrating(url: string, options: { worker?: boolean } = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-migrate-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: url,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    PAYMENTS_MODE: 'off',
    MIGRATE_ON_START: 'false',
  });
  expect(config.migrateOnStart).toBe(false);
  const app = await startApp(config, createLogger(config), options);
  cleanup.push(() => app.stop());
  return app;
}

describe('migrate', () => {
  it('two processes migrating one empty database at once both succeed, and each migration is applied once', async () => {
    const database = await emptyDatabase();
    const all = migrationNames();
    expect(all.length).toBeGreaterThan(10);
    // Two ORMs, as two processes have: separate pools, nothing shared but the database.
    const [one, two] = await Promise.all([orm(database.url), orm(database.url)]);

    const results = await Promise.allSettled([migrate(one), migrate(two)]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);

    // Between them every migration once: the first applied them all, the second found none pending.
    const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect([...applied].sort()).toEqual(all);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.length : -1)).sort((a, b) => a - b)).toEqual([0, all.length]);
    expect(await appliedRows(database.url)).toEqual(all);
    // And a third, later, has nothing to do.
    expect(await migrate(await orm(database.url))).toEqual([]);
  });
});

describe('MIGRATE_ON_START=false', () => {
  it('is on unless set: a process migrates at start by default', () => {
    expect(loadConfig({ DATA_DIR: os.tmpdir() }).migrateOnStart).toBe(true);
    expect(() => loadConfig({ DATA_DIR: os.tmpdir(), MIGRATE_ON_START: 'maybe' })).toThrow(/MIGRATE_ON_START: must be true or false/);
  });

  it('refuses to start on a database never migrated, saying to run the migrate step, and writes nothing there', async () => {
    const database = await emptyDatabase();
    const started = startWithoutMigrating(database.url);
    await expect(started).rejects.toThrow(StartupError);
    await expect(started).rejects.toThrow(/MIGRATE_ON_START=false.*no migration has been applied.*npm run migrate/);
    expect(await tables(database.url)).toEqual([]);
  });

  it('refuses to start (a worker too) while a migration of this build is pending, naming it', async () => {
    const database = await emptyDatabase();
    await migrate(await orm(database.url));
    const last = migrationNames().at(-1)!;
    await sqlOn(database.url, `DELETE FROM mikro_orm_migrations WHERE name = '${last}'`);
    for (const worker of [false, true]) {
      await expect(startWithoutMigrating(database.url, { worker })).rejects.toThrow(new RegExp(`MIGRATE_ON_START=false and 1 migration is pending \\(${last}\\).*npm run migrate`));
    }
    expect(await appliedRows(database.url)).not.toContain(last);
  });

  it('starts on a migrated database without migrating', async () => {
    const database = await createTestDatabase();
    cleanup.push(() => database.drop());
    const before = await appliedRows(database.url);
    const app = await startWithoutMigrating(database.url);
    expect(app.port).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
    expect(await appliedRows(database.url)).toEqual(before);
  });
});
