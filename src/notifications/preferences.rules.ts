import { DeliveryChannel, MessageKind } from './notification.enums.js';

/**
 * Which messages a person may turn off. ESSENTIAL ones always go: the account's own (verify,
 * reset, invitation) and those that say a booking they have was made, moved, put in question
 * or ended (confirmed, rescheduled, reschedule requested, cancelled, hold lapsed unpaid, the meeting link) —
 * muting those would leave someone going to a session that is not there — and those about money
 * (payment confirmed, refund processed, renewal payment failed), and the consultant's word that
 * a session's meeting could not be made (muted, the client finds no place to meet). REMINDER (session reminders,
 * low credit, credits expiring, renewal coming) and UPDATE (session started, completion summary,
 * feedback request, free trial granted, credits expired) are theirs to turn off per channel.
 */
export type MessageCategory = 'ESSENTIAL' | 'REMINDER' | 'UPDATE';

const CATEGORY: Record<MessageKind, MessageCategory> = {
  [MessageKind.VERIFY_EMAIL]: 'ESSENTIAL',
  [MessageKind.PASSWORD_RESET]: 'ESSENTIAL',
  [MessageKind.INVITATION]: 'ESSENTIAL',
  [MessageKind.BOOKING_CONFIRMED]: 'ESSENTIAL',
  [MessageKind.CONSULTATION_CANCELLED]: 'ESSENTIAL',
  [MessageKind.CONSULTATION_RESCHEDULED]: 'ESSENTIAL',
  [MessageKind.RESCHEDULE_REQUESTED]: 'ESSENTIAL',
  // A booking-fee hold that lapsed unpaid: a payment message.
  [MessageKind.HOLD_EXPIRED]: 'ESSENTIAL',
  // Where to meet: without it the session cannot take place.
  [MessageKind.MEETING_LINK]: 'ESSENTIAL',
  [MessageKind.REMINDER_24H]: 'REMINDER',
  [MessageKind.REMINDER_1H]: 'REMINDER',
  [MessageKind.SESSION_STARTED]: 'UPDATE',
  [MessageKind.SESSION_COMPLETED]: 'UPDATE',
  [MessageKind.FEEDBACK_REQUEST]: 'UPDATE',
  // Money: what was paid, refunded, or failed to be paid, always goes.
  [MessageKind.PAYMENT_CONFIRMED]: 'ESSENTIAL',
  [MessageKind.REFUND_PROCESSED]: 'ESSENTIAL',
  [MessageKind.SUBSCRIPTION_PAYMENT_FAILED]: 'ESSENTIAL',
  // Heads-ups about credits and renewals: reminders.
  [MessageKind.LOW_CREDIT]: 'REMINDER',
  [MessageKind.CREDITS_EXPIRING_7D]: 'REMINDER',
  [MessageKind.CREDITS_EXPIRING_1D]: 'REMINDER',
  [MessageKind.SUBSCRIPTION_RENEWAL_UPCOMING]: 'REMINDER',
  // A session without a place to meet unless the consultant acts.
  [MessageKind.MEETING_FAILED]: 'ESSENTIAL',
  [MessageKind.FREE_TRIAL_GRANTED]: 'UPDATE',
  [MessageKind.CREDITS_EXPIRED]: 'UPDATE',
};

export function categoryOf(kind: MessageKind): MessageCategory {
  return CATEGORY[kind];
}

export function isEssential(kind: MessageKind): boolean {
  return CATEGORY[kind] === 'ESSENTIAL';
}

/** The kinds that always go, whatever the preferences (shown to people beside their switches). */
export const ESSENTIAL_KINDS: readonly MessageKind[] = Object.values(MessageKind).filter(isEssential);

/** A user's switches; true = on. */
export interface Preferences {
  emailReminders: boolean;
  emailUpdates: boolean;
  inAppReminders: boolean;
  inAppUpdates: boolean;
}

/** Nothing turned off: a user who never chose, and attendees without an account. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = { emailReminders: true, emailUpdates: true, inAppReminders: true, inAppUpdates: true };

/** Whether a message of `kind` goes to someone with `preferences` on `channel`. */
export function wants(preferences: Preferences, kind: MessageKind, channel: DeliveryChannel): boolean {
  const category = categoryOf(kind);
  if (category === 'ESSENTIAL') return true;
  const email = channel === DeliveryChannel.EMAIL;
  if (category === 'REMINDER') return email ? preferences.emailReminders : preferences.inAppReminders;
  return email ? preferences.emailUpdates : preferences.inAppUpdates;
}
