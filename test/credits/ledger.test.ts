import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerRuleError, MOVEMENTS, applyMovement, balanceHolds, grantBalance, type LotBalance, type Movement } from '../../src/credits/ledger.js';

const balance = (over: Partial<LotBalance> = {}): LotBalance =>
  Object.freeze({ granted: 10, adjusted: 0, available: 10, reserved: 0, consumed: 0, expired: 0, revoked: 0, ...over });

/** The source and target term of each flow movement: the test's own model, written out by hand. */
const MODEL: Record<Exclude<Movement, 'ADJUST'>, [keyof LotBalance, keyof LotBalance]> = {
  RESERVE: ['available', 'reserved'],
  RELEASE: ['reserved', 'available'],
  CONSUME: ['reserved', 'consumed'],
  EXPIRE: ['available', 'expired'],
  REVOKE: ['available', 'revoked'],
};

describe('grantBalance', () => {
  it('opens a lot with everything available', () => {
    expect(grantBalance(4)).toEqual({ granted: 4, adjusted: 0, available: 4, reserved: 0, consumed: 0, expired: 0, revoked: 0 });
    expect(balanceHolds(grantBalance(4800))).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %s units', (units) => {
    expect(() => grantBalance(units)).toThrow(LedgerRuleError);
    expect(() => grantBalance(units)).toThrow(/positive whole number/);
  });
});

describe('applyMovement', () => {
  it.each([
    ['RESERVE', balance(), 3, { available: 7, reserved: 3 }],
    ['RELEASE', balance({ available: 7, reserved: 3 }), 2, { available: 9, reserved: 1 }],
    ['CONSUME', balance({ available: 7, reserved: 3 }), 3, { reserved: 0, consumed: 3 }],
    ['EXPIRE', balance({ available: 7, reserved: 3 }), 7, { available: 0, expired: 7 }],
    ['REVOKE', balance({ available: 7, reserved: 3 }), 1, { available: 6, revoked: 1 }],
    ['ADJUST', balance(), 5, { adjusted: 5, available: 15 }],
    ['ADJUST', balance({ available: 7, reserved: 3 }), -7, { adjusted: -7, available: 0 }],
  ] as const)('%s moves the units between the right terms', (movement, before, units, changed) => {
    const after = applyMovement(before, movement, units);
    expect(after).toEqual({ ...before, ...changed });
    expect(after).not.toBe(before);
    expect(balanceHolds(after)).toBe(true);
  });

  it.each([
    ['RESERVE', balance({ available: 1, reserved: 9 }), 2, 'Cannot reserve 2 from a lot with 1 available'],
    ['RELEASE', balance({ available: 9, reserved: 1 }), 2, 'Cannot release 2 from a lot with 1 reserved'],
    ['CONSUME', balance({ available: 9, reserved: 1 }), 2, 'Cannot consume 2 from a lot with 1 reserved'],
    ['EXPIRE', balance({ available: 0, reserved: 10 }), 1, 'Cannot expire 1 from a lot with 0 available'],
    ['REVOKE', balance({ available: 3, reserved: 7 }), 4, 'Cannot revoke 4 from a lot with 3 available'],
    ['ADJUST', balance({ available: 3, reserved: 7 }), -4, 'Cannot adjust by -4 a lot with 3 available'],
  ] as const)('%s beyond what the source holds throws and changes nothing', (movement, before, units, message) => {
    expect(() => applyMovement(before, movement, units)).toThrow(new LedgerRuleError(message));
    expect(before).toEqual(balance({ available: before.available, reserved: before.reserved }));
  });

  it.each(['RESERVE', 'RELEASE', 'CONSUME', 'EXPIRE', 'REVOKE'] as const)('%s needs a positive whole number of units', (movement) => {
    const before = balance({ available: 5, reserved: 5 });
    for (const units of [0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => applyMovement(before, movement, units)).toThrow(LedgerRuleError);
      expect(() => applyMovement(before, movement, units)).toThrow(/positive whole number/);
    }
  });

  it('ADJUST needs a non-zero whole number of units', () => {
    for (const units of [0, 0.5, -0.5, Number.NaN]) {
      expect(() => applyMovement(balance(), 'ADJUST', units)).toThrow(/non-zero whole number/);
    }
  });

  it('refuses an unknown movement and an inconsistent balance', () => {
    expect(() => applyMovement(balance(), 'STEAL' as Movement, 1)).toThrow(new LedgerRuleError('Unknown movement STEAL'));
    expect(() => applyMovement(balance({ available: 11 }), 'RESERVE', 1)).toThrow(/inconsistent/);
    expect(() => applyMovement(balance({ available: -1, reserved: 11 }), 'RELEASE', 1)).toThrow(/inconsistent/);
  });

  it('an error is a LedgerRuleError and an Error', () => {
    const error = (() => {
      try {
        applyMovement(balance({ available: 0, reserved: 10 }), 'RESERVE', 1);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(LedgerRuleError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('LedgerRuleError');
  });
});

describe('balanceHolds', () => {
  it('checks the identity, whole numbers and signs', () => {
    expect(balanceHolds(balance())).toBe(true);
    expect(balanceHolds(balance({ adjusted: -3, available: 2, consumed: 5 }))).toBe(true);
    expect(balanceHolds(balance({ available: 9 }))).toBe(false);
    expect(balanceHolds(balance({ available: 11, reserved: -1 }))).toBe(false);
    expect(balanceHolds(balance({ available: 9.5, reserved: 0.5 }))).toBe(false);
    expect(balanceHolds(balance({ granted: -1, available: -1, adjusted: 0 }))).toBe(false);
    expect(balanceHolds(balance({ available: Number.NaN }))).toBe(false);
  });
});

// --- properties ---------------------------------------------------------------------------

/** Plausible steps: mostly sensible unit counts, now and then a bad one (0, negative, fraction, huge). */
const stepArb = fc.record({
  movement: fc.constantFrom(...MOVEMENTS),
  units: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 6 }) },
    { weight: 2, arbitrary: fc.integer({ min: -6, max: 0 }) },
    { weight: 1, arbitrary: fc.constantFrom(0.5, -1.5, Number.NaN, 1e6) },
  ),
});

