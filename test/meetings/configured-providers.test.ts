/**
 * configuredProviders: TEAMS and GOOGLE_MEET join the key-free providers once their settings are
 * set, and the same settings give the same provider objects, so a token outlives one job run.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configuredProviders, providerChecks, PROVIDER_CHECK_EVERY_MS } from '../../src/meetings/providers.js';

const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp' };
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

describe('configuredProviders', () => {
  it('has only the key-free providers without TEAMS_* or GOOGLE_SERVICE_ACCOUNT_JSON', () => {
    const providers = configuredProviders(loadConfig(base).meetings);
    expect(providers.JITSI).toBeDefined();
    expect(providers.PHONE).toBeDefined();
    expect(providers.TEAMS).toBeUndefined();
    expect(providers.GOOGLE_MEET).toBeUndefined();
  });

  it('adds TEAMS and GOOGLE_MEET when their settings are set, and gives the same objects for the same settings', () => {
    const config = loadConfig({
      ...base,
      TEAMS_TENANT_ID: 'tenant',
      TEAMS_CLIENT_ID: 'client',
      TEAMS_CLIENT_SECRET: 'secret-value',
      GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({ client_email: 'sa@project.iam.gserviceaccount.com', private_key: privateKey }),
    });
    const providers = configuredProviders(config.meetings);
    expect(providers.TEAMS).toHaveProperty('checkCredentials');
    expect(providers.GOOGLE_MEET).toHaveProperty('checkCredentials');
    const again = configuredProviders(config.meetings);
    expect(again.TEAMS).toBe(providers.TEAMS);
    expect(again.GOOGLE_MEET).toBe(providers.GOOGLE_MEET);
  });

  it('gives /readyz a background check of each configured provider with credentials, none for the key-free ones', () => {
    expect(providerChecks(loadConfig(base).meetings)).toEqual([]);
    const config = loadConfig({
      ...base,
      ZOOM_ACCOUNT_ID: 'acc',
      ZOOM_CLIENT_ID: 'cid',
      ZOOM_CLIENT_SECRET: 'zoom-secret',
      TEAMS_TENANT_ID: 'tenant',
      TEAMS_CLIENT_ID: 'client',
      TEAMS_CLIENT_SECRET: 'secret-value',
      GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({ client_email: 'sa@project.iam.gserviceaccount.com', private_key: privateKey }),
    });
    const checks = providerChecks(config.meetings);
    expect(checks.map((c) => c.name).sort()).toEqual(['meetings.GOOGLE_MEET', 'meetings.TEAMS', 'meetings.ZOOM']);
    expect(checks.every((c) => c.everyMs === PROVIDER_CHECK_EVERY_MS)).toBe(true);
  });
});
