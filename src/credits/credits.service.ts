import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import { errors } from '../platform/errors.js';
import { allocate, type Draw, type MemberCapLeft } from './allocation.js';
import { CreditLedgerEntry, CreditLot } from './credit-lot.entity.js';
import { CreditSource, LedgerEntryType, priorityOf } from './credits.enums.js';
import { applyMovement, grantBalance, type LotBalance, type Movement } from './ledger.js';

export interface GrantInput {
  organizationId: string;
  source: CreditSource;
  kind: CreditLotKind;
  /** Sessions (SESSION) or minutes (TIME). */
  units: number;
  sessionMinutes: number;
  allowedBlockMinutes?: readonly number[];
  expiresAt: Date;
  packageId?: string | null;
  actorId?: string | null;
  reference?: string | null;
  reason?: string | null;
  grantedAt?: Date;
}

export interface ReserveInput {
  organizationId: string;
  consultationId: string;
  durationMinutes: number;
  sessionStart: Date;
  sessionEnd: Date;
  /** The member the session is for: their caps apply. */
  memberId?: string | null;
  useFreeTrial?: boolean;
  actorId?: string | null;
}

/** What CreditsService.lockedLotsColumn reads. */
export interface LockedLots {
  lots: LotRow[];
  capped: boolean;
}

/**
 * Writes a caller runs as WITH clauses of its own statement (`WITH ${ctes}, … SELECT …`), the
 * parameters in order before its own: several tables in one round trip, in its transaction.
 */
export interface CteWrites {
  ctes: string[];
  params: unknown[];
}

const FREE_TRIAL_CODE = 'PKG-FREE-TRIAL';
/** A lot with something left, free or held: the only ones a reservation reads (allocation ignores spent lots). */
const LIVE_LOT = '(available > 0 OR reserved > 0)';
const FREE_TRIAL_FALLBACK = { minutes: 15, validityDays: 30 };

/**
 * The credit ledger's writes. Every method runs inside the caller's transaction (the booking,
 * payment or verification that causes it) and changes a lot's counters only together with a
 * ledger entry; lots are locked first, so concurrent requests serialize per lot.
 */
export class CreditsService {
  /** Cross-tenant reads are explicit here: callers pass the organization they act for. */
  private static readonly ALL = { filters: { tenant: false } } as const;

  constructor(private readonly em: EntityManager) {}

  async grant(input: GrantInput): Promise<CreditLot> {
    const balance = grantBalance(input.units);
    const lot = this.em.create(CreditLot, {
      organization: input.organizationId,
      package: input.packageId ?? null,
      kind: input.kind,
      source: input.source,
      priority: priorityOf(input.source),
      sessionMinutes: input.sessionMinutes,
      allowedBlockMinutes: [...(input.allowedBlockMinutes ?? [input.sessionMinutes])],
      ...balance,
      expiresAt: input.expiresAt,
      grantedAt: input.grantedAt ?? new Date(),
    });
    this.entry(lot, LedgerEntryType.GRANT, input.units, { actorId: input.actorId, reference: input.reference, reason: input.reason });
    await this.em.flush();
    return lot;
  }

  /**
   * The organization's one free-trial lot (I7: a unique index, not a check). Returns null
   * when it already had one; never fails the verification that asks for it.
   */
  async grantFreeTrial(organizationId: string, actorId: string | null = null): Promise<CreditLot | null> {
    const trial = await this.em.findOne(Package, { code: FREE_TRIAL_CODE });
    const minutes = trial?.sessionMinutes ?? FREE_TRIAL_FALLBACK.minutes;
    const validityDays = trial?.validityDays ?? FREE_TRIAL_FALLBACK.validityDays;
    const now = new Date();
    const id = randomUUID();
    const inserted = await this.em.getConnection().execute<{ id: string }[]>(
      `INSERT INTO credit_lot (id, organization_id, package_id, kind, source, priority, session_minutes, allowed_block_minutes,
         granted, adjusted, available, reserved, consumed, expired, revoked, expires_at, granted_at, created_at)
       VALUES (?, ?, ?, 'SESSION', 'FREE_TRIAL', ?, ?, ?, 1, 0, 1, 0, 0, 0, 0, ?, ?, ?)
       ON CONFLICT (organization_id) WHERE source = 'FREE_TRIAL' DO NOTHING
       RETURNING id`,
      [id, organizationId, trial?.id ?? null, priorityOf(CreditSource.FREE_TRIAL), minutes, `{${minutes}}`, new Date(now.getTime() + validityDays * 86_400_000), now, now],
      'all',
      this.em.getTransactionContext(),
    );
    if (inserted.length === 0) return null;
    const lot = await this.em.findOneOrFail(CreditLot, id, CreditsService.ALL);
    this.entry(lot, LedgerEntryType.GRANT, 1, { actorId, reason: 'Free trial on email verification' });
    await this.em.flush();
    return lot;
  }

