import { CreditLotKind } from '../catalog/package.entity.js';
import { sql, type Sql } from '../platform/sql.js';
import { CreditSource, LedgerEntryType } from './credits.enums.js';

/**
 * The credit domain's hand-written SQL: lots and their ledger entries, as fragments that carry
 * their parameters. A booking splices lotsLock, lockedLots and reserveWrites into its own
 * statements (consultations/consultation.sql.ts); CreditsService runs the rest.
 */

const { RESERVE, RELEASE, CONSUME } = LedgerEntryType;

/** A lot with something left, free or held: the only ones a reservation reads (allocation ignores spent lots). */
const LIVE_LOT = sql.raw('(available > 0 OR reserved > 0)');

/** One ledger entry `e`'s units, signed: + for RESERVE, − for the listed types, 0 for the rest. */
function signedUnits(...less: LedgerEntryType[]): Sql {
  return sql`CASE e.type WHEN ${RESERVE} THEN e.units ${sql.join(
    less.map((type) => sql`WHEN ${type} THEN -e.units`),
    ' ',
  )} ELSE 0 END`;
}

/** What an entry `e` adds to the credits its consultation holds: reserved, less released and consumed. */
const HELD = signedUnits(RELEASE, CONSUME);
/** What an entry `e` adds to what a member has drawn (held or used), as their caps count it. */
const DRAWN = signedUnits(RELEASE);

/** A lot row as the statements below return it. */
export interface LotRow {
  id: string;
  kind: CreditLotKind;
  source: CreditSource;
  priority: number;
  session_minutes: number;
  allowed_block_minutes: number[];
  granted: number;
  adjusted: number;
  available: number;
  reserved: number;
  consumed: number;
  expired: number;
  revoked: number;
  expires_at: Date;
  granted_at: Date;
}

/** What lockedLots reads: the lots a reservation may draw from and whether the member has a cap. */
export interface LockedLots {
  lots: LotRow[];
  capped: boolean;
}

/**
 * Locks the lots a reservation may draw from (FOR UPDATE, in id order) and counts them: a
 * scalar subquery for a statement that must end before the one reading them (lockedLots).
 * `after`: an expression of the caller's row evaluated first (e.g. the row of a lock the caller
 * takes in the same statement, so locks are always taken in one order).
 *
 * Why two statements (issue 10): under READ COMMITTED a statement reads one snapshot, taken
 * when it starts. A FOR UPDATE that waits for another transaction of the organization (its
 * booking with another consultant, a cancellation) re-reads the rows it waited for at their
 * newest version, but rows its snapshot did not show as live — a lot granted, or a spent one
 * topped up, while it waited — stay out: the verdict then mixes two moments and refuses with
 * credits that were committed before the lock was granted. The read that decides runs in a
 * later statement, whose snapshot is taken with the locks held.
 */
export function lotsLock(organizationId: string, after: Sql | null = null): Sql {
  const first = after ? sql` AND (${after}) IS NOT NULL` : sql.empty;
  return sql`(SELECT count(*) FROM (SELECT 1 FROM credit_lot WHERE organization_id = ${organizationId} AND ${LIVE_LOT}${first} ORDER BY id FOR UPDATE) l)`;
}

/**
 * The lots a reservation may draw from and whether the member has a cap, as one JSON value
 * (LockedLots): a scalar subquery read in a statement after one with lotsLock, in the same
 * transaction. Its values are then the committed ones under the lock; its FOR UPDATE locks any
 * lot that became live in between.
 */
export function lockedLots(organizationId: string, memberId: string | null): Sql {
  return sql`json_build_object(
      'lots', COALESCE((SELECT json_agg(l ORDER BY l.id) FROM (
          SELECT id, kind, source, priority, session_minutes, allowed_block_minutes, granted, adjusted, available, reserved, consumed, expired, revoked, expires_at, granted_at
            FROM credit_lot WHERE organization_id = ${organizationId} AND ${LIVE_LOT} ORDER BY id FOR UPDATE) l), '[]'),
      'capped', EXISTS (SELECT 1 FROM member_credit_cap c WHERE c.organization_id = ${organizationId} AND c.member_id = ${memberId}))`;
}

/** A reservation's lock, then its read, each a statement of its own (see lotsLock). */
export const lockLots = (organizationId: string): Sql => sql`SELECT ${lotsLock(organizationId)} AS locked`;
export const readLockedLots = (organizationId: string, memberId: string | null): Sql => sql`SELECT ${lockedLots(organizationId, memberId)} AS locked`;

/** A lot's counters after a reservation draws from it. */
export interface LotMove {
  lotId: string;
  available: number;
  reserved: number;
}

/** A RESERVE entry of the ledger. */
export interface ReserveEntry {
  organizationId: string;
  lotId: string;
  units: number;
  consultationId: string;
  memberId: string | null;
  sessionStart: Date;
  actorId: string | null;
  createdAt: Date;
}

