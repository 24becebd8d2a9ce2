/**
 * Credit reservation throughput (issue 4): CreditsService.reserve through the ORM (candidate)
 * against the same transaction written in raw SQL on the `pg` driver (baseline), both measured
 * in this run on a throwaway database, reported as `ratio = candidate / baseline`.
 *
 * Scenario 1: one organization, every worker contends for its single lot (lock-bound).
 * Scenario 2: 1,000 organizations with one lot each, a random one per reservation (overhead-bound).
 *
 * Env: BENCH_DATABASE_URL (use that server, in a scratch database), BENCH_ROUND_MS (default 3000).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CreditsService } from '../src/credits/credits.service.js';
import { ENTITIES, EVENT_HANDLERS } from '../src/modules.js';
import { DomainEvents } from '../src/platform/events.js';
import { MikroORM, migrate, ormOptions } from '../src/platform/db.js';
import { alternate, perSecond, runLoad, type LoadResult } from './lib/load.js';
import { withScratchDatabase } from './lib/scratch-database.js';
import type { BenchContext } from './run.js';

const WORKERS = 32;
const ROUNDS = 2;
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
/** Far more than any run reserves: nobody runs out of credit mid-measure. */
const UNITS_PER_LOT = 1_000_000;
const TARGET_RATIO = 0.5;
/** The app's handlers: a reservation's credits.changed runs them as in a booking. */
const events = new DomainEvents(EVENT_HANDLERS);

export default async function creditsBench(ctx: BenchContext): Promise<void> {
  await withScratchDatabase(async (url) => {
    const orm = await MikroORM.init({ ...ormOptions(url, ENTITIES), pool: { min: 0, max: WORKERS } });
    try {
      await migrate(orm);
      const pool = new pg.Pool({ connectionString: url, max: WORKERS });
      try {
        const scenarios = [
          { title: '1 organization', organizations: 1 },
          { title: '1,000 organizations', organizations: 1000 },
        ];
        for (const scenario of scenarios) {
          const organizationIds = await seed(pool, scenario.organizations, scenario.title);
          const pick = () => organizationIds[Math.floor(Math.random() * organizationIds.length)]!;

          ctx.log(`reserve, ${scenario.title}, ${WORKERS} workers, ${ROUNDS} × ${ROUND_MS / 1000} s per variant`);
          const total = await alternate(
            ROUNDS,
            {
              baseline: () => runLoad(WORKERS, ROUND_MS, () => reserveRaw(pool, pick())),
              candidate: () => runLoad(WORKERS, ROUND_MS, () => reserveOrm(orm, pick())),
            },
            (variant, round, result) => ctx.log(`  round ${round} ${variant.padEnd(9)} ${rate(result)}`),
          );
          ctx.log(`  baseline  (raw SQL, pg)              ${rate(total.baseline)}`);
          ctx.log(`  candidate (CreditsService.reserve)   ${rate(total.candidate)}`);
          const ratio = perSecond(total.candidate) / perSecond(total.baseline);
          ctx.log(`  ratio = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO})`);
          ctx.figure({ name: `reserve, ${scenario.title}: ratio to raw SQL`, value: ratio, target: { atLeast: TARGET_RATIO } });

          await verifyLedger(pool, organizationIds, total.baseline.ok + total.candidate.ok);
          ctx.log(`  ledger OK (${total.baseline.ok + total.candidate.ok} reservations, every lot balanced)`);
        }
      } finally {
        await pool.end();
      }
    } finally {
      await orm.close(true);
    }
  });
}

/** Candidate: the service as the booking flow calls it, one forked EntityManager per request. */
async function reserveOrm(orm: MikroORM, organizationId: string): Promise<void> {
  await orm.em.fork().transactional((tx) =>
    new CreditsService(tx, events).reserve({
      organizationId,
      consultationId: randomUUID(),
      durationMinutes: 60,
      sessionStart: new Date(Date.now() + 23 * 3_600_000),
      sessionEnd: new Date(Date.now() + 24 * 3_600_000),
    }),
  );
}

