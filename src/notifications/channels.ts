import type { DomainEvents } from '../platform/events.js';
import type { Mailer } from '../platform/mailer.js';
import { query } from '../platform/sql.js';
import { userEmail } from './dispatch.sql.js';
import type { ChannelSender, DeliveryChannels } from './dispatch.types.js';
import { createInAppSender } from './in-app.sender.js';

/** A failure no retry can mend (e.g. the recipient has no address any more): FAILED at once. */
export class PermanentDeliveryError extends Error {
  readonly responseCode = 550;
}

/** 'BOOKING_CONFIRMED' → 'booking-confirmed': the X-Serenity-Kind header, as the identity emails always had it. */
export function mailKind(kind: string): string {
  return kind.toLowerCase().replaceAll('_', '-');
}

/** EMAIL: through the mailer (SMTP), with the delivery's own Message-ID, so a resend is recognisably the same message. */
export function emailSender(mailer: Mailer): ChannelSender {
  return async (em, delivery, message) => {
    let to = delivery.recipientEmail;
    if (!to && delivery.recipientUserId) {
      const [user] = await query<{ email: string }>(em, userEmail(delivery.recipientUserId));
      to = user?.email ?? null;
    }
    if (!to) throw new PermanentDeliveryError('The recipient has no email address.');
    await mailer.send({
      kind: mailKind(delivery.kind),
      to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: delivery.messageId,
      ...(message.attachments?.length ? { attachments: message.attachments } : {}),
      ...(message.calendar ? { calendar: message.calendar } : {}),
    });
  };
}

/** The channels a dispatcher sends on: email through the mailer, in-app as Notification rows (in-app.sender.ts). */
export function deliveryChannels(mailer: Mailer, events: DomainEvents): DeliveryChannels {
  return { EMAIL: emailSender(mailer), IN_APP: createInAppSender(events) };
}
