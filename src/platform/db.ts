import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityClass } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import { withSessionLock } from './locks.js';
import type { Logger } from './logger.js';
import { databaseFailure, StartupError } from './startup-error.js';

export type { EntityManager };
export { MikroORM };

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** How many connections one ORM may open (DATABASE_POOL_MAX): the API's default. */
export const DEFAULT_POOL_MAX = 10;

/** The ORM's settings for these entities (the modules' ENTITIES, src/modules.ts). */
export function ormOptions(clientUrl: string, entities: readonly EntityClass[], logger?: Logger, options: { poolMax?: number } = {}): Options {
  return {
    clientUrl,
    entities: [...entities],
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    // Metadata is validated at start-up instead of at first use.
    discovery: { warnWhenNoEntities: true },
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      glob: '!(*.d).{js,ts}',
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      // Migrations are diffed against a database with all earlier migrations applied
      // (see scripts/migration-create.ts), so no snapshot file is kept beside them.
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: options.poolMax ?? DEFAULT_POOL_MAX },
    // Entities are never shared between requests: each request forks its own EntityManager.
    allowGlobalContext: false,
    debug: false,
    logger: logger ? (message) => logger.debug({ component: 'orm' }, message) : undefined,
  };
}

/**
 * One connection to DATABASE_URL before the ORM's pool: a wrong password, unknown database,
 * unknown host, refused port or silent server becomes one StartupError saying which, within
 * `timeoutMs`, instead of a driver stack (or a hang) from deep inside the ORM.
 */
export async function checkDatabase(url: string, options: { timeoutMs?: number | undefined } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection dropped after its failure is reported through connect(); keep it from being unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw databaseFailure(error, url, timeoutMs);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function connectOrm(clientUrl: string, entities: readonly EntityClass[], logger?: Logger, options: { poolMax?: number } = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, entities, logger, options));
}

/** The lock every migrator holds (src/platform/locks.ts keys). */
export const MIGRATIONS_LOCK = 'migrations';

/**
 * Applies the pending migrations; returns their names. MikroORM's migrator takes no lock, and
 * two at once on a new database both create its table (one fails); on an older one both would
 * run the same migration. So each run holds one session lock, which also covers the table's
 * creation outside the run's transaction: the second migrator waits, then finds nothing pending.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  return withSessionLock(orm.config.get('clientUrl'), MIGRATIONS_LOCK, async () => {
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  });
}

/**
 * MIGRATE_ON_START=false: this process does not migrate, and refuses to start on a schema older
 * than its code (the deployment's migrate step has not run). Writes nothing, not even the
 * migrator's own table on a new database.
 */
export async function assertMigrated(orm: MikroORM): Promise<void> {
  const run = 'run `npm run migrate` (`npm run migrate:prod` from the build) once, then start again';
  const [tracked] = await orm.em.getConnection().execute<Array<{ exists: boolean }>>("SELECT to_regclass('mikro_orm_migrations') IS NOT NULL AS exists");
  if (!tracked?.exists) throw new StartupError(`MIGRATE_ON_START=false and no migration has been applied to this database yet: ${run}`);
  const pending = (await orm.migrator.getPending()).map((m) => m.name);
  if (pending.length === 0) return;
  const shown = pending.length > 5 ? `${pending.slice(0, 5).join(', ')}, …` : pending.join(', ');
  throw new StartupError(`MIGRATE_ON_START=false and ${pending.length} migration${pending.length === 1 ? ' is' : 's are'} pending (${shown}): ${run}`);
}

/** Readiness: the database answers and no migration is pending. */
export async function databaseReady(orm: MikroORM, options = { checkMigrations: true }): Promise<{ ok: boolean; reason?: string }> {
  try {
    await orm.em.getConnection().execute('SELECT 1');
  } catch (error) {
    return { ok: false, reason: `database unreachable: ${(error as Error).message}` };
  }
  if (!options.checkMigrations) return { ok: true };
  const pending = await orm.migrator.getPending();
  if (pending.length > 0) return { ok: false, reason: `${pending.length} migration(s) pending` };
  return { ok: true };
}
