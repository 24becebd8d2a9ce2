/**
 * A delivery row → the message it sends: subject, HTML and text (emails/ templates), the
 * in-app title, body and link, and the email's files. Each subject type has its composer
 * (COMPOSERS); the consultation's is here. Read when the message goes, not when it was decided, so it says
 * what is true then (the fixed facts of the decision come in `delivery.payload`). Deliveries are
 * cross-tenant jobs: everything is read ACROSS_TENANTS, in three to five queries (the meeting's
 * link among them, so a message that waited for it, or a reminder, carries the current one).
 *
 * Payload keys the deciding side writes (consultation-messages.ts):
 *   CONSULTATION_RESCHEDULED  previousStart, previousEnd  ISO instants of the time before the move
 *   (anything else is ignored)
 */
import { consultationInvitation, type InvitationMethod } from '../calendar/index.js';
import { meetingLinkOf } from '../meetings/index.js';
import type { EntityManager } from '../platform/db.js';
import { emailTemplates } from '../platform/email-templates.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { Consultation } from '../consultations/consultation.entity.js';
import { PaymentMethod } from '../consultations/consultation.enums.js';
import { CreditLot } from '../credits/credit-lot.entity.js';
import { summarizeCredits } from '../credits/summary.js';
import { User } from '../identity/user.entity.js';
import { composeInvoiceMessage, composePurchaseMessage } from './billing-compose.js';
import { consultationContent, type ConsultationFacts } from './consultation-content.js';
import { composeCreditLotMessage, composeOrganizationMessage, composeSubscriptionMessage } from './credit-compose.js';
import { composeMeetingMessage } from './meeting-compose.js';
import type { NotificationDelivery } from './delivery.entity.js';
import type { ComposedMessage } from './dispatch.types.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from './notification.enums.js';

export interface ComposeSettings {
  /** PUBLIC_URL (config.publicUrl), without a trailing slash: every link starts with it. */
  publicUrl: string;
}

/** Renders the deliveries of one subject type; `publicUrl` has no trailing slash. Null → SKIPPED. */
export type SubjectComposer = (em: EntityManager, delivery: NotificationDelivery, publicUrl: string) => Promise<ComposedMessage | null>;

/** Each subject type's composer (one file per kind of subject). */
const COMPOSERS: Partial<Record<SubjectType, SubjectComposer>> = {
  [SubjectType.CONSULTATION]: composeConsultationMessage,
  [SubjectType.INVOICE]: composeInvoiceMessage,
  [SubjectType.PURCHASE]: composePurchaseMessage,
  [SubjectType.CREDIT_LOT]: composeCreditLotMessage,
  [SubjectType.ORGANIZATION]: composeOrganizationMessage,
  [SubjectType.SUBSCRIPTION]: composeSubscriptionMessage,
  [SubjectType.MEETING]: composeMeetingMessage,
};

/** Null: what the message is about no longer exists, or the recipient is no longer part of it (→ SKIPPED). */
export async function composeMessage(em: EntityManager, delivery: NotificationDelivery, settings: ComposeSettings): Promise<ComposedMessage | null> {
  const composer = COMPOSERS[delivery.subjectType];
  if (!composer) throw new Error(`No composer renders ${delivery.subjectType} messages (${delivery.kind}).`);
  return composer(em, delivery, settings.publicUrl.replace(/\/+$/, ''));
}

async function composeConsultationMessage(em: EntityManager, delivery: NotificationDelivery, publicUrl: string): Promise<ComposedMessage | null> {
  const facts = await consultationFacts(em, delivery, publicUrl);
  if (!facts) return null;
  const content = consultationContent(facts);
  const { html, text } = (await emailTemplates()).render(content.template, content.data);
  const calendar = await consultationCalendar(em, delivery, publicUrl);
  return { subject: content.subject, html, text, inApp: content.inApp, ...(calendar ? { calendar } : {}) };
}

/** The emails whose calendar part puts the session into the recipient's calendar (REQUEST) or takes it out (CANCEL). */
const INVITATIONS: Partial<Record<MessageKind, InvitationMethod>> = {
  [MessageKind.BOOKING_CONFIRMED]: 'REQUEST',
  [MessageKind.CONSULTATION_RESCHEDULED]: 'REQUEST',
  [MessageKind.CONSULTATION_CANCELLED]: 'CANCEL',
  [MessageKind.HOLD_EXPIRED]: 'CANCEL',
  // The same event again, now with the link (a higher SEQUENCE).
  [MessageKind.MEETING_LINK]: 'REQUEST',
};

/** The invitation an email carries (calendar/ builds it; the same event for every recipient); in-app ignores it. */
function consultationCalendar(em: EntityManager, delivery: NotificationDelivery, publicUrl: string) {
  const method = INVITATIONS[delivery.kind];
  if (!method || delivery.channel !== DeliveryChannel.EMAIL) return null;
  return consultationInvitation(em, delivery.subjectId, method, { publicUrl });
}

