import { Resolver, Root, Subscription } from 'type-graphql';
import { requireCaller } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import type { DomainEventHandler } from '../platform/events.js';
import { liveMap, publish, renewForEvent } from '../platform/live.js';
import { Notification } from './notification.entity.js';

/** Live inbox: each in-app notification is published on commit; only its user's subscriptions reload and send it. */
const TOPIC = 'notification.created';

interface NotificationMessage {
  notificationId: string;
  userId: string;
}

export const publishNotification: DomainEventHandler<'notification.created'> = async (created, em) => {
  const message: NotificationMessage = { notificationId: created.notificationId, userId: created.userId };
  await publish(em, TOPIC, message);
};

function notificationUpdates(ctx: RequestContext) {
  const caller = requireCaller(ctx);
  return liveMap(
    ctx.services.live.subscribe<NotificationMessage>(TOPIC, (m) => m.userId === caller.userId),
    async (m) => (await renewForEvent(ctx).em.findOne(Notification, { id: m.notificationId, user: caller.userId })) ?? undefined,
  );
}

@Resolver()
export class NotificationLiveResolver {
  @Subscription(() => Notification, {
    description: 'Your in-app notifications as they are created.',
    subscribe: ({ context }) => notificationUpdates(context as RequestContext),
  })
  notificationReceived(@Root() notification: Notification): Notification {
    return notification;
  }
}
