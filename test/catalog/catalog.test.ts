import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLError } from 'graphql';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { PACKAGE_CATALOG } from '../../src/catalog/catalog.seed-data.js';
import { CatalogService } from '../../src/catalog/catalog.service.js';
import { Package } from '../../src/catalog/package.entity.js';
import { ENTITIES } from '../../src/modules.js';
import { connectOrm, type MikroORM } from '../../src/platform/db.js';
import { runSeeders, type SeedContext } from '../../src/platform/seed.js';
import { createTestDatabase } from '../support/database.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
let orm: MikroORM;
let seedContext: SeedContext;

beforeAll(async () => {
  harness = await startServiceHarness({ seeders: [catalogSeeder] });
  ({ orm, seedContext } = harness);
});
afterAll(() => harness.stop());

describe('catalog seed', () => {
  it('seeds the 7 packages exactly as catalog.md decides', async () => {
    const packages = await new CatalogService(orm.em.fork()).list();
    const table = packages.map((p) => [p.code, p.type, p.lotKind, p.credits, p.sessionMinutes, p.validityDays, p.price.amount, p.price.currency, p.billingCycle, p.badge, p.displayOrder, p.maxPurchasesPerClient, p.priority]);
    expect(table).toEqual([
      ['PKG-FREE-TRIAL', 'FREE_TRIAL', 'SESSION', 1, 15, 30, 0, 'USD', null, 'NEW', 1, 1, 0],
      ['PKG-DISCOVERY-ASSESSMENT', 'CONSULTATION_BUNDLE', 'SESSION', 4, 90, 60, 450000, 'USD', null, null, 2, null, 10],
      ['PKG-STRATEGIC-PLANNING', 'CONSULTATION_BUNDLE', 'SESSION', 8, 120, 180, 1250000, 'USD', null, 'POPULAR', 3, null, 10],
      ['PKG-TRANSFORMATION-PARTNERSHIP', 'CONSULTATION_BUNDLE', 'SESSION', 12, 120, 180, 2490000, 'USD', null, null, 4, null, 10],
      ['PKG-QUARTERLY-ADVISORY', 'SUBSCRIPTION', 'TIME', 16, 60, 90, 890000, 'USD', 'QUARTERLY', null, 5, null, 10],
      ['PKG-ANNUAL-PARTNERSHIP', 'SUBSCRIPTION', 'TIME', 80, 60, 365, 3290000, 'USD', 'ANNUAL', 'BEST VALUE', 6, null, 10],
      ['PKG-WORKSHOP-TRAINING', 'CONSULTATION_BUNDLE', 'SESSION', 6, 180, 120, 980000, 'USD', null, null, 7, null, 10],
    ]);
    const trial = packages[0]!;
    expect(trial.purchasable).toBe(false);
    expect(packages.slice(1).every((p) => p.purchasable && p.lateCancelConsumes)).toBe(true);
    expect(packages.find((p) => p.lotKind === 'TIME')!.allowedBlockMinutes).toEqual([60, 90, 120]);
    expect(packages.every((p) => p.features.length > 0 && p.description.length > 0)).toBe(true);
  });

  it('is idempotent and keeps what admins changed', async () => {
    const em = orm.em.fork();
    const discovery = await em.findOneOrFail(Package, { code: 'PKG-DISCOVERY-ASSESSMENT' });
    discovery.name = 'Discovery (renamed by an admin)';
    discovery.active = false;
    await em.flush();

    const again = await runSeeders(orm, [catalogSeeder], seedContext);
    expect(again.created).toEqual({ catalog: 0 });
    const all = await orm.em.fork().find(Package, {});
    expect(all).toHaveLength(PACKAGE_CATALOG.length);
    const restore = orm.em.fork();
    const reread = await restore.findOneOrFail(Package, { code: 'PKG-DISCOVERY-ASSESSMENT' });
    expect(reread.name).toBe('Discovery (renamed by an admin)');
    expect(reread.active).toBe(false);

    reread.active = true;
    reread.name = 'Discovery & Assessment Program';
    await restore.flush();
  });

  it('two instances seeding at once still create each package once', async () => {
    const fresh = await createTestDatabase();
    const other = await connectOrm(fresh.url, ENTITIES);
    try {
      const results = await Promise.all([runSeeders(other, [catalogSeeder], seedContext), runSeeders(other, [catalogSeeder], seedContext)]);
      expect(results.map((r) => r.created.catalog).sort()).toEqual([0, 7]);
      expect(await other.em.fork().count(Package, {})).toBe(7);
    } finally {
      await other.close(true);
      await fresh.drop();
    }
  });
});

describe('CatalogService', () => {
  it('hides archived packages unless asked', async () => {
    const em = orm.em.fork();
    const workshop = await em.findOneOrFail(Package, { code: 'PKG-WORKSHOP-TRAINING' });
    workshop.active = false;
    await em.flush();
    try {
      const service = new CatalogService(orm.em.fork());
      expect((await service.list()).map((p) => p.code)).not.toContain('PKG-WORKSHOP-TRAINING');
      expect((await service.list({ includeInactive: true })).map((p) => p.code)).toContain('PKG-WORKSHOP-TRAINING');
      // Archived packages stay readable (old credit lots point at them).
      expect((await service.get('PKG-WORKSHOP-TRAINING')).active).toBe(false);
    } finally {
      workshop.active = true;
      await em.flush();
    }
  });

  it('finds a package by id or by code, in any case', async () => {
    const service = new CatalogService(orm.em.fork());
    const byCode = await service.get('pkg-strategic-planning');
    expect(byCode.code).toBe('PKG-STRATEGIC-PLANNING');
    expect((await service.get(byCode.id)).code).toBe('PKG-STRATEGIC-PLANNING');
  });

  it.each(['PKG-NOPE', '00000000-0000-4000-8000-000000000000', ''])('answers NOT_FOUND for %j', async (id) => {
    const error = await new CatalogService(orm.em.fork()).get(id).catch((e: GraphQLError) => e);
    expect(error).toMatchObject({ extensions: { code: 'NOT_FOUND', field: 'id' } });
  });

  it('the database refuses a package without credits or with a negative price', async () => {
    const em = orm.em.fork();
    const [seed] = PACKAGE_CATALOG;
    const { priceCents, currency, ...rest } = seed!;
    em.create(Package, { ...rest, code: 'PKG-BROKEN', credits: 0, price: { amount: priceCents, currency } });
    await expect(em.flush()).rejects.toThrow(/package_amounts_check/);
  });
});