/** Baseline: the same transaction by hand: lock the lots in draw-down order, take one unit of the first, record it. */
async function reserveRaw(pool: pg.Pool, organizationId: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      `SELECT * FROM credit_lot WHERE organization_id = $1 AND available > 0
        ORDER BY priority, expires_at, granted_at, id FOR UPDATE`,
      [organizationId],
    );
    const lot = rows[0];
    if (!lot) throw new Error(`organization ${organizationId} has no credit left`);
    await client.query('UPDATE credit_lot SET available = available - 1, reserved = reserved + 1 WHERE id = $1', [lot.id]);
    await client.query(
      `INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, consultation_id, created_at)
       VALUES ($1, $2, 'RESERVE', 1, $3, now())`,
      [organizationId, lot.id, randomUUID()],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Organizations with one SESSION lot each and its GRANT entry, in one statement. */
async function seed(pool: pg.Pool, organizations: number, label: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH orgs AS (
       INSERT INTO organization (id, name, type, created_at)
       SELECT gen_random_uuid(), $2 || ' #' || i, 'COMPANY', now() FROM generate_series(1, $1::int) AS i
       RETURNING id
     ), lots AS (
       INSERT INTO credit_lot (id, organization_id, package_id, kind, source, priority, session_minutes, allowed_block_minutes,
                               granted, adjusted, available, reserved, consumed, expired, revoked, expires_at, granted_at, created_at)
       SELECT gen_random_uuid(), id, NULL, 'SESSION', 'PURCHASE', 10, 60, '{60}',
              $3::int, 0, $3::int, 0, 0, 0, 0, now() + interval '30 days', now(), now()
         FROM orgs
       RETURNING id, organization_id, granted
     ), grants AS (
       INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, created_at)
       SELECT organization_id, id, 'GRANT', granted, now() FROM lots
     )
     SELECT organization_id AS id FROM lots`,
    [organizations, `Bench ${label}`, UNITS_PER_LOT],
  );
  await pool.query('ANALYZE organization, credit_lot, credit_ledger_entry');
  return rows.map((r) => r.id);
}

/** Nothing lost or invented: every lot still adds up, and there is one RESERVE entry per counted reservation. */
async function verifyLedger(pool: pg.Pool, organizationIds: string[], reservations: number): Promise<void> {
  const { rows: [lots] } = await pool.query<{ unbalanced: string; reserved: string }>(
    `SELECT count(*) FILTER (WHERE granted <> available + reserved) AS unbalanced, coalesce(sum(reserved), 0) AS reserved
       FROM credit_lot WHERE organization_id = ANY($1::uuid[])`,
    [organizationIds],
  );
  const { rows: [entries] } = await pool.query<{ count: string; units: string }>(
    `SELECT count(*) AS count, coalesce(sum(units), 0) AS units
       FROM credit_ledger_entry WHERE type = 'RESERVE' AND organization_id = ANY($1::uuid[])`,
    [organizationIds],
  );
  const problems = [
    Number(lots!.unbalanced) !== 0 && `${lots!.unbalanced} lot(s) where granted ≠ available + reserved`,
    Number(entries!.count) !== reservations && `${entries!.count} RESERVE entries for ${reservations} reservations`,
    Number(entries!.units) !== reservations && `RESERVE entries total ${entries!.units} units for ${reservations} reservations`,
    Number(lots!.reserved) !== reservations && `lots hold ${lots!.reserved} reserved units for ${reservations} reservations`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`ledger check failed: ${problems.join('; ')}`);
}

const rate = (result: LoadResult) =>
  `${perSecond(result).toFixed(0).padStart(6)} reservations/s (${result.ok} in ${(result.elapsedMs / 1000).toFixed(1)} s)`;
