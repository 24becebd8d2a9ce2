/** In-app notifications for tests: an IN_APP delivery in the outbox, dispatched through the real sender. */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import type { ComposedMessage } from '../../src/notifications/dispatch.types.js';
import { createInAppSender } from '../../src/notifications/in-app.sender.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from '../../src/notifications/notification.enums.js';
import { enqueue } from '../../src/notifications/outbox.js';
import { DomainEvents } from '../../src/platform/events.js';

export function composedFor(title: string): ComposedMessage {
  return { subject: title, html: `<p>${title}</p>`, text: title, inApp: { title, body: `About: ${title}`, link: 'https://app.serenity.test/consultations/1' } };
}

/** Decides an IN_APP message to `userId` (a fresh subject each call) and returns its delivery row. */
export async function inAppDelivery(em: EntityManager, userId: string, kind: MessageKind = MessageKind.SESSION_COMPLETED, channel: DeliveryChannel = DeliveryChannel.IN_APP): Promise<NotificationDelivery> {
  const subjectId = randomUUID();
  await em.transactional((tx) =>
    enqueue(tx, [{ subject: { type: SubjectType.CONSULTATION, id: subjectId }, kind, channel, side: RecipientSide.CLIENT, recipient: { userId }, dueAt: new Date() }]),
  );
  return em.fork().findOneOrFail(NotificationDelivery, { subjectId });
}

/** A notification in `userId`'s inbox, made the way the dispatcher makes one; returns the delivery. */
export async function notify(em: EntityManager, userId: string, title: string, options: { kind?: MessageKind; events?: DomainEvents; at?: Date } = {}): Promise<NotificationDelivery> {
  const delivery = await inAppDelivery(em, userId, options.kind);
  const send = createInAppSender(options.events ?? new DomainEvents({}), options.at ? () => options.at! : undefined);
  await em.fork().transactional((tx) => send(tx, delivery, composedFor(title)));
  return delivery;
}
