import type { ModuleManifest } from '../platform/module.js';
import { pageRoutes, type ServedPage } from './web.route.js';

/** The pages the API serves (the consultant dashboard, the booking widget), each built on the SDK. */
export const PAGES: readonly ServedPage[] = [];

/** Web: small pages for browsers, bundled from src/web/browser/ with the SDK, under a strict CSP. */
export const webModule: ModuleManifest = {
  name: 'web',
  entities: [],
  resolvers: [],
  jobs: [],
  eventHandlers: {},
  routes: [pageRoutes(PAGES)],
  seeders: [],
};

export { pageRoutes, type ServedPage } from './web.route.js';
export type { PageDefinition } from './pages.js';
