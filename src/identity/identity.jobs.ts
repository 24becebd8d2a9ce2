import type { JobDefinition } from '../platform/jobs.js';
import { AuthThrottle } from './throttle.js';

/** Throttling only looks back 15 minutes; older attempts are deleted hourly. */
export const purgeAuthAttemptsJob: JobDefinition<Record<string, never>> = {
  name: 'identity.purge-auth-attempts',
  every: '1 hour',
  async handler(_data, { em, logger }) {
    const deleted = await AuthThrottle.purge(em);
    if (deleted) logger.info({ deleted }, 'purged old auth attempts');
  },
};