/**
 * A reservation's writes as WITH clauses (`WITH ${reserveWrites(…)}, … SELECT …`): the lots'
 * new counters and their RESERVE entries, carried by the caller's statement so that several
 * tables change in one round trip.
 */
export function reserveWrites(moves: readonly LotMove[], entries: readonly ReserveEntry[]): Sql {
  const values = sql.join(moves.map((m) => sql`(${m.lotId}::uuid, ${m.available}::int, ${m.reserved}::int)`));
  const rows = sql.join(entries.map((e) => sql`(${e.organizationId}, ${e.lotId}, ${RESERVE}, ${e.units}, ${e.consultationId}, ${e.memberId}, ${e.sessionStart}, ${e.actorId}, ${e.createdAt})`));
  return sql`credit_lots_moved AS (
       UPDATE credit_lot l SET available = v.available, reserved = v.reserved
         FROM (VALUES ${values}) AS v (id, available, reserved)
        WHERE l.id = v.id
     ),
     credit_entries_added AS (
       INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, consultation_id, member_id, session_start, actor_id, created_at)
       VALUES ${rows}
     )`;
}

/** The organization's one free-trial lot, unless it had one (I7: the unique index decides); returns its id. */
export function insertFreeTrialLot(lot: { id: string; organizationId: string; packageId: string | null; priority: number; minutes: number; expiresAt: Date; now: Date }): Sql {
  return sql`INSERT INTO credit_lot (id, organization_id, package_id, kind, source, priority, session_minutes, allowed_block_minutes,
       granted, adjusted, available, reserved, consumed, expired, revoked, expires_at, granted_at, created_at)
     VALUES (${lot.id}, ${lot.organizationId}, ${lot.packageId}, ${CreditLotKind.SESSION}, ${CreditSource.FREE_TRIAL}, ${lot.priority}, ${lot.minutes}, ${`{${lot.minutes}}`},
             1, 0, 1, 0, 0, 0, 0, ${lot.expiresAt}, ${lot.now}, ${lot.now})
     ON CONFLICT (organization_id) WHERE source = ${CreditSource.FREE_TRIAL} DO NOTHING
     RETURNING id`;
}

/** The credits a consultation holds, per lot, with the lot's expiry and its package's late-cancel rule. */
export function heldLotsOf(consultationId: string): Sql {
  return sql`SELECT e.lot_id, SUM(${HELD}) AS held, l.expires_at, p.late_cancel_consumes
       FROM credit_ledger_entry e JOIN credit_lot l ON l.id = e.lot_id LEFT JOIN package p ON p.id = l.package_id
      WHERE e.consultation_id = ${consultationId}
      GROUP BY e.lot_id, l.expires_at, p.late_cancel_consumes
     HAVING SUM(${HELD}) > 0
      ORDER BY e.lot_id`;
}

/** The credits a consultation holds, per lot, with the member and session its entries name. */
export function heldEntriesOf(consultationId: string): Sql {
  return sql`SELECT e.lot_id, SUM(${HELD}) AS held, MAX(e.member_id::text) AS member_id, MAX(e.session_start) AS session_start
       FROM credit_ledger_entry e WHERE e.consultation_id = ${consultationId}
      GROUP BY e.lot_id HAVING SUM(${HELD}) > 0
      ORDER BY e.lot_id`;
}

/** A member's caps, locked: one member's parallel bookings take turns. */
export function lockMemberCap(organizationId: string, memberId: string): Sql {
  return sql`SELECT monthly_sessions, monthly_minutes, total_sessions, total_minutes FROM member_credit_cap WHERE organization_id = ${organizationId} AND member_id = ${memberId} FOR UPDATE`;
}

/** What a member has drawn, per lot kind: in all, and in the (UTC) month of `sessionStart`. */
export function memberDrawn(organizationId: string, memberId: string, sessionStart: Date): Sql {
  return sql`SELECT l.kind,
            SUM(${DRAWN}) AS total,
            SUM(CASE WHEN date_trunc('month', e.session_start AT TIME ZONE 'UTC') = date_trunc('month', ${sessionStart}::timestamptz AT TIME ZONE 'UTC')
                     THEN ${DRAWN} ELSE 0 END) AS month
       FROM credit_ledger_entry e JOIN credit_lot l ON l.id = e.lot_id
      WHERE e.organization_id = ${organizationId} AND e.member_id = ${memberId}
      GROUP BY l.kind`;
}

/** What the organization's unexpired lots leave free at `at`: `{ sessions, minutes }` (balance.ts's balanceOf in SQL). */
export function availableBalance(organizationId: string, at: Date): Sql {
  return sql`SELECT COALESCE(SUM(available) FILTER (WHERE kind = ${CreditLotKind.SESSION}), 0)::int AS sessions,
            COALESCE(SUM(available) FILTER (WHERE kind = ${CreditLotKind.TIME}), 0)::int AS minutes
       FROM credit_lot WHERE organization_id = ${organizationId} AND available > 0 AND expires_at > ${at}`;
}
