/**
 * The composers of the billing messages (COMPOSERS in compose.ts): INVOICE → PAYMENT_CONFIRMED
 * with the invoice PDF attached, PURCHASE → REFUND_PROCESSED with the credit note attached; each
 * links its PDF by a signed, expiring URL that works from the email. Null (→ SKIPPED) when the
 * subject or the recipient is gone.
 */
import type { EntityManager } from '../platform/db.js';
import { emailTemplates } from '../platform/email-templates.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import { User } from '../identity/user.entity.js';
import { CreditNote } from '../payments/credit-note.entity.js';
import { DOCUMENT_LINK_DAYS, signedDocumentUrl } from '../payments/document-links.js';
import { renderCreditNotePdf, renderInvoicePdf } from '../payments/invoice.pdf.js';
import { Invoice, Purchase } from '../payments/payment.entity.js';
import { paymentConfirmedContent, refundProcessedContent, type BillingRecipient } from './billing-content.js';
import type { MessageContent } from './consultation-content.js';
import type { NotificationDelivery } from './delivery.entity.js';
import type { ComposedMessage } from './dispatch.types.js';

/** A member by name and zone; the billing email alone has neither (UTC). Undefined: the user is gone. */
async function recipientOf(em: EntityManager, delivery: NotificationDelivery): Promise<BillingRecipient | undefined> {
  if (!delivery.recipientUserId) return { name: null, zone: 'UTC' };
  const user = await em.findOne(User, delivery.recipientUserId, ACROSS_TENANTS);
  return user ? { name: user.displayName, zone: user.timeZone } : undefined;
}

async function rendered(content: MessageContent, attachment: { filename: string; content: Buffer } | null): Promise<ComposedMessage> {
  const { html, text } = (await emailTemplates()).render(content.template, content.data);
  return { subject: content.subject, html, text, inApp: content.inApp, ...(attachment ? { attachments: [{ ...attachment, contentType: 'application/pdf' }] } : {}) };
}

export async function composeInvoiceMessage(em: EntityManager, delivery: NotificationDelivery, publicUrl: string): Promise<ComposedMessage | null> {
  const invoice = await em.findOne(Invoice, delivery.subjectId, { ...ACROSS_TENANTS, populate: ['organization'] });
  const recipient = invoice ? await recipientOf(em, delivery) : undefined;
  if (!invoice || !recipient) return null;
  const content = paymentConfirmedContent({
    publicUrl,
    recipient,
    organizationName: invoice.organization.name,
    invoice: {
      number: invoice.number,
      total: invoice.total,
      paidAt: invoice.paidAt ?? invoice.issuedAt,
      paymentMethod: invoice.paymentMethod,
      paymentReference: invoice.paymentReference,
      items: invoice.lines.map((line) => line.description),
    },
    downloadUrl: signedDocumentUrl(publicUrl, 'invoices', invoice, new Date()),
    appUrl: `${publicUrl}/invoices/${invoice.id}.pdf`,
    linkDays: DOCUMENT_LINK_DAYS,
  });
  return rendered(content, { filename: `${invoice.number}.pdf`, content: await renderInvoicePdf(invoice) });
}

export async function composePurchaseMessage(em: EntityManager, delivery: NotificationDelivery, publicUrl: string): Promise<ComposedMessage | null> {
  const purchase = await em.findOne(Purchase, delivery.subjectId, { ...ACROSS_TENANTS, populate: ['organization'] });
  const recipient = purchase?.refundedAt ? await recipientOf(em, delivery) : undefined;
  if (!purchase?.refundedAt || !recipient) return null;
  const pkg = await em.findOneOrFail(Package, purchase.package.id);
  const note = await em.findOne(CreditNote, { purchase: purchase.id }, { ...ACROSS_TENANTS, populate: ['invoice'] });
  const content = refundProcessedContent({
    publicUrl,
    recipient,
    organizationName: purchase.organization.name,
    purchase: {
      packageName: pkg.name,
      amount: note?.total ?? purchase.amount,
      refundedAt: purchase.refundedAt,
      reason: purchase.refundReason,
      revokedUnits: purchase.revokedUnits ?? 0,
      keptUnits: purchase.keptUnits ?? 0,
      unit: pkg.lotKind === CreditLotKind.TIME ? 'minute' : 'session',
    },
    creditNote: note
      ? {
          number: note.number,
          invoiceNumber: note.invoice.number,
          refundMethod: note.refundMethod,
          downloadUrl: signedDocumentUrl(publicUrl, 'credit-notes', note, new Date()),
          appUrl: `${publicUrl}/credit-notes/${note.id}.pdf`,
        }
      : null,
    linkDays: DOCUMENT_LINK_DAYS,
  });
  return rendered(content, note ? { filename: `${note.number}.pdf`, content: await renderCreditNotePdf(note, note.invoice) } : null);
}
