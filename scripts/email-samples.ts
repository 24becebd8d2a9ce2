/**
 * Sample data for every email template: what `npm run emails:preview` renders and what the
 * template tests check (each sample with the facts its email must state).
 */
import { ActionItemPriority, ActionItemStatus, CreditState, DeliverableStatus, MeetingProvider, PaymentMethod } from '../src/consultations/consultation.enums.js';
import { CONSULTATION_TEMPLATES, consultationContent, type ConsultationFacts } from '../src/notifications/consultation-content.js';
import { MessageKind, RecipientSide } from '../src/notifications/notification.enums.js';
import { BILLING_SAMPLES } from './billing-email-samples.js';
import { CREDIT_SAMPLES } from './credit-email-samples.js';
import { MEETING_SAMPLES } from './meeting-email-samples.js';

export const SAMPLE_PUBLIC_URL = 'https://app.serenity.example';

export interface EmailSample {
  /** e.g. 'booking-confirmed.client' or 'booking-confirmed.client-fee-kept'. */
  name: string;
  template: string;
  subject: string;
  data: Record<string, unknown>;
  /** What the HTML and the text must both say. */
  facts: string[];
}

const consultation: ConsultationFacts['consultation'] = {
  id: '6f1c1d2e-8c1b-4a3e-9d55-0b7f3a1c2d4e',
  code: 'CNS-ACME-20261208-001',
  purpose: 'Pricing strategy for the 2027 product line',
  start: new Date('2026-12-08T14:00:00Z'),
  end: new Date('2026-12-08T15:00:00Z'),
  clientName: 'Jane Smith',
  consultantName: 'Sarah Chen',
  organizationName: 'Acme & Sons',
  attendeeNames: ['Raj Patel'],
  meetingProvider: MeetingProvider.ZOOM,
  meeting: { status: 'READY', joinUrl: 'https://zoom.us/j/123456789?pwd=abc', passcode: '482913', dialIn: '+1 646 558 8656' },
  paymentMethod: PaymentMethod.CREDITS,
  creditState: CreditState.HELD,
  usedFreeTrial: false,
  fee: null,
  feeRefunded: false,
  cancelledByName: null,
  cancellationReason: null,
  actualDurationMinutes: null,
  outcomes: null,
  deliverables: [],
  actionItems: [],
  nextSteps: null,
  suggestedStarts: [],
  rescheduleReason: null,
  creditsLeft: null,
};

const client = { name: 'Jane Smith', zone: 'Europe/London' };
const consultant = { name: 'Sarah Chen', zone: 'America/New_York' };
const CLIENT_WHEN = 'Tue 8 Dec 2026, 14:00–15:00 (Europe/London)';
const CONSULTANT_WHEN = 'Tue 8 Dec 2026, 09:00–10:00 (America/New_York)';
const MEETING = 'https://zoom.us/j/123456789?pwd=abc';

function sample(name: string, kind: MessageKind, side: RecipientSide, facts: string[], changes: Partial<ConsultationFacts['consultation']> = {}, more: Partial<ConsultationFacts> = {}): EmailSample {
  const toConsultant = side === RecipientSide.CONSULTANT;
  const content = consultationContent({
    kind,
    side,
    publicUrl: SAMPLE_PUBLIC_URL,
    recipient: toConsultant ? consultant : client,
    consultation: { ...consultation, ...changes },
    previous: null,
    ...more,
  });
  const who = toConsultant ? ['Hello Sarah Chen', 'Jane Smith (Acme & Sons)'] : ['Hello Jane Smith', 'Sarah Chen'];
  return { name, template: content.template, subject: content.subject, data: content.data, facts: [...who, toConsultant ? CONSULTANT_WHEN : CLIENT_WHEN, ...facts] };
}

const C = RecipientSide.CLIENT;
const K = RecipientSide.CONSULTANT;

