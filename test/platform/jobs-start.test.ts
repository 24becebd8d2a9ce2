import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/modules.js';
import type { AppServices } from '../../src/platform/context.js';
import { connectOrm, type MikroORM } from '../../src/platform/db.js';
import { DomainEvents } from '../../src/platform/events.js';
import { heartbeatJob } from '../../src/platform/heartbeat.job.js';
import { startJobs, type Jobs } from '../../src/platform/jobs.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Production starts N API and M worker processes at once, on a database Agenda has never seen. */
let database: TestDatabase;
let orm: MikroORM;
beforeAll(async () => {
  database = await createTestDatabase();
  // As on a fresh database: none of Agenda's own tables yet (the test template has them).
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query('DROP TABLE IF EXISTS agenda_jobs CASCADE; DROP TABLE IF EXISTS agenda_logs CASCADE; DROP FUNCTION IF EXISTS update_agenda_jobs_updated_at CASCADE');
  await client.end();
  orm = await connectOrm(database.url, ENTITIES);
});
afterAll(async () => {
  await orm?.close(true);
  await database?.drop();
});

describe('job runners starting together', () => {
  it('four processes starting at the same moment on a fresh database all start (Agenda creates its tables once)', async () => {
    const start = () =>
      startJobs({
        databaseUrl: database.url,
        orm,
        logger: pino({ level: 'silent' }),
        metrics: createMetrics(),
        events: new DomainEvents({}),
        services: {} as AppServices,
        processEveryMs: 60_000,
        definitions: [heartbeatJob],
      });
    const results = await Promise.allSettled([start(), start(), start(), start()]);
    const started = results.filter((r): r is PromiseFulfilledResult<Jobs> => r.status === 'fulfilled').map((r) => r.value);
    await Promise.all(started.map((jobs) => jobs.stop(5000)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    const [row] = await orm.em.getConnection().execute<Array<{ n: string }>>("SELECT count(*) AS n FROM agenda_jobs WHERE name = 'platform.heartbeat'");
    expect(Number(row!.n)).toBe(1);
  });
});
