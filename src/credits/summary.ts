/**
 * An organization's balances, worked out from its lots (whose counters move only with ledger
 * entries). Pure: the caller reads the lots and the completed consultations.
 */
import type { CreditLotKind } from '../catalog/package.entity.js';
import { DAY_MS, addMs } from '../platform/time.js';
import { CreditSource } from './credits.enums.js';
import type { LotBalance } from './ledger.js';

/** A lot with credits left that expires within this many days is "expiring soon". */
export const EXPIRING_SOON_DAYS = 14;

/** What the summary reads of a lot. */
export interface SummarizedLot extends Pick<LotBalance, 'granted' | 'adjusted' | 'available' | 'reserved' | 'consumed'> {
  kind: CreditLotKind;
  source: CreditSource;
  expiresAt: Date;
}

export interface FreeTrialState {
  granted: boolean;
  available: boolean;
  used: boolean;
  expiresAt: Date | null;
}

export interface CreditBalances<Lot> {
  availableCredits: number;
  reservedCredits: number;
  availableMinutes: number;
  reservedMinutes: number;
  /** Lots with credits left or held, in the order given. */
  lots: Lot[];
  /** Unexpired lots with credits left that expire within EXPIRING_SOON_DAYS of `now`. */
  expiringSoon: Lot[];
  freeTrial: FreeTrialState;
  lifetime: {
    grantedCredits: number;
    usedCredits: number;
    grantedMinutes: number;
    usedMinutes: number;
    completedConsultations: number;
  };
}

/**
 * Available units count only unexpired lots; reserved units count every lot (a session booked
 * before its lot expired still holds them); lifetime totals count every lot ever. SESSION lots
 * are in sessions (credits), TIME lots in minutes. `lots` keep their order (soonest expiry first
 * as read).
 */
export function summarizeCredits<Lot extends SummarizedLot>(lots: readonly Lot[], completedConsultations: number, now: Date): CreditBalances<Lot> {
  const live = lots.filter((lot) => lot.expiresAt > now);
  const sum = (kind: CreditLotKind, pick: (lot: Lot) => number, from: readonly Lot[] = live) => from.filter((l) => l.kind === kind).reduce((n, l) => n + pick(l), 0);
  const soon = addMs(now, EXPIRING_SOON_DAYS * DAY_MS);
  const trial = lots.find((lot) => lot.source === CreditSource.FREE_TRIAL);
  return {
    availableCredits: sum('SESSION', (l) => l.available),
    reservedCredits: sum('SESSION', (l) => l.reserved, lots),
    availableMinutes: sum('TIME', (l) => l.available),
    reservedMinutes: sum('TIME', (l) => l.reserved, lots),
    lots: lots.filter((l) => (l.available > 0 && l.expiresAt > now) || l.reserved > 0),
    expiringSoon: live.filter((l) => l.available > 0 && l.expiresAt <= soon),
    freeTrial: {
      granted: !!trial,
      available: !!trial && trial.available > 0 && trial.expiresAt > now,
      used: !!trial && trial.consumed > 0,
      expiresAt: trial?.expiresAt ?? null,
    },
    lifetime: {
      grantedCredits: sum('SESSION', (l) => l.granted + l.adjusted, lots),
      usedCredits: sum('SESSION', (l) => l.consumed, lots),
      grantedMinutes: sum('TIME', (l) => l.granted + l.adjusted, lots),
      usedMinutes: sum('TIME', (l) => l.consumed, lots),
      completedConsultations,
    },
  };
}
