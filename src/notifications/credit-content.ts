/**
 * What each credit and subscription message says: pure rules from the facts compose reads
 * (credit-compose.ts) to a template name, a subject, the in-app line and the template's data,
 * every time written in the recipient's zone. emails/<template>.mjml and .txt word them; the
 * facts table and the notes are shared by all of them (partials/credit-facts).
 */
import type { CreditBalance } from '../platform/events.js';
import { formatLocalTime, knownZone } from '../platform/local-time.js';
import type { MessageContent } from './consultation-content.js';
import { formatMoney } from './consultation-content.js';
import { LOW_CREDIT_LINE, type BalanceKind } from './credit-rules.js';
import { MessageKind } from './notification.enums.js';

export interface CreditLotFacts {
  packageName: string | null;
  source: string;
  kind: 'SESSION' | 'TIME';
  sessionMinutes: number;
  available: number;
  grantedAt: Date;
  expiresAt: Date;
}

export interface SubscriptionFacts {
  packageName: string;
  amount: { amount: number; currency: string };
  /** What one period grants, e.g. "16 sessions of 60 minutes". */
  periodCredits: string;
  status: string;
  /** The renewal the message is about (SUBSCRIPTION_RENEWAL_UPCOMING). */
  renewsAt: Date | null;
}

export interface CreditMessageFacts {
  kind: MessageKind;
  publicUrl: string;
  recipient: { name: string; zone: string };
  organizationName: string;
  /** The organization's balance now (what is left). */
  balance: CreditBalance;
  /** CREDIT_LOT messages: the lot. */
  lot?: CreditLotFacts;
  /** CREDITS_EXPIRED: the units the expiry took (delivery.payload.units). */
  lost?: number;
  /** LOW_CREDIT: the kind that crossed its line. */
  balanceKind?: BalanceKind;
  /** SUBSCRIPTION messages. */
  subscription?: SubscriptionFacts;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "3 sessions of up to 60 minutes" or "90 minutes of time credits". */
export function creditsOf(kind: 'SESSION' | 'TIME', units: number, sessionMinutes: number): string {
  return kind === 'TIME' ? `${plural(units, 'minute')} of time credits` : `${plural(units, 'session')} of up to ${sessionMinutes} minutes`;
}

/** "7 sessions and 120 minutes" (minutes only when there are some; "no credits" when nothing). */
export function balanceLine(balance: CreditBalance): string {
  const parts = [];
  if (balance.sessions > 0 || balance.minutes === 0) parts.push(plural(balance.sessions, 'session'));
  if (balance.minutes > 0) parts.push(plural(balance.minutes, 'minute'));
  return parts.join(' and ');
}

/** The lot's package as the reader knows it; null for a lot of no package (an admin's grant). */
const lotName = (lot: CreditLotFacts): string | null => (lot.source === 'FREE_TRIAL' ? 'your free trial' : lot.packageName);
const ofLot = (lot: CreditLotFacts) => (lotName(lot) ? ` of ${lotName(lot)}` : '');
const packageRow = (lot: CreditLotFacts) => (lotName(lot) ? [{ label: 'Package', value: lotName(lot)! }] : []);

export function creditMessageContent(facts: CreditMessageFacts): MessageContent {
  const { kind, publicUrl, recipient, organizationName: org } = facts;
  const zone = knownZone(recipient.zone);
  const bookUrl = `${publicUrl}/book`;
  const packagesUrl = `${publicUrl}/packages`;
  const billingUrl = `${publicUrl}/billing`;
  const left = { label: 'Left to book with', value: balanceLine(facts.balance) };
  const make = (template: string, subject: string, lead: string, rows: Array<{ label: string; value: string }>, notes: string[], action: { url: string; label: string }): MessageContent => ({
    template,
    subject,
    inApp: { title: subject, body: lead, link: action.url },
    data: { publicUrl, subject, preview: lead, recipientName: recipient.name, lead, facts: rows, notes, actionUrl: action.url, actionLabel: action.label },
  });
  const lot = () => {
    if (!facts.lot) throw new Error(`${kind} is about a credit lot: facts.lot is missing.`);
    return facts.lot;
  };
  const subscription = () => {
    if (!facts.subscription) throw new Error(`${kind} is about a subscription: facts.subscription is missing.`);
    return facts.subscription;
  };

  switch (kind) {
    case MessageKind.FREE_TRIAL_GRANTED: {
      const l = lot();
      const until = formatLocalTime(l.expiresAt, zone);
      return make(
        'free-trial-granted',
        `${org}: your free trial session is ready`,
        `${org} has a free ${l.sessionMinutes}-minute session to try Serenity with an expert consultant.`,
        [{ label: 'Free trial', value: creditsOf('SESSION', 1, l.sessionMinutes) }, { label: 'Valid until', value: until }],
        [`Book it with useFreeTrial before ${until}; there is one free trial per organization.`],
        { url: bookUrl, label: 'Book your free session' },
      );
    }
    case MessageKind.LOW_CREDIT: {
      const k = facts.balanceKind ?? 'SESSION';
      const line = k === 'TIME' ? `under ${LOW_CREDIT_LINE.TIME} minutes of time credits` : `fewer than ${LOW_CREDIT_LINE.SESSION} sessions`;
      return make(
        'low-credit',
        `${org} is running low on credits`,
        `${org} has ${line} left to book with.`,
        [left],
        ['Credits held by booked sessions are not counted: those sessions stay paid.', 'Buy a package to keep booking without a gap.'],
        { url: packagesUrl, label: 'Buy credits' },
      );
    }
    case MessageKind.CREDITS_EXPIRING_7D:
    case MessageKind.CREDITS_EXPIRING_1D: {
      const l = lot();
      const soon = kind === MessageKind.CREDITS_EXPIRING_1D;
      const on = formatLocalTime(l.expiresAt, zone);
      const what = creditsOf(l.kind, l.available, l.sessionMinutes);
      return make(
        soon ? 'credits-expiring-1d' : 'credits-expiring-7d',
        `${org}: ${plural(l.available, l.kind === 'TIME' ? 'minute' : 'credit')}${ofLot(l)} expire ${soon ? 'tomorrow' : 'in 7 days'}`,
        `${what}${ofLot(l)} expire ${soon ? 'tomorrow' : 'in 7 days'}, on ${on}, unless they are booked.`,
        [{ label: 'Expiring', value: what }, ...packageRow(l), { label: 'Expires', value: on }, left],
        ['Book a session that ends before then to use them; sessions already booked keep their credits.'],
        { url: bookUrl, label: 'Book a session' },
      );
    }
    case MessageKind.CREDITS_EXPIRED: {
      const l = lot();
      const lost = facts.lost ?? 0;
      const what = creditsOf(l.kind, lost, l.sessionMinutes);
      const on = formatLocalTime(l.expiresAt, zone);
      return make(
        'credits-expired',
        `${org}: ${plural(lost, l.kind === 'TIME' ? 'minute' : 'credit')}${ofLot(l)} expired unused`,
        `${what}${ofLot(l)} expired unused on ${on}.`,
        [{ label: 'Lost', value: what }, ...packageRow(l), { label: 'Granted', value: formatLocalTime(l.grantedAt, zone) }, { label: 'Expired', value: on }, left],
        ['Credits held by booked sessions were kept.'],
        { url: packagesUrl, label: 'Buy credits' },
      );
    }
    case MessageKind.SUBSCRIPTION_RENEWAL_UPCOMING: {
      const s = subscription();
      const on = s.renewsAt ? formatLocalTime(s.renewsAt, zone) : 'at the end of the period';
      return make(
        'subscription-renewal-upcoming',
        `${org}: ${s.packageName} renews on ${on}`,
        `${org}'s ${s.packageName} subscription renews on ${on}: ${formatMoney(s.amount)} will be charged to the card on file.`,
        [{ label: 'Subscription', value: s.packageName }, { label: 'Renews', value: on }, { label: 'Amount', value: formatMoney(s.amount) }, { label: 'New credits', value: s.periodCredits }],
        ['Nothing to do to keep it. To stop it, an owner cancels it before then (cancelSubscription with atPeriodEnd): the current period stays usable.'],
        { url: billingUrl, label: 'Manage the subscription' },
      );
    }
    case MessageKind.SUBSCRIPTION_PAYMENT_FAILED: {
      const s = subscription();
      const status = s.status.replaceAll('_', ' ').toLowerCase();
      return make(
        'subscription-payment-failed',
        `${org}: payment failed for the ${s.packageName} renewal`,
        `The renewal payment of ${formatMoney(s.amount)} for ${org}'s ${s.packageName} subscription failed: the subscription is ${status} (${s.status}).`,
        [{ label: 'Subscription', value: s.packageName }, { label: 'Amount due', value: formatMoney(s.amount) }, { label: 'Status', value: s.status }],
        [
          'What to do: update the card on file, or pay the open invoice, from billing.',
          `The payment is retried over the next days; this period's ${s.periodCredits} are granted once it is paid.`,
          'If it stays unpaid, the subscription ends; credits already granted stay valid until they expire.',
        ],
        { url: billingUrl, label: 'Update payment' },
      );
    }
    case MessageKind.BOOKING_CONFIRMED:
    case MessageKind.REMINDER_24H:
    case MessageKind.REMINDER_1H:
    case MessageKind.SESSION_STARTED:
    case MessageKind.SESSION_COMPLETED:
    case MessageKind.CONSULTATION_CANCELLED:
    case MessageKind.CONSULTATION_RESCHEDULED:
    case MessageKind.RESCHEDULE_REQUESTED:
    case MessageKind.FEEDBACK_REQUEST:
    case MessageKind.HOLD_EXPIRED:
    case MessageKind.MEETING_LINK:
    case MessageKind.VERIFY_EMAIL:
    case MessageKind.PASSWORD_RESET:
    case MessageKind.INVITATION:
    case MessageKind.PAYMENT_CONFIRMED:
    case MessageKind.REFUND_PROCESSED:
    case MessageKind.MEETING_FAILED:
      throw new Error(`${kind} is not a credit or subscription message: its own subject's composer renders it.`);
  }
}