async function consultationFacts(em: EntityManager, delivery: NotificationDelivery, publicUrl: string): Promise<ConsultationFacts | null> {
  const c = await em.findOne(
    Consultation,
    { id: delivery.subjectId },
    { ...ACROSS_TENANTS, populate: ['client', 'bookedBy', 'consultant.user', 'organization', 'cancelledBy'] },
  );
  if (!c) return null;
  const consultantUser = c.consultant.user;

  let recipient: ConsultationFacts['recipient'] | null = null;
  switch (delivery.side) {
    case RecipientSide.ATTENDEE: {
      // No account, no zone of their own: the booker's, who invited them.
      const email = delivery.recipientEmail?.toLowerCase();
      const attendee = c.attendees.find((a) => a.email.toLowerCase() === email);
      recipient = attendee ? { name: attendee.name, zone: c.bookedBy.timeZone } : null;
      break;
    }
    case RecipientSide.CONSULTANT:
      recipient = delivery.recipientUserId === consultantUser.id ? { name: consultantUser.displayName, zone: consultantUser.timeZone } : null;
      break;
    case RecipientSide.CLIENT: {
      const id = delivery.recipientUserId;
      const user = [c.client, c.bookedBy].find((u) => u.id === id) ?? (id ? await em.findOne(User, { id }, ACROSS_TENANTS) : null);
      recipient = user ? { name: user.displayName, zone: user.timeZone } : null;
      break;
    }
    case RecipientSide.USER:
      throw new Error(`A consultation message goes to its client side, its attendees or its consultant, not to side ${delivery.side}.`);
  }
  if (!recipient) return null;
  // The meeting as it is now: a message composed after the link arrived carries it.
  const link = await meetingLinkOf(em, c.id);
  const meeting = link ? { status: link.status, joinUrl: link.joinUrl, passcode: link.passcode, dialIn: link.dialIn } : null;
  // A link message whose link is gone again (the session was cancelled since) has nothing to say.
  if (delivery.kind === MessageKind.MEETING_LINK && !meeting?.joinUrl) return null;

  return {
    kind: delivery.kind,
    side: delivery.side,
    publicUrl,
    recipient,
    consultation: {
      id: c.id,
      code: c.code,
      purpose: c.purpose,
      start: c.startAt,
      end: c.endAt,
      clientName: c.client.displayName,
      consultantName: consultantUser.displayName,
      organizationName: c.organization.name,
      attendeeNames: c.attendees.map((a) => a.name),
      meetingProvider: c.meetingProvider,
      meeting,
      paymentMethod: c.paymentMethod,
      creditState: c.creditState,
      usedFreeTrial: c.usedFreeTrial,
      fee: c.fee ? { amount: c.fee.amount, currency: c.fee.currency } : null,
      feeRefunded: c.feeRefundedAt !== null,
      cancelledByName: c.cancelledBy ? c.cancelledBy.displayName : null,
      cancellationReason: c.cancellationReason,
      actualDurationMinutes: c.actualDurationMinutes,
      outcomes: c.outcomes,
      deliverables: c.deliverables,
      actionItems: c.actionItems,
      nextSteps: c.nextSteps,
      suggestedStarts: c.rescheduleRequest?.suggestedStarts ?? [],
      rescheduleReason: c.rescheduleRequest?.reason ?? null,
      creditsLeft: tellsCreditsLeft(delivery, c) ? await creditsLeft(em, c.organization.id) : null,
    },
    previous: previousTime(delivery.payload),
  };
}

/** The client side of a credit booking's confirmation or cancellation says what the organization has left. */
function tellsCreditsLeft(delivery: NotificationDelivery, c: Consultation): boolean {
  return (
    c.paymentMethod === PaymentMethod.CREDITS &&
    delivery.side !== RecipientSide.CONSULTANT &&
    (delivery.kind === MessageKind.BOOKING_CONFIRMED || delivery.kind === MessageKind.CONSULTATION_CANCELLED)
  );
}

/** The organization's unexpired balance as its credit summary counts it (sessions; minutes of time packages). */
async function creditsLeft(em: EntityManager, organizationId: string): Promise<{ credits: number; minutes: number }> {
  const now = new Date();
  const lots = await em.find(CreditLot, { organization: organizationId, expiresAt: { $gt: now }, available: { $gt: 0 } }, ACROSS_TENANTS);
  const balances = summarizeCredits(lots, 0, now);
  return { credits: balances.availableCredits, minutes: balances.availableMinutes };
}

/** payload.previousStart / previousEnd (ISO) → the time before a reschedule; null when absent or unreadable. */
export function previousTime(payload: Record<string, unknown> | null): { start: Date; end: Date } | null {
  const start = typeof payload?.previousStart === 'string' ? new Date(payload.previousStart) : null;
  const end = typeof payload?.previousEnd === 'string' ? new Date(payload.previousEnd) : null;
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return null;
  return { start, end };
}
