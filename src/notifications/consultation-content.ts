/**
 * What each consultation message says: pure rules from the facts of one consultation, one
 * recipient and one message to a template name, a subject, the in-app line and the data the
 * template fills in (every time already written in the recipient's zone). compose.ts reads the
 * facts; emails/<template>.mjml and .txt word them.
 */
import { DateTime } from 'luxon';
import type { ActionItem, Deliverable, Outcomes } from '../consultations/consultation.entity.js';
import { CreditState, MeetingProvider, PaymentMethod } from '../consultations/consultation.enums.js';
import { MEETING_PROVIDER_NAMES } from '../identity/meeting-providers.js';
import { httpLink } from '../platform/links.js';
import { formatLocalSpan, formatLocalTime, knownZone } from '../platform/local-time.js';
import { MessageKind, RecipientSide } from './notification.enums.js';

export interface ConsultationFacts {
  kind: MessageKind;
  side: RecipientSide;
  publicUrl: string;
  /** Attendees read in the booker's zone (they have none of their own). */
  recipient: { name: string; zone: string };
  consultation: {
    id: string;
    code: string;
    purpose: string;
    start: Date;
    end: Date;
    clientName: string;
    consultantName: string;
    organizationName: string;
    attendeeNames: string[];
    meetingProvider: MeetingProvider;
    /** The meeting as it is when the message goes (meetings' meetingLinkOf); null: none (a session from before meetings). */
    meeting: MessageMeeting | null;
    paymentMethod: PaymentMethod;
    creditState: CreditState;
    usedFreeTrial: boolean;
    fee: { amount: number; currency: string } | null;
    feeRefunded: boolean;
    cancelledByName: string | null;
    cancellationReason: string | null;
    actualDurationMinutes: number | null;
    outcomes: Outcomes | null;
    deliverables: Deliverable[];
    actionItems: ActionItem[];
    nextSteps: string | null;
    /** The consultant's suggested starts (ISO), for RESCHEDULE_REQUESTED. */
    suggestedStarts: string[];
    rescheduleReason: string | null;
    /** The organization's unexpired balance now, for the client side of a credit booking's confirmation and cancellation; else null. */
    creditsLeft: { credits: number; minutes: number } | null;
  };
  /** CONSULTATION_RESCHEDULED: the time before the move (delivery.payload previousStart/previousEnd). */
  previous: { start: Date; end: Date } | null;
}

/** What a message shows of the meeting: the link once there is one to use (https:, or tel: for a call). */
export interface MessageMeeting {
  status: 'PENDING' | 'READY' | 'FAILED' | 'DELETED';
  joinUrl: string | null;
  passcode: string | null;
  dialIn: string | null;
}

export interface MessageContent {
  template: string;
  subject: string;
  inApp: { title: string; body: string; link: string | null };
  data: Record<string, unknown>;
}

type Side = 'client' | 'consultant';

/** The kinds each side gets a template for (attendees get the client's). */
export const CONSULTATION_TEMPLATES: Partial<Record<MessageKind, readonly Side[]>> = {
  [MessageKind.BOOKING_CONFIRMED]: ['client', 'consultant'],
  [MessageKind.REMINDER_24H]: ['client', 'consultant'],
  [MessageKind.REMINDER_1H]: ['client', 'consultant'],
  [MessageKind.SESSION_STARTED]: ['client', 'consultant'],
  [MessageKind.SESSION_COMPLETED]: ['client', 'consultant'],
  [MessageKind.CONSULTATION_CANCELLED]: ['client', 'consultant'],
  [MessageKind.CONSULTATION_RESCHEDULED]: ['client', 'consultant'],
  [MessageKind.RESCHEDULE_REQUESTED]: ['client'],
  [MessageKind.FEEDBACK_REQUEST]: ['client'],
  [MessageKind.HOLD_EXPIRED]: ['client'],
  [MessageKind.MEETING_LINK]: ['client', 'consultant'],
};

/** 'booking-confirmed.client': the kind in kebab case, then the side. */
export function templateName(kind: MessageKind, side: RecipientSide): string {
  const reader: Side = side === RecipientSide.CONSULTANT ? 'consultant' : 'client';
  if (!CONSULTATION_TEMPLATES[kind]?.includes(reader)) throw new Error(`No ${reader} template for ${kind}: that side is not sent it.`);
  return `${kind.toLowerCase().replaceAll('_', '-')}.${reader}`;
}

export function formatMoney(money: { amount: number; currency: string }): string {
  return `${money.currency} ${(money.amount / 100).toFixed(2)}`;
}

