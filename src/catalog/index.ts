import type { ModuleManifest } from '../platform/module.js';
import { CatalogResolver } from './catalog.resolver.js';
import { catalogSeeder } from './catalog.seed.js';
import { Package } from './package.entity.js';

/** Packages: what an organization can buy (the seed portfolio in catalog.seed-data.ts). */
export const catalogModule: ModuleManifest = {
  name: 'catalog',
  entities: [Package],
  resolvers: [CatalogResolver],
  jobs: [],
  eventHandlers: {},
  routes: [],
  seeders: [catalogSeeder],
};
