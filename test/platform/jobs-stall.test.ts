/**
 * Issue 18's chaos stall: after a worker was SIGKILLed and another started, new meetings went
 * unmade for minutes. Two ways the jobs of a process can stop: Agenda keeps a killed process's
 * lock on a sweep (its default is 10 minutes), and a woken run that never settles leaves the
 * runner "running" for good, every later notification only asking for one more run.
 */
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../src/modules.js';
import type { AppServices } from '../../src/platform/context.js';
import { connectOrm, type MikroORM } from '../../src/platform/db.js';
import { DomainEvents } from '../../src/platform/events.js';
import { startJobs, type JobDefinition, type Jobs } from '../../src/platform/jobs.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
let orm: MikroORM;
let db: pg.Client;
const running: Jobs[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
  orm = await connectOrm(database.url, ENTITIES);
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});
afterAll(async () => {
  await Promise.all(running.map((jobs) => jobs.stop(1000)));
  await db?.end();
  await orm?.close(true);
  await database?.drop();
});

const start = async (definitions: JobDefinition<never>[]) => {
  const jobs = await startJobs({
    databaseUrl: database.url,
    orm,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    events: new DomainEvents({}),
    services: {} as AppServices,
    processEveryMs: 100,
    definitions,
  });
  running.push(jobs);
  return jobs;
};

/** A promise with its resolver, and how many times the handler ran. */
function signal() {
  let resolve!: () => void;
  const reached = new Promise<void>((r) => (resolve = r));
  return { reached, resolve };
}

describe('a job process after another was killed', () => {
  it("runs a sweep whose Agenda lock a killed process left behind 90 s ago (not 10 minutes later)", { timeout: 30_000 }, async () => {
    const ran = signal();
    const sweep: JobDefinition<never> = { name: 'test.sweep', every: '1 minute', handler: () => Promise.resolve(ran.resolve()) };
    // Agenda's tables, as a first process leaves them; then the sweep's row as a worker killed
    // mid-run leaves it: locked, due, nobody finishing it.
    await (await startJobs({ databaseUrl: database.url, orm, logger: pino({ level: 'silent' }), metrics: createMetrics(), events: new DomainEvents({}), services: {} as AppServices, processEveryMs: 100, definitions: [] })).stop(1000);
    await db.query(
      `INSERT INTO agenda_jobs (name, type, priority, next_run_at, locked_at, repeat_interval, data, disabled, last_modified_by)
       VALUES ('test.sweep', 'single', 0, now() - interval '90 seconds', now() - interval '90 seconds', '1 minute', '{}', false, 'serenity-killed')`,
    );
    const { rows: before } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM agenda_jobs WHERE name = 'test.sweep' AND locked_at IS NOT NULL");
    expect(before).toEqual([{ n: 1 }]);

    await start([sweep]);
    await ran.reached;
    const { rows } = await db.query<{ by: string }>("SELECT last_modified_by AS by FROM agenda_jobs WHERE name = 'test.sweep'");
    expect(rows.map((r) => r.by)).not.toContain('serenity-killed');
  });

  it('runs a woken job again on a notification after one of its runs never settled', { timeout: 30_000 }, async () => {
    let calls = 0;
    const second = signal();
    const woken: JobDefinition<never> = {
      name: 'test.woken',
      wakeOn: 'test_woken',
      runTimeoutMs: 300,
      handler: () => {
        calls += 1;
        if (calls === 1) return new Promise<never>(() => {}); // the catch-up run at start hangs for good
        second.resolve();
        return Promise.resolve();
      },
    };
    await start([woken]);
    await expect.poll(() => calls).toBe(1);
    // A meeting written after the hang: its NOTIFY must still get a run. Notified until one comes
    // (a notification during the hung run only marks "again").
    const notifying = setInterval(() => void db.query("SELECT pg_notify('test_woken', '')"), 100);
    try {
      await second.reached;
    } finally {
      clearInterval(notifying);
    }
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
