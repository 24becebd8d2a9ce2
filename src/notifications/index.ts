import type { ModuleManifest } from '../platform/module.js';
import { paymentConfirmedMessages, refundProcessedMessages } from './billing-messages.js';
import { consultationMessages } from './consultation-messages.js';
import { creditMessageHandlers } from './credit-messages.js';
import { NotificationDelivery } from './delivery.entity.js';
import { InboxResolver, InboxUserFieldsResolver } from './inbox.resolver.js';
import { NotificationLiveResolver, publishNotification } from './live.js';
import { LowCreditAlert } from './low-credit-alert.entity.js';
import { meetingFailedMessages, meetingLinkMessages } from './meeting-messages.js';
import { Notification, NotificationPreference } from './notification.entity.js';
import { dispatchJob } from './dispatch.job.js';
import { NotificationDeliveriesResolver } from './notifications.resolver.js';
import { notificationInvariants } from './invariants.sql.js';

/** Notifications: the outbox of messages (emails, in-app), decided by domain events, sent after commit. */
export const notificationsModule: ModuleManifest = {
  name: 'notifications',
  entities: [NotificationDelivery, Notification, NotificationPreference, LowCreditAlert],
  resolvers: [NotificationDeliveriesResolver, InboxResolver, InboxUserFieldsResolver, NotificationLiveResolver],
  jobs: [dispatchJob],
  eventHandlers: {
    'consultation.changed': [consultationMessages],
    'invoice.issued': [paymentConfirmedMessages],
    'purchase.refunded': [refundProcessedMessages],
    // The link reaches those told of the session without it (held confirmations go); the
    // consultant hears when their meeting could not be made.
    'meeting.changed': [meetingLinkMessages, meetingFailedMessages],
    ...creditMessageHandlers,
    // Live status: the user's subscriptions on every instance, once it commits.
    'notification.created': [publishNotification],
  },
  routes: [],
  seeders: [],
  invariants: notificationInvariants,
};

export { createInAppSender } from './in-app.sender.js';
export { notificationWanted } from './preferences.js';
