import type { JobDefinition } from '../platform/jobs.js';
import { remindRenewals } from './subscription.service.js';

/** Announces renewals 7 days ahead, once per period (the notification work mails them). */
export const renewalRemindersJob: JobDefinition<Record<string, never>> = {
  name: 'payments.renewal-reminders',
  every: '1 hour',
  async handler(_data, { em, logger, events }) {
    const sent = await remindRenewals(em, events);
    if (sent) logger.info({ subscriptions: sent }, 'renewal reminders announced');
  },
};
