/**
 * Production hardening: no "Did you mean …" schema hints in production (HTTP and WebSocket),
 * access tokens must expire, and /metrics is protected by METRICS_TOKEN (open only outside
 * production while it is unset).
 */
import { createClient } from 'graphql-ws';
import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/identity/identity.seed.js';
import { gql, gqlOk } from '../support/graphql.js';
import { PASSWORD, registerClient, snapshotTables, uniqueEmail } from '../support/identity.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

const METRICS_TOKEN = 'scrape-me-please-0123456789';
let dev: TestServer;
let prod: TestServer;
let prodWithoutToken: TestServer;

beforeAll(async () => {
  [dev, prod, prodWithoutToken] = await Promise.all([
    startTestServer(),
    startTestServer({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9', METRICS_TOKEN }),
    startTestServer({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9' }),
  ]);
});
afterAll(() => Promise.all([dev, prod, prodWithoutToken].map((s) => s?.stop())));

const TYPO = '{ packges { code } }';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }';
const registerWithTypo = () => ({
  input: { userType: 'CLIENT', email: uniqueEmail('typo'), password: PASSWORD, profile: { firstName: 'T', lastName: 'Y' }, organizationName: 'Typo Co', organizationType: 'COMPANI' },
});

async function overWs(server: TestServer, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  // Every WebSocket is signed in (4401 otherwise): a fresh client of this server's.
  const { accessToken } = await registerClient(server);
  const ws = createClient({ url: server.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${accessToken}` } });
  try {
    return await new Promise<string>((resolve, reject) => {
      let value: unknown = null;
      ws.subscribe({ query, variables }, { next: (v) => (value = v), error: (e) => resolve(JSON.stringify(e)), complete: () => resolve(JSON.stringify(value)) });
      setTimeout(() => reject(new Error('no answer over the WebSocket')), 5000);
    });
  } finally {
    await ws.dispose();
  }
}

describe('field suggestions', () => {
  it('outside production, mistakes get a "Did you mean" hint (HTTP and WebSocket)', async () => {
    const { json } = await postGraphQL(dev.graphqlUrl, { query: TYPO });
    expect(json?.errors?.[0]?.message).toMatch(/Did you mean "packages"/);
    expect((await gql(dev, REGISTER, registerWithTypo())).errors[0]?.message).toMatch(/Did you mean the enum value "COMPANY"/);
    expect(await overWs(dev, TYPO)).toMatch(/Did you mean/);
    expect(await overWs(dev, REGISTER, registerWithTypo())).toMatch(/Did you mean/);
  });

  it('in production, the same mistakes get the same errors without schema hints (HTTP)', async () => {
    const { status, json } = await postGraphQL(prod.graphqlUrl, { query: TYPO });
    expect(status).toBe(400);
    expect(json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json?.errors?.[0]?.message).toBe('Cannot query field "packges" on type "Query".');
    const before = await snapshotTables(prod);
    const coerced = await gql(prod, REGISTER, registerWithTypo());
    expect(coerced.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.organizationType' });
    expect(coerced.errors[0]?.message).toMatch(/"COMPANI" does not exist in "OrganizationType" enum\.$/);
    expect(await snapshotTables(prod)).toEqual(before);
  });

  it('in production, over WebSockets too', async () => {
    const validation = await overWs(prod, TYPO);
    expect(validation).toContain('Cannot query field \\"packges\\" on type \\"Query\\".');
    expect(validation).not.toMatch(/Did you mean/);
    const coerced = await overWs(prod, REGISTER, registerWithTypo());
    expect(coerced).toContain('does not exist in \\"OrganizationType\\" enum.');
    expect(coerced).not.toMatch(/Did you mean/);
  });
});

describe('access tokens', () => {
  it('a token signed with the server’s secret but without an expiry is refused', async () => {
    const login = await gqlOk<{ login: { accessToken: string } }>(dev, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
      e: 'jane.smith@acme.example',
      p: DEMO_PASSWORD,
    });
    const claims = decodeJwt(login.login.accessToken);
    const forever = await new SignJWT({ sid: claims.sid, org: claims.org })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub!)
      .setIssuer(claims.iss!)
      .setIssuedAt()
      .sign(new TextEncoder().encode(dev.config.jwtSecret));
    // The genuine token works, the one that never expires does not.
    expect((await gqlOk(dev, '{ me { email } }', {}, login.login.accessToken)).me.email).toBe('jane.smith@acme.example');
    const result = await gql(dev, '{ me { email } }', {}, forever);
    expect(result.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });
});

describe('/metrics', () => {
  const scrape = (server: TestServer, authorization?: string) =>
    fetch(`http://127.0.0.1:${server.app.port}/metrics`, { headers: authorization ? { authorization } : {} });

  it('outside production without METRICS_TOKEN: open', async () => {
    const response = await scrape(dev);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('serenity_process_cpu_seconds_total');
  });

  it('with METRICS_TOKEN: only with Authorization: Bearer <METRICS_TOKEN>', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN, `Basic ${METRICS_TOKEN}`]) {
      const refused = await scrape(prod, authorization);
      expect(refused.status, String(authorization)).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await refused.text()).not.toContain('serenity_');
    }
    const allowed = await scrape(prod, `Bearer ${METRICS_TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('serenity_process_cpu_seconds_total');
  });

  it('in production without METRICS_TOKEN: refused, saying what to set', async () => {
    const response = await scrape(prodWithoutToken, 'Bearer anything');
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toMatch(/METRICS_TOKEN/);
    expect(body).not.toContain('serenity_');
  });
});
