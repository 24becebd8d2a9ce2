import type { JobDefinition } from './jobs.js';

/** Proves the job runner and its database connection work; later domains add the real jobs. */
export const heartbeatJob: JobDefinition<Record<string, never>> = {
  name: 'platform.heartbeat',
  every: '5 minutes',
  async handler(_data, { em, logger }) {
    const [row] = await em.getConnection().execute<{ now: Date }[]>('SELECT now() AS now');
    logger.debug({ databaseTime: row?.now }, 'heartbeat');
  },
};
