import os from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ENTITIES } from '../../src/modules.js';
import { connectOrm } from '../../src/platform/db.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** DATABASE_POOL_MAX bounds the connections one process's ORM opens, however much work waits. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('DATABASE_POOL_MAX', () => {
  it('is 10 unless set, a whole number from 1', () => {
    expect(loadConfig({ DATA_DIR: os.tmpdir() }).databasePoolMax).toBe(10);
    expect(loadConfig({ DATA_DIR: os.tmpdir(), DATABASE_POOL_MAX: '4' }).databasePoolMax).toBe(4);
    expect(() => loadConfig({ DATA_DIR: os.tmpdir(), DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX: must be at least 1/);
  });

  it('caps the pool: 6 queries at once on a pool of 2 use 2 connections, in turns', async () => {
    const { databasePoolMax } = loadConfig({ DATA_DIR: os.tmpdir(), DATABASE_POOL_MAX: '2' });
    const orm = await connectOrm(database.url, ENTITIES, undefined, { poolMax: databasePoolMax });
    const observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    try {
      const seen: number[] = [];
      const sample = setInterval(() => {
        void observer
          .query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
          .then((r) => seen.push(r.rows[0]!.n));
      }, 50);
      const started = Date.now();
      await Promise.all(Array.from({ length: 6 }, () => orm.em.fork().getConnection().execute('SELECT pg_sleep(0.3)')));
      const elapsed = Date.now() - started;
      clearInterval(sample);
      expect(Math.max(...seen)).toBe(2);
      // Three turns of two.
      expect(elapsed).toBeGreaterThanOrEqual(850);
    } finally {
      await observer.end();
      await orm.close(true);
    }
  });
});
