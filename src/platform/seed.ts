import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from './logger.js';

/** One step of the seed; must be idempotent (running it twice changes nothing the second time). */
export interface Seeder {
  name: string;
  run(em: EntityManager): Promise<{ created: number }>;
}

// Any constant works; it only has to be the same for every API instance.
const SEED_LOCK = 0x5e_ed;

/**
 * Runs the seeders in order, all in one transaction under an advisory lock, so two API
 * instances starting together cannot seed twice.
 */
export async function runSeeders(orm: MikroORM, seeders: readonly Seeder[], logger: Logger): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  await orm.em.fork().transactional(async (em) => {
    await em.getConnection().execute('SELECT pg_advisory_xact_lock(?)', [SEED_LOCK], 'all', em.getTransactionContext());
    for (const seeder of seeders) {
      const { created } = await seeder.run(em);
      await em.flush();
      result[seeder.name] = created;
    }
  });
  logger.info({ created: result }, 'seed applied');
  return result;
}
