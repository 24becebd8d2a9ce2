import type { ModuleManifest } from '../platform/module.js';
import { consultationMessages } from './consultation-messages.js';
import { NotificationDelivery } from './delivery.entity.js';

/** Notifications: the outbox of messages (emails, in-app), decided by domain events, sent after commit. */
export const notificationsModule: ModuleManifest = {
  name: 'notifications',
  entities: [NotificationDelivery],
  resolvers: [],
  jobs: [],
  eventHandlers: { 'consultation.changed': [consultationMessages] },
  routes: [],
  seeders: [],
};
