import type { EntityClass } from '@mikro-orm/core';
import type { Config } from '../config.js';
import { mergeEventHandlers, type DomainEventHandlers } from './events.js';
import type { InvariantCheck } from './invariants.js';
import type { JobDefinition } from './jobs.js';
import type { ReadinessCheck } from './readiness-checks.js';
import type { HttpRoutes } from './routes.js';
import type { Seeder } from './seed.js';

/** A type-graphql resolver class. */
export type ResolverClass = new (...args: never[]) => object;

/**
 * What a domain folder brings to the app, exported as the manifest of its index.ts; src/modules.ts
 * lists the manifests and the server, database and job runner read only the composed lists.
 */
export interface ModuleManifest {
  /** The folder's name, e.g. 'credits'. */
  name: string;
  /** MikroORM entities (a migration creates their tables). */
  entities: readonly EntityClass[];
  resolvers: readonly ResolverClass[];
  /** Background jobs (idempotent). */
  jobs: readonly JobDefinition<never>[];
  /** Reactions to domain events, run in the emitting transaction. */
  eventHandlers: DomainEventHandlers;
  /** Plain HTTP routes next to /graphql (pages behind email links, webhooks). */
  routes: readonly HttpRoutes[];
  /** Run on every start unless SEED=false; idempotent. */
  seeders: readonly Seeder[];
  /** Checks of the invariants its tables keep (npm run check:invariants), SQL in its *.sql.ts. */
  invariants?: readonly InvariantCheck[];
  /** Outside dependencies an API process checks in the background and /readyz reports (readiness-checks.ts); omitted: none. */
  readinessChecks?: (config: Config) => readonly ReadinessCheck[];
}

export interface ComposedModules {
  entities: readonly EntityClass[];
  resolvers: readonly ResolverClass[];
  jobs: readonly JobDefinition<never>[];
  eventHandlers: DomainEventHandlers;
  routes: readonly HttpRoutes[];
  seeders: readonly Seeder[];
  invariants: readonly InvariantCheck[];
  readinessChecks: (config: Config) => readonly ReadinessCheck[];
}

/**
 * The modules' lists joined in the order given: seeders run and an event's handlers fire in
 * module order (each module's own in its order), so a module's handlers for an event add to,
 * never replace, another's.
 */
export function composeModules(modules: readonly ModuleManifest[]): ComposedModules {
  return {
    entities: modules.flatMap((m) => m.entities),
    resolvers: modules.flatMap((m) => m.resolvers),
    jobs: modules.flatMap((m) => m.jobs),
    eventHandlers: mergeEventHandlers(modules.map((m) => m.eventHandlers)),
    routes: modules.flatMap((m) => m.routes),
    seeders: modules.flatMap((m) => m.seeders),
    // In the design's order (I1, I2, …), those sharing an id in module order.
    invariants: modules.flatMap((m) => m.invariants ?? []).sort((a, b) => invariantNumber(a.id) - invariantNumber(b.id)),
    readinessChecks: (config) => modules.flatMap((m) => m.readinessChecks?.(config) ?? []),
  };
}

/** 12 of 'I12', for ordering. */
function invariantNumber(id: string): number {
  return Number(id.replace(/^\D+/, '')) || 0;
}
