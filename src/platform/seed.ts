import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { DomainEvents } from './events.js';
import { advisoryLock } from './locks.js';
import type { Logger } from './logger.js';

export interface SeedContext {
  config: Config;
  events: DomainEvents;
  logger: Logger;
}

export interface SeedResult {
  created: number;
  /** Lines to show a person at start (e.g. demo sign-ins); never secrets of real accounts. */
  notes?: string[];
}

/** One step of the seed; must be idempotent (running it twice changes nothing the second time). */
export interface Seeder {
  name: string;
  run(em: EntityManager, context: SeedContext): Promise<SeedResult>;
}

// Any name works; it only has to be the same for every API instance.
const SEED_LOCK = 'seed';

/**
 * Runs the seeders in order, all in one transaction under an advisory lock, so two API
 * instances starting together cannot seed twice.
 */
export async function runSeeders(
  orm: MikroORM,
  seeders: readonly Seeder[],
  context: SeedContext,
): Promise<{ created: Record<string, number>; notes: string[] }> {
  const created: Record<string, number> = {};
  const notes: string[] = [];
  await orm.em.fork().transactional(async (em) => {
    await advisoryLock(em, SEED_LOCK);
    for (const seeder of seeders) {
      const result = await seeder.run(em, context);
      await em.flush();
      created[seeder.name] = result.created;
      notes.push(...(result.notes ?? []));
    }
  });
  context.logger.info({ created }, 'seed applied');
  return { created, notes };
}
