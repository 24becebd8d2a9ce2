import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import { errors } from '../platform/errors.js';
import type { CreditMovement, CreditsChange, DomainEvents } from '../platform/events.js';
import { execute, query, sql, type Sql } from '../platform/sql.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { DAY_MS } from '../platform/time.js';
import { allocate, type Draw, type MemberCapLeft } from './allocation.js';
import { balanceOf } from './balance.js';
import { CreditLedgerEntry, CreditLot } from './credit-lot.entity.js';
import { CreditSource, LedgerEntryType, priorityOf } from './credits.enums.js';
import { applyMovement, grantBalance, type LotBalance, type Movement } from './ledger.js';
import {
  heldEntriesOf,
  heldLotsOf,
  insertFreeTrialLot,
  lockLots,
  lockMemberCap,
  memberDrawn,
  readLockedLots,
  reserveWrites,
  type LockedLots,
  type LotMove,
  type LotRow,
  type ReserveEntry,
} from './lot.sql.js';

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

export type { LockedLots } from './lot.sql.js';

const FREE_TRIAL_CODE = 'PKG-FREE-TRIAL';
const FREE_TRIAL_FALLBACK = { minutes: 15, validityDays: 30 };

/**
 * The credit ledger's writes. Every method runs inside the caller's transaction (the booking,
 * payment or verification that causes it) and changes a lot's counters only together with a
 * ledger entry; lots are locked first, so concurrent requests serialize per lot. Every call that
 * moves credits emits one credits.changed per organization with its movements, in that
 * transaction, after its writes.
 */
