import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEvents } from '../platform/events.js';
import { query } from '../platform/sql.js';
import type { NotificationDelivery } from './delivery.entity.js';
import type { ChannelSender, ComposedMessage } from './dispatch.types.js';
import { insertNotification } from './inbox.sql.js';

/**
 * The IN_APP channel: the delivery becomes a notification in its user's inbox, once (a second
 * dispatch of the same delivery writes nothing and emits nothing), in the dispatcher's
 * transaction; 'notification.created' goes on the bus for the live-status work. A delivery
 * without an account behind it has no inbox: nothing to write.
 */
export function createInAppSender(events: DomainEvents, clock: () => Date = () => new Date()): ChannelSender {
  return async (em: EntityManager, delivery: NotificationDelivery, message: ComposedMessage): Promise<void> => {
    const userId = delivery.recipientUserId;
    if (!userId) return;
    const at = clock();
    const [created] = await query<{ id: string }>(
      em,
      insertNotification({
        id: randomUUID(),
        userId,
        kind: delivery.kind,
        // The columns' limits; a composed title is far shorter.
        title: message.inApp.title.slice(0, 200),
        body: message.inApp.body,
        link: message.inApp.link,
        subjectType: delivery.subjectType,
        subjectId: delivery.subjectId,
        deliveryId: delivery.id,
        at,
      }),
    );
    if (created) await events.emit('notification.created', { notificationId: created.id, userId, kind: delivery.kind, at }, em);
  };
}
