import { Agenda, type Job } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AppServices } from './context.js';
import type { DomainEvents } from './events.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface JobContext {
  /** A fresh EntityManager for this run. */
  em: EntityManager;
  logger: Logger;
  /** The Agenda job of this run; undefined when a NOTIFY on the definition's wakeOn channel started it. */
  job: Job | undefined;
  /** The domain event bus, for changes a job makes (e.g. an expired hold). */
  events: DomainEvents;
  /** The app's services (settings, mailer, …), as resolvers get them. */
  services: AppServices;
  metrics: Metrics;
}

/** What a run may ask of the runner: to be woken again at a moment (e.g. the next delivery due). */
export interface JobRunResult {
  wakeAt: Date | null;
}

/** A background job of some domain; handlers must be idempotent (a run may repeat after a crash). */
export interface JobDefinition<Data = unknown> {
  name: string;
  handler(data: Data, context: JobContext): Promise<void | JobRunResult>;
  /** Schedule it as recurring at start, e.g. '1 minute' or a cron expression. */
  every?: string;
  concurrency?: number;
  /**
   * A PostgreSQL NOTIFY channel: each process running jobs LISTENs on it and runs the handler
   * (with empty data) at once when a notification arrives — one run at a time, notifications
   * during a run making one more run — and once at start (catch-up), and again at the wakeAt
   * the run returned. Agenda's `every` stays the sweep for anything missed.
   */
  wakeOn?: string;
  /**
   * How long a woken run may take before the runner gives up waiting for it (default 60 s): one
   * run that never settles (a query stuck on a lock or a pool, a call without a deadline) would
   * otherwise leave every later notification only marking "run again", and nothing run again in
   * this process. The run is logged and left behind; the next one may overlap it, which handlers
   * allow (idempotent, disjoint claims).
   */
  runTimeoutMs?: number;
  /**
   * Agenda's lock on a run of it (default DEFAULT_LOCK_LIFETIME_MS): a process killed mid-run
   * keeps the job locked this long, so no other process runs the sweep until then.
   */
  lockLifetimeMs?: number;
}

/**
 * Agenda's own default is 10 minutes: a worker killed while it held a sweep's lock (a kill
 * during the run, or just after the job was locked for the next poll) left that sweep to no
 * one for 10 minutes. Our sweeps are short and safe to overlap; a run past it is cancelled by
 * Agenda and may run again elsewhere.
 */
export const DEFAULT_LOCK_LIFETIME_MS = 60_000;
const DEFAULT_RUN_TIMEOUT_MS = 60_000;

export interface Jobs {
  readonly agenda: Agenda;
  schedule<Data>(when: Date | string, name: string, data: Data): Promise<void>;
  now<Data>(name: string, data: Data): Promise<void>;
  /** Stop taking new jobs and wait (up to timeoutMs) for running ones. */
  stop(timeoutMs: number): Promise<void>;
}

export async function startJobs(options: {
  databaseUrl: string;
  orm: MikroORM;
  logger: Logger;
  metrics: Metrics;
  events: DomainEvents;
  services: AppServices;
  processEveryMs: number;
  definitions: readonly JobDefinition<never>[];
}): Promise<Jobs> {
  const { orm, metrics } = options;
  const logger = options.logger.child({ component: 'jobs' });
  // Our own pool: Agenda's backend re-creates its pool when used after a disconnect, which can
  // outlive shutdown; with ours, shutdown ends it once and errors are logged, not thrown.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 5 });
  await createAgendaSchemaOnce(pool).catch(async (error: unknown) => {
    await pool.end().catch(() => undefined);
    throw error;
  });
  const backend = new PostgresBackend({ pool, ensureSchema: false });
  let stopping: Promise<void> | undefined;
  pool.on('error', (error) => (stopping ? logger.debug : logger.warn).call(logger, { err: error }, 'idle job database connection failed'));
  // Its LISTEN connection reports a lost connection as an 'error' event: with no listener that
  // is an uncaught exception (57P01 when the database stops). It reconnects by itself.
  const channel = backend.notificationChannel;
  if (channel instanceof EventEmitter) {
    channel.on('error', (error: unknown) =>
      stopping ? logger.debug({ err: error }, 'job notification channel closed during shutdown') : logger.warn({ err: error }, 'job notification channel failed; reconnecting'),
    );
  }
  const agenda = new Agenda({
    backend,
    processEvery: options.processEveryMs,
    name: `serenity-${process.pid}`,
  });
  agenda.on('error', (error: unknown) => logger.error({ err: error }, 'job backend error'));

  for (const definition of options.definitions) {
    agenda.define(
      definition.name,
      async (job: Job) => {
        const runLogger = logger.child({ job: definition.name, jobId: String(job.attrs._id ?? '') });
        try {
          await definition.handler(job.attrs.data as never, { em: orm.em.fork(), logger: runLogger, job, events: options.events, services: options.services, metrics });
          metrics.jobRuns.inc({ job: definition.name, outcome: 'success' });
        } catch (error) {
          metrics.jobRuns.inc({ job: definition.name, outcome: 'failure' });
          runLogger.error({ err: error }, 'job failed');
          throw error;
        }
      },
      { lockLifetime: definition.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS, ...(definition.concurrency ? { concurrency: definition.concurrency } : {}) },
    );
  }
  let wakers: Wakers | undefined;
  try {
    await agenda.start();
    for (const definition of options.definitions) {
      if (definition.every) await agenda.every(definition.every, definition.name);
    }
    wakers = await startWakers(options.databaseUrl, options.definitions, logger, (definition) => {
      const runLogger = logger.child({ job: definition.name, woken: true });
      return definition.handler({} as never, { em: orm.em.fork(), logger: runLogger, job: undefined, events: options.events, services: options.services, metrics });
    });
  } catch (error) {
    stopping = Promise.resolve();
    await agenda.stop(false).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }

  return {
    agenda,
    async schedule(when, name, data) {
      await agenda.schedule(when, name, data);
    },
    async now(name, data) {
      await agenda.now(name, data);
    },
    stop(timeoutMs) {
      stopping ??= (async () => {
        await wakers?.stop();
        const result = await agenda.drain({ timeout: timeoutMs, closeConnection: false });
        if (result.timedOut) logger.warn({ running: result.running }, 'jobs still running at shutdown; their locks expire and they run again');
        // Waits for queries still in flight (e.g. a poll that started before the drain).
        await pool.end();
      })();
      return stopping;
    },
  };
}

