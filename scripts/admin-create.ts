/**
 * npm run admin:create -- --email ops@example.com --first-name Ada --last-name Admin [--password …]
 *
 * Creates an admin in the database the API uses (DATABASE_URL, or the embedded one in
 * DATA_DIR: the one a running `npm start` serves, or started here for the while). Without --password,
 * the password is read from the ADMIN_PASSWORD variable or asked for on the terminal.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { config as loadDotenv } from 'dotenv';
import { assertNodeVersion, ConfigError, loadConfig } from '../src/config.js';
import { AuthService } from '../src/identity/auth.service.js';
import { connectOrm, migrate } from '../src/platform/db.js';
import { DataDirInUseError } from '../src/platform/data-dir-owner.js';
import { openDatabase } from '../src/platform/embedded-postgres.js';
import { DomainEvents } from '../src/platform/events.js';
import { EVENT_HANDLERS } from '../src/modules.js';
import type { Mailer } from '../src/platform/mailer.js';

const usage = 'usage: npm run admin:create -- --email <email> --first-name <name> --last-name <name> [--password <password>] [--time-zone <IANA zone>]';

async function main(): Promise<number> {
  assertNodeVersion();
  loadDotenv({ quiet: true });
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      password: { type: 'string' },
      'time-zone': { type: 'string' },
    },
  });
  if (!values.email || !values['first-name'] || !values['last-name']) {
    console.error(usage);
    return 2;
  }
  const password = values.password ?? process.env.ADMIN_PASSWORD ?? (await ask('Password for the new admin: '));

  const config = loadConfig();
  const logger = pino({ level: 'warn' });
  const { url, embedded } = await openDatabase(config, logger, { useRunning: true });
  const orm = await connectOrm(url);
  try {
    await migrate(orm);
    // Admins get no email: nothing to verify.
    const mailer: Mailer = { capture: undefined, send: () => Promise.resolve(), close: () => Promise.resolve() };
    const service = new AuthService(orm.em.fork(), { config, mailer, events: new DomainEvents(EVENT_HANDLERS), payments: null }, logger);
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

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof DataDirInUseError ? `admin:create: ${error.message}` : error);
    process.exit(1);
  },
);