const completed: Partial<ConsultationFacts['consultation']> = {
  creditState: CreditState.CONSUMED,
  actualDurationMinutes: 58,
  outcomes: { summary: 'Move to value-based tiers.', keyPoints: ['Churn concentrates in the basic tier'], recommendations: ['Raise the floor price by 8%'] },
  deliverables: [{ name: 'Pricing model', type: 'REPORT', description: 'Three scenarios', status: DeliverableStatus.IN_PROGRESS, dueDate: '2026-12-18', fileUrl: null }],
  actionItems: [{ title: 'Share churn data', assignee: 'client', dueDate: '2026-12-11', priority: ActionItemPriority.HIGH, status: ActionItemStatus.OPEN }],
  nextSteps: 'Review the model together in January.',
};

export const CONSULTATION_SAMPLES: EmailSample[] = [
  sample('booking-confirmed.client', MessageKind.BOOKING_CONFIRMED, C, [MEETING, 'Raj Patel', 'CNS-ACME-20261208-001', 'Acme & Sons has 7 credits left.'], { creditsLeft: { credits: 7, minutes: 0 } }),
  sample('booking-confirmed.client-no-meeting-link', MessageKind.BOOKING_CONFIRMED, C, ['Zoom (the link follows by email)'], { meeting: { status: 'PENDING', joinUrl: null, passcode: null, dialIn: null }, attendeeNames: [] }),
  sample('booking-confirmed.client-phone', MessageKind.BOOKING_CONFIRMED, C, ['Call +44 20 7946 0000', 'tel:+442079460000'], { meetingProvider: MeetingProvider.PHONE, meeting: { status: 'READY', joinUrl: 'tel:+442079460000', passcode: null, dialIn: '+44 20 7946 0000' } }),
  sample('booking-confirmed.consultant-meeting-failed', MessageKind.BOOKING_CONFIRMED, K, ['no link could be made: share one with the client'], { meeting: { status: 'FAILED', joinUrl: null, passcode: null, dialIn: null } }),
  sample('booking-confirmed.consultant', MessageKind.BOOKING_CONFIRMED, K, [MEETING]),
  sample('reminder-24h.client', MessageKind.REMINDER_24H, C, [MEETING]),
  sample('reminder-24h.consultant', MessageKind.REMINDER_24H, K, [MEETING]),
  sample('reminder-1h.client', MessageKind.REMINDER_1H, C, [MEETING, '482913', '+1 646 558 8656']),
  sample('reminder-1h.consultant', MessageKind.REMINDER_1H, K, [MEETING]),
  sample('session-started.client', MessageKind.SESSION_STARTED, C, [MEETING, 'Sarah Chen has started your consultation']),
  sample('session-started.consultant', MessageKind.SESSION_STARTED, K, []),
  sample('session-completed.client', MessageKind.SESSION_COMPLETED, C, ['Move to value-based tiers.', 'Raise the floor price by 8%', 'Pricing model', 'due Fri 18 Dec 2026', 'Share churn data', 'high priority', 'Review the model together in January.', `${SAMPLE_PUBLIC_URL}/consultations/${consultation.id}/feedback`], completed),
  sample('session-completed.consultant', MessageKind.SESSION_COMPLETED, K, ['58 minutes'], completed),
  sample('consultation-cancelled.client', MessageKind.CONSULTATION_CANCELLED, C, ['Sarah Chen cancelled', 'A family emergency', "The credit is back on Acme & Sons's balance.", 'Acme & Sons has 8 credits and 90 minutes left.'], { creditsLeft: { credits: 8, minutes: 90 }, creditState: CreditState.RELEASED, cancelledByName: 'Sarah Chen', cancellationReason: 'A family emergency' }),
  sample('consultation-cancelled.client-late', MessageKind.CONSULTATION_CANCELLED, C, ['Jane Smith cancelled', 'The credit was used'], { creditState: CreditState.CONSUMED, cancelledByName: 'Jane Smith' }),
  sample('consultation-cancelled.client-fee-refunded', MessageKind.CONSULTATION_CANCELLED, C, ['The booking fee of USD 10.00 is refunded'], { paymentMethod: PaymentMethod.BOOKING_FEE, fee: { amount: 1000, currency: 'USD' }, feeRefunded: true, cancelledByName: 'Jane Smith' }),
  sample('consultation-cancelled.consultant', MessageKind.CONSULTATION_CANCELLED, K, ['Jane Smith cancelled', 'The time is free again'], { creditState: CreditState.RELEASED, cancelledByName: 'Jane Smith' }),
  sample('consultation-rescheduled.client', MessageKind.CONSULTATION_RESCHEDULED, C, ['Mon 7 Dec 2026, 10:00–11:00 (Europe/London)'], {}, { previous: { start: new Date('2026-12-07T10:00:00Z'), end: new Date('2026-12-07T11:00:00Z') } }),
  sample('consultation-rescheduled.consultant', MessageKind.CONSULTATION_RESCHEDULED, K, ['Mon 7 Dec 2026, 05:00–06:00 (America/New_York)'], {}, { previous: { start: new Date('2026-12-07T10:00:00Z'), end: new Date('2026-12-07T11:00:00Z') } }),
  sample('reschedule-requested.client', MessageKind.RESCHEDULE_REQUESTED, C, ['Wed 9 Dec 2026, 10:00–11:00 (Europe/London)', `${SAMPLE_PUBLIC_URL}/consultations/${consultation.id}/reschedule?start=2026-12-09T10%3A00%3A00.000Z`, 'Thu 10 Dec 2026, 16:30–17:30 (Europe/London)', 'A conference that day'], {
    suggestedStarts: ['2026-12-09T10:00:00.000Z', '2026-12-10T16:30:00.000Z'],
    rescheduleReason: 'A conference that day',
  }),
  sample('feedback-request.client', MessageKind.FEEDBACK_REQUEST, C, [`${SAMPLE_PUBLIC_URL}/consultations/${consultation.id}/feedback`], completed),
  sample('meeting-link.client', MessageKind.MEETING_LINK, C, [MEETING, '482913', 'calendar invitation is updated']),
  sample('meeting-link.consultant', MessageKind.MEETING_LINK, K, [MEETING]),
  sample('hold-expired.client', MessageKind.HOLD_EXPIRED, C, ['was not paid in time', 'Nothing was charged'], { paymentMethod: PaymentMethod.BOOKING_FEE, fee: { amount: 1000, currency: 'USD' } }),
];