  /**
   * Locks the lots a reservation may draw from (FOR UPDATE, in id order) and counts them: a
   * scalar subquery for a statement that must end before the one reading them (lockedLotsColumn).
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
  static lotsLockColumn(organizationId: string, after: string | null = null): { sql: string; params: unknown[] } {
    return {
      sql: `(SELECT count(*) FROM (SELECT 1 FROM credit_lot WHERE organization_id = ? AND ${LIVE_LOT}${after ? ` AND (${after}) IS NOT NULL` : ''} ORDER BY id FOR UPDATE) l)`,
      params: [organizationId],
    };
  }

  /**
   * The lots a reservation may draw from and whether the member has a cap, as one JSON value
   * (LockedLots): a scalar subquery a caller reads in its own statement, in this transaction,
   * after a statement with lotsLockColumn, and hands to prepareReserve. Its values are then the
   * committed ones under the lock; its FOR UPDATE locks any lot that became live in between.
   */
  static lockedLotsColumn(organizationId: string, memberId: string | null): { sql: string; params: unknown[] } {
    return {
      sql: `json_build_object(
              'lots', COALESCE((SELECT json_agg(l ORDER BY l.id) FROM (
                  SELECT id, kind, source, priority, session_minutes, allowed_block_minutes, granted, adjusted, available, reserved, consumed, expired, revoked, expires_at, granted_at
                    FROM credit_lot WHERE organization_id = ? AND ${LIVE_LOT} ORDER BY id FOR UPDATE) l), '[]'),
              'capped', EXISTS (SELECT 1 FROM member_credit_cap c WHERE c.organization_id = ? AND c.member_id = ?))`,
      params: [organizationId, organizationId, memberId],
    };
  }

  /**
   * Holds credits for a consultation: the allocation rule picks the lots, which are locked,
   * so two bookings racing for the last credit end with exactly one PAYMENT_REQUIRED.
   */
  async reserve(input: ReserveInput): Promise<Draw[]> {
    const { draws, writes } = await this.prepareReserve(input);
    await this.em.getConnection().execute(`WITH ${writes.ctes.join(', ')} SELECT 1`, writes.params, 'run', this.em.getTransactionContext());
    return draws;
  }

