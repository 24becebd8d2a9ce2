import type { JobDefinition } from '../platform/jobs.js';
import { FeeHoldService } from './fee-hold.service.js';

/**
 * Lapsed PENDING_PAYMENT holds stop holding time (invariants.md, I1): bookings expire the ones
 * in their way themselves; this sweeps the rest. Idempotent.
 */
export const expireHoldsJob: JobDefinition<Record<string, never>> = {
  name: 'consultations.expire-holds',
  every: '5 minutes',
  async handler(_data, { em, logger, events }) {
    const expired = await new FeeHoldService(em, events).expireLapsedHolds(new Date());
    if (expired) logger.info({ consultations: expired }, 'expired lapsed booking holds');
  },
};
