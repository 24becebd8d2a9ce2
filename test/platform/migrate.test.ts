import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/modules.js';
import { connectOrm, migrate, MIGRATIONS_DIR, type MikroORM } from '../../src/platform/db.js';
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

async function appliedRows(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM mikro_orm_migrations ORDER BY id');
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
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