interface Wakers {
  stop(): Promise<void>;
}

/**
 * The wakeOn side of the definitions that have one: one LISTEN connection for all their channels
 * (reconnected after a loss, with a catch-up run), and per definition a runner that runs it once
 * at a time, coalescing the notifications that arrive meanwhile into one more run.
 */
export async function startWakers(
  databaseUrl: string,
  definitions: readonly JobDefinition<never>[],
  logger: Logger,
  run: (definition: JobDefinition<never>) => Promise<void | JobRunResult>,
): Promise<Wakers | undefined> {
  const woken = definitions.filter((d) => d.wakeOn);
  if (woken.length === 0) return undefined;
  let stopped = false;
  const runners = new Map<string, Array<ReturnType<typeof runner>>>();
  const runner = (definition: JobDefinition<never>) => {
    let running: Promise<void> | undefined;
    let again = false;
    let timer: NodeJS.Timeout | undefined;
    const trigger = (): void => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          let bound: NodeJS.Timeout | undefined;
          try {
            const limit = definition.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
            const result = await Promise.race([
              run(definition),
              new Promise<never>((_resolve, reject) => {
                bound = setTimeout(() => reject(new Error(`woken run of ${definition.name} did not settle within ${limit} ms; left behind, the next trigger runs it again`)), limit);
              }),
            ]);
            if (result?.wakeAt && !stopped) {
              clearTimeout(timer);
              // Capped: a far-off moment is the sweep's; setTimeout cannot wait past ~24 days anyway.
              timer = setTimeout(trigger, Math.min(Math.max(0, result.wakeAt.getTime() - Date.now()), 60 * 60_000));
            }
          } catch (error) {
            logger.error({ err: error, job: definition.name }, 'woken job run failed');
          } finally {
            clearTimeout(bound);
          }
        } while (again && !stopped);
      })().finally(() => (running = undefined));
    };
    return {
      trigger,
      async stop() {
        clearTimeout(timer);
        await running;
      },
    };
  };
  for (const definition of woken) {
    const list = runners.get(definition.wakeOn!) ?? [];
    list.push(runner(definition));
    runners.set(definition.wakeOn!, list);
  }
  const triggerAll = () => [...runners.values()].flat().forEach((r) => r.trigger());

  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => runners.get(message.channel)?.forEach((r) => r.trigger()));
    next.on('error', (error) => {
      if (stopped) return;
      logger.warn({ err: error }, 'job wake-up connection failed; reconnecting');
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      retry = setTimeout(() => void connect().catch(() => undefined), 1000);
    });
    try {
      await next.connect();
      for (const channel of runners.keys()) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      if (stopped) return;
      logger.warn({ err: error }, 'job wake-up connection failed; reconnecting');
      retry = setTimeout(() => void connect().catch(() => undefined), 1000);
      return;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    // What was notified while nobody listened (before start, or during a reconnect) is run now.
    triggerAll();
  };
  await connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
      await Promise.all([...runners.values()].flat().map((r) => r.stop()));
    },
  };
}

/**
 * Agenda's tables, made if missing. Its backend makes them with CREATE … IF NOT EXISTS, which
 * fails when processes start at the same moment on a fresh database (duplicate key in
 * pg_type): production starts N API and M worker processes at once. So one process at a time
 * makes them, under a session advisory lock, before any Agenda connects.
 */
async function createAgendaSchemaOnce(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended('agenda:schema', 0))");
    try {
      await new PostgresBackend({ pool }).connect();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended('agenda:schema', 0))");
    }
  } finally {
    client.release();
  }
}
