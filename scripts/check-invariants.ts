/**
 * npm run check:invariants [-- --json]
 *
 * Checks the invariants I1–I12 (the design's invariants.md; each domain's checks in its
 * manifest) over the database the API uses: DATABASE_URL, or the embedded one in DATA_DIR (the
 * one a running `npm start` serves, or started here for the while). Read only: one REPEATABLE
 * READ READ ONLY transaction, so every count is of the same moment, even under load.
 *
 * Prints each check with its count of violations (and a few example ids); --json prints the
 * same as one JSON object. Exit 0 when all hold, 1 when any is violated, 2 when the checks could
 * not run (bad settings, no database, a database without Serenity's tables).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { pino } from 'pino';
import { assertNodeVersion, ConfigError, loadConfig } from '../src/config.js';
import { INVARIANTS, ENTITIES } from '../src/modules.js';
import { DataDirInUseError } from '../src/platform/data-dir-owner.js';
import { checkDatabase, connectOrm } from '../src/platform/db.js';
import { openDatabase } from '../src/platform/embedded-postgres.js';
import { checkInvariants, formatInvariants } from '../src/platform/invariants.js';
import { describeDatabaseUrl, StartupError } from '../src/platform/startup-error.js';

const usage = 'usage: npm run check:invariants [-- --json]';

/** The checks could not run; said in one line, exit 2. */
class CannotCheck extends Error {}

async function main(): Promise<number> {
  assertNodeVersion();
  loadDotenv({ quiet: true });
  let json: boolean;
  try {
    const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    json = values.json;
  } catch (error) {
    throw new CannotCheck(`${(error as Error).message}\n${usage}`);
  }

  const config = loadConfig();
  // Start-up notes of an embedded database go to stderr: stdout is the report (--json).
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const { url, embedded } = await openDatabase(config, logger, { useRunning: true });
  try {
    if (!embedded) await checkDatabase(url);
    const orm = await connectOrm(url, ENTITIES);
    try {
      let results;
      try {
        results = await checkInvariants(orm.em.fork(), INVARIANTS);
      } catch (error) {
        throw cannotCheck(error, url);
      }
      const ok = results.every((r) => r.violations === 0);
      if (json) {
        console.log(JSON.stringify({ ok, database: config.databaseUrl ? describeDatabaseUrl(url) : `embedded (${config.dataDir})`, checks: results }, null, 2));
      } else {
        console.log(formatInvariants(results));
        const violated = results.filter((r) => r.violations > 0).length;
        console.log(ok ? `\nAll ${results.length} checks hold.` : `\n${violated} of ${results.length} checks violated.`);
      }
      return ok ? 0 : 1;
    } finally {
      await orm.close(true);
    }
  } finally {
    await embedded?.stop();
  }
}

/** A check that failed to run, in words: most often a database the migrations never ran on. */
function cannotCheck(error: unknown, url: string): CannotCheck {
  const e = error as { code?: unknown; message?: unknown };
  const where = describeDatabaseUrl(url);
  if (e.code === '42P01' || e.code === '42703') {
    return new CannotCheck(`${where} lacks Serenity's tables or columns (${String(e.message)}): is it the right database, with every migration applied (npm run migrate, or npm start, applies them)?`);
  }
  return new CannotCheck(`the checks could not run on ${where}: ${String(e.message ?? error)}${typeof e.code === 'string' ? ` (${e.code})` : ''}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      for (const line of error.message.split('\n')) console.error(`check:invariants: ${line}`);
    } else if (error instanceof CannotCheck || error instanceof StartupError || error instanceof DataDirInUseError) {
      console.error(`check:invariants: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(2);
  },
);
