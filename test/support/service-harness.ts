/**
 * Service-level tests' database: a fresh copy of the migrated template, an ORM connected to it,
 * the seeders a test file asks for, and EntityManagers scoped as requests or jobs get theirs.
 * No HTTP server: the services are called directly.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { connectOrm, type EntityManager, type MikroORM } from '../../src/platform/db.js';
import { ENTITIES } from '../../src/modules.js';
import { DomainEvents } from '../../src/platform/events.js';
import { runSeeders, type SeedContext, type Seeder } from '../../src/platform/seed.js';
import { scopeToTenant, type TenantScope } from '../../src/platform/tenant.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface ServiceHarness {
  database: TestDatabase;
  orm: MikroORM;
  /** What the seeders ran with (a test configuration, no event handlers, a silent logger). */
  seedContext: SeedContext;
  /** A fork that sees every tenant, as jobs do. */
  acrossTenants(): EntityManager;
  /** A fork scoped as a request's is (a client's organization, an admin's all, or none). */
  scoped(scope: TenantScope): EntityManager;
  /** Closes the ORM and drops the database. */
  stop(): Promise<void>;
}

export async function startServiceHarness(options: { seeders?: readonly Seeder[] } = {}): Promise<ServiceHarness> {
  const database = await createTestDatabase();
  const orm = await connectOrm(database.url, ENTITIES);
  const seedContext: SeedContext = {
    config: loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp' }),
    events: new DomainEvents({}),
    logger: pino({ level: 'silent' }),
  };
  if (options.seeders?.length) {
    try {
      await runSeeders(orm, options.seeders, seedContext);
    } catch (error) {
      await orm.close(true);
      await database.drop();
      throw error;
    }
  }
  return {
    database,
    orm,
    seedContext,
    acrossTenants: () => scopeToTenant(orm.em.fork(), { all: true }),
    scoped: (scope) => scopeToTenant(orm.em.fork(), scope),
    async stop() {
      await orm.close(true);
      await database.drop();
    },
  };
}
