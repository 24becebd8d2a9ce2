import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobDefinition } from './jobs.js';

/**
 * One caller's allowance, as GCRA keeps it: `until` is the "theoretical arrival time" — the
 * moment the allowance would be whole again. A row whose `until` has passed means "unused".
 */
@Entity({ tableName: 'rate_limit' })
export class RateLimitBucket {
  @PrimaryKey({ type: 'string', length: 300 })
  key!: string;

  @Property({ type: 'timestamptz' })
  until!: Date;
}

export type RateLimitOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Takes `cost` from the allowance of `key` (`perMinute` a minute, refilling smoothly: GCRA)
 * in PostgreSQL, so that every API instance counts the same and PostgreSQL's clock decides, not
 * the instances'. One statement when granted (a second, on refusal, for how long to wait).
 * Refused when the allowance cannot cover `cost`; nothing is taken then.
 */
export async function takeRateLimit(em: EntityManager, key: string, cost: number, perMinute: number): Promise<RateLimitOutcome> {
  if (cost <= 0) return { allowed: true };
  const window = 60;
  // More than a whole minute's allowance can never be granted at once.
  if (cost > perMinute) return { allowed: false, retryAfterSeconds: window };
  const step = (cost * window) / perMinute;
  const connection = em.getConnection();
  // Row-locked by ON CONFLICT: concurrent takes of one key are serialized, each seeing the last.
  // Committed without waiting for the WAL flush (synchronous_commit off for this statement's own
  // transaction only): a search need not wait on the disk, and a crash of PostgreSQL can lose
  // at most the last fraction of a second of takes — an allowance a little fuller, never a
  // refusal owed to nothing. Every instance still counts in the same row.
  const taken = await connection.execute<unknown[]>(
    `INSERT INTO rate_limit AS r (key, until) SELECT ?, now() + make_interval(secs => ?) WHERE set_config('synchronous_commit', 'off', true) = 'off'
     ON CONFLICT (key) DO UPDATE SET until = greatest(r.until, now()) + make_interval(secs => ?)
       WHERE greatest(r.until, now()) + make_interval(secs => ?) <= now() + make_interval(secs => ?)
     RETURNING 1`,
    [key, step, step, step, window],
  );
  if (taken.length) return { allowed: true };
  // A fresh statement: it sees the row even when a concurrent take created it.
  const [row] = await connection.execute<Array<{ wait: number }>>(
    'SELECT extract(epoch FROM greatest(until, now()) + make_interval(secs => ?) - now() - make_interval(secs => ?))::float8 AS wait FROM rate_limit WHERE key = ?',
    [step, window, key],
  );
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(row?.wait ?? window))) };
}

/** Allowances whose `until` has passed are whole again: their rows say nothing. */
export const purgeRateLimitsJob: JobDefinition<Record<string, never>> = {
  name: 'platform.purge-rate-limits',
  every: '1 hour',
  async handler(_data, { em, logger }) {
    const deleted = await em.nativeDelete(RateLimitBucket, { until: { $lt: new Date() } });
    if (deleted) logger.debug({ deleted }, 'purged spent rate limits');
  },
};
