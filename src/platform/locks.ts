import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Waits for, then holds until `em`'s transaction ends, the advisory lock named `key` (e.g.
 * "consultant:<id>"): what serializes work no row lock covers, across API instances.
 */
export async function advisoryLock(em: EntityManager, key: string): Promise<void> {
  await em.getConnection().execute('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key], 'all', em.getTransactionContext());
}
