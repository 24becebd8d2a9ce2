import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Caller } from './auth.js';
import type { DomainEvents } from './events.js';
import type { LiveBus } from './live.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mailer.js';

/**
 * Long-lived services every request may use. A domain adds its own by declaration merging
 * (`declare module '../platform/context.js'`), so the platform names none of them: payments/stripe.ts
 * adds `payments`.
 */
export interface AppServices {
  config: Config;
  mailer: Mailer;
  events: DomainEvents;
  /** Live status: subscriptions read it (publishing needs only the transaction's EntityManager). */
  live: LiveBus;
}

/**
 * What every resolver gets: the caller (checked against the database), an EntityManager
 * forked for this operation and scoped to the caller's tenant, a request-scoped logger.
 */
export interface RequestContext {
  requestId: string;
  logger: Logger;
  em: EntityManager;
  caller: Caller | null;
  /** Client address (first X-Forwarded-For hop only behind a trusted proxy). */
  ip: string;
  services: AppServices;
}
