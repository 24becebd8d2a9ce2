import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/modules.js';
import { connectOrm, type MikroORM } from '../../src/platform/db.js';
import { purgeRateLimitsJob, takeRateLimit } from '../../src/platform/rate-limit.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Two ORMs on one database: two API instances sharing the allowances.
let database: TestDatabase;
let one: MikroORM;
let two: MikroORM;
beforeAll(async () => {
  database = await createTestDatabase();
  one = await connectOrm(database.url, ENTITIES);
  two = await connectOrm(database.url, ENTITIES);
});
afterAll(async () => {
  await one.close(true);
  await two.close(true);
  await database.drop();
});

const until = async (key: string) => (await one.em.getConnection().execute<Array<{ until: string }>>('SELECT until FROM rate_limit WHERE key = ?', [key]))[0]?.until;

describe('takeRateLimit (GCRA in PostgreSQL)', () => {
  it('grants exactly the allowance to concurrent takes from two instances', async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => takeRateLimit((i % 2 ? one : two).em.fork(), 'test:concurrent', 1, 5)));
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(5);
    for (const refused of outcomes.filter((o) => !o.allowed)) {
      // The next unit comes back 60/5 = 12 s after the first was taken.
      expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
      expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(11);
      expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(12);
    }
  });

  it('takes several units at once, or none: a refusal leaves the allowance as it was', async () => {
    expect(await takeRateLimit(one.em.fork(), 'test:bulk', 4, 6)).toEqual({ allowed: true });
    const before = await until('test:bulk');
    const refused = await takeRateLimit(one.em.fork(), 'test:bulk', 3, 6);
    expect(refused.allowed).toBe(false);
    // 3 more would need 1 unit back: 10 s.
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBe(10);
    expect(await until('test:bulk')).toEqual(before);
    expect(await takeRateLimit(one.em.fork(), 'test:bulk', 2, 6)).toEqual({ allowed: true });
    expect(await takeRateLimit(one.em.fork(), 'test:bulk', 7, 6)).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('refills with time, and keys are separate', async () => {
    expect(await takeRateLimit(one.em.fork(), 'test:refill', 2, 2)).toEqual({ allowed: true });
    expect((await takeRateLimit(one.em.fork(), 'test:refill', 1, 2)).allowed).toBe(false);
    expect(await takeRateLimit(one.em.fork(), 'test:other', 1, 2)).toEqual({ allowed: true });
    // As if 31 s had passed: one unit (30 s) is back.
    await one.em.getConnection().execute("UPDATE rate_limit SET until = until - interval '31 seconds' WHERE key = 'test:refill'");
    expect(await takeRateLimit(one.em.fork(), 'test:refill', 1, 2)).toEqual({ allowed: true });
    expect((await takeRateLimit(one.em.fork(), 'test:refill', 1, 2)).allowed).toBe(false);
  });

  it('a take inside a transaction leaves that transaction as durable as it was', async () => {
    // A take on its own commits without waiting for the WAL flush (rate-limit.ts); inside a
    // caller's transaction it must not turn that off for the caller's own writes.
    const setting = await one.em.fork().transactional(async (em) => {
      expect(await takeRateLimit(em, 'test:in-transaction', 1, 10)).toEqual({ allowed: true });
      return (await em.execute<Array<{ synchronous_commit: string }>>("SELECT current_setting('synchronous_commit') AS synchronous_commit"))[0]?.synchronous_commit;
    });
    expect(setting).toBe('on');
    expect(await until('test:in-transaction')).toBeDefined();
  });

  it('the purge job deletes only allowances that are whole again', async () => {
    await one.em.getConnection().execute("INSERT INTO rate_limit (key, until) VALUES ('test:spent', now() - interval '1 second')");
    await takeRateLimit(one.em.fork(), 'test:live', 1, 10);
    await purgeRateLimitsJob.handler({}, { em: one.em.fork(), logger: { debug: () => undefined } } as never);
    expect(await until('test:spent')).toBeUndefined();
    expect(await until('test:live')).toBeDefined();
  });
});
