import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Caller } from './auth.js';
import type { DomainEvents } from './events.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mailer.js';
import type { Payments } from '../payments/stripe.js';

/** Long-lived services every request may use. */
export interface AppServices {
  config: Config;
  mailer: Mailer;
  events: DomainEvents;
  /** Stripe, when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set. */
  payments: Payments | null;
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
