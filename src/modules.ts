/**
 * The app's modules, from the ground up (test/architecture.test.ts holds the layers): each folder
 * describes itself in its index.ts, and the server, database, seed and job runner read the lists
 * composed here. Seeders run and an event's handlers fire in this order (catalog's packages are
 * seeded before identity's demo clients, whose verification grants the free trial).
 */
import { calendarModule } from './calendar/index.js';
import { catalogModule } from './catalog/index.js';
import { consultationsModule, settleBookingFee } from './consultations/index.js';
import { creditsModule } from './credits/index.js';
import { identityModule } from './identity/index.js';
import { meetingsModule } from './meetings/index.js';
import { notificationsModule } from './notifications/index.js';
import { paymentsModule } from './payments/index.js';
import { platformModule } from './platform/index.js';
import { composeModules, type ModuleManifest } from './platform/module.js';
import { schedulingModule } from './scheduling/index.js';
import { webModule } from './web/index.js';

export const MODULES: readonly ModuleManifest[] = [
  platformModule,
  catalogModule,
  identityModule,
  creditsModule,
  schedulingModule,
  // Below consultations: a paid booking fee goes back up through the handler consultations provides.
  paymentsModule({ settleBookingFee }),
  consultationsModule,
  meetingsModule,
  calendarModule,
  notificationsModule,
  webModule,
];

const composed = composeModules(MODULES);

export const ENTITIES = composed.entities;
export const RESOLVERS = composed.resolvers;
/** Run in this order on every start (unless SEED=false); each is idempotent. */
export const SEEDERS = composed.seeders;
export const JOBS = composed.jobs;
/** Reactions to domain events, run inside the emitting transaction: every module's, in module order. */
export const EVENT_HANDLERS = composed.eventHandlers;
/** Plain HTTP routes of the domains, next to /graphql. */
export const HTTP_ROUTES = composed.routes;
/** The invariants' checks of every module, in module order (npm run check:invariants). */
export const INVARIANTS = composed.invariants;
/** What API processes check in the background for /readyz (a meeting provider's credentials). */
export const READINESS_CHECKS = composed.readinessChecks;
