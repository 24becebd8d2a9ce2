import { heartbeatJob } from './heartbeat.job.js';
import { platformInvariants } from './invariants.sql.js';
import type { ModuleManifest } from './module.js';
import { purgeRateLimitsJob, RateLimitBucket } from './rate-limit.js';
import { CodeSequence } from './sequence.js';

/** What the platform itself keeps in the database and runs in the background. */
export const platformModule: ModuleManifest = {
  name: 'platform',
  entities: [CodeSequence, RateLimitBucket],
  resolvers: [],
  jobs: [heartbeatJob, purgeRateLimitsJob],
  eventHandlers: {},
  routes: [],
  seeders: [],
  invariants: platformInvariants,
};
