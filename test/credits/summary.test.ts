import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CreditLotKind } from '../../src/catalog/package.entity.js';
import { CreditSource } from '../../src/credits/credits.enums.js';
import { EXPIRING_SOON_DAYS, summarizeCredits, type SummarizedLot } from '../../src/credits/summary.js';
import { DAY_MS, HOUR_MS } from '../../src/platform/time.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const inDays = (days: number, ms = 0) => new Date(NOW.getTime() + days * DAY_MS + ms);

type Lot = SummarizedLot & { id: string };

let counter = 0;
function lot(over: Partial<Lot> = {}): Lot {
  return { id: `l${++counter}`, kind: 'SESSION', source: CreditSource.PURCHASE, granted: 4, adjusted: 0, available: 4, reserved: 0, consumed: 0, expiresAt: inDays(90), ...over };
}

describe('summarizeCredits', () => {
  it('adds sessions and minutes apart, and counts lifetime totals over every lot', () => {
    const sessions = lot({ granted: 5, available: 2, reserved: 1, consumed: 2 });
    const minutes = lot({ kind: 'TIME', granted: 600, adjusted: -60, available: 300, reserved: 90, consumed: 150 });
    const expired = lot({ granted: 3, available: 1, reserved: 1, consumed: 1, expiresAt: inDays(-1) });
    const spent = lot({ granted: 1, available: 0, consumed: 1 });
    const summary = summarizeCredits([sessions, minutes, expired, spent], 7, NOW);
    expect(summary).toMatchObject({ availableCredits: 2, reservedCredits: 2, availableMinutes: 300, reservedMinutes: 90 });
    expect(summary.lifetime).toEqual({ grantedCredits: 9, usedCredits: 4, grantedMinutes: 540, usedMinutes: 150, completedConsultations: 7 });
    // The expired lot still holds a booked session; the spent one holds nothing.
    expect(summary.lots).toEqual([sessions, minutes, expired]);
  });

  it(`calls a lot with credits left expiring within ${EXPIRING_SOON_DAYS} days, inclusive, "expiring soon"`, () => {
    const edge = lot({ expiresAt: inDays(EXPIRING_SOON_DAYS) });
    const later = lot({ expiresAt: inDays(EXPIRING_SOON_DAYS, 1) });
    const empty = lot({ available: 0, reserved: 4, expiresAt: inDays(1) });
    const gone = lot({ expiresAt: NOW });
    expect(summarizeCredits([gone, empty, edge, later], 0, NOW).expiringSoon).toEqual([edge]);
  });

  it('tells the free trial apart: granted, still bookable, used', () => {
    expect(summarizeCredits([lot()], 0, NOW).freeTrial).toEqual({ granted: false, available: false, used: false, expiresAt: null });
    const fresh = lot({ source: CreditSource.FREE_TRIAL, granted: 1, available: 1, expiresAt: inDays(30) });
    expect(summarizeCredits([lot(), fresh], 0, NOW).freeTrial).toEqual({ granted: true, available: true, used: false, expiresAt: inDays(30) });
    const used = lot({ source: CreditSource.FREE_TRIAL, granted: 1, available: 0, consumed: 1, expiresAt: inDays(30) });
    expect(summarizeCredits([used], 0, NOW).freeTrial).toEqual({ granted: true, available: false, used: true, expiresAt: inDays(30) });
    const lapsed = lot({ source: CreditSource.FREE_TRIAL, granted: 1, available: 1, expiresAt: inDays(-1) });
    expect(summarizeCredits([lapsed], 0, NOW).freeTrial).toMatchObject({ granted: true, available: false });
  });
});

/** Lots whose balances keep the ledger identity: granted + adjusted = available + reserved + consumed + expired + revoked. */
const lotArb = fc
  .record({
    kind: fc.constantFrom<CreditLotKind>('SESSION', 'TIME'),
    source: fc.constantFrom(...Object.values(CreditSource)),
    granted: fc.integer({ min: 1, max: 20 }),
    available: fc.integer({ min: 0, max: 10 }),
    reserved: fc.constantFrom(0, 0, 1, 3),
    consumed: fc.integer({ min: 0, max: 5 }),
    lost: fc.integer({ min: 0, max: 5 }),
    expiresInHours: fc.integer({ min: -24 * 30, max: 24 * 30 }),
  })
  .map(({ granted, available, reserved, consumed, lost, expiresInHours, ...rest }): Lot => ({
    id: `p${++counter}`,
    ...rest,
    granted,
    adjusted: available + reserved + consumed + lost - granted,
    available,
    reserved,
    consumed,
    expiresAt: new Date(NOW.getTime() + expiresInHours * HOUR_MS),
  }));
const lotsArb = fc.array(lotArb, { maxLength: 12 });

describe('summarizeCredits (properties)', () => {
  it('never shows more free or held units than were granted and not used', () => {
    fc.assert(
      fc.property(lotsArb, (lots) => {
        const s = summarizeCredits(lots, 0, NOW);
        expect(s.availableCredits + s.reservedCredits).toBeLessThanOrEqual(s.lifetime.grantedCredits - s.lifetime.usedCredits);
        expect(s.availableMinutes + s.reservedMinutes).toBeLessThanOrEqual(s.lifetime.grantedMinutes - s.lifetime.usedMinutes);
      }),
    );
  });

  it('lists exactly the lots that hold units, in the order given; the expiring ones among them', () => {
    fc.assert(
      fc.property(lotsArb, (lots) => {
        const s = summarizeCredits(lots, 0, NOW);
        expect(s.lots).toEqual(lots.filter((l) => s.lots.includes(l)));
        const holding = (l: Lot) => (l.available > 0 && l.expiresAt > NOW) || l.reserved > 0;
        expect(lots.every((l) => s.lots.includes(l) === holding(l))).toBe(true);
        expect(s.expiringSoon.every((l) => s.lots.includes(l) && l.available > 0)).toBe(true);
        // The balances are the listed lots' units.
        const free = (kind: CreditLotKind) => s.lots.filter((l) => l.kind === kind && l.expiresAt > NOW).reduce((n, l) => n + l.available, 0);
        expect([s.availableCredits, s.availableMinutes]).toEqual([free('SESSION'), free('TIME')]);
      }),
    );
  });

  it('does not depend on the order of the lots (but for the lists, which keep it)', () => {
    fc.assert(
      fc.property(
        lotsArb.map((lots) => lots.filter((l, i) => l.source !== CreditSource.FREE_TRIAL || lots.findIndex((m) => m.source === CreditSource.FREE_TRIAL) === i)),
        (lots) => {
          const { lots: listed, expiringSoon, ...totals } = summarizeCredits(lots, 3, NOW);
          const reversed = summarizeCredits([...lots].reverse(), 3, NOW);
          expect({ ...reversed, lots: undefined, expiringSoon: undefined }).toEqual({ ...totals, lots: undefined, expiringSoon: undefined });
          expect(new Set(reversed.lots)).toEqual(new Set(listed));
          expect(new Set(reversed.expiringSoon)).toEqual(new Set(expiringSoon));
        },
      ),
    );
  });
});