  /**
   * `reserve` for a caller that stores what the credits pay for in the same statement (a
   * booking): locks and reads the lots (or takes `locked`, read as lockedLotsColumn says) and
   * decides (the allocation rule), then leaves the lots' new counters and their RESERVE entries
   * to the caller as WITH clauses, which its next statement in this transaction must carry
   * (nothing may touch these lots in between).
   */
  async prepareReserve(input: ReserveInput, locked?: LockedLots): Promise<{ draws: Draw[]; writes: CteWrites }> {
    // The hot path of booking (bench/credits.bench.ts, bench/booking.bench.ts): lots are read
    // and written with plain statements in this transaction, skipping entity hydration and the
    // unit of work, which cost more than the SQL itself: a lock, a read and a write when the
    // member has no cap. The rules stay the pure allocation and ledger functions.
    if (!locked) {
      const lock = CreditsService.lotsLockColumn(input.organizationId);
      await this.em.getConnection().execute(`SELECT ${lock.sql} AS locked`, lock.params, 'all', this.em.getTransactionContext());
      const column = CreditsService.lockedLotsColumn(input.organizationId, input.memberId ?? null);
      const [row] = await this.em.getConnection().execute<Array<{ locked: LockedLots }>>(`SELECT ${column.sql} AS locked`, column.params, 'all', this.em.getTransactionContext());
      locked = row!.locked;
    }
    const rows = locked.lots;
    const lots = rows.map(lotFromRow);
    const memberCap = input.memberId && locked.capped ? await this.capLeft(input.organizationId, input.memberId, input.sessionStart) : undefined;
    const allocation = allocate(lots, {
      durationMinutes: input.durationMinutes,
      sessionEnd: input.sessionEnd,
      useFreeTrial: input.useFreeTrial,
      ...(memberCap ? { memberCap } : {}),
    });
    if (!allocation.ok) throw errors.paymentRequired(allocation.message, allocation.reason);
    const byId = new Map(lots.map((lot) => [lot.id, lot]));
    const balances: unknown[] = [];
    const entries: unknown[] = [];
    const createdAt = new Date();
    for (const draw of allocation.draws) {
      const lot = byId.get(draw.lotId)!;
      const { available, reserved } = applyMovement(balanceOf(lot), 'RESERVE', draw.units);
      balances.push(lot.id, available, reserved);
      entries.push(input.organizationId, lot.id, draw.units, input.consultationId, input.memberId ?? null, input.sessionStart, input.actorId ?? null, createdAt);
      // A copy this EntityManager already manages must not go stale.
      const managed = this.em.getUnitOfWork().getById(CreditLot, lot.id);
      if (managed) Object.assign(managed, { available, reserved });
    }
    const draws = allocation.draws.length;
    const ctes = [
      `credit_lots_moved AS (
         UPDATE credit_lot l SET available = v.available, reserved = v.reserved
           FROM (VALUES ${Array.from({ length: draws }, () => '(?::uuid, ?::int, ?::int)').join(', ')}) AS v (id, available, reserved)
          WHERE l.id = v.id
       )`,
      `credit_entries_added AS (
         INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, consultation_id, member_id, session_start, actor_id, created_at)
         VALUES ${Array.from({ length: draws }, () => `(?, ?, '${LedgerEntryType.RESERVE}', ?, ?, ?, ?, ?, ?)`).join(', ')}
       )`,
    ];
    return { draws: allocation.draws, writes: { ctes, params: [...balances, ...entries] } };
  }

  /**
   * Gives a consultation's held credits back. A lot that expired meanwhile expires them at
   * once. Returns the units released per lot (empty when nothing was held).
   */
  async release(consultationId: string, options: { actorId?: string | null; reason?: string | null; now?: Date } = {}): Promise<Draw[]> {
    const now = options.now ?? new Date();
    const held = await this.heldFor(consultationId);
    for (const { lot, units, memberId, sessionStart } of held) {
      this.move(lot, 'RELEASE', units, { consultationId, actorId: options.actorId, reason: options.reason, memberId, sessionStart });
      if (lot.expiresAt.getTime() <= now.getTime()) {
        this.move(lot, 'EXPIRE', units, { consultationId, reason: 'Released after the lot expired', memberId, sessionStart });
      }
    }
    await this.em.flush();
    return held.map(({ lot, units }) => ({ lotId: lot.id, units }));
  }

  /** Turns a consultation's held credits into used ones (completion, client no-show, late cancel). */
  async consume(consultationId: string, options: { actorId?: string | null; reason?: string | null } = {}): Promise<Draw[]> {
    const held = await this.heldFor(consultationId);
    for (const { lot, units, memberId, sessionStart } of held) {
      this.move(lot, 'CONSUME', units, { consultationId, actorId: options.actorId, reason: options.reason, memberId, sessionStart });
    }
    await this.em.flush();
    return held.map(({ lot, units }) => ({ lotId: lot.id, units }));
  }

  /** The credits a consultation holds, per lot, with the lot's expiry and its package's late-cancel rule. */
  async heldLots(consultationId: string): Promise<Array<{ lotId: string; units: number; expiresAt: Date; lateCancelConsumes: boolean | null }>> {
    const rows = await this.em.getConnection().execute<{ lot_id: string; held: string; expires_at: Date; late_cancel_consumes: boolean | null }[]>(
      `SELECT e.lot_id, SUM(CASE e.type WHEN 'RESERVE' THEN e.units WHEN 'RELEASE' THEN -e.units WHEN 'CONSUME' THEN -e.units ELSE 0 END) AS held,
              l.expires_at, p.late_cancel_consumes
         FROM credit_ledger_entry e JOIN credit_lot l ON l.id = e.lot_id LEFT JOIN package p ON p.id = l.package_id
        WHERE e.consultation_id = ?
        GROUP BY e.lot_id, l.expires_at, p.late_cancel_consumes
       HAVING SUM(CASE e.type WHEN 'RESERVE' THEN e.units WHEN 'RELEASE' THEN -e.units WHEN 'CONSUME' THEN -e.units ELSE 0 END) > 0
        ORDER BY e.lot_id`,
      [consultationId],
      'all',
      this.em.getTransactionContext(),
    );
    return rows.map((r) => ({ lotId: r.lot_id, units: Number(r.held), expiresAt: new Date(r.expires_at), lateCancelConsumes: r.late_cancel_consumes }));
  }

