import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from './logger.js';

/** What every resolver gets: one forked EntityManager per operation, a request-scoped logger. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
  em: EntityManager;
}
