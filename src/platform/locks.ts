import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
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

/**
 * Runs `work` holding the session-level advisory lock named `key`, taken on a connection of its
 * own to `url`: for work that is more than one transaction (migrations), so no transaction's end
 * releases it. Ending that connection releases it, also when the process dies mid-way. Needs a
 * direct (or session-pooled) connection: a transaction-mode pooler would hand the lock's session
 * to someone else.
 */
export async function withSessionLock<T>(url: string, key: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: `serenity lock ${key}` });
  // A connection lost while held is reported through the queries (or not at all); never unhandled.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
    return await work();
  } finally {
    await client.end().catch(() => undefined);
  }
}