  /**
   * Keeps a moved session's hold valid (I5): when a drawn lot expires before the new end, the
   * hold goes back and the allocation rule draws again, in the caller's transaction. Returns
   * whether it re-allocated; PAYMENT_REQUIRED when nothing valid is left.
   */
  async moveReservation(input: ReserveInput): Promise<boolean> {
    const held = await this.heldLots(input.consultationId);
    if (held.every((lot) => lot.expiresAt.getTime() >= input.sessionEnd.getTime())) return false;
    await this.release(input.consultationId, { actorId: input.actorId, reason: 'Re-allocated: the session moved past a lot’s expiry' });
    await this.reserve(input);
    return true;
  }

  /**
   * Expires the unreserved remainder of every lot past its date; credits reserved for
   * upcoming sessions stay honoured. Idempotent: a second run finds nothing to do.
   */
  async expireLots(now = new Date()): Promise<number> {
    const due = await this.em.find(
      CreditLot,
      { expiresAt: { $lte: now }, available: { $gt: 0 } },
      { ...CreditsService.ALL, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    for (const lot of due) this.move(lot, 'EXPIRE', lot.available, { reason: 'Lot expired' });
    await this.em.flush();
    return due.length;
  }

  /**
   * A refund: revokes what is still free in the lot (REVOKE entries); credits already used or
   * held by upcoming bookings stay (reported as kept, never clawed back).
   */
  async revokeUnused(lotId: string, options: { actorId?: string | null; reason: string; reference?: string | null }): Promise<{ revoked: number; kept: number }> {
    const lot = await this.em.findOne(CreditLot, lotId, { ...CreditsService.ALL, lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!lot) throw errors.notFound('Credit lot', lotId);
    const revoked = lot.available;
    if (revoked > 0) this.move(lot, 'REVOKE', revoked, { actorId: options.actorId, reason: options.reason, reference: options.reference });
    await this.em.flush();
    return { revoked, kept: lot.consumed + lot.reserved };
  }

  /** An admin's signed correction of a lot's available credits. */
  async adjust(lotId: string, units: number, actorId: string, reason: string): Promise<CreditLot> {
    const lot = await this.em.findOne(CreditLot, lotId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!lot) throw errors.notFound('Credit lot', lotId);
    if (units < 0 && -units > lot.available) {
      throw errors.conflict(`This lot has ${lot.available} available; a correction can remove at most that (reserved and used credits stay).`, { field: 'units' });
    }
    this.move(lot, 'ADJUST', units, { actorId, reason });
    await this.em.flush();
    return lot;
  }

  /**
   * What a member may still spend under their caps for a session starting at `sessionStart`
   * (null: uncapped). The cap row is locked, so one member's parallel bookings take turns.
   */
  private async capLeft(organizationId: string, memberId: string, sessionStart: Date): Promise<MemberCapLeft | undefined> {
    const [cap] = await this.em.getConnection().execute<Array<{ monthly_sessions: number | null; monthly_minutes: number | null; total_sessions: number | null; total_minutes: number | null }>>(
      'SELECT monthly_sessions, monthly_minutes, total_sessions, total_minutes FROM member_credit_cap WHERE organization_id = ? AND member_id = ? FOR UPDATE',
      [organizationId, memberId],
      'all',
      this.em.getTransactionContext(),
    );
    if (!cap) return undefined;
    const rows = await this.em.getConnection().execute<{ kind: CreditLotKind; total: string; month: string }[]>(
      `SELECT l.kind,
              SUM(CASE e.type WHEN 'RESERVE' THEN e.units WHEN 'RELEASE' THEN -e.units ELSE 0 END) AS total,
              SUM(CASE WHEN date_trunc('month', e.session_start AT TIME ZONE 'UTC') = date_trunc('month', ?::timestamptz AT TIME ZONE 'UTC')
                       THEN CASE e.type WHEN 'RESERVE' THEN e.units WHEN 'RELEASE' THEN -e.units ELSE 0 END ELSE 0 END) AS month
         FROM credit_ledger_entry e JOIN credit_lot l ON l.id = e.lot_id
        WHERE e.organization_id = ? AND e.member_id = ?
        GROUP BY l.kind`,
      [sessionStart, organizationId, memberId],
      'all',
      this.em.getTransactionContext(),
    );
    const used = (kind: CreditLotKind, key: 'total' | 'month') => Number(rows.find((r) => r.kind === kind)?.[key] ?? 0);
    const left = (monthly: number | null, total: number | null, kind: CreditLotKind): number | null => {
      const limits = [monthly === null ? null : monthly - used(kind, 'month'), total === null ? null : total - used(kind, 'total')].filter((n): n is number => n !== null);
      return limits.length ? Math.max(0, Math.min(...limits)) : null;
    };
    return {
      sessionsLeft: left(cap.monthly_sessions, cap.total_sessions, CreditLotKind.SESSION),
      minutesLeft: left(cap.monthly_minutes, cap.total_minutes, CreditLotKind.TIME),
    };
  }

  /** Credits a consultation holds now, per lot (locked): reserved minus released and consumed. */
  private async heldFor(consultationId: string): Promise<Array<{ lot: CreditLot; units: number; memberId: string | null; sessionStart: Date | null }>> {
    const rows = await this.em.getConnection().execute<{ lot_id: string; held: string; member_id: string | null; session_start: Date | null }[]>(
      `SELECT lot_id, SUM(CASE type WHEN 'RESERVE' THEN units WHEN 'RELEASE' THEN -units WHEN 'CONSUME' THEN -units ELSE 0 END) AS held,
              MAX(member_id::text) AS member_id, MAX(session_start) AS session_start
         FROM credit_ledger_entry WHERE consultation_id = ? GROUP BY lot_id HAVING SUM(CASE type WHEN 'RESERVE' THEN units WHEN 'RELEASE' THEN -units WHEN 'CONSUME' THEN -units ELSE 0 END) > 0
         ORDER BY lot_id`,
      [consultationId],
      'all',
      this.em.getTransactionContext(),
    );
    if (rows.length === 0) return [];
    const lots = await this.em.find(CreditLot, { id: { $in: rows.map((r) => r.lot_id) } }, { ...CreditsService.ALL, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
    const byId = new Map(lots.map((lot) => [lot.id, lot]));
    return rows.map((r) => ({ lot: byId.get(r.lot_id)!, units: Number(r.held), memberId: r.member_id, sessionStart: r.session_start }));
  }

  /** Applies a movement to a lot's counters (pure rules of ledger.ts) and records its entry. */
  private move(lot: CreditLot, movement: Movement, units: number, meta: EntryMeta): void {
    Object.assign(lot, applyMovement(balanceOf(lot), movement, units));
    this.entry(lot, movement, units, meta);
  }

  private entry(lot: CreditLot, type: LedgerEntryType, units: number, meta: EntryMeta): CreditLedgerEntry {
    return this.em.create(CreditLedgerEntry, {
      organization: lot.organization,
      lot,
      type,
      units,
      consultationId: meta.consultationId ?? null,
      reference: meta.reference ?? null,
      actor: meta.actorId ?? null,
      member: meta.memberId ?? null,
      sessionStart: meta.sessionStart ?? null,
      reason: meta.reason ?? null,
    });
  }
}

interface EntryMeta {
  consultationId?: string | null;
  memberId?: string | null;
  sessionStart?: Date | null;
  actorId?: string | null;
  reference?: string | null;
  reason?: string | null;
}

function balanceOf(lot: LotBalance): LotBalance {
  const { granted, adjusted, available, reserved, consumed, expired, revoked } = lot;
  return { granted, adjusted, available, reserved, consumed, expired, revoked };
}

interface LotRow {
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

/** A locked lot row as allocation and the balance rules read it. */
function lotFromRow(row: LotRow) {
  return {
    id: row.id,
    kind: row.kind,
    source: row.source,
    priority: row.priority,
    sessionMinutes: row.session_minutes,
    allowedBlockMinutes: row.allowed_block_minutes.map(Number),
    granted: row.granted,
    adjusted: row.adjusted,
    available: row.available,
    reserved: row.reserved,
    consumed: row.consumed,
    expired: row.expired,
    revoked: row.revoked,
    expiresAt: new Date(row.expires_at),
    grantedAt: new Date(row.granted_at),
  };
}
