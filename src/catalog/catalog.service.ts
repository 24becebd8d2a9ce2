import type { EntityManager } from '@mikro-orm/postgresql';
import { errors } from '../platform/errors.js';
import { isUuid } from '../platform/ids.js';
import { Package } from './package.entity.js';

export class CatalogService {
  constructor(private readonly em: EntityManager) {}

  /** The catalog in display order; archived packages only when asked. */
  list(options: { includeInactive?: boolean } = {}): Promise<Package[]> {
    return this.em.find(Package, options.includeInactive ? {} : { active: true }, { orderBy: { displayOrder: 'asc', code: 'asc' } });
  }

  /** One package by id or by code (e.g. "PKG-DISCOVERY-ASSESSMENT"); NOT_FOUND otherwise. */
  async get(idOrCode: string): Promise<Package> {
    const key = idOrCode.trim();
    const found = await this.em.findOne(Package, isUuid(key) ? { id: key } : { code: key.toUpperCase() });
    if (!found) throw errors.notFound('Package', idOrCode);
    return found;
  }
}
