import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { assertNodeVersion, ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './platform/logger.js';
import { StartupError } from './platform/startup-error.js';
import { DataDirInUseError } from './platform/data-dir-owner.js';
import { catchStopSignals } from './platform/stop-signals.js';
import type { RunningApp } from './app.js';

/** Resources that may still be listed once everything is stopped: timers and stdio. */
const EXPECTED_AT_EXIT = new Set(['Timeout', 'TTYWrap', 'PipeWrap']);

/**
 * npm start (api) and npm run worker: read settings, start everything (a worker: no HTTP, jobs
 * only), print where it is, stop gracefully on SIGTERM/SIGINT.
 */
async function main(mode: 'api' | 'worker'): Promise<void> {
  // First of all: from here on a signal stops cleanly, whatever start-up has reached.
  const stop = catchStopSignals();
  let config: Config;
  try {
    assertNodeVersion();
    loadDotenv({ quiet: true });
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.message.split('\n')) console.error(`serenity: ${line}`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config);
  stop.useLogger(logger);
  logger.debug({ pid: process.pid, mode }, 'starting');
  const exitStopped = async () => {
    // Everything we opened is closed now. Agenda 6 leaves a "job still alive?" delay timer
    // (half the lock lifetime) pending after each run, so we exit instead of waiting for it;
    // anything else still open after a moment would be a leak, and is logged as one.
    const openResources = await settledResources();
    logger.info({ openResources }, 'stopped');
    logger.flush();
    process.exit(0);
  };
  void stop.requested.then(() => {
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      logger.flush();
      process.exit(1);
    }, config.shutdownTimeoutMs * 2 + 5000);
    force.unref();
  });

  // Imported after the version check: MikroORM 7 fails to load on older Node.
  const { startApp } = await import('./app.js');
  let app: RunningApp;
  try {
    app = await startApp(config, logger, { signal: stop.signal, worker: mode === 'worker' });
  } catch (error) {
    // Stopped during start-up: startApp has undone what it had started.
    if (stop.signal.aborted) return exitStopped();
    throw error;
  }

  if (mode === 'worker') {
    logger.info({ database: app.embeddedDatabasePort ? `embedded PostgreSQL on 127.0.0.1:${app.embeddedDatabasePort}` : 'DATABASE_URL', mail: config.mail.smtpUrl ? 'SMTP_URL' : 'captured in this process (set SMTP_URL to send)' }, 'Serenity worker is up (jobs only, no HTTP)');
    await stop.requested;
    return stopApp(app, logger, exitStopped);
  }

  const urls = {
    graphql: `${config.publicUrl}/graphql`,
    ide: config.graphql.ide ? `${config.publicUrl}/graphql (open in a browser)` : 'disabled',
    health: `${config.publicUrl}/healthz`,
    readiness: `${config.publicUrl}/readyz`,
    metrics: `${config.publicUrl}/metrics${config.metricsToken ? ' (Bearer METRICS_TOKEN)' : config.isProduction ? ' (closed: set METRICS_TOKEN)' : ''}`,
    database: app.embeddedDatabasePort ? `embedded PostgreSQL on 127.0.0.1:${app.embeddedDatabasePort} (data in ${config.dataDir})` : 'DATABASE_URL',
  };
  // Said once: a banner for a person at a terminal, otherwise all of it on the one log line.
  if (!config.isProduction && process.stdout.isTTY) {
    logger.info({ jwtSecret: config.jwtSecretSource }, `Serenity is up on port ${app.port}`);
    const demo = app.seedNotes.length ? `\n${app.seedNotes.map((line) => `  ${line}`).join('\n')}\n` : '';
    console.log(`\n  GraphQL API + IDE  ${urls.graphql}\n  Captured email    ${config.mail.smtpUrl ? 'sent through SMTP_URL' : `${config.publicUrl}/dev/mail`}\n  Health            ${urls.health}\n  Readiness         ${urls.readiness}\n  Metrics           ${urls.metrics}\n  Database          ${urls.database}\n${demo}`);
  } else {
    logger.info({ urls, ...(app.seedNotes.length ? { demo: app.seedNotes } : {}), jwtSecret: config.jwtSecretSource }, `Serenity is up on port ${app.port}`);
  }

  await stop.requested;
  return stopApp(app, logger, exitStopped);
}

async function stopApp(app: RunningApp, logger: ReturnType<typeof createLogger>, exitStopped: () => Promise<void>): Promise<void> {
  try {
    await app.stop();
  } catch (error) {
    logger.error({ err: error }, 'error during shutdown');
    logger.flush();
    process.exit(1);
  }
  await exitStopped();
}

/** Active resources other than timers and stdio, once handles closed during stop finished closing. */
async function settledResources(): Promise<string[]> {
  const open = () => process.getActiveResourcesInfo().filter((r) => !EXPECTED_AT_EXIT.has(r));
  for (let waited = 0; open().length > 0 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  return open();
}

export function run(mode: 'api' | 'worker'): void {
  main(mode).catch((error: unknown) => {
    // Something the operator can fix, said in one line: no stack.
    if (error instanceof StartupError || error instanceof DataDirInUseError) {
      console.error(`serenity: ${error.message}`);
      process.exit(1);
    }
    console.error('serenity: failed to start:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
