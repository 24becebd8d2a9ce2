import type { MikroORM } from '@mikro-orm/postgresql';
import type { Router } from 'express';
import type { AppServices } from './context.js';
import type { Logger } from './logger.js';

export interface HttpRouteDeps {
  orm: MikroORM;
  services: AppServices;
  logger: Logger;
}

/** A domain's plain HTTP routes (pages behind email links, webhooks), mounted at the root. */
export type HttpRoutes = (deps: HttpRouteDeps) => Router;
