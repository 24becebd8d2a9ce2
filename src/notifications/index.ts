import type { ModuleManifest } from '../platform/module.js';
import { NotificationDelivery } from './delivery.entity.js';
import { dispatchJob } from './dispatch.job.js';
import { NotificationDeliveriesResolver } from './notifications.resolver.js';

/** Notifications: the outbox of messages (emails, in-app), decided by domain events, sent after commit. */
export const notificationsModule: ModuleManifest = {
  name: 'notifications',
  entities: [NotificationDelivery],
  resolvers: [NotificationDeliveriesResolver],
  jobs: [dispatchJob],
  eventHandlers: {},
  routes: [],
  seeders: [],
};
