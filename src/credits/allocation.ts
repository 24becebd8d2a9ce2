/**
 * Credit allocation: which lots pay for a session. Pure (no I/O), deterministic, property-tested.
 *
 * The rule (issue 4, invariants I6):
 * - Lots are ranked by priority (lower first), then soonest expiry, then oldest grant, then id.
 * - `useFreeTrial` leaves only FREE_TRIAL lots in play.
 * - A lot may pay only when it is still valid at the session's end (`expiresAt >= sessionEnd`)
 *   and the session's length fits it: a SESSION credit pays a session of up to its
 *   `sessionMinutes`; a TIME lot pays only a length listed in its `allowedBlockMinutes`.
 * - Option S: one unit from the first eligible SESSION lot with a unit available.
 *   Option T: the session's minutes taken greedily from eligible TIME lots in rank order (one
 *   draw per lot), only if they cover all of it.
 * - The option whose first lot ranks earlier wins; an option the member's cap forbids is skipped.
 * - No option: the reason comes from the lots that could pay (explainFailure).
 */
import { CreditLotKind } from '../catalog/package.entity.js';
import { CreditSource, NoCreditReason } from './credits.enums.js';

/** What allocation needs to know of a lot. Units: sessions (SESSION) or minutes (TIME). */
export interface AllocatableLot {
  id: string;
  kind: CreditLotKind;
  source: CreditSource;
  priority: number;
  /** SESSION: the longest session one credit pays. TIME: unused (see allowedBlockMinutes). */
  sessionMinutes: number;
  /** Session lengths the lot may pay for (SESSION: [sessionMinutes] or shorter ones are fine, see rules). */
  allowedBlockMinutes: readonly number[];
  available: number;
  reserved: number;
  expiresAt: Date;
  grantedAt: Date;
}

/** What is left of a member's cap for the period of the session; null = no cap. */
export interface MemberCapLeft {
  /** SESSION credits the member may still reserve. */
  sessionsLeft: number | null;
  /** TIME minutes the member may still reserve. */
  minutesLeft: number | null;
}

export interface AllocationRequest {
  durationMinutes: number;
  /** The session's end: a lot must still be valid then. */
  sessionEnd: Date;
  /** Only the free-trial lot may pay. */
  useFreeTrial?: boolean;
  /** The member's cap, if the organization set one (absent = no cap). */
  memberCap?: MemberCapLeft;
}

export interface Draw {
  lotId: string;
  units: number;
}

export type Allocation = { ok: true; draws: Draw[] } | { ok: false; reason: NoCreditReason; message: string };

