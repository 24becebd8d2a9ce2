/**
 * `packages` is served from each API instance's memory (catalog-cache.ts) and read again after
 * an admin's change: at once on the instance that made it, on the others when its NOTIFY
 * arrives. Two API instances (two apps, two ports) on one database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { gql, gqlOk } from '../support/graphql.js';
import { login, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DEMO_PASSWORD = 'Serenity-Demo-2026!';
const PACKAGES = `query Packages($includeInactive: Boolean) { packages(includeInactive: $includeInactive) { code name active } }`;
const UPDATE = `mutation($id: ID!, $input: UpdatePackageInput!) { updatePackage(id: $id, input: $input) { code name } }`;
const ARCHIVE = `mutation($id: ID!) { archivePackage(id: $id) { code active } }`;
const RESTORE = `mutation($id: ID!) { restorePackage(id: $id) { code active } }`;

let first: TestServer;
/** A second API instance on the first one's database. */
let second: TestServer;
let admin: string;

beforeAll(async () => {
  first = await startTestServer();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-server-'));
  const config = loadConfig({
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key === 'PATH')),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: first.config.databaseUrl!,
    JWT_SECRET: first.config.jwtSecret,
    LOG_LEVEL: 'silent',
    LOG_PRETTY: 'false',
    JOBS: 'off',
    SEED: 'false',
  });
  const app = await startApp(config, createLogger(config));
  second = {
    app,
    config,
    graphqlUrl: `http://127.0.0.1:${app.port}/graphql`,
    async stop() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  admin = (await login(first, 'admin@serenity.local', DEMO_PASSWORD)).accessToken;
});
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

type Listed = { packages: Array<{ code: string; name: string; active: boolean }> };
const list = async (server: TestServer, includeInactive = false) => (await gqlOk<Listed>(server, PACKAGES, { includeInactive })).packages;
const nameOf = async (server: TestServer, code: string) => (await list(server, true)).find((p) => p.code === code)?.name;

describe('the catalog cache', () => {
  it('serves packages from memory: a row changed behind the API (no announcement) is not read again', async () => {
    const before = await nameOf(first, 'PKG-WORKSHOP-TRAINING');
    await list(second, true);
    await sql(first, "UPDATE package SET name = 'Changed behind the API' WHERE code = 'PKG-WORKSHOP-TRAINING'");
    try {
      expect(await nameOf(first, 'PKG-WORKSHOP-TRAINING')).toBe(before);
      expect(await nameOf(second, 'PKG-WORKSHOP-TRAINING')).toBe(before);
    } finally {
      await sql(first, 'UPDATE package SET name = ? WHERE code = ?', [before, 'PKG-WORKSHOP-TRAINING']);
      // What any change announces: both instances read the catalog again.
      await sql(first, "SELECT pg_notify('serenity_live', ?)", [JSON.stringify({ topic: 'catalog.changed', payload: {} })]);
    }
    await expect.poll(() => nameOf(first, 'PKG-WORKSHOP-TRAINING')).toBe(before);
    await expect.poll(() => nameOf(second, 'PKG-WORKSHOP-TRAINING')).toBe(before);
  });

  it("an admin's updatePackage is seen by the next packages on the same instance at once, and on the other once announced", async () => {
    const original = (await nameOf(first, 'PKG-STRATEGIC-PLANNING'))!;
    expect(await nameOf(second, 'PKG-STRATEGIC-PLANNING')).toBe(original);
    try {
      await gqlOk(first, UPDATE, { id: 'PKG-STRATEGIC-PLANNING', input: { name: 'Strategic Planning, renamed' } }, admin);
      expect(await nameOf(first, 'PKG-STRATEGIC-PLANNING')).toBe('Strategic Planning, renamed');
      await expect.poll(() => nameOf(second, 'PKG-STRATEGIC-PLANNING')).toBe('Strategic Planning, renamed');
    } finally {
      await gqlOk(second, UPDATE, { id: 'PKG-STRATEGIC-PLANNING', input: { name: original } }, admin);
    }
    // The change made on the second instance, seen there at once and by the first once announced.
    expect(await nameOf(second, 'PKG-STRATEGIC-PLANNING')).toBe(original);
    await expect.poll(() => nameOf(first, 'PKG-STRATEGIC-PLANNING')).toBe(original);
  });

  it('an archived package vanishes from packages on both instances, and comes back when restored', async () => {
    expect((await list(first)).map((p) => p.code)).toContain('PKG-TRANSFORMATION-PARTNERSHIP');
    expect((await list(second)).map((p) => p.code)).toContain('PKG-TRANSFORMATION-PARTNERSHIP');
    await gqlOk(second, ARCHIVE, { id: 'PKG-TRANSFORMATION-PARTNERSHIP' }, admin);
    try {
      expect((await list(second)).map((p) => p.code)).not.toContain('PKG-TRANSFORMATION-PARTNERSHIP');
      await expect.poll(async () => (await list(first)).map((p) => p.code)).not.toContain('PKG-TRANSFORMATION-PARTNERSHIP');
      // Still listed, as archived, for whoever asks for inactive ones too.
      expect((await list(first, true)).find((p) => p.code === 'PKG-TRANSFORMATION-PARTNERSHIP')).toMatchObject({ active: false });
    } finally {
      await gqlOk(second, RESTORE, { id: 'PKG-TRANSFORMATION-PARTNERSHIP' }, admin);
    }
    expect((await list(second)).map((p) => p.code)).toContain('PKG-TRANSFORMATION-PARTNERSHIP');
    await expect.poll(async () => (await list(first)).map((p) => p.code)).toContain('PKG-TRANSFORMATION-PARTNERSHIP');
  });

  it('a refused change leaves the cached catalog as it was, and is the same for every caller', async () => {
    const anonymous = await list(first);
    const client = (await login(first, 'jane.smith@acme.example', DEMO_PASSWORD)).accessToken;
    const refused = await gql(first, UPDATE, { id: 'PKG-STRATEGIC-PLANNING', input: { name: 'Not an admin' } }, client);
    expect(refused.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gqlOk<Listed>(first, PACKAGES, { includeInactive: false }, client)).packages).toEqual(anonymous);
    expect((await gqlOk<Listed>(first, PACKAGES, { includeInactive: false }, admin)).packages).toEqual(anonymous);
    expect(anonymous.map((p) => p.name)).not.toContain('Not an admin');
  });
});