export class CreditsService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEvents,
  ) {}

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
    await this.announce(input.organizationId, [movementOf(lot, LedgerEntryType.GRANT, input.units)], { actorId: input.actorId ?? null, at: lot.grantedAt });
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
    const inserted = await query<{ id: string }>(
      this.em,
      insertFreeTrialLot({ id, organizationId, packageId: trial?.id ?? null, priority: priorityOf(CreditSource.FREE_TRIAL), minutes, expiresAt: new Date(now.getTime() + validityDays * DAY_MS), now }),
    );
    if (inserted.length === 0) return null;
    const lot = await this.em.findOneOrFail(CreditLot, id, ACROSS_TENANTS);
    this.entry(lot, LedgerEntryType.GRANT, 1, { actorId, reason: 'Free trial on email verification' });
    await this.em.flush();
    await this.announce(organizationId, [movementOf(lot, LedgerEntryType.GRANT, 1)], { actorId, at: now });
    return lot;
  }

  /**
   * Holds credits for a consultation: the allocation rule picks the lots, which are locked,
   * so two bookings racing for the last credit end with exactly one PAYMENT_REQUIRED.
   */
  async reserve(input: ReserveInput): Promise<Draw[]> {
    const { draws, writes, change } = await this.prepareReserve(input);
    await execute(this.em, sql`WITH ${writes} SELECT 1`);
    await this.emitChange(change);
    return draws;
  }

  /**
   * `reserve` for a caller that stores what the credits pay for in the same statement (a
   * booking): locks and reads the lots (or takes `locked`, read as lot.sql.ts's lockedLots says)
   * and decides (the allocation rule), then leaves the lots' new counters and their RESERVE
   * entries to the caller as WITH clauses (reserveWrites), which its next statement in this
   * transaction must carry (nothing may touch these lots in between); then the caller emits
   * `change` (emitChange) — it carries the balance after, counted from the lots at hand.
   */
  async prepareReserve(input: ReserveInput, locked?: LockedLots): Promise<{ draws: Draw[]; writes: Sql; change: CreditsChange }> {
    // The hot path of booking (bench/credits.bench.ts, bench/booking.bench.ts): lots are read
    // and written with plain statements in this transaction, skipping entity hydration and the
    // unit of work, which cost more than the SQL itself: a lock, a read and a write when the
    // member has no cap. The rules stay the pure allocation and ledger functions.
    if (!locked) {
      await query(this.em, lockLots(input.organizationId));
      const [row] = await query<{ locked: LockedLots }>(this.em, readLockedLots(input.organizationId, input.memberId ?? null));
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
    const moves: LotMove[] = [];
    const entries: ReserveEntry[] = [];
    const movements: CreditMovement[] = [];
    const createdAt = new Date();
    for (const draw of allocation.draws) {
      const lot = byId.get(draw.lotId)!;
      const { available, reserved } = applyMovement(countersOf(lot), 'RESERVE', draw.units);
      moves.push({ lotId: lot.id, available, reserved });
      movements.push({ lotId: lot.id, type: LedgerEntryType.RESERVE, units: draw.units, kind: lot.kind, source: lot.source, expiresAt: lot.expiresAt });
      lot.available = available; // the balance after (below) counts the draw
      entries.push({
        organizationId: input.organizationId,
        lotId: lot.id,
        units: draw.units,
        consultationId: input.consultationId,
        memberId: input.memberId ?? null,
        sessionStart: input.sessionStart,
        actorId: input.actorId ?? null,
        createdAt,
      });
      // A copy this EntityManager already manages must not go stale.
      const managed = this.em.getUnitOfWork().getById(CreditLot, lot.id);
      if (managed) Object.assign(managed, { available, reserved });
    }
    const change: CreditsChange = {
      organizationId: input.organizationId,
      movements,
      consultationId: input.consultationId,
      actorId: input.actorId ?? null,
      at: createdAt,
      // Every live lot was read: the balance after is known without another read.
      balance: balanceOf(lots, createdAt),
    };
    return { draws: allocation.draws, writes: reserveWrites(moves, entries), change };
  }

  /** Emits a prepared reservation's credits.changed once its writes ran (prepareReserve). */
  emitChange(change: CreditsChange): Promise<void> {
    return this.events.emit('credits.changed', change, this.em);
  }

  /**
   * Gives a consultation's held credits back. A lot that expired meanwhile expires them at
   * once. Returns the units released per lot (empty when nothing was held).
   */
  async release(consultationId: string, options: { actorId?: string | null; reason?: string | null; now?: Date } = {}): Promise<Draw[]> {
    const now = options.now ?? new Date();
    const held = await this.heldFor(consultationId);
    const movements: CreditMovement[] = [];
    for (const { lot, units, memberId, sessionStart } of held) {
      this.move(lot, 'RELEASE', units, { consultationId, actorId: options.actorId, reason: options.reason, memberId, sessionStart });
      movements.push(movementOf(lot, LedgerEntryType.RELEASE, units));
      if (lot.expiresAt.getTime() <= now.getTime()) {
        this.move(lot, 'EXPIRE', units, { consultationId, reason: 'Released after the lot expired', memberId, sessionStart });
        movements.push(movementOf(lot, LedgerEntryType.EXPIRE, units));
      }
    }
    await this.em.flush();
    await this.announceHeld(held, movements, { consultationId, actorId: options.actorId ?? null, at: now });
    return held.map(({ lot, units }) => ({ lotId: lot.id, units }));
  }

  /** Turns a consultation's held credits into used ones (completion, client no-show, late cancel). */
  async consume(consultationId: string, options: { actorId?: string | null; reason?: string | null } = {}): Promise<Draw[]> {
    const held = await this.heldFor(consultationId);
    for (const { lot, units, memberId, sessionStart } of held) {
      this.move(lot, 'CONSUME', units, { consultationId, actorId: options.actorId, reason: options.reason, memberId, sessionStart });
    }
    await this.em.flush();
    const movements = held.map(({ lot, units }) => movementOf(lot, LedgerEntryType.CONSUME, units));
    await this.announceHeld(held, movements, { consultationId, actorId: options.actorId ?? null, at: new Date() });
    return held.map(({ lot, units }) => ({ lotId: lot.id, units }));
  }

  /** The credits a consultation holds, per lot, with the lot's expiry and its package's late-cancel rule. */
  async heldLots(consultationId: string): Promise<Array<{ lotId: string; units: number; expiresAt: Date; lateCancelConsumes: boolean | null }>> {
    const rows = await query<{ lot_id: string; held: string; expires_at: Date; late_cancel_consumes: boolean | null }>(this.em, heldLotsOf(consultationId));
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
      { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    const byOrganization = new Map<string, CreditMovement[]>();
    for (const lot of due) {
      const units = lot.available;
      this.move(lot, 'EXPIRE', units, { reason: 'Lot expired' });
      const movements = byOrganization.get(lot.organization.id) ?? [];
      movements.push(movementOf(lot, LedgerEntryType.EXPIRE, units));
      byOrganization.set(lot.organization.id, movements);
    }
    await this.em.flush();
    for (const [organizationId, movements] of byOrganization) await this.announce(organizationId, movements, { actorId: null, at: now });
    return due.length;
  }

  /**
   * A refund: revokes what is still free in the lot (REVOKE entries); credits already used or
   * held by upcoming bookings stay (reported as kept, never clawed back).
   */
  async revokeUnused(lotId: string, options: { actorId?: string | null; reason: string; reference?: string | null }): Promise<{ revoked: number; kept: number }> {
    const lot = await this.em.findOne(CreditLot, lotId, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!lot) throw errors.notFound('Credit lot', lotId);
    const revoked = lot.available;
    if (revoked > 0) this.move(lot, 'REVOKE', revoked, { actorId: options.actorId, reason: options.reason, reference: options.reference });
    await this.em.flush();
    if (revoked > 0) await this.announce(lot.organization.id, [movementOf(lot, LedgerEntryType.REVOKE, revoked)], { actorId: options.actorId ?? null, at: new Date() });
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
    await this.announce(lot.organization.id, [movementOf(lot, LedgerEntryType.ADJUST, units)], { actorId, at: new Date() });
    return lot;
  }

  /**
   * What a member may still spend under their caps for a session starting at `sessionStart`
   * (null: uncapped). The cap row is locked, so one member's parallel bookings take turns.
   */
  private async capLeft(organizationId: string, memberId: string, sessionStart: Date): Promise<MemberCapLeft | undefined> {
    const [cap] = await query<{ monthly_sessions: number | null; monthly_minutes: number | null; total_sessions: number | null; total_minutes: number | null }>(
      this.em,
      lockMemberCap(organizationId, memberId),
    );
    if (!cap) return undefined;
    const rows = await query<{ kind: CreditLotKind; total: string; month: string }>(this.em, memberDrawn(organizationId, memberId, sessionStart));
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
    const rows = await query<{ lot_id: string; held: string; member_id: string | null; session_start: Date | null }>(this.em, heldEntriesOf(consultationId));
    if (rows.length === 0) return [];
    const lots = await this.em.find(CreditLot, { id: { $in: rows.map((r) => r.lot_id) } }, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
    const byId = new Map(lots.map((lot) => [lot.id, lot]));
    return rows.map((r) => ({ lot: byId.get(r.lot_id)!, units: Number(r.held), memberId: r.member_id, sessionStart: r.session_start }));
  }

  /** credits.changed for one organization's movements (none: nothing moved, nothing said). */
  private async announce(organizationId: string, movements: CreditMovement[], meta: { consultationId?: string | null; actorId: string | null; at: Date }): Promise<void> {
    if (movements.length === 0) return;
    await this.events.emit('credits.changed', { organizationId, movements, consultationId: meta.consultationId ?? null, actorId: meta.actorId, at: meta.at }, this.em);
  }

  /** A consultation's held lots all belong to its organization. */
  private announceHeld(held: Array<{ lot: CreditLot }>, movements: CreditMovement[], meta: { consultationId: string; actorId: string | null; at: Date }): Promise<void> {
    return held[0] ? this.announce(held[0].lot.organization.id, movements, meta) : Promise.resolve();
  }

  /** Applies a movement to a lot's counters (pure rules of ledger.ts) and records its entry. */
  private move(lot: CreditLot, movement: Movement, units: number, meta: EntryMeta): void {
    Object.assign(lot, applyMovement(countersOf(lot), movement, units));
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

function movementOf(lot: CreditLot, type: LedgerEntryType, units: number): CreditMovement {
  return { lotId: lot.id, type, units, kind: lot.kind, source: lot.source, expiresAt: lot.expiresAt };
}

function countersOf(lot: LotBalance): LotBalance {
  const { granted, adjusted, available, reserved, consumed, expired, revoked } = lot;
  return { granted, adjusted, available, reserved, consumed, expired, revoked };
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
