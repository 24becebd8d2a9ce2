/**
 * The balance arithmetic of one credit lot. Pure: every movement returns a new balance or throws
 * LedgerRuleError and leaves the old one as it was.
 *
 * The identity (invariants I4): granted + adjusted = available + reserved + consumed + expired +
 * revoked; every term is a whole number and none but `adjusted` (the sum of signed ADJUST
 * entries) is ever negative. Units: sessions for SESSION lots, minutes for TIME lots.
 */

export interface LotBalance {
  granted: number;
  adjusted: number;
  available: number;
  reserved: number;
  consumed: number;
  expired: number;
  revoked: number;
}

export type Movement = 'RESERVE' | 'RELEASE' | 'CONSUME' | 'EXPIRE' | 'REVOKE' | 'ADJUST';

export const MOVEMENTS: readonly Movement[] = ['RESERVE', 'RELEASE', 'CONSUME', 'EXPIRE', 'REVOKE', 'ADJUST'];

/** A movement (or grant) that would break the ledger's rules; nothing was changed. */
export class LedgerRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerRuleError';
  }
}

type Term = Exclude<keyof LotBalance, 'granted' | 'adjusted'>;

/** Each non-ADJUST movement moves units from one term to another. */
const FLOWS: Record<Exclude<Movement, 'ADJUST'>, { from: Term; to: Term; verb: string }> = {
  RESERVE: { from: 'available', to: 'reserved', verb: 'reserve' },
  RELEASE: { from: 'reserved', to: 'available', verb: 'release' },
  CONSUME: { from: 'reserved', to: 'consumed', verb: 'consume' },
  EXPIRE: { from: 'available', to: 'expired', verb: 'expire' },
  REVOKE: { from: 'available', to: 'revoked', verb: 'revoke' },
};

const isWhole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

/** The balance of a new lot of `units` (a positive whole number). */
export function grantBalance(units: number): LotBalance {
  if (!isWhole(units) || units <= 0) throw new LedgerRuleError(`A grant needs a positive whole number of units, got ${String(units)}`);
  return { granted: units, adjusted: 0, available: units, reserved: 0, consumed: 0, expired: 0, revoked: 0 };
}

/** The identity of I4 holds, every term is a whole number, and none but `adjusted` is negative. */
export function balanceHolds(b: LotBalance): boolean {
  const terms = [b.granted, b.adjusted, b.available, b.reserved, b.consumed, b.expired, b.revoked];
  if (!terms.every(isWhole)) return false;
  if ([b.granted, b.available, b.reserved, b.consumed, b.expired, b.revoked].some((n) => n < 0)) return false;
  return b.granted + b.adjusted === b.available + b.reserved + b.consumed + b.expired + b.revoked;
}

/**
 * The balance after one movement, as a new object. RESERVE available→reserved, RELEASE
 * reserved→available, CONSUME reserved→consumed, EXPIRE available→expired, REVOKE
 * available→revoked: `units` a positive whole number, at most what the source term holds.
 * ADJUST: signed, non-zero whole `units` added to both `adjusted` and `available` (a negative
 * one may not take more than is available). Anything else throws LedgerRuleError.
 */
export function applyMovement(balance: LotBalance, movement: Movement, units: number): LotBalance {
  if (!balanceHolds(balance)) throw new LedgerRuleError(`The lot's balance is inconsistent, refusing ${String(movement)}: ${JSON.stringify(balance)}`);
  if (movement === 'ADJUST') {
    if (!isWhole(units) || units === 0) throw new LedgerRuleError(`An adjustment needs a non-zero whole number of units, got ${String(units)}`);
    if (balance.available + units < 0) {
      throw new LedgerRuleError(`Cannot adjust by ${units} a lot with ${balance.available} available`);
    }
    return { ...balance, adjusted: balance.adjusted + units, available: balance.available + units };
  }
  const flow = Object.hasOwn(FLOWS, movement) ? FLOWS[movement] : undefined;
  if (flow === undefined) throw new LedgerRuleError(`Unknown movement ${String(movement)}`);
  if (!isWhole(units) || units <= 0) {
    throw new LedgerRuleError(`Cannot ${flow.verb} ${String(units)}: ${movement} needs a positive whole number of units`);
  }
  if (balance[flow.from] < units) {
    throw new LedgerRuleError(`Cannot ${flow.verb} ${units} from a lot with ${balance[flow.from]} ${flow.from}`);
  }
  return { ...balance, [flow.from]: balance[flow.from] - units, [flow.to]: balance[flow.to] + units };
}
