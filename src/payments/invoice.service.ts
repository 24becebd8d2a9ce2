import type { EntityManager } from '@mikro-orm/postgresql';
import PDFDocument from 'pdfkit';
import { Organization } from '../identity/organization.entity.js';
import { organizationScope, type Caller } from '../platform/auth.js';
import type { DomainEvents } from '../platform/events.js';
import { keysetPage, type Connection } from '../platform/pagination.js';
import { nextSequenceValue } from '../platform/sequence.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
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
}

/**
 * Issues our invoice for a successful payment, in the payment's transaction. The number comes
 * from the year's counter row, locked until this transaction ends: numbers are consecutive and
 * a rolled-back payment gives its number back (gap-free, I10). Emits invoice.issued in the same
 * transaction (the payment confirmation).
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

function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount / 100);
}

/** The invoice as a PDF (pdfkit): header, billed-to, lines, total. */
export function renderInvoicePdf(invoice: Invoice): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Invoice ${invoice.number}`, Author: 'Serenity' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const currency = invoice.total.currency;
    doc.fontSize(20).text('Serenity', { continued: false });
    doc.fontSize(10).fillColor('#555').text('Consultations for organizations');
    doc.moveDown(1.5).fillColor('#000').fontSize(16).text(`Invoice ${invoice.number}`);
    doc.fontSize(10).text(`Issued ${invoice.issuedAt.toISOString().slice(0, 10)} (UTC)`);
    doc.moveDown().text('Billed to:').font('Helvetica-Bold').text(invoice.billedTo).font('Helvetica');
    doc.moveDown(1.5);
    const top = doc.y;
    doc.font('Helvetica-Bold').text('Description', 50, top).text('Qty', 330, top, { width: 40, align: 'right' }).text('Unit', 380, top, { width: 80, align: 'right' }).text('Amount', 470, top, { width: 80, align: 'right' });
    doc.font('Helvetica');
    for (const line of invoice.lines) {
      const y = doc.y + 6;
      doc.text(line.description, 50, y, { width: 270 });
      doc.text(String(line.quantity), 330, y, { width: 40, align: 'right' });
      doc.text(money(line.unitAmount, currency), 380, y, { width: 80, align: 'right' });
      doc.text(money(line.amount, currency), 470, y, { width: 80, align: 'right' });
    }
    doc.moveDown(2).font('Helvetica-Bold').text(`Total ${money(invoice.total.amount, currency)}`, 50, doc.y, { width: 500, align: 'right' });
    doc.font('Helvetica').fontSize(8).fillColor('#555').moveDown(2).text('Paid by card through Stripe. Thank you.', 50);
    doc.end();
  });
}
