import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import type { Config } from '../config.js';
import type { DomainEvents } from '../platform/events.js';
import type { Money } from '../platform/money.js';
import { query } from '../platform/sql.js';
import { issueCreditNote } from './credit-note.service.js';
import { CreditNote } from './credit-note.entity.js';
import { issueInvoice } from './invoice.service.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { paymentFacts } from './payment-details.js';
import { Invoice, RevenueKind } from './payment.entity.js';
import { PurchaseService } from './purchase.service.js';
import { insertRevenueEntry } from './revenue.sql.js';
import type { Payments } from './stripe.js';

/**
 * Settles a booking fee's PaymentIntent (payment_intent.succeeded) in the webhook's transaction:
 * the consultation is paid, or its late payment refunded. Null when the intent pays for no
 * consultation of ours: the webhook then treats it as a package purchase's. Consultations,
 * above payments, provides it (src/modules.ts hands it to paymentsModule).
 */
export type BookingFeeSettlement = (em: EntityManager, intent: Stripe.PaymentIntent, now: Date, services: FeeSettlementServices) => Promise<'PROCESSED' | 'IGNORED' | null>;

/** What the webhook passes a BookingFeeSettlement besides the transaction. */
export interface FeeSettlementServices {
  payments: Payments;
  events: DomainEvents;
  config: Config;
}

/** The fee a consultant takes instead of a credit: their own, else the platform's (BOOKING_FEE_AMOUNT), else none. */
export function bookingFeeFor(consultantFee: Money | null, config: Config): Money | null {
  if (consultantFee && consultantFee.amount > 0) return consultantFee;
  return config.stripe.bookingFee;
}

/** The PaymentIntent for a held booking's fee (idempotent per consultation). */
export async function createFeePayment(
  em: EntityManager,
  payments: Payments,
  hold: { id: string; organizationId: string; consultantId: string; fee: Money; code: string },
): Promise<Stripe.PaymentIntent> {
  const customer = await new PurchaseService(em, payments).customerFor(hold.organizationId, payments);
  return payments.stripe.paymentIntents.create(
    {
      amount: hold.fee.amount,
      currency: hold.fee.currency.toLowerCase(),
      customer,
      description: `Booking fee ${hold.code}`,
      metadata: { consultationId: hold.id, organizationId: hold.organizationId },
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    },
    { idempotencyKey: `serenity-fee-${hold.id}` },
  );
}

/** Gives a paid fee back (idempotent per consultation). */
export async function refundFee(payments: Payments, consultationId: string, paymentIntentId: string): Promise<Stripe.Refund> {
  return payments.stripe.refunds.create(
    { payment_intent: paymentIntentId, reason: 'requested_by_customer', metadata: { consultationId } },
    { idempotencyKey: `serenity-fee-refund-${consultationId}` },
  );
}

/**
 * A refunded fee's credit note, in the cancellation's transaction: it credits the fee's invoice
 * (once per consultation). Nothing when the fee was never invoiced (paid after its hold lapsed).
 */
export async function creditFeeRefund(
  em: EntityManager,
  refunded: { consultationId: string; paymentIntentId: string; refundId: string | null; reason: string | null; at: Date },
): Promise<CreditNote | null> {
  const invoice = await em.findOne(Invoice, { stripePaymentIntentId: refunded.paymentIntentId }, ACROSS_TENANTS);
  if (!invoice) return null;
  const earlier = await em.findOne(CreditNote, { consultationId: refunded.consultationId }, ACROSS_TENANTS);
  if (earlier) return earlier;
  return issueCreditNote(em, { invoice, consultationId: refunded.consultationId, reason: refunded.reason ?? 'Booking cancelled', refundReference: refunded.refundId, issuedAt: refunded.at });
}

/** A paid fee's invoice and revenue row (15 % platform / 85 % consultant), in the payment's transaction. */
export async function recordFeePaid(
  em: EntityManager,
  events: DomainEvents,
  paid: { consultationId: string; organizationId: string; consultantId: string; code: string; fee: Money; paymentIntentId: string; at: Date },
  /** The webhook has both; without them (a test settling by hand) the invoice has no seller or payment details. */
  services: { payments: Payments | null; seller: Config['seller'] | null },
): Promise<void> {
  await issueInvoice(em, events, {
    organizationId: paid.organizationId,
    stripePaymentIntentId: paid.paymentIntentId,
    currency: paid.fee.currency,
    lines: [{ description: `Booking fee, consultation ${paid.code}`, quantity: 1, unitAmount: paid.fee.amount, amount: paid.fee.amount }],
    issuedAt: paid.at,
    seller: services.seller,
    payment: services.payments ? await paymentFacts(services.payments, paid.paymentIntentId, paid.at) : null,
  });
  await query(
    em,
    insertRevenueEntry({
      organizationId: paid.organizationId,
      consultationId: paid.consultationId,
      consultantId: paid.consultantId,
      kind: RevenueKind.BOOKING_FEE,
      lotId: null,
      units: 1,
      value: paid.fee.amount,
      currency: paid.fee.currency,
      at: paid.at,
    }),
  );
}
