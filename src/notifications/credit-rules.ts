/**
 * When the credit messages go: pure rules over credits.changed (no I/O), property-tested.
 *
 * Low credit (issue 14): an organization is low on SESSION credits under 3 sessions free to book
 * with in its unexpired SESSION lots, and low on TIME credits under 120 minutes in its TIME lots;
 * each kind is its own line. LOW_CREDIT goes once per crossing — a movement that takes the
 * balance from at or above the line to below it — and then waits until a grant (a purchase, a
 * subscription period, the free trial, an admin's grant or positive correction) lifts that
 * balance to the line again: a cancellation that gives a credit back does not re-arm it, so
 * booking and cancelling around the line never repeats the alert.
 */
import type { CreditBalance, CreditMovement, CreditsChange } from '../platform/events.js';
import { DAY_MS } from '../platform/time.js';
import { MessageKind } from './notification.enums.js';

export type BalanceKind = 'SESSION' | 'TIME';
export const BALANCE_KINDS: readonly BalanceKind[] = ['SESSION', 'TIME'];

/** The line per kind: sessions, minutes. */
export const LOW_CREDIT_LINE: Readonly<Record<BalanceKind, number>> = { SESSION: 3, TIME: 120 };

const kindOf = (m: CreditMovement): BalanceKind => (m.kind === 'TIME' ? 'TIME' : 'SESSION');
export const amountOf = (balance: CreditBalance, kind: BalanceKind): number => (kind === 'TIME' ? balance.minutes : balance.sessions);

/**
 * What one movement did to its kind's balance (free credits in unexpired lots) at the change's
 * moment. A lot past its date no longer counted, so moving its credits changes nothing — except
 * the sweep's EXPIRE, whose credits counted until that date: the balance fell at the expiry.
 */
export function balanceEffect(m: CreditMovement, change: Pick<CreditsChange, 'consultationId' | 'at'>): number {
  const live = m.expiresAt.getTime() > change.at.getTime();
  switch (m.type) {
    case 'GRANT':
    case 'RELEASE':
      return live ? m.units : 0;
    case 'ADJUST':
      return live ? m.units : 0;
    case 'RESERVE':
    case 'REVOKE':
      return live ? -m.units : 0;
    case 'EXPIRE':
      // A release after the lot's date expires what was held, never counted as free.
      return change.consultationId ? 0 : -m.units;
    default:
      return 0;
  }
}

/** The change's effect per kind; a kind it did not touch is absent. */
export function balanceDelta(change: Pick<CreditsChange, 'movements' | 'consultationId' | 'at'>): Partial<Record<BalanceKind, number>> {
  const delta: Partial<Record<BalanceKind, number>> = {};
  for (const m of change.movements) delta[kindOf(m)] = (delta[kindOf(m)] ?? 0) + balanceEffect(m, change);
  return delta;
}

/** Kinds whose balance went down: the ones that may have crossed the line (their balance after must be known). */
export function loweredKinds(change: Pick<CreditsChange, 'movements' | 'consultationId' | 'at'>): BalanceKind[] {
  const delta = balanceDelta(change);
  return BALANCE_KINDS.filter((kind) => (delta[kind] ?? 0) < 0);
}

/** Kinds a grant (or a positive correction) lifted: the ones that may re-arm. */
export function grantedKinds(change: Pick<CreditsChange, 'movements' | 'consultationId' | 'at'>): BalanceKind[] {
  const lifted = change.movements.filter((m) => (m.type === 'GRANT' || (m.type === 'ADJUST' && m.units > 0)) && balanceEffect(m, change) > 0);
  return BALANCE_KINDS.filter((kind) => lifted.some((m) => kindOf(m) === kind));
}

/** The balance went from at or above the line to below it (before = after − delta). */
export function crossedDown(kind: BalanceKind, after: number, delta: number): boolean {
  const line = LOW_CREDIT_LINE[kind];
  return after < line && after - delta >= line;
}

/** At or above the line again: a disarmed alert re-arms. */
export function aboveLine(kind: BalanceKind, after: number): boolean {
  return after >= LOW_CREDIT_LINE[kind];
}

/**
 * The expiry warnings a lot gets at its grant: 7 days and 1 day before it expires, each only if
 * that moment is still ahead (a lot valid for 5 days gets the 1-day one only).
 */
export function expiryWarnings(expiresAt: Date, grantedAt: Date): Array<{ kind: MessageKind; dueAt: Date }> {
  const warnings = [
    { kind: MessageKind.CREDITS_EXPIRING_7D, dueAt: new Date(expiresAt.getTime() - 7 * DAY_MS) },
    { kind: MessageKind.CREDITS_EXPIRING_1D, dueAt: new Date(expiresAt.getTime() - DAY_MS) },
  ];
  return warnings.filter((w) => w.dueAt.getTime() > grantedAt.getTime());
}

/**
 * Whether an expiry warning still makes sense at `now`: the lot still has credits free (a lot
 * used up, revoked or held in full by bookings loses nothing), it has not expired, and — for the
 * 7-day one — the 1-day one's moment has not come (a late worker sends the nearer one only).
 */
export function expiryWarningRelevant(kind: MessageKind, lot: { available: number; expiresAt: Date } | null, now: Date): boolean {
  if (!lot || lot.available <= 0) return false;
  const left = lot.expiresAt.getTime() - now.getTime();
  if (left <= 0) return false;
  return kind === MessageKind.CREDITS_EXPIRING_7D ? left > DAY_MS : true;
}
