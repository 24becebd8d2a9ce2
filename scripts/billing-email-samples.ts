/** Samples of the billing messages (payment confirmed, refund processed) for email-samples.ts. */
import { paymentConfirmedContent, refundProcessedContent } from '../src/notifications/billing-content.js';
import type { EmailSample } from './email-samples.js';

const URL = 'https://app.serenity.example';
const INVOICE_LINK = `${URL}/invoices/7d0c6a1e-3f7b-4c1e-9a55-2b8f4c1d2e3f.pdf?expires=1767225600&signature=abc`;
const NOTE_LINK = `${URL}/credit-notes/8e1d7b2f-4a8c-4d2f-8b66-3c9a5d2e3f40.pdf?expires=1767225600&signature=def`;
const member = { name: 'Jane Smith', zone: 'Europe/London' };

function sample(name: string, content: ReturnType<typeof paymentConfirmedContent>, facts: string[]): EmailSample {
  return { name, template: content.template, subject: content.subject, data: content.data, facts };
}

const invoice = {
  number: 'INV-2026-000042',
  total: { amount: 450000, currency: 'USD' },
  paidAt: new Date('2026-12-08T14:05:00Z'),
  paymentMethod: 'Visa •••• 4242',
  paymentReference: 'ch_3QxAbC123',
  items: ['Discovery & Assessment Program (4 sessions of 90 minutes)'],
};

const refund = (revokedUnits: number, keptUnits: number, withNote: boolean) =>
  refundProcessedContent({
    publicUrl: URL,
    recipient: member,
    organizationName: 'Acme & Sons',
    purchase: { packageName: 'Discovery & Assessment Program', amount: { amount: 450000, currency: 'USD' }, refundedAt: new Date('2026-12-10T09:30:00Z'), reason: 'Changed plans', revokedUnits, keptUnits, unit: 'session' },
    creditNote: withNote ? { number: 'CN-2026-000007', invoiceNumber: 'INV-2026-000042', refundMethod: 'Visa •••• 4242', downloadUrl: NOTE_LINK, appUrl: `${URL}/credit-notes/x.pdf` } : null,
    linkDays: 30,
  });

export const BILLING_SAMPLES: EmailSample[] = [
  sample('payment-confirmed', paymentConfirmedContent({ publicUrl: URL, recipient: member, organizationName: 'Acme & Sons', invoice, downloadUrl: INVOICE_LINK, appUrl: `${URL}/invoices/x.pdf`, linkDays: 30 }), [
    'Hello Jane Smith',
    'INV-2026-000042',
    'USD 4500.00',
    'Discovery & Assessment Program (4 sessions of 90 minutes)',
    'Tue 8 Dec 2026, 14:05 (Europe/London)',
    'Visa •••• 4242',
    'ch_3QxAbC123',
    INVOICE_LINK,
    'works for 30 days',
  ]),
  sample('payment-confirmed-billing-email', paymentConfirmedContent({ publicUrl: URL, recipient: { name: null, zone: 'UTC' }, organizationName: 'Acme & Sons', invoice: { ...invoice, paymentMethod: null }, downloadUrl: INVOICE_LINK, appUrl: `${URL}/invoices/x.pdf`, linkDays: 30 }), [
    'Hello,',
    'INV-2026-000042',
    'Tue 8 Dec 2026, 14:05 (UTC)',
  ]),
  sample('refund-processed', refund(3, 1, true), [
    'Hello Jane Smith',
    'We refunded USD 4500.00 to Visa •••• 4242',
    '3 sessions of unused credit were removed from Acme & Sons',
    '1 session already used or booked stays as it is.',
    'CN-2026-000007',
    'credits invoice INV-2026-000042',
    'Changed plans',
    'Thu 10 Dec 2026, 09:30 (Europe/London)',
    NOTE_LINK,
  ]),
  sample('refund-processed-nothing-left', refund(0, 4, false), ['No unused credits were left to remove.', '4 sessions already used or booked stay as they are.']),
];
