import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditReleased, currentReservation, paymentOf, type LedgerLine } from '../../src/consultations/consultation-payment.js';
import { ConsultationStatus, CreditState, PaymentMethod } from '../../src/consultations/consultation.enums.js';
import type { Caller } from '../../src/platform/auth.js';
import { Money } from '../../src/platform/money.js';

const reserve = (lotId: string, units: number): LedgerLine => ({ lotId, type: 'RESERVE', units });
const release = (lotId: string, units: number): LedgerLine => ({ lotId, type: 'RELEASE', units });

describe('currentReservation', () => {
  it('adds the units drawn per lot, in the order first drawn', () => {
    expect(currentReservation([reserve('b', 30), reserve('a', 60), reserve('b', 30)])).toEqual([
      { lotId: 'b', units: 60 },
      { lotId: 'a', units: 60 },
    ]);
    expect(currentReservation([])).toEqual([]);
  });

  it('counts only what a re-allocation reserved after releasing the old reservation', () => {
    expect(currentReservation([reserve('a', 1), release('a', 1), reserve('b', 1)])).toEqual([{ lotId: 'b', units: 1 }]);
  });

  it('still shows the last reservation after a release with no new one (the credit state says RELEASED)', () => {
    expect(currentReservation([reserve('a', 1), release('a', 1)])).toEqual([{ lotId: 'a', units: 1 }]);
  });

  const lotArb = fc.constantFrom('a', 'b', 'c');
  const reservesArb = fc.array(fc.record({ lotId: lotArb, units: fc.integer({ min: 1, max: 240 }) }).map(({ lotId, units }) => reserve(lotId, units)), { minLength: 1, maxLength: 5 });
  const historyArb = fc.array(fc.oneof(reservesArb, fc.record({ lotId: lotArb, units: fc.integer({ min: 1, max: 240 }) }).map(({ lotId, units }) => [release(lotId, units)])), { maxLength: 6 }).map((parts) => parts.flat());

  it('after a release, the history before it no longer matters', () => {
    fc.assert(
      fc.property(historyArb, lotArb, reservesArb, (before, lotId, after) => {
        expect(currentReservation([...before, release(lotId, 1), ...after])).toEqual(currentReservation(after));
      }),
    );
  });

  it('without a release, holds every unit reserved, once per lot', () => {
    fc.assert(
      fc.property(reservesArb, (entries) => {
        const held = currentReservation(entries);
        expect(new Set(held.map((d) => d.lotId)).size).toBe(held.length);
        expect(held.reduce((n, d) => n + d.units, 0)).toBe(entries.reduce((n, e) => n + e.units, 0));
      }),
    );
  });
});

describe('paymentOf', () => {
  const ORG = '00000000-0000-4000-8000-0000000000a1';
  const client = (organizationId: string | null): Caller => ({ userId: 'u', role: 'CLIENT', emailVerified: true, sessionId: 's', organizationId, orgRole: organizationId ? 'MEMBER' : null });
  const feeBooking = {
    paymentMethod: PaymentMethod.BOOKING_FEE,
    creditState: CreditState.HELD,
    status: ConsultationStatus.PENDING_PAYMENT,
    fee: new Money(15_000, 'USD'),
    feeClientSecret: 'pi_1_secret',
    feeRefundedAt: null,
    organization: { id: ORG },
  };

  it("gives a fee's client secret only to the booking organization's clients while the payment is pending", () => {
    expect(paymentOf(feeBooking, client(ORG), [])).toEqual({ method: 'BOOKING_FEE', creditState: 'HELD', credits: [], fee: feeBooking.fee, clientSecret: 'pi_1_secret', feeRefunded: false });
    expect(paymentOf(feeBooking, client('00000000-0000-4000-8000-0000000000b2'), []).clientSecret).toBeNull();
    expect(paymentOf(feeBooking, { ...client(null), role: 'ADMIN' }, []).clientSecret).toBeNull();
    expect(paymentOf(feeBooking, null, []).clientSecret).toBeNull();
    expect(paymentOf({ ...feeBooking, status: ConsultationStatus.SCHEDULED }, client(ORG), []).clientSecret).toBeNull();
    expect(paymentOf({ ...feeBooking, feeRefundedAt: new Date() }, client(ORG), []).feeRefunded).toBe(true);
  });

  it('shows a credit booking its current reservation, and no fee', () => {
    const credits = { ...feeBooking, paymentMethod: PaymentMethod.CREDITS, fee: null, feeClientSecret: null };
    expect(paymentOf(credits, client(ORG), [reserve('a', 1)])).toEqual({ method: 'CREDITS', creditState: 'HELD', credits: [{ lotId: 'a', units: 1 }], fee: null, clientSecret: null, feeRefunded: false });
  });
});

describe('creditReleased', () => {
  it('is true only for a credit booking whose credit was released', () => {
    expect(creditReleased({ paymentMethod: PaymentMethod.CREDITS }, CreditState.RELEASED)).toBe(true);
    expect(creditReleased({ paymentMethod: PaymentMethod.CREDITS }, CreditState.CONSUMED)).toBe(false);
    expect(creditReleased({ paymentMethod: PaymentMethod.BOOKING_FEE }, CreditState.RELEASED)).toBe(false);
  });
});
