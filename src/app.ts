import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import { resolveCaller, resolveCallers } from './identity/caller.js';
import { ENTITIES, EVENT_HANDLERS, HTTP_ROUTES, JOBS, READINESS_CHECKS, RESOLVERS, SEEDERS } from './modules.js';
import type { AppServices } from './platform/context.js';
import { startPayments } from './payments/local-payments.js';
import { WebhookService } from './payments/webhook.service.js';
import { DomainEvents } from './platform/events.js';
import { emailTemplates } from './platform/email-templates.js';
import { createMailer, type Mailer } from './platform/mailer.js';
import { assertMigrated, checkDatabase, connectOrm, databaseReady, migrate } from './platform/db.js';
import { openDatabase } from './platform/embedded-postgres.js';
import { startJobs, type Jobs } from './platform/jobs.js';
import type { Logger } from './platform/logger.js';
import { PgLiveBus, registerLiveMetrics } from './platform/live.js';
import { createMetrics } from './platform/metrics.js';
import { createSchema } from './platform/schema.js';
import { runSeeders } from './platform/seed.js';
import { startReadinessChecks } from './platform/readiness-checks.js';
import { createHttpServer, type HttpServer } from './platform/server.js';

export interface RunningApp {
  /** Base URL of the HTTP server, e.g. http://localhost:4000 ('' in a worker: no HTTP). */
  url: string;
  /** 0 in a worker. */
  port: number;
  orm: MikroORM;
  /** Undefined when JOBS=off. */
  jobs: Jobs | undefined;
  /** Where the embedded PostgreSQL listens, when one was started. */
  embeddedDatabasePort: number | undefined;
  mailer: Mailer;
  /** What the seeders want a person to see at start (demo sign-ins). */
  seedNotes: string[];
  stop(): Promise<void>;
}

/**
 * Starts everything in order — database, migrations, seed, mail, jobs, HTTP + GraphQL + WebSocket —
 * and returns a handle whose stop() undoes it in reverse, letting in-flight work finish.
 */
export async function startApp(config: Config, logger: Logger, options: { signal?: AbortSignal; worker?: boolean } = {}): Promise<RunningApp> {
  // Checked between the steps: a stop requested during start-up undoes what has started.
  const { signal } = options;
  const undo: Array<() => Promise<void>> = [];
  const rollback = async () => {
    for (const step of undo.reverse()) await step().catch((error) => logger.error({ err: error }, 'error while stopping'));
  };

  try {
    signal?.throwIfAborted();
    const { url: databaseUrl, embedded } = await openDatabase(config, logger.child({ component: 'postgres' }), { signal });
    if (embedded) undo.push(() => embedded.stop());
    else await checkDatabase(databaseUrl);
    signal?.throwIfAborted();

    const orm = await connectOrm(databaseUrl, ENTITIES, logger, { poolMax: config.databasePoolMax });
    undo.push(() => orm.close(true));
    // MIGRATE_ON_START=false: a deployment's migrate step (npm run migrate) applied them once, before.
    if (config.migrateOnStart) {
      const applied = await migrate(orm);
      if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    } else await assertMigrated(orm);
    signal?.throwIfAborted();

    const events = new DomainEvents(EVENT_HANDLERS);
    // A worker leaves seeding to the API processes.
    const seedNotes = config.seed && !options.worker ? (await runSeeders(orm, SEEDERS, { config, events, logger })).notes : [];

    // The email templates compile once, here: a broken template stops the start, not a send.
    await emailTemplates();
    const mailer = await createMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, logger });
    undo.push(() => mailer.close());
    signal?.throwIfAborted();
    // Stripe, off, or the local simulator (started here, stopped after the HTTP server).
    const payments = await startPayments(config, logger);
    undo.push(() => payments.stop());
    // Started below by API processes only: a worker publishes (inside its transactions) but never listens.
    const live = new PgLiveBus(databaseUrl, logger.child({ component: 'live' }));
    const services: AppServices = { config, mailer, events, live, payments: payments.payments };
    if (config.testPauseWebhookBeforeCommit) {
      // The crash test: a webhook's effects are written but not committed when the process is killed.
      WebhookService.beforeCommit = async (event) => {
        logger.warn({ eventId: event.id }, 'test switch: webhook paused before commit');
        await new Promise<never>(() => {});
      };
    }

    const metrics = createMetrics();
    // Jobs start before the server listens, so that /readyz answering means everything runs;
    // they stop after HTTP and before the database (undo runs in reverse).
    // JOBS=off: an API process that leaves the jobs to worker processes (npm run worker).
    const jobs = config.jobs.enabled || options.worker
      ? await startJobs({ databaseUrl, orm, logger, metrics, events, services, processEveryMs: config.jobs.processEveryMs, definitions: JOBS })
      : undefined;
    if (jobs) undo.push(() => jobs.stop(config.shutdownTimeoutMs));
    else logger.info('JOBS=off: background jobs run in worker processes, not here');
    signal?.throwIfAborted();

    let stopped: Promise<void> | undefined;
    if (options.worker) {
      // A worker: jobs only, no HTTP.
      return { url: '', port: 0, orm, jobs, embeddedDatabasePort: embedded?.port, mailer, seedNotes, stop: () => (stopped ??= rollback()) };
    }

    // Listening before the server takes subscriptions; stopped after it (undo runs in reverse).
    await live.start();
    undo.push(() => live.stop());
    registerLiveMetrics(metrics.registry, live);

    // In the background: a slow provider never delays the start; /readyz shows "unchecked" until it answers.
    const outside = startReadinessChecks(READINESS_CHECKS(config), { logger, registry: metrics.registry });
    undo.push(async () => outside.stop());

    let stopping = false;
    let migrationsDone = false;
    const http: HttpServer = await createHttpServer({
      config,
      logger,
      orm,
      schema: await createSchema(RESOLVERS),
      metrics,
      services,
      routes: HTTP_ROUTES,
      authenticate: (em, authorization) => resolveCaller(em, authorization, config.jwtSecret),
      authenticateAll: (em, authorizations) => resolveCallers(em, authorizations, config.jwtSecret),
      async readiness() {
        if (stopping) return { ok: false, reason: 'shutting down' };
        const state = await databaseReady(orm, { checkMigrations: !migrationsDone });
        if (state.ok) migrationsDone = true;
        return { ...state, checks: outside.states() };
      },
    });
    undo.push(async () => {
      stopping = true;
      await http.stop();
    });
    signal?.throwIfAborted();
    const port = await http.listen(config.port, config.host);
    await embedded?.recordOwner({ apiUrl: `http://localhost:${port}` });
    payments.listening(port);
    signal?.throwIfAborted();

    return {
      url: `http://localhost:${port}`,
      port,
      orm,
      jobs,
      embeddedDatabasePort: embedded?.port,
      mailer,
      seedNotes,
      stop: () => (stopped ??= rollback()),
    };
  } catch (error) {
    await rollback();
    throw error;
  }
}
