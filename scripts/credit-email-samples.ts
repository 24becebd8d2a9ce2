/**
 * Samples of the credit and subscription emails (credit-content.ts), each with the facts it must
 * state: what `npm run emails:preview` renders and the template tests check.
 */
import { creditMessageContent, type CreditMessageFacts } from '../src/notifications/credit-content.js';
import { MessageKind } from '../src/notifications/notification.enums.js';
import type { EmailSample } from './email-samples.js';

const PUBLIC_URL = 'https://app.serenity.example';
const base: Omit<CreditMessageFacts, 'kind'> = {
  publicUrl: PUBLIC_URL,
  recipient: { name: 'Jane Smith', zone: 'Europe/London' },
  organizationName: 'Acme & Sons',
  balance: { sessions: 2, minutes: 90 },
};
const lot = {
  packageName: 'Strategic Planning',
  source: 'PURCHASE',
  kind: 'SESSION' as const,
  sessionMinutes: 60,
  available: 3,
  grantedAt: new Date('2026-06-10T09:30:00Z'),
  expiresAt: new Date('2026-12-08T09:30:00Z'),
};
const subscription = { packageName: 'Quarterly Advisory', amount: { amount: 890_000, currency: 'USD' }, periodCredits: '16 sessions of 60 minutes', status: 'PAST_DUE', renewsAt: new Date('2027-01-15T12:00:00Z') };

function sample(name: string, facts: Partial<CreditMessageFacts> & { kind: MessageKind }, expected: string[]): EmailSample {
  const content = creditMessageContent({ ...base, ...facts });
  return { name, template: content.template, subject: content.subject, data: content.data, facts: ['Hello Jane Smith', ...expected] };
}

export const CREDIT_SAMPLES: EmailSample[] = [
  sample('free-trial-granted', { kind: MessageKind.FREE_TRIAL_GRANTED, lot: { ...lot, packageName: 'Free Trial', source: 'FREE_TRIAL', sessionMinutes: 15, available: 1 } }, [
    'free 15-minute session',
    '1 session of up to 15 minutes',
    'Tue 8 Dec 2026, 09:30 (Europe/London)',
    `${PUBLIC_URL}/book`,
  ]),
  sample('low-credit', { kind: MessageKind.LOW_CREDIT, balanceKind: 'SESSION' }, ['Acme & Sons has fewer than 3 sessions left', '2 sessions and 90 minutes', `${PUBLIC_URL}/packages`]),
  sample('low-credit-time', { kind: MessageKind.LOW_CREDIT, balanceKind: 'TIME', balance: { sessions: 0, minutes: 60 } }, ['under 120 minutes of time credits', '60 minutes']),
  sample('credits-expiring-7d', { kind: MessageKind.CREDITS_EXPIRING_7D, lot }, ['3 sessions of up to 60 minutes of Strategic Planning expire in 7 days', 'Tue 8 Dec 2026, 09:30 (Europe/London)', `${PUBLIC_URL}/book`]),
  sample('credits-expiring-1d', { kind: MessageKind.CREDITS_EXPIRING_1D, lot: { ...lot, kind: 'TIME', available: 90 }, recipient: { name: 'Jane Smith', zone: 'America/New_York' } }, [
    '90 minutes of time credits of Strategic Planning expire tomorrow',
    'Tue 8 Dec 2026, 04:30 (America/New_York)',
  ]),
  sample('credits-expired', { kind: MessageKind.CREDITS_EXPIRED, lot: { ...lot, available: 0 }, lost: 2 }, ['2 sessions of up to 60 minutes of Strategic Planning expired unused', 'Wed 10 Jun 2026, 10:30 (Europe/London)', 'Tue 8 Dec 2026, 09:30 (Europe/London)', '2 sessions and 90 minutes']),
  sample('subscription-renewal-upcoming', { kind: MessageKind.SUBSCRIPTION_RENEWAL_UPCOMING, subscription: { ...subscription, status: 'ACTIVE' } }, ['Quarterly Advisory', 'Fri 15 Jan 2027, 12:00 (Europe/London)', 'USD 8900.00', '16 sessions of 60 minutes', 'cancels it before then']),
  sample('subscription-payment-failed', { kind: MessageKind.SUBSCRIPTION_PAYMENT_FAILED, subscription }, ['Quarterly Advisory', 'USD 8900.00', 'PAST_DUE', 'update the card on file, or pay the open invoice', `${PUBLIC_URL}/billing`]),
];
