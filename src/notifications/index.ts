import type { ModuleManifest } from '../platform/module.js';
import { NotificationDelivery } from './delivery.entity.js';
import { InboxResolver, InboxUserFieldsResolver } from './inbox.resolver.js';
import { Notification, NotificationPreference } from './notification.entity.js';

/** Notifications: the outbox of messages (emails, in-app), decided by domain events, sent after commit. */
export const notificationsModule: ModuleManifest = {
  name: 'notifications',
  entities: [NotificationDelivery, Notification, NotificationPreference],
  resolvers: [InboxResolver, InboxUserFieldsResolver],
  jobs: [],
  eventHandlers: {},
  routes: [],
  seeders: [],
};

export { createInAppSender } from './in-app.sender.js';
export { notificationWanted } from './preferences.js';
