import type { DomainEventHandlers } from '../platform/events.js';
import type { JobDefinition } from '../platform/jobs.js';
import { CreditsService } from './credits.service.js';

/** Expires lots past their date; idempotent, so a repeated or overlapping run changes nothing. */
export const expireLotsJob: JobDefinition<Record<string, never>> = {
  name: 'credits.expire-lots',
  every: '15 minutes',
  async handler(_data, { em, logger, events }) {
    const expired = await em.transactional((tx) => new CreditsService(tx, events).expireLots(new Date()));
    if (expired) logger.info({ lots: expired }, 'expired credit lots');
  },
};

export const creditEventHandlers: DomainEventHandlers = {
  // The free trial: once per organization, in the verification's own transaction.
  'client.verified': [
    async ({ organizationId, userId }, em, events) => {
      await new CreditsService(em, events).grantFreeTrial(organizationId, userId);
    },
  ],
};
