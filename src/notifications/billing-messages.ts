/**
 * The billing messages, decided in the payment's or refund's own transaction (I11, I13):
 * PAYMENT_CONFIRMED on invoice.issued (subject: the INVOICE), REFUND_PROCESSED on
 * purchase.refunded (subject: the PURCHASE). Each goes to the organization's owners, the member
 * who paid, and the billing email of its billing details (email only). Composed by
 * billing-compose.ts when they go.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Consultation } from '../consultations/consultation.entity.js';
import { BillingDetails } from '../payments/billing-details.entity.js';
import { Invoice, Purchase } from '../payments/payment.entity.js';
import type { DomainEventHandler } from '../platform/events.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { MessageKind, SubjectType } from './notification.enums.js';
import { enqueueOrganizationMessage } from './organization-messages.js';

async function billingEmail(em: EntityManager, organizationId: string): Promise<string[]> {
  const details = await em.findOne(BillingDetails, { organization: organizationId }, { ...ACROSS_TENANTS, fields: ['email'] });
  return details?.email ? [details.email] : [];
}

/** Who paid: a purchase's or subscription's buyer, a booking fee's booker. */
async function payerOf(em: EntityManager, invoice: Invoice): Promise<string | null> {
  if (invoice.purchase) return (await em.findOne(Purchase, invoice.purchase.id, ACROSS_TENANTS))?.buyer.id ?? null;
  if (invoice.subscription) {
    await em.populate(invoice, ['subscription'], ACROSS_TENANTS);
    return invoice.subscription?.buyer.id ?? null;
  }
  if (invoice.stripePaymentIntentId) return (await em.findOne(Consultation, { stripePaymentIntentId: invoice.stripePaymentIntentId }, ACROSS_TENANTS))?.bookedBy.id ?? null;
  return null;
}

export const paymentConfirmedMessages: DomainEventHandler<'invoice.issued'> = async (issued, em) => {
  const invoice = await em.findOne(Invoice, issued.invoiceId, ACROSS_TENANTS);
  if (!invoice) return;
  const payer = await payerOf(em, invoice);
  await enqueueOrganizationMessage(
    em,
    {
      subject: { type: SubjectType.INVOICE, id: invoice.id },
      kind: MessageKind.PAYMENT_CONFIRMED,
      organizationId: issued.organizationId,
      memberIds: payer ? [payer] : [],
      emails: await billingEmail(em, issued.organizationId),
    },
    issued.at,
  );
};

export const refundProcessedMessages: DomainEventHandler<'purchase.refunded'> = async (refunded, em) => {
  const purchase = await em.findOne(Purchase, refunded.purchaseId, ACROSS_TENANTS);
  if (!purchase) return;
  await enqueueOrganizationMessage(
    em,
    {
      subject: { type: SubjectType.PURCHASE, id: purchase.id },
      kind: MessageKind.REFUND_PROCESSED,
      organizationId: refunded.organizationId,
      memberIds: [purchase.buyer.id],
      emails: await billingEmail(em, refunded.organizationId),
    },
    refunded.at,
  );
};