/** What a cancellation did to the payment, as the client side reads it; `back` says whether it came back. */
export function cancellationPayment(c: ConsultationFacts['consultation']): { back: boolean; line: string } {
  if (c.paymentMethod === PaymentMethod.BOOKING_FEE) {
    if (c.feeRefunded) return { back: true, line: `The booking fee${c.fee ? ` of ${formatMoney(c.fee)}` : ''} is refunded to the card that paid it.` };
    return { back: false, line: 'The booking fee is not refunded.' };
  }
  switch (c.creditState) {
    case CreditState.RELEASED:
      return { back: true, line: c.usedFreeTrial ? 'Your free trial session is available again.' : `The credit is back on ${c.organizationName}'s balance.` };
    case CreditState.CONSUMED:
      return { back: false, line: 'The credit was used: the session was cancelled less than 24 hours before its start.' };
    case CreditState.HELD:
      return { back: false, line: 'The credit is still held on this booking.' };
  }
}

function shortDate(isoDate: string | null): string | null {
  if (!isoDate) return null;
  const d = DateTime.fromISO(isoDate, { zone: 'UTC' });
  return d.isValid ? d.setLocale('en-US').toFormat('ccc d LLL yyyy') : isoDate;
}

/** "Acme has 7 credits left." (and minutes, for time packages); null when not told. */
export function creditsLeftLine(organizationName: string, left: { credits: number; minutes: number } | null): string | null {
  if (!left) return null;
  const parts = [`${left.credits} ${left.credits === 1 ? 'credit' : 'credits'}`];
  if (left.minutes > 0) parts.push(`${left.minutes} minutes`);
  return `${organizationName} has ${parts.join(' and ')} left.`;
}

/**
 * How a message shows the meeting (emails/partials/session): a web link as a link; a phone call
 * as "Call <number>" (a tel: link); with the passcode and dial-in when there are; with no link
 * yet, the provider and when the link comes.
 */
export function meetingShown(meeting: MessageMeeting | null, toConsultant: boolean): {
  meetingUrl: string | null;
  meetingCall: { label: string; url: string } | null;
  meetingPasscode: string | null;
  meetingDialIn: string | null;
  meetingNote: string | null;
} {
  const web = httpLink(meeting?.joinUrl);
  const tel = !web && meeting?.joinUrl && /^tel:\+?[0-9]{3,20}$/.test(meeting.joinUrl) ? meeting.joinUrl : null;
  const note = (): string | null => {
    if (web || tel || !meeting) return null;
    if (meeting.status === 'PENDING') return 'the link follows by email';
    if (meeting.status === 'FAILED') return toConsultant ? 'no link could be made: share one with the client' : 'your consultant will share the link';
    return null;
  };
  return {
    meetingUrl: web,
    meetingCall: tel ? { label: `Call ${meeting?.dialIn?.trim() || tel.slice('tel:'.length)}`, url: tel } : null,
    meetingPasscode: web ? (meeting?.passcode ?? null) : null,
    // A phone call's number is the call itself: not repeated as a dial-in.
    meetingDialIn: web ? (meeting?.dialIn ?? null) : null,
    meetingNote: note(),
  };
}

const sentence = (text: string | null) => (text && text.trim() !== '' ? text.trim() : null);

