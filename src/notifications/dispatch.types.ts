import type { EntityManager } from '@mikro-orm/postgresql';
import type { NotificationDelivery } from './delivery.entity.js';

/** A delivery rendered for its recipient: the email's parts and the in-app notification's. */
export interface ComposedMessage {
  subject: string;
  html: string;
  text: string;
  inApp: { title: string; body: string; link: string | null };
}

/** Sends a claimed delivery on its channel, in `em`'s transaction; throws on failure. */
export type ChannelSender = (em: EntityManager, delivery: NotificationDelivery, message: ComposedMessage) => Promise<void>;
