import type { ModuleManifest } from '../platform/module.js';
import { BOOKING_PAGES } from './book.page.js';
import { embedRoutes } from './embed.route.js';
import { pageRoutes, type ServedPage } from './web.route.js';

/** The pages the API serves (the consultant dashboard, the booking widget), each built on the SDK. */
export const PAGES: readonly ServedPage[] = [
  // The consultant dashboard: never framed (its actions must not be clickjacked).
  { definition: { name: 'dashboard', title: 'Serenity · Consultant dashboard', entry: 'dashboard/main.ts', frameAncestors: "'none'" }, path: '/dashboard' },
  // The booking widget: framed by partners (book.page.ts).
  ...BOOKING_PAGES,
];

/** Web: small pages for browsers, bundled from src/web/browser/ with the SDK, under a strict CSP. */
export const webModule: ModuleManifest = {
  name: 'web',
  entities: [],
  resolvers: [],
  jobs: [],
  eventHandlers: {},
  // The widget's loader first: /book/embed.js is no consultant code.
  routes: [embedRoutes, pageRoutes(PAGES)],
  seeders: [],
};

export { pageRoutes, type ServedPage } from './web.route.js';
export type { PageDefinition } from './pages.js';