/** The draw-down order: priority asc, expiresAt asc, grantedAt asc, id asc (code-unit order, locale-free). */
export function compareLots(a: AllocatableLot, b: AllocatableLot): number {
  return (
    a.priority - b.priority ||
    a.expiresAt.getTime() - b.expiresAt.getTime() ||
    a.grantedAt.getTime() - b.grantedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** A new array of the lots in draw-down order (the input is left as it is). */
export function sortLots<T extends AllocatableLot>(lots: readonly T[]): T[] {
  return [...lots].sort(compareLots);
}

/** The lot is still valid when the session ends (I6). */
export function isValidAt(lot: AllocatableLot, sessionEnd: Date): boolean {
  return lot.expiresAt.getTime() >= sessionEnd.getTime();
}

/** The lot may pay a session of this length: SESSION up to its minutes, TIME only its listed blocks. */
export function fitsLength(lot: AllocatableLot, durationMinutes: number): boolean {
  return lot.kind === CreditLotKind.SESSION ? durationMinutes <= lot.sessionMinutes : lot.allowedBlockMinutes.includes(durationMinutes);
}

interface Option {
  /** Rank of the option's first lot among the eligible lots (lower = earlier). */
  rank: number;
  draws: Draw[];
}

/** Option S: one unit from the first eligible SESSION lot with a unit available. */
function sessionOption(eligible: readonly AllocatableLot[]): Option | null {
  const rank = eligible.findIndex((lot) => lot.kind === CreditLotKind.SESSION && lot.available >= 1);
  return rank < 0 ? null : { rank, draws: [{ lotId: eligible[rank]!.id, units: 1 }] };
}

/** Option T: the session's minutes, greedily from eligible TIME lots in order; all or nothing. */
function timeOption(eligible: readonly AllocatableLot[], durationMinutes: number): Option | null {
  const draws: Draw[] = [];
  let rank = -1;
  let needed = durationMinutes;
  for (const [index, lot] of eligible.entries()) {
    if (needed <= 0) break;
    if (lot.kind !== CreditLotKind.TIME || lot.available <= 0) continue;
    if (rank < 0) rank = index;
    const units = Math.min(lot.available, needed);
    draws.push({ lotId: lot.id, units });
    needed -= units;
  }
  return needed > 0 ? null : { rank, draws };
}

function assertRequest(request: AllocationRequest): void {
  if (!Number.isSafeInteger(request.durationMinutes) || request.durationMinutes <= 0) {
    throw new RangeError(`durationMinutes must be a positive whole number, got ${request.durationMinutes}`);
  }
  if (!(request.sessionEnd instanceof Date) || Number.isNaN(request.sessionEnd.getTime())) {
    throw new RangeError('sessionEnd must be a valid date');
  }
}

/**
 * Which lots pay for the session, or why none can. Pure and deterministic: the result depends
 * on the set of lots, not on their order in the input.
 */
export function allocate(lots: readonly AllocatableLot[], request: AllocationRequest): Allocation {
  assertRequest(request);
  const { durationMinutes, sessionEnd } = request;
  const pool = sortLots(request.useFreeTrial ? lots.filter((lot) => lot.source === CreditSource.FREE_TRIAL) : lots);
  const eligible = pool.filter((lot) => isValidAt(lot, sessionEnd) && fitsLength(lot, durationMinutes));

  const s = sessionOption(eligible);
  const t = timeOption(eligible, durationMinutes);
  const sessionsLeft = request.memberCap?.sessionsLeft ?? null;
  const minutesLeft = request.memberCap?.minutesLeft ?? null;
  const sAllowed = s !== null && (sessionsLeft === null || sessionsLeft >= 1);
  const tAllowed = t !== null && (minutesLeft === null || minutesLeft >= durationMinutes);

  if (sAllowed && (!tAllowed || s.rank < t.rank)) return { ok: true, draws: s.draws };
  if (tAllowed) return { ok: true, draws: t.draws };
  return explainFailure({ pool, request, sessionBlockedByCap: s !== null, timeBlockedByCap: t !== null, sessionsLeft, minutesLeft });
}

interface FailureFacts {
  /** The lots in play (after the free-trial filter), ranked. */
  pool: readonly AllocatableLot[];
  request: AllocationRequest;
  sessionBlockedByCap: boolean;
  timeBlockedByCap: boolean;
  sessionsLeft: number | null;
  minutesLeft: number | null;
}

const fail = (reason: NoCreditReason, message: string): Allocation => ({ ok: false, reason, message });
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const iso = (date: Date): string => date.toISOString();
/** A lot with anything left in it, free or held (a spent lot counts as no lot). */
const isLive = (lot: AllocatableLot): boolean => lot.available > 0 || lot.reserved > 0;

/**
 * Why no lot pays, from the lots that could pay this session (issue 10): when lots of this
 * length valid at its end exist, the reason is theirs alone (held, capped, too few minutes);
 * else, when lots of this length exist, they expire before it ends; else none is of this
 * length. Lots of another length, or the trial's neighbours under useFreeTrial, never decide
 * the reason (an unrelated 15-minute trial must not turn "held" into "wrong length").
 */
function explainFailure(facts: FailureFacts): Allocation {
  const { pool, request } = facts;
  const { durationMinutes, sessionEnd } = request;
  const trial = request.useFreeTrial === true;
  const live = pool.filter(isLive);

  // 1. Nothing at all, or everything granted is gone (used, expired, revoked) and nothing is held.
  if (live.length === 0) {
    if (trial) {
      return fail(
        NoCreditReason.NO_CREDITS,
        'useFreeTrial: your organization has no free trial left (there is one per organization, ever, and it has been used or has run out). Book without useFreeTrial to pay with your other credits, or buy a package.',
      );
    }
    return fail(
      NoCreditReason.NO_CREDITS,
      pool.length === 0
        ? 'Your organization has no credits. Buy a package to book this session.'
        : 'All your credits have been used. Buy a package to book this session.',
    );
  }

  // 2. No lot pays a session of this length.
  const fitting = live.filter((lot) => fitsLength(lot, durationMinutes));
  if (fitting.length === 0) {
    const withUnits = live.filter((lot) => lot.available > 0);
    const validWithUnits = withUnits.filter((lot) => isValidAt(lot, sessionEnd));
    const lengths = describeLengths(validWithUnits.length > 0 ? validWithUnits : withUnits.length > 0 ? withUnits : live);
    return fail(
      NoCreditReason.WRONG_LENGTH,
      trial
        ? `Your free trial does not pay a ${durationMinutes}-minute session: it pays ${lengths}. Book a shorter session, or book without useFreeTrial.`
        : `None of your credits pays a ${durationMinutes}-minute session: they pay ${lengths}. Choose a length your credits pay, or buy a package that covers ${durationMinutes} minutes.`,
    );
  }

  // 3. Lots of this length exist, but every one expires before the session ends.
  const payers = fitting.filter((lot) => isValidAt(lot, sessionEnd));
  if (payers.length === 0) {
    const withUnits = fitting.filter((lot) => lot.available > 0);
    const expiring = withUnits.length > 0 ? withUnits : fitting;
    const lastExpiry = new Date(Math.max(...expiring.map((lot) => lot.expiresAt.getTime())));
    const one = trial || expiring.length === 1;
    const what = trial ? 'Your free trial expires' : `${one ? 'Your credits' : 'All your credits'} that could pay a ${durationMinutes}-minute session expire`;
    return fail(
      NoCreditReason.EXPIRED,
      `${what} before this session ends (${one ? 'valid until' : 'the last one is valid until'} ${iso(lastExpiry)}, the session ends ${iso(sessionEnd)}). Book a session that ends by then, or buy a package.`,
    );
  }

  // From here on only the lots that could pay speak. 4. What they have free is not enough and some is held by bookings.
  const noOption = !facts.sessionBlockedByCap && !facts.timeBlockedByCap;
  if (noOption && payers.some((lot) => lot.reserved > 0)) {
    const heldSessions = sum(payers.filter((lot) => lot.kind === CreditLotKind.SESSION).map((lot) => lot.reserved));
    const heldMinutes = sum(payers.filter((lot) => lot.kind === CreditLotKind.TIME).map((lot) => lot.reserved));
    const freeMinutes = freeTimeMinutes(payers);
    const held = [heldSessions > 0 ? plural(heldSessions, 'session credit') : '', heldMinutes > 0 ? plural(heldMinutes, 'minute') : '']
      .filter(Boolean)
      .join(' and ');
    const partly = freeMinutes > 0 ? `; only ${freeMinutes} of the ${durationMinutes} minutes needed are free` : '';
    return fail(
      NoCreditReason.ALL_RESERVED,
      trial
        ? `Your free trial is held by an upcoming booking (${held}). Cancel that booking to use it here, or book without useFreeTrial.`
        : `All your credits that could pay this session are held by upcoming bookings (${held} reserved${partly}). Cancel one of those bookings, or buy a package.`,
    );
  }

  // 5. An option exists, but the member's cap forbids it.
  if (!noOption) {
    const parts: string[] = [];
    if (facts.sessionBlockedByCap) parts.push(`${plural(Math.max(0, facts.sessionsLeft ?? 0), 'session')} left`);
    if (facts.timeBlockedByCap) parts.push(`${plural(Math.max(0, facts.minutesLeft ?? 0), 'minute')} left, this session needs ${durationMinutes}`);
    return fail(
      NoCreditReason.MEMBER_CAP,
      `You have reached the credit cap your organization set for you (${parts.join('; ')}). Ask your organization's owner to raise your cap.`,
    );
  }

  // 6. Anything else: not enough.
  const freeMinutes = freeTimeMinutes(payers);
  if (freeMinutes > 0) {
    return fail(
      NoCreditReason.NO_CREDITS,
      `Your time credits have only ${freeMinutes} of the ${durationMinutes} minutes this session needs. Buy more hours, or book a shorter session.`,
    );
  }
  return fail(
    NoCreditReason.NO_CREDITS,
    trial
      ? 'useFreeTrial: your free trial cannot pay this session. Book without useFreeTrial, or buy a package.'
      : `None of your credits left can pay a ${durationMinutes}-minute session ending ${iso(sessionEnd)}. Buy a package to book it.`,
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function freeTimeMinutes(eligible: readonly AllocatableLot[]): number {
  return sum(eligible.filter((lot) => lot.kind === CreditLotKind.TIME && lot.available > 0).map((lot) => lot.available));
}

/** "sessions of up to 60 minutes; blocks of 60, 90 or 120 minutes" — order-independent. */
function describeLengths(lots: readonly AllocatableLot[]): string {
  const parts: string[] = [];
  const sessionLots = lots.filter((lot) => lot.kind === CreditLotKind.SESSION);
  if (sessionLots.length > 0) parts.push(`sessions of up to ${Math.max(...sessionLots.map((lot) => lot.sessionMinutes))} minutes`);
  const blocks = [...new Set(lots.filter((lot) => lot.kind === CreditLotKind.TIME).flatMap((lot) => lot.allowedBlockMinutes))].sort((a, b) => a - b);
  if (blocks.length > 0) parts.push(`blocks of ${orList(blocks.map(String))} minutes`);
  return parts.length > 0 ? parts.join(', or ') : 'no session length';
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;
}
