/**
 * npm run admin:create -- --email ops@example.com --first-name Ada --last-name Admin [--time-zone <IANA zone>]
 *
 * Creates an admin in the database the API uses (DATABASE_URL, or the embedded one in
 * DATA_DIR: the one a running `npm start` serves, or started here for the while). The password
 * comes from the ADMIN_PASSWORD variable or is asked for (twice, not shown) on the terminal;
 * never from the command line, where it would stay in the shell history.
 */
import 'reflect-metadata';
import { notListening } from '../src/platform/live.js';
import askHidden from '@inquirer/password';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { config as loadDotenv } from 'dotenv';
import { assertNodeVersion, ConfigError, loadConfig } from '../src/config.js';
import { AuthService } from '../src/identity/auth.service.js';
import { checkDatabase, connectOrm, migrate } from '../src/platform/db.js';
import { DataDirInUseError } from '../src/platform/data-dir-owner.js';
import { openDatabase } from '../src/platform/embedded-postgres.js';
import { DomainEvents } from '../src/platform/events.js';
import { ENTITIES, EVENT_HANDLERS } from '../src/modules.js';
import type { Mailer } from '../src/platform/mailer.js';
import { StartupError } from '../src/platform/startup-error.js';

const usage =
  'usage: npm run admin:create -- --email <email> --first-name <name> --last-name <name> [--time-zone <IANA zone>]\n' +
  '  The password is asked for on the terminal, or read from ADMIN_PASSWORD.';

/** A refusal the person can act on: printed as one line, exit code `code`. */
class Refusal extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

async function main(): Promise<number> {
  assertNodeVersion();
  loadDotenv({ quiet: true });
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        'first-name': { type: 'string' },
        'last-name': { type: 'string' },
        // Only to say why it is refused.
        password: { type: 'string' },
        'time-zone': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new Refusal(`${(error as Error).message}\n${usage}`, 2);
  }
  if (values.password !== undefined) {
    throw new Refusal('--password is not accepted: it would stay in the shell history. Type the password when asked, or set ADMIN_PASSWORD.', 2);
  }
  if (!values.email || !values['first-name'] || !values['last-name']) throw new Refusal(usage, 2);
  const password = process.env.ADMIN_PASSWORD || (await askPassword());

  const config = loadConfig();
  const logger = pino({ level: 'warn' });
  const { url, embedded } = await openDatabase(config, logger, { useRunning: true });
  if (!embedded) await checkDatabase(url);
  const orm = await connectOrm(url, ENTITIES);
  try {
    await migrate(orm);
    // Admins get no email: nothing to verify.
    const mailer: Mailer = { capture: undefined, send: () => Promise.resolve(), close: () => Promise.resolve() };
    const service = new AuthService(orm.em.fork(), { config, mailer, events: new DomainEvents(EVENT_HANDLERS), live: notListening, payments: null }, logger);
    const admin = await service.createAdmin({
      email: values.email,
      password,
      profile: { firstName: values['first-name'], lastName: values['last-name'] },
      timeZone: values['time-zone'] ?? null,
    });
    console.log(`Created admin ${admin.email} (${admin.id}). Sign in with the login mutation.`);
    return 0;
  } catch (error) {
    if (error instanceof GraphQLError) {
      console.error(`admin:create: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
}

/** Asks twice on the terminal, showing nothing of what is typed. */
async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Refusal('no terminal to ask for the password on: set ADMIN_PASSWORD (e.g. read -rs ADMIN_PASSWORD; export ADMIN_PASSWORD).');
  try {
    const first = await askHidden({ message: 'Password for the new admin:' });
    const again = await askHidden({ message: 'The same password again:' });
    if (first !== again) throw new Refusal('the two passwords do not match; nothing was created.');
    return first;
  } catch (error) {
    // Ctrl-C or a closed terminal while asking.
    if (error instanceof Error && error.name === 'ExitPromptError') throw new Refusal('cancelled; nothing was created.');
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof Refusal) {
      console.error(`admin:create: ${error.message}`);
      process.exit(error.code);
    }
    if (error instanceof ConfigError) {
      for (const line of error.message.split('\n')) console.error(`admin:create: ${line}`);
    } else {
      console.error(error instanceof StartupError || error instanceof DataDirInUseError ? `admin:create: ${error.message}` : error);
    }
    process.exit(1);
  },
);
