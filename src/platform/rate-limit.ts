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
 * Takes `cost` from the allowance of `key` (`perMinute` a minute, refilling smoothly: GCRA),
 * in one statement against PostgreSQL so that every API instance counts the same; PostgreSQL's
 * clock decides, not the instances'. Refused when the allowance cannot cover `cost`; nothing
 * is taken then.
 */
export async function takeRateLimit(em: EntityManager, key: string, cost: number, perMinute: number): Promise<RateLimitOutcome> {
  if (cost <= 0) return { allowed: true };
  const window = 60;
  // More than a whole minute's allowance can never be granted at once.
  if (cost > perMinute) return { allowed: false, retryAfterSeconds: window };
  const step = (cost * window) / perMinute;
  // The CTE's writes are not visible to the outer SELECT: `before` is the row as it was.
  const [row] = await em.getConnection().execute<Array<{ allowed: boolean; wait: number | null }>>(
    `WITH taken AS (
       INSERT INTO rate_limit AS r (key, until) VALUES (?, now() + make_interval(secs => ?))
       ON CONFLICT (key) DO UPDATE SET until = greatest(r.until, now()) + make_interval(secs => ?)
         WHERE greatest(r.until, now()) + make_interval(secs => ?) <= now() + make_interval(secs => ?)
       RETURNING 1
     ), before AS (SELECT until FROM rate_limit WHERE key = ?)
     SELECT EXISTS (SELECT 1 FROM taken) AS allowed,
            extract(epoch FROM (SELECT greatest(until, now()) FROM before) + make_interval(secs => ?) - now() - make_interval(secs => ?))::float8 AS wait`,
    [key, step, step, step, window, key, step, window],
  );
  if (row?.allowed) return { allowed: true };
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
