import { Agenda, type Job } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DomainEvents } from './events.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

export interface JobContext {
  /** A fresh EntityManager for this run. */
  em: EntityManager;
  logger: Logger;
  job: Job;
  /** The domain event bus, for changes a job makes (e.g. an expired hold). */
  events: DomainEvents;
}

/** A background job of some domain; handlers must be idempotent (a run may repeat after a crash). */
export interface JobDefinition<Data = unknown> {
  name: string;
  handler(data: Data, context: JobContext): Promise<void>;
  /** Schedule it as recurring at start, e.g. '1 minute' or a cron expression. */
  every?: string;
  concurrency?: number;
}

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
  processEveryMs: number;
  definitions: readonly JobDefinition<never>[];
}): Promise<Jobs> {
  const { orm, metrics } = options;
  const logger = options.logger.child({ component: 'jobs' });
  // Our own pool: Agenda's backend re-creates its pool when used after a disconnect, which can
  // outlive shutdown; with ours, shutdown ends it once and errors are logged, not thrown.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 5 });
  const backend = new PostgresBackend({ pool });
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
          await definition.handler(job.attrs.data as never, { em: orm.em.fork(), logger: runLogger, job, events: options.events });
          metrics.jobRuns.inc({ job: definition.name, outcome: 'success' });
        } catch (error) {
          metrics.jobRuns.inc({ job: definition.name, outcome: 'failure' });
          runLogger.error({ err: error }, 'job failed');
          throw error;
        }
      },
      definition.concurrency ? { concurrency: definition.concurrency } : undefined,
    );
  }
  try {
    await agenda.start();
    for (const definition of options.definitions) {
      if (definition.every) await agenda.every(definition.every, definition.name);
    }
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
        const result = await agenda.drain({ timeout: timeoutMs, closeConnection: false });
        if (result.timedOut) logger.warn({ running: result.running }, 'jobs still running at shutdown; their locks expire and they run again');
        // Waits for queries still in flight (e.g. a poll that started before the drain).
        await pool.end();
      })();
      return stopping;
    },
  };
}
