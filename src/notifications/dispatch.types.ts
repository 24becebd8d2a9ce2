import type { EntityManager } from '@mikro-orm/postgresql';
import type { MailAttachment, MailCalendarEvent } from '../platform/mailer.js';
import type { NotificationDelivery } from './delivery.entity.js';
import type { DeliveryChannel } from './notification.enums.js';

/** A delivery rendered for its recipient: the email's parts and the in-app notification's. */
export interface ComposedMessage {
  subject: string;
  html: string;
  text: string;
  inApp: { title: string; body: string; link: string | null };
  /** Files the email carries (an invoice PDF); the in-app notification links to them instead. */
  attachments?: MailAttachment[];
  /** The email's calendar invitation (REQUEST) or withdrawal (CANCEL). */
  calendar?: MailCalendarEvent;
}

/** Renders a delivery; null: its subject is gone, so the delivery is SKIPPED. */
export type Compose = (em: EntityManager, delivery: NotificationDelivery, settings: { publicUrl: string }) => Promise<ComposedMessage | null>;

/** Hands a composed message to one channel; resolves once the channel accepted it, rejects when it did not. */
export type ChannelSender = (em: EntityManager, delivery: NotificationDelivery, message: ComposedMessage) => Promise<void>;

/** Whether the message still makes sense at `now` (a reminder for a session already started does not); false → SKIPPED. */
export type Relevant = (em: EntityManager, delivery: NotificationDelivery, now: Date) => Promise<boolean>;

/** Whether the recipient wants it (preferences; essential kinds always go); false → SKIPPED. */
export type Wanted = (em: EntityManager, delivery: NotificationDelivery) => Promise<boolean>;

/** What one dispatch run did, per outcome. */
export interface DispatchReport {
  claimed: number;
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
  /** Claims lost to another dispatcher between the claim and the mark (a stale lease). */
  lost: number;
  /** Claims not sent because their lease was more than half gone (a slow batch): claimed again once it ends. */
  deferred: number;
}

export type DeliveryChannels = Record<DeliveryChannel, ChannelSender>;
