import type { JobDefinition } from '../platform/jobs.js';
import { scopeToTenant } from '../platform/tenant.js';
import { deliveryChannels } from './channels.js';
import { composeMessage } from './compose.js';
import type { NotificationDelivery } from './delivery.entity.js';
import { createDispatcher } from './dispatcher.js';
import type { Compose, ComposedMessage } from './dispatch.types.js';
import { OUTBOX_CHANNEL } from './outbox.sql.js';
import { notificationWanted } from './preferences.js';
import { messageRelevant } from './relevance.js';

/**
 * TEST_PLAIN_MESSAGES (NODE_ENV=test only): a plain message naming the kind, always relevant,
 * for the tests of the delivery mechanics (claims, retries, workers, crashes) whose deliveries
 * have no subject behind them. Everything else composes from the templates (compose.ts) and
 * asks its subject whether the message still makes sense (relevance.ts).
 */
export const plainCompose: Compose = (_em, delivery: NotificationDelivery, settings): Promise<ComposedMessage> => {
  const what = delivery.kind.toLowerCase().replaceAll('_', ' ');
  const text = `Serenity: ${what}.\n\n${settings.publicUrl}\n`;
  return Promise.resolve({
    subject: `Serenity: ${what}`,
    text,
    html: `<p>Serenity: ${what}.</p><p><a href="${settings.publicUrl}">${settings.publicUrl}</a></p>`,
    inApp: { title: `Serenity: ${what}`, body: text, link: null },
  });
};

/**
 * Sends the outbox's due deliveries (dispatcher.ts) in every process that runs jobs: woken at
 * once by the NOTIFY of an outbox write's commit and at the next delivery's moment, and swept
 * every 30 s by Agenda for anything missed (a lost notification, a process that was down).
 * Several processes may run it at once: claims are disjoint.
 */
export const dispatchJob: JobDefinition<Record<string, never>> = {
  name: 'notifications.dispatch',
  every: '30 seconds',
  wakeOn: OUTBOX_CHANNEL,
  async handler(_data, { em, logger, services, metrics, events }) {
    const { config, mailer } = services;
    const dispatcher = createDispatcher({
      fork: () => scopeToTenant(em.fork(), { all: true }),
      ...(config.testPlainMessages ? { compose: plainCompose, relevant: () => Promise.resolve(true) } : { compose: composeMessage, relevant: messageRelevant }),
      wanted: notificationWanted,
      channels: deliveryChannels(mailer, events),
      publicUrl: config.publicUrl,
      logger,
      metrics,
      leaseMs: config.notifications.leaseMs,
      meetingWaitMs: config.meetings.linkWaitSeconds * 1000,
      ...(config.testPauseDispatchBeforeMark
        ? {
            // The crash test: the SMTP server has the message, the delivery is not marked yet.
            afterSend: async (delivery) => {
              logger.warn({ deliveryId: delivery.id, messageId: delivery.messageId }, 'test switch: dispatch paused before marking SENT');
              await new Promise<never>(() => {});
            },
          }
        : {}),
    });
    const report = await dispatcher.dispatchDue();
    if (report.claimed > 0) logger.info(report, 'notifications dispatched');
    return { wakeAt: await dispatcher.nextDueAt() };
  },
};
