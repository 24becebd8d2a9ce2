import type { Seeder } from '../platform/seed.js';
import { PACKAGE_CATALOG } from './catalog.seed-data.js';
import { publishCatalogChange } from './catalog.service.js';
import { Package } from './package.entity.js';
import { Money } from '../platform/money.js';

/**
 * Inserts the catalog's packages that are missing, by code. Existing packages are left as
 * they are: admins may have changed or archived them since.
 */
export const catalogSeeder: Seeder = {
  name: 'catalog',
  async run(em) {
    const existing = new Set((await em.find(Package, {}, { fields: ['code'] })).map((p) => p.code));
    let created = 0;
    for (const { priceCents, currency, ...seed } of PACKAGE_CATALOG) {
      if (existing.has(seed.code)) continue;
      em.create(Package, { ...seed, price: new Money(priceCents, currency) });
      created++;
    }
    // Another instance may be serving the catalog already: it reads it again once this commits.
    if (created) await publishCatalogChange(em);
    return { created };
  },
};