const identity = (name: string, subject: string, data: Record<string, unknown>, facts: string[]): EmailSample => ({
  name,
  template: name,
  subject,
  data: { publicUrl: SAMPLE_PUBLIC_URL, subject, preview: subject, ...data },
  facts,
});

export const IDENTITY_SAMPLES: EmailSample[] = [
  identity('verify-email', 'Confirm your email address', { firstName: 'Jane', url: `${SAMPLE_PUBLIC_URL}/verify-email?token=abc` }, ['Hello Jane', `${SAMPLE_PUBLIC_URL}/verify-email?token=abc`, 'expires in 24 hours']),
  identity('password-reset', 'Reset your password', { firstName: 'Jane', url: `${SAMPLE_PUBLIC_URL}/reset-password?token=abc` }, ['Hello Jane', `${SAMPLE_PUBLIC_URL}/reset-password?token=abc`, 'expires in 1 hour']),
  identity('invitation', 'Join Acme on Serenity', { inviterName: 'Jane Smith', organizationName: 'Acme', url: `${SAMPLE_PUBLIC_URL}/accept-invitation?token=abc` }, ['Jane Smith invites you to join Acme', `${SAMPLE_PUBLIC_URL}/accept-invitation?token=abc`, 'expires in 7 days']),
];

export const EMAIL_SAMPLES: EmailSample[] = [...IDENTITY_SAMPLES, ...CONSULTATION_SAMPLES, ...BILLING_SAMPLES, ...CREDIT_SAMPLES, ...MEETING_SAMPLES];

/** Every (kind, side) the content rules have a template for: the samples must cover them all. */
export const CONSULTATION_TEMPLATE_NAMES = Object.entries(CONSULTATION_TEMPLATES).flatMap(([kind, sides]) => sides.map((side) => `${kind.toLowerCase().replaceAll('_', '-')}.${side}`));
