/**
 * How a consultation is paid, as its payment field shows it. Pure: the ledger lines are read
 * (batched) by ConsultationDetails.
 */
import type { Caller } from '../platform/auth.js';
import type { Money } from '../platform/money.js';
import { ConsultationStatus, CreditState, PaymentMethod } from './consultation.enums.js';
import type { Consultation } from './consultation.entity.js';

/** A RESERVE or RELEASE ledger entry of a consultation. */
export interface LedgerLine {
  lotId: string;
  type: string;
  units: number;
}

export interface CreditDrawView {
  lotId: string;
  units: number;
}

export interface PaymentView {
  method: PaymentMethod;
  creditState: CreditState;
  credits: CreditDrawView[];
  fee: Money | null;
  clientSecret: string | null;
  feeRefunded: boolean;
}

/**
 * The credits the consultation holds now, per lot in the order first drawn, from its RESERVE
 * and RELEASE entries oldest first: a reschedule that re-allocated released the old
 * reservation first, so only the RESERVEs after the last RELEASE count.
 */
export function currentReservation(entries: readonly LedgerLine[]): CreditDrawView[] {
  let units = new Map<string, number>();
  let releasedSince = false;
  for (const entry of entries) {
    if (entry.type === 'RELEASE') releasedSince = true;
    else {
      if (releasedSince) units = new Map();
      releasedSince = false;
      units.set(entry.lotId, (units.get(entry.lotId) ?? 0) + entry.units);
    }
  }
  return [...units].map(([lotId, n]) => ({ lotId, units: n }));
}

type Paid = Pick<Consultation, 'paymentMethod' | 'creditState' | 'status' | 'fee' | 'feeClientSecret' | 'feeRefundedAt'> & { organization: { id: string } };

/**
 * A booking fee's client secret goes only to a client of the booking organization while the
 * hold waits for the payment; a credit booking shows its current reservation (`entries`: its
 * ledger lines, unused for a fee).
 */
export function paymentOf(c: Paid, viewer: Caller | null, entries: readonly LedgerLine[]): PaymentView {
  if (c.paymentMethod === PaymentMethod.BOOKING_FEE) {
    const buyer = viewer?.role === 'CLIENT' && viewer.organizationId === c.organization.id;
    return { method: c.paymentMethod, creditState: c.creditState, credits: [], fee: c.fee, clientSecret: buyer && c.status === ConsultationStatus.PENDING_PAYMENT ? c.feeClientSecret : null, feeRefunded: !!c.feeRefundedAt };
  }
  return { method: c.paymentMethod, creditState: c.creditState, credits: currentReservation(entries), fee: null, clientSecret: null, feeRefunded: false };
}

/** What cancelling did to the payment: a credit booking's credit went back only when RELEASED. */
export function creditReleased(c: Pick<Consultation, 'paymentMethod'>, creditState: CreditState): boolean {
  return c.paymentMethod === PaymentMethod.CREDITS && creditState === CreditState.RELEASED;
}
