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
export const SubjectType = {
  CONSULTATION: 'CONSULTATION',
  USER: 'USER',
  INVITATION: 'INVITATION',
  SUBSCRIPTION: 'SUBSCRIPTION',
  ORGANIZATION: 'ORGANIZATION',
  /** A credit lot: its free-trial grant, expiry warnings and expiry. */
  CREDIT_LOT: 'CREDIT_LOT',
  /** An invoice: its payment confirmation. */
  INVOICE: 'INVOICE',
  /** A package purchase: its refund. */
  PURCHASE: 'PURCHASE',
  /** A consultation's meeting (the meeting table; its id is the consultation's): a failure to make it. */
  MEETING: 'MEETING',
} as const;
export type SubjectType = (typeof SubjectType)[keyof typeof SubjectType];

/**
 * Every message the product sends (seeds 001: the consultation templates, the credit templates;
 * plus the identity emails and the billing messages).
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
  /** The meeting's link arrived (or changed) after the confirmation or the move's message went without it (occurrence: the link's hash). */
  MEETING_LINK: 'MEETING_LINK',
  VERIFY_EMAIL: 'VERIFY_EMAIL',
  PASSWORD_RESET: 'PASSWORD_RESET',
  INVITATION: 'INVITATION',
  /** The organization's free trial credit was granted (subject: its CREDIT_LOT). */
  FREE_TRIAL_GRANTED: 'FREE_TRIAL_GRANTED',
  /** The balance fell under the low-credit line (subject: the ORGANIZATION; occurrence: the crossing). */
  LOW_CREDIT: 'LOW_CREDIT',
  /** A lot with unused credits expires in 7 days / 1 day (subject: the CREDIT_LOT). */
  CREDITS_EXPIRING_7D: 'CREDITS_EXPIRING_7D',
  CREDITS_EXPIRING_1D: 'CREDITS_EXPIRING_1D',
  /** A lot expired with unused credits: what was lost (subject: the CREDIT_LOT). */
  CREDITS_EXPIRED: 'CREDITS_EXPIRED',
  /** A payment went through: the invoice, attached (subject: the INVOICE). */
  PAYMENT_CONFIRMED: 'PAYMENT_CONFIRMED',
  /** A purchase was refunded: credits revoked, amount, credit note (subject: the PURCHASE). */
  REFUND_PROCESSED: 'REFUND_PROCESSED',
  /** A subscription renews in 7 days (subject: the SUBSCRIPTION; occurrence: the renewal instant). */
  SUBSCRIPTION_RENEWAL_UPCOMING: 'SUBSCRIPTION_RENEWAL_UPCOMING',
  /** A renewal's payment failed: PAST_DUE, what to do (subject: the SUBSCRIPTION; occurrence: the period). */
  SUBSCRIPTION_PAYMENT_FAILED: 'SUBSCRIPTION_PAYMENT_FAILED',
  /** The provider could not make the consultation's meeting: the consultant shares a link or changes the provider (subject: the MEETING; occurrence: the failure). */
  MEETING_FAILED: 'MEETING_FAILED',
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];
registerEnumType(MessageKind, { name: 'MessageKind', description: 'What a notification says (one template per kind and side).' });

/** Which side of a consultation a recipient is on: the templates differ. */
export const RecipientSide = { CLIENT: 'CLIENT', CONSULTANT: 'CONSULTANT', ATTENDEE: 'ATTENDEE', USER: 'USER' } as const;
export type RecipientSide = (typeof RecipientSide)[keyof typeof RecipientSide];
