import { registerEnumType } from 'type-graphql';

/**
 * A delivery's life: PENDING until its moment (dueAt) and a sender claims it (SENDING, under a
 * lease); SENT once the channel accepted it; a transient failure goes back to PENDING with a
 * later nextAttemptAt, until the retry window ends (FAILED). CANCELLED: withdrawn before it went
 * (a reschedule or a cancellation made it wrong); SKIPPED: its moment passed while nothing could
 * send it and it no longer makes sense (a reminder for a session already started), or the
 * recipient turned that kind of message off.
 */
export const DeliveryStatus = {
  PENDING: 'PENDING',
  SENDING: 'SENDING',
  SENT: 'SENT',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELLED',
  SKIPPED: 'SKIPPED',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus', description: 'Where a notification delivery is: PENDING, SENDING (claimed), SENT, FAILED (retries exhausted), CANCELLED (withdrawn), SKIPPED (too late, or turned off).' });

/** How a message reaches its recipient. */
export const DeliveryChannel = { EMAIL: 'EMAIL', IN_APP: 'IN_APP' } as const;
export type DeliveryChannel = (typeof DeliveryChannel)[keyof typeof DeliveryChannel];
registerEnumType(DeliveryChannel, { name: 'DeliveryChannel', description: 'EMAIL, or IN_APP (a notification in the app, for users with an account).' });

/** What a delivery is about (its subject's table). */
export const SubjectType = { CONSULTATION: 'CONSULTATION', USER: 'USER', INVITATION: 'INVITATION', SUBSCRIPTION: 'SUBSCRIPTION', ORGANIZATION: 'ORGANIZATION' } as const;
export type SubjectType = (typeof SubjectType)[keyof typeof SubjectType];

/**
 * Every message the product sends (seeds 001: the consultation templates; plus the identity
 * emails). Credit and billing messages come with issue 14.
 */
export const MessageKind = {
  BOOKING_CONFIRMED: 'BOOKING_CONFIRMED',
  REMINDER_24H: 'REMINDER_24H',
  REMINDER_1H: 'REMINDER_1H',
  SESSION_STARTED: 'SESSION_STARTED',
  SESSION_COMPLETED: 'SESSION_COMPLETED',
  CONSULTATION_CANCELLED: 'CONSULTATION_CANCELLED',
  CONSULTATION_RESCHEDULED: 'CONSULTATION_RESCHEDULED',
  RESCHEDULE_REQUESTED: 'RESCHEDULE_REQUESTED',
  FEEDBACK_REQUEST: 'FEEDBACK_REQUEST',
  HOLD_EXPIRED: 'HOLD_EXPIRED',
  VERIFY_EMAIL: 'VERIFY_EMAIL',
  PASSWORD_RESET: 'PASSWORD_RESET',
  INVITATION: 'INVITATION',
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];
registerEnumType(MessageKind, { name: 'MessageKind', description: 'What a notification says (one template per kind and side).' });

/** Which side of a consultation a recipient is on: the templates differ. */
export const RecipientSide = { CLIENT: 'CLIENT', CONSULTANT: 'CONSULTANT', ATTENDEE: 'ATTENDEE', USER: 'USER' } as const;
export type RecipientSide = (typeof RecipientSide)[keyof typeof RecipientSide];
