import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../identity/organization.entity.js';
import { organizationScope, type Caller } from '../platform/auth.js';
import type { DomainEvents } from '../platform/events.js';
import { keysetPage, type Connection } from '../platform/pagination.js';
import { nextSequenceValue } from '../platform/sequence.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import type { Config } from '../config.js';
import { buyerParty, sellerParty } from './billing-details.service.js';
import type { PaymentFacts } from './payment-details.js';
import { Invoice, type BillingSubscription, type InvoiceLine, type Purchase } from './payment.entity.js';
import { splitRevenue } from './revenue.js';

export interface InvoiceInput {
  organizationId: string;
  purchase?: Purchase | null;
  subscription?: BillingSubscription | null;
  stripeInvoiceId?: string | null;
  stripePaymentIntentId?: string | null;
  currency: string;
  lines: InvoiceLine[];
  issuedAt: Date;
  /** Printed as the seller (SELLER_* settings), copied onto the invoice. */
  seller: Config['seller'] | null;
  /** The payment it confirms (date, method, reference); null when Stripe said nothing of it. */
  payment: PaymentFacts | null;
}

/**
 * Issues our invoice for a successful payment, in the payment's transaction. The number comes
 * from the year's counter row, locked until this transaction ends: numbers are consecutive and
 * a rolled-back payment gives its number back (gap-free, I10). The seller, the buyer (the
 * organization's billing details now) and the payment are copied onto it: an issued invoice
 * never changes. Emits invoice.issued in the same transaction (the payment confirmation).
 */
export async function issueInvoice(em: EntityManager, events: DomainEvents, input: InvoiceInput): Promise<Invoice> {
  const year = input.issuedAt.getUTCFullYear();
  const sequence = await nextSequenceValue(em, `invoice-${year}`);
  const organization = await em.findOneOrFail(Organization, input.organizationId, ACROSS_TENANTS);
  const total = input.lines.reduce((sum, line) => sum + line.amount, 0);
  const invoice = em.create(Invoice, {
    number: `INV-${year}-${String(sequence).padStart(6, '0')}`,
    organization,
    purchase: input.purchase ?? null,
    subscription: input.subscription ?? null,
    stripeInvoiceId: input.stripeInvoiceId ?? null,
    stripePaymentIntentId: input.stripePaymentIntentId ?? null,
    billedTo: organization.name,
    seller: input.seller ? sellerParty(input.seller) : null,
    buyer: await buyerParty(em, organization),
    paidAt: input.payment?.paidAt ?? input.issuedAt,
    paymentMethod: input.payment?.method ?? null,
    paymentReference: input.payment?.reference ?? input.stripePaymentIntentId ?? null,
    issuedAt: input.issuedAt,
    lines: input.lines,
    total: { amount: total, currency: input.currency },
    platformFee: { amount: splitRevenue(total).platformFee, currency: input.currency },
    createdAt: input.issuedAt,
  });
  await em.flush();
  await events.emit(
    'invoice.issued',
    { invoiceId: invoice.id, organizationId: input.organizationId, purchaseId: input.purchase?.id ?? null, subscriptionId: input.subscription?.id ?? null, at: input.issuedAt },
    em,
  );
  return invoice;
}

/** One page of the invoices a caller may see, newest first: its organization's (admins: all, or the one named). */
export function listInvoices(em: EntityManager, caller: Caller, organizationId: string | null, size: number, after: string | null): Promise<Connection<Invoice>> {
  const where = organizationScope(caller, 'Invoices', organizationId);
  return keysetPage(em, Invoice, where, { field: 'issuedAt', direction: 'desc' }, size, after, ACROSS_TENANTS);
}

export { renderInvoicePdf } from './invoice.pdf.js';
