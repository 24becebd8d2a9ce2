/**
 * npm run migrate (npm run migrate:prod from the build)
 *
 * Applies the pending migrations to the database the API uses (DATABASE_URL, or the embedded one
 * in DATA_DIR) and exits: a deployment's one-off step before its API and worker processes start
 * with MIGRATE_ON_START=false. Safe to run while others migrate (they take turns under one lock).
 * Exit 0 when the schema is current, 2 for a wrong argument, 1 when a migration failed (all of this run's are then
 * rolled back together) or the database could not be used.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { pino } from 'pino';
import { assertNodeVersion, ConfigError, loadConfig } from '../src/config.js';
import { ENTITIES } from '../src/modules.js';
import { DataDirInUseError } from '../src/platform/data-dir-owner.js';
import { checkDatabase, connectOrm, migrate } from '../src/platform/db.js';
import { openDatabase } from '../src/platform/embedded-postgres.js';
import { describeDatabaseUrl, StartupError } from '../src/platform/startup-error.js';

async function main(): Promise<number> {
  assertNodeVersion();
  loadDotenv({ quiet: true });
  const usage = 'usage: npm run migrate   (applies the pending migrations to DATABASE_URL, or the embedded database, and exits)';
  let help: boolean;
  try {
    help = parseArgs({ options: { help: { type: 'boolean', default: false } } }).values.help;
  } catch (error) {
    console.error(`migrate: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (help) {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const { url, embedded } = await openDatabase(config, logger, { useRunning: true });
  try {
    if (!embedded) await checkDatabase(url);
    const where = config.databaseUrl ? describeDatabaseUrl(url) : `the embedded database (${config.dataDir})`;
    const orm = await connectOrm(url, ENTITIES);
    try {
      const applied = await migrate(orm);
      const total = (await orm.migrator.getExecuted()).length;
      if (applied.length === 0) console.log(`${where}: no migration pending (${total} applied).`);
      else console.log(`${where}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((name) => `  ${name}`).join('\n')}\n(${total} applied in all).`);
      return 0;
    } finally {
      await orm.close(true);
    }
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const line of error.message.split('\n')) console.error(`migrate: ${line}`);
    } else if (error instanceof StartupError || error instanceof DataDirInUseError) {
      console.error(`migrate: ${error.message}`);
    } else {
      // A failed migration: its error, and that nothing of this run was kept (allOrNothing).
      console.error('migrate: failed; no migration of this run was applied:', error instanceof Error ? (error.stack ?? error.message) : error);
    }
    process.exit(1);
  },
);
