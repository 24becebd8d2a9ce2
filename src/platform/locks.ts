import type { EntityManager } from '@mikro-orm/postgresql';
import { query, sql, type Sql } from './sql.js';

/**
 * Waits for, then holds until `em`'s transaction ends, the advisory lock named `key` (e.g.
 * consultantLockKey(id)): what serializes work no row lock covers, across API instances.
 */
export async function advisoryLock(em: EntityManager, key: string): Promise<void> {
  await query(em, sql`SELECT ${advisoryLockSql(key)}`);
}

/** The same lock as an expression, for a statement that takes it along with its own work. */
export function advisoryLockSql(key: string): Sql {
  return sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** The lock of one consultant's time: bookings and moves of their sessions take it (I2's day count). */
export function consultantLockKey(consultantId: string): string {
  return `consultant:${consultantId}`;
}
