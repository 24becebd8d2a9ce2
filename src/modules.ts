/**
 * The registry of domains: each domain adds its entities, resolvers, seeders and jobs here.
 * Everything else (server, database, jobs) reads these lists and knows no domain.
 */
import { CatalogResolver } from './catalog/catalog.resolver.js';
import { catalogSeeder } from './catalog/catalog.seed.js';
import { Package } from './catalog/package.entity.js';
import { heartbeatJob } from './platform/heartbeat.job.js';
import type { JobDefinition } from './platform/jobs.js';
import type { Seeder } from './platform/seed.js';

export const ENTITIES = [Package];

export const RESOLVERS = [CatalogResolver] as const;

/** Run in this order on every start (unless SEED=false); each is idempotent. */
export const SEEDERS: readonly Seeder[] = [catalogSeeder];

export const JOBS: readonly JobDefinition<never>[] = [heartbeatJob];