/** What the model says a movement does, or null when it must be refused. */
function modelApply(b: LotBalance, movement: Movement, units: number): LotBalance | null {
  if (!Number.isSafeInteger(units)) return null;
  if (movement === 'ADJUST') {
    if (units === 0 || b.available + units < 0) return null;
    return { ...b, adjusted: b.adjusted + units, available: b.available + units };
  }
  const [from, to] = MODEL[movement];
  if (units <= 0 || b[from] < units) return null;
  return { ...b, [from]: b[from] - units, [to]: b[to] + units };
}

describe('ledger properties', () => {
  it('random grant + movements: the identity holds after every step, nothing goes negative, refusals change nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(stepArb, { maxLength: 60 }), (granted, steps) => {
        let current = grantBalance(granted);
        expect(balanceHolds(current)).toBe(true);
        for (const { movement, units } of steps) {
          const before = Object.freeze({ ...current });
          const expected = modelApply(before, movement, units);
          try {
            current = applyMovement(before, movement, units);
            expect(expected).not.toBeNull();
            expect(current).toEqual(expected);
            expect(current).not.toBe(before);
          } catch (error) {
            expect(error).toBeInstanceOf(LedgerRuleError);
            expect(expected).toBeNull();
            expect(current).toEqual(before);
          }
          expect(balanceHolds(current)).toBe(true);
          for (const [term, value] of Object.entries(current)) if (term !== 'adjusted') expect(value).toBeGreaterThanOrEqual(0);
          expect(current.granted).toBe(granted);
        }
      }),
      { numRuns: 300 },
    );
  });

  /** A reachable balance: a grant followed by whatever random steps succeed. */
  const reachableBalance = fc.tuple(fc.integer({ min: 1, max: 20 }), fc.array(stepArb, { maxLength: 30 })).map(([granted, steps]) => {
    let b = grantBalance(granted);
    for (const { movement, units } of steps) {
      try {
        b = applyMovement(b, movement, units);
      } catch {
        // refused: the balance stays
      }
    }
    return b;
  });

  it('reserve then release returns to the very same balance', () => {
    fc.assert(
      fc.property(reachableBalance, fc.integer({ min: 1, max: 20 }), (b, units) => {
        fc.pre(b.available >= units);
        expect(applyMovement(applyMovement(b, 'RESERVE', units), 'RELEASE', units)).toEqual(b);
      }),
    );
  });

  it('reserve then consume moves exactly the units from available to consumed', () => {
    fc.assert(
      fc.property(reachableBalance, fc.integer({ min: 1, max: 20 }), (b, units) => {
        fc.pre(b.available >= units);
        const after = applyMovement(applyMovement(b, 'RESERVE', units), 'CONSUME', units);
        expect(after).toEqual({ ...b, available: b.available - units, consumed: b.consumed + units });
      }),
    );
  });
});
