import { createSerenityClient, PackagesDocument, SerenityError, type SerenityClient } from '@serenity/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: SerenityClient;
beforeAll(async () => {
  server = await startTestServer();
  client = createSerenityClient({ url: server.graphqlUrl });
});
afterAll(() => server.stop());

describe('catalog through the SDK', () => {
  it('lists the 7 seeded packages in display order with typed fields', async () => {
    const packages = await client.packages();
    expect(packages).toHaveLength(7);
    expect(packages.map((p) => p.displayOrder)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const strategic = packages.find((p) => p.code === 'PKG-STRATEGIC-PLANNING')!;
    expect(strategic).toMatchObject({
      name: 'Strategic Planning Engagement',
      type: 'CONSULTATION_BUNDLE',
      lotKind: 'SESSION',
      credits: 8,
      sessionMinutes: 120,
      validityDays: 180,
      price: { amount: 1250000, currency: 'USD' },
      billingCycle: null,
      badge: 'POPULAR',
      active: true,
    });
    expect(strategic.features.length).toBeGreaterThan(0);
  });

  it('finds one package by code and by id', async () => {
    const byCode = await client.package('PKG-ANNUAL-PARTNERSHIP');
    expect(byCode).toMatchObject({ type: 'SUBSCRIPTION', lotKind: 'TIME', billingCycle: 'ANNUAL', allowedBlockMinutes: [60, 90, 120] });
    const byId = await client.package(byCode.id);
    expect(byId.code).toBe('PKG-ANNUAL-PARTNERSHIP');
  });

  it('runs generated documents with typed variables', async () => {
    const data = await client.request(PackagesDocument, { includeInactive: true });
    expect(data.packages.map((p) => p.code)).toContain('PKG-FREE-TRIAL');
  });

  it('throws SerenityError with the contract code for an unknown package', async () => {
    const error = await client.package('PKG-DOES-NOT-EXIST').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerenityError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', field: 'id', message: 'Package "PKG-DOES-NOT-EXIST" was not found.' });
  });
});