export function consultationContent(facts: ConsultationFacts): MessageContent {
  const { kind, side, publicUrl, recipient, consultation: c } = facts;
  const zone = knownZone(recipient.zone);
  const toConsultant = side === RecipientSide.CONSULTANT;
  const consultationUrl = `${publicUrl}/consultations/${c.id}`;
  const when = formatLocalSpan(c.start, c.end, zone);
  const at = formatLocalTime(c.start, zone);
  const other = toConsultant ? `${c.clientName} (${c.organizationName})` : c.consultantName;
  const base = {
    publicUrl,
    recipientName: recipient.name,
    zone,
    when,
    code: c.code,
    purpose: c.purpose,
    withName: other,
    clientName: c.clientName,
    consultantName: c.consultantName,
    organizationName: c.organizationName,
    attendees: c.attendeeNames.length ? c.attendeeNames.join(', ') : null,
    ...meetingShown(c.meeting, toConsultant),
    meetingHow: MEETING_PROVIDER_NAMES[c.meetingProvider],
    consultationUrl,
  };
  const make = (subject: string, lead: string, extra: Record<string, unknown> = {}, link: string | null = consultationUrl): MessageContent => ({
    template: templateName(kind, side),
    subject,
    inApp: { title: subject, body: lead, link },
    data: { ...base, subject, preview: lead, lead, ...extra },
  });

  switch (kind) {
    case MessageKind.BOOKING_CONFIRMED:
      return toConsultant
        ? make(`New booking: ${other}, ${at}`, `${c.clientName} of ${c.organizationName} booked a session with you for ${when}.`)
        : make(`Booked: consultation with ${c.consultantName}, ${at}`, `Your consultation with ${c.consultantName} is booked for ${when}.`, { creditsLine: creditsLeftLine(c.organizationName, c.creditsLeft) });
    case MessageKind.REMINDER_24H:
      return make(`In 24 hours: consultation with ${other}, ${at}`, `Your session with ${other} is tomorrow: ${when}.`);
    case MessageKind.REMINDER_1H:
      return make(`In 1 hour: consultation with ${other}, ${at}`, `Your session with ${other} starts in one hour: ${when}.`);
    case MessageKind.SESSION_STARTED:
      return toConsultant
        ? make(`Session started: ${other}`, `Your session with ${other} has started.`)
        : make(`${c.consultantName} has started your session`, `${c.consultantName} has started your consultation: join now.`);
    case MessageKind.SESSION_COMPLETED: {
      const minutes = c.actualDurationMinutes;
      const feedbackUrl = `${consultationUrl}/feedback`;
      if (toConsultant) return make(`Completed: session with ${other}`, `Your session with ${other} is recorded as completed${minutes ? ` (${minutes} minutes)` : ''}.`, { durationMinutes: minutes });
      return make(
        `Summary of your consultation with ${c.consultantName}`,
        `Your consultation with ${c.consultantName} is complete. Here is what came out of it.`,
        {
          durationMinutes: minutes,
          summary: sentence(c.outcomes?.summary ?? null),
          keyPoints: c.outcomes?.keyPoints ?? [],
          recommendations: c.outcomes?.recommendations ?? [],
          deliverables: c.deliverables.map((d) => ({
            name: d.name,
            type: d.type,
            description: sentence(d.description),
            status: d.status.replaceAll('_', ' ').toLowerCase(),
            dueDate: shortDate(d.dueDate),
            fileUrl: httpLink(d.fileUrl),
          })),
          actionItems: c.actionItems.map((a) => ({ title: a.title, assignee: a.assignee, dueDate: shortDate(a.dueDate), priority: a.priority.toLowerCase() })),
          nextSteps: sentence(c.nextSteps),
          feedbackUrl,
        },
      );
    }
    case MessageKind.CONSULTATION_CANCELLED: {
      const payment = cancellationPayment(c);
      const by = c.cancelledByName ?? 'Serenity';
      return make(`Cancelled: consultation with ${other}, ${at}`, `${by} cancelled the session with ${toConsultant ? other : c.consultantName} of ${when}.`, {
        cancelledBy: by,
        reason: sentence(c.cancellationReason),
        creditBack: payment.back,
        paymentLine: payment.line,
        creditsLine: toConsultant ? null : creditsLeftLine(c.organizationName, c.creditsLeft),
      });
    }
    case MessageKind.CONSULTATION_RESCHEDULED: {
      const previousWhen = facts.previous ? formatLocalSpan(facts.previous.start, facts.previous.end, zone) : null;
      return make(`Moved: consultation with ${other}, now ${at}`, `Your session with ${other} has moved to ${when}.`, { previousWhen });
    }
    case MessageKind.RESCHEDULE_REQUESTED: {
      const suggestions = c.suggestedStarts.map((iso) => ({
        when: formatLocalSpan(new Date(iso), new Date(Date.parse(iso) + (c.end.getTime() - c.start.getTime())), zone),
        url: `${consultationUrl}/reschedule?start=${encodeURIComponent(new Date(iso).toISOString())}`,
      }));
      return make(`${c.consultantName} asks to move your consultation`, `${c.consultantName} cannot make ${when} and suggests other times.`, {
        suggestions,
        reason: sentence(c.rescheduleReason),
      });
    }
    case MessageKind.FEEDBACK_REQUEST: {
      const feedbackUrl = `${consultationUrl}/feedback`;
      return make(`How was your session with ${c.consultantName}?`, `Tell ${c.consultantName} and us how your consultation of ${when} went: it takes a minute.`, { feedbackUrl }, feedbackUrl);
    }
    case MessageKind.HOLD_EXPIRED: {
      const bookUrl = `${publicUrl}/book`;
      return make(`Your unpaid booking lapsed: ${at}`, `The booking fee for your session with ${c.consultantName} on ${when} was not paid in time, so the time is free again.`, { bookUrl }, bookUrl);
    }
    case MessageKind.MEETING_LINK:
      return make(`Meeting link: consultation with ${other}, ${at}`, `Here is where your session with ${other} on ${when} takes place. Your calendar invitation is updated with it.`);
    case MessageKind.VERIFY_EMAIL:
    case MessageKind.PASSWORD_RESET:
    case MessageKind.INVITATION:
      throw new Error(`${kind} is an identity email: AuthService renders and sends it itself.`);
    case MessageKind.FREE_TRIAL_GRANTED:
    case MessageKind.LOW_CREDIT:
    case MessageKind.CREDITS_EXPIRING_7D:
    case MessageKind.CREDITS_EXPIRING_1D:
    case MessageKind.CREDITS_EXPIRED:
    case MessageKind.PAYMENT_CONFIRMED:
    case MessageKind.REFUND_PROCESSED:
    case MessageKind.SUBSCRIPTION_RENEWAL_UPCOMING:
    case MessageKind.SUBSCRIPTION_PAYMENT_FAILED:
    case MessageKind.MEETING_FAILED:
      throw new Error(`${kind} is not a consultation message: compose.ts renders it with its own subject's composer.`);
  }
}
