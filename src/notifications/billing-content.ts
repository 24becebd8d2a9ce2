/**
 * What the billing messages say: pure rules from the facts of one invoice or one refund and one
 * recipient to a template, a subject, the in-app line and the template's data (times already in
 * the recipient's zone). billing-compose.ts reads the facts; emails/payment-confirmed and
 * emails/refund-processed word them.
 */
import { formatLocalTime } from '../platform/local-time.js';
import { formatMoney, type MessageContent } from './consultation-content.js';

type Amount = { amount: number; currency: string };

/** Who reads it: a member (name, zone) or the billing email alone (no name; UTC). */
export interface BillingRecipient {
  name: string | null;
  zone: string;
}

export interface PaymentConfirmedFacts {
  publicUrl: string;
  recipient: BillingRecipient;
  organizationName: string;
  invoice: {
    number: string;
    total: Amount;
    paidAt: Date;
    paymentMethod: string | null;
    paymentReference: string | null;
    items: string[];
  };
  /** The signed download link (works from the email, expires). */
  downloadUrl: string;
  /** In-app: the PDF behind the app's own sign-in. */
  appUrl: string;
  linkDays: number;
}

export function paymentConfirmedContent(f: PaymentConfirmedFacts): MessageContent {
  const amount = formatMoney(f.invoice.total);
  const subject = `Payment received: ${amount}, invoice ${f.invoice.number}`;
  const lead = `Thank you: we received ${f.organizationName}'s payment of ${amount}. Invoice ${f.invoice.number} is attached.`;
  return {
    template: 'payment-confirmed',
    subject,
    inApp: { title: subject, body: lead, link: f.appUrl },
    data: {
      publicUrl: f.publicUrl,
      subject,
      preview: lead,
      recipientName: f.recipient.name,
      lead,
      invoiceNumber: f.invoice.number,
      amount,
      paidAt: formatLocalTime(f.invoice.paidAt, f.recipient.zone),
      paymentMethod: f.invoice.paymentMethod,
      paymentReference: f.invoice.paymentReference,
      items: f.invoice.items,
      downloadUrl: f.downloadUrl,
      linkDays: f.linkDays,
    },
  };
}

export interface RefundProcessedFacts {
  publicUrl: string;
  recipient: BillingRecipient;
  organizationName: string;
  purchase: {
    packageName: string;
    amount: Amount;
    refundedAt: Date;
    reason: string | null;
    /** Lot units: sessions, or minutes for TIME packages. */
    revokedUnits: number;
    keptUnits: number;
    unit: 'session' | 'minute';
  };
  /** Null when the purchase had no invoice (a free package). */
  creditNote: { number: string; invoiceNumber: string; refundMethod: string | null; downloadUrl: string; appUrl: string } | null;
  linkDays: number;
}

const units = (n: number, unit: 'session' | 'minute') => `${n} ${unit}${n === 1 ? '' : 's'}`;

export function refundProcessedContent(f: RefundProcessedFacts): MessageContent {
  const p = f.purchase;
  const amount = formatMoney(p.amount);
  const subject = `Refund processed: ${amount} for ${p.packageName}`;
  const to = f.creditNote?.refundMethod ? ` to ${f.creditNote.refundMethod}` : '';
  const lead = `We refunded ${amount}${to} for ${f.organizationName}'s purchase of ${p.packageName}.`;
  const revoked = p.revokedUnits > 0 ? `${units(p.revokedUnits, p.unit)} of unused credit ${p.revokedUnits === 1 ? 'was' : 'were'} removed from ${f.organizationName}'s balance.` : 'No unused credits were left to remove.';
  const kept = p.keptUnits > 0 ? `${units(p.keptUnits, p.unit)} already used or booked ${p.keptUnits === 1 ? 'stays' : 'stay'} as ${p.keptUnits === 1 ? 'it is' : 'they are'}.` : null;
  return {
    template: 'refund-processed',
    subject,
    inApp: { title: subject, body: `${lead} ${revoked}`, link: f.creditNote?.appUrl ?? null },
    data: {
      publicUrl: f.publicUrl,
      subject,
      preview: lead,
      recipientName: f.recipient.name,
      lead,
      amount,
      packageName: p.packageName,
      refundedAt: formatLocalTime(p.refundedAt, f.recipient.zone),
      reason: p.reason,
      revokedLine: revoked,
      keptLine: kept,
      creditNoteNumber: f.creditNote?.number ?? null,
      invoiceNumber: f.creditNote?.invoiceNumber ?? null,
      downloadUrl: f.creditNote?.downloadUrl ?? null,
      linkDays: f.linkDays,
    },
  };
}
