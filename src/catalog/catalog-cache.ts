import type { EntityManager } from '@mikro-orm/postgresql';
import type { LiveBus } from '../platform/live.js';
import { CATALOG_CHANGED, CatalogService } from './catalog.service.js';
import type { Package } from './package.entity.js';

/**
 * `packages` from memory: the catalog changes rarely (an admin's create, update, archive or
 * restore) and is read by everyone, so each API process keeps the list it last read, per
 * `includeInactive`, and reads it again only after a change:
 * - on this instance at once (the resolver drops it when the change has committed);
 * - on the others when the change's NOTIFY arrives (live bus, published in the change's
 *   transaction: delivered on commit, a few milliseconds later);
 * - when the bus is not listening (reconnecting, or a process without it) nothing is cached:
 *   a message missed then would leave a stale catalog; on reconnect the list is dropped too.
 * The cached packages belong to no request's EntityManager and are only read.
 */
export class CatalogCache {
  /** Dropped whole by a change: a read in flight then is not kept, whatever it returns. */
  private readonly lists = new Map<boolean, Promise<Package[]>>();

  constructor(private readonly bus: LiveBus) {
    bus.onTopic(CATALOG_CHANGED, () => this.invalidate());
    bus.onResumed(() => this.invalidate());
  }

  list(em: EntityManager, includeInactive: boolean): Promise<Package[]> {
    if (!this.bus.listening) return new CatalogService(em).list({ includeInactive });
    const cached = this.lists.get(includeInactive);
    if (cached) return cached;
    // Outside the request's EntityManager: the entities outlive it.
    const loading = new CatalogService(em.fork({ clear: true })).list({ includeInactive });
    this.lists.set(includeInactive, loading);
    // A failed read is not kept: the next request tries again.
    loading.catch(() => {
      if (this.lists.get(includeInactive) === loading) this.lists.delete(includeInactive);
    });
    return loading;
  }

  invalidate(): void {
    this.lists.clear();
  }
}

const caches = new WeakMap<LiveBus, CatalogCache>();

/** The cache of the app whose bus this is (one per API process; tests run several apps in one process). */
export function catalogCacheOf(bus: LiveBus): CatalogCache {
  let cache = caches.get(bus);
  if (!cache) caches.set(bus, (cache = new CatalogCache(bus)));
  return cache;
}
