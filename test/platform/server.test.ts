import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import { demoSignIn, registerClient } from '../support/identity.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let base: string;
beforeAll(async () => {
  // Small limits so the schema of this stage can exceed them (aliases: see graphql-limits.test.ts).
  server = await startTestServer({ GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_COMPLEXITY: '40', GRAPHQL_MAX_ALIASES: '100', BODY_LIMIT: '8kb', PAYMENTS_MODE: 'off' });
  base = `http://127.0.0.1:${server.app.port}`;
});
afterAll(() => server.stop());

describe('probes and metrics', () => {
  it('GET /healthz says alive', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz says ready once migrations are applied', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('GET /metrics counts operations by name and outcome, with latencies', async () => {
    await postGraphQL(server.graphqlUrl, { query: '{ packages { code } }' });
    await postGraphQL(server.graphqlUrl, { query: '{ package(id: "PKG-NOPE") { code } }' });
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/serenity_graphql_requests_total\{operation="packages",type="query",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/serenity_graphql_requests_total\{operation="package",type="query",outcome="NOT_FOUND"\} [1-9]/);
    expect(text).toMatch(/serenity_graphql_request_duration_seconds_count\{operation="packages",type="query"\} [1-9]/);
    expect(text).toContain('serenity_process_cpu_seconds_total');
  });

  it('echoes a request id, or makes one', async () => {
    const given = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${base}/healthz`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GraphQL errors', () => {
  it('a malformed document gets GRAPHQL_PARSE_FAILED', async () => {
    const { status, json } = await postGraphQL(server.graphqlUrl, { query: '{ packages { code ' });
    expect(status).toBe(400);
    expect(json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field gets GRAPHQL_VALIDATION_FAILED', async () => {
    const { json } = await postGraphQL(server.graphqlUrl, { query: '{ packages { nope } }' });
    expect(json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('an over-deep document gets GRAPHQL_VALIDATION_FAILED naming the depth limit', async () => {
    const { status, json } = await postGraphQL(server.graphqlUrl, { query: '{ packages { price { amount } } }' });
    expect(status).toBe(400);
    expect(json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json?.errors?.[0]?.message).toMatch(/depth limit of 2 exceeded/i);
  });

  it('depth counts through fragments too', async () => {
    const { json } = await postGraphQL(server.graphqlUrl, {
      query: 'query { packages { ...P } } fragment P on Package { price { amount } }',
    });
    expect(json?.errors?.[0]?.message).toMatch(/depth limit of 2 exceeded/i);
  });

  it('an over-complex document gets GRAPHQL_VALIDATION_FAILED naming the complexity limit', async () => {
    const fields = Array.from({ length: 45 }, (_, i) => `f${i}: code`).join(' ');
    const { status, json } = await postGraphQL(server.graphqlUrl, { query: `{ packages { ${fields} } }` });
    expect(status).toBe(400);
    expect(json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json?.errors?.[0]?.message).toMatch(/complexity limit of 40 exceeded/i);
    expect(json?.data).toBeUndefined();
  });

  it('a domain error carries the contract code: unknown package is NOT_FOUND', async () => {
    const { json } = await postGraphQL(server.graphqlUrl, { query: '{ package(id: "PKG-NOPE") { code } }' });
    expect(json?.errors?.[0]).toMatchObject({
      message: 'Package "PKG-NOPE" was not found.',
      path: ['package'],
      extensions: { code: 'NOT_FOUND', field: 'id' },
    });
  });

  it('a null where a value is required is BAD_USER_INPUT, not an internal error', async () => {
    // A nullable variable with a default may fill a non-null argument; an explicit null then fails
    // inside execution, where graphql-js reports it without a code.
    const { json } = await postGraphQL(server.graphqlUrl, { query: 'query($id: ID = "PKG-FREE-TRIAL") { package(id: $id) { code } }', variables: { id: null } });
    expect(json?.errors?.[0]?.message).toMatch(/must not be null/);
    expect(json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('includeInactive: null means the default', async () => {
    const { json } = await postGraphQL(server.graphqlUrl, { query: '{ packages(includeInactive: null) { code } }' });
    expect((json?.data as { packages: unknown[] }).packages).toHaveLength(7);
  });

  it('a bad variable type is BAD_USER_INPUT', async () => {
    const { json } = await postGraphQL(server.graphqlUrl, {
      query: 'query($i: Boolean) { packages(includeInactive: $i) { code } }',
      variables: { i: 'yes please' },
    });
    expect(json?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('HTTP safety', () => {
  it('CSRF prevention blocks simple GET requests that carry a query without a preflight header', async () => {
    const response = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ packages { code } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/i);
    const allowed = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ packages { code } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(allowed.status).toBe(200);
  });

  it('refuses bodies over the limit with 413', async () => {
    const { status, text } = await postGraphQL(server.graphqlUrl, { query: `{ packages { code } } # ${'x'.repeat(10_000)}` });
    expect(status).toBe(413);
    expect(text).toContain('larger than the limit');
  });

  it('serves the GraphiQL IDE to browsers at /graphql, offline (no CDN)', async () => {
    const response = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>Serenity GraphQL</title>');
    expect(html).toContain('Authorization');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/<link[^>]+href="https?:/);
  });

  it('unknown routes are 404 JSON', async () => {
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'Not found.' });
  });
});

describe('POST /webhooks/stripe on a server with payments off (PAYMENTS_MODE=off)', () => {
  it('requires the Stripe-Signature header', async () => {
    const response = await fetch(`${base}/webhooks/stripe`, { method: 'POST', body: '{"id":"evt_1"}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Missing Stripe-Signature header.' });
  });

  it('receives the raw body and answers 503 so Stripe retries later', async () => {
    const response = await fetch(`${base}/webhooks/stripe`, {
      method: 'POST',
      body: '{"id":"evt_1"}',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=abc' },
    });
    expect(response.status).toBe(503);
  });
});

// Every WebSocket is signed in (4401 otherwise).
const signedIn = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

describe('graphql-ws on /graphql', () => {
  it('executes operations over a WebSocket on the same path', async () => {
    const client = createClient({ url: server.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: signedIn(await demoSignIn(server, 'jane.smith@acme.example')) });
    try {
      const result = await new Promise<{ data?: { packages: Array<{ code: string }> } | null }>((resolve, reject) => {
        let value: { data?: { packages: Array<{ code: string }> } | null } = {};
        client.subscribe<{ packages: Array<{ code: string }> }>(
          { query: '{ packages { code } }' },
          { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result.data?.packages.map((p) => p.code)).toHaveLength(7);
    } finally {
      await client.dispose();
    }
  });

  it('applies the depth limit over WebSockets too', async () => {
    const client = createClient({ url: server.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: signedIn(await demoSignIn(server, 'jane.smith@acme.example')) });
    try {
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: '{ packages { price { amount } } }' }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
      });
      expect(JSON.stringify(errors)).toMatch(/depth limit of 2 exceeded/i);
    } finally {
      await client.dispose();
    }
  });
});

describe('production mode', () => {
  it('turns off introspection and the IDE, and hides internals', async () => {
    const prod = await startTestServer({ NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:9' });
    try {
      const { json } = await postGraphQL(prod.graphqlUrl, { query: '{ __schema { types { name } } }' });
      expect(json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(json?.errors?.[0]?.message).toMatch(/introspection/i);
      // The WebSocket endpoint serves the same schema: no introspection there either.
      const client = createClient({ url: prod.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: signedIn((await registerClient(prod)).accessToken) });
      try {
        const errors = await new Promise<unknown>((resolve) => {
          client.subscribe({ query: '{ __schema { types { name } } }' }, { next: resolve, error: resolve, complete: () => resolve(null) });
        });
        expect(JSON.stringify(errors)).toMatch(/introspection/i);
      } finally {
        await client.dispose();
      }
      const ide = await fetch(prod.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(await ide.text()).not.toContain('Serenity GraphQL');
      const notFound = await postGraphQL(prod.graphqlUrl, { query: '{ package(id: "PKG-NOPE") { code } }' });
      expect(notFound.json?.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
      // Without CORS_ORIGINS, production allows no other origin.
      const preflight = await fetch(prod.graphqlUrl, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      // No IDE to send a browser to: GET / is a small page of links.
      const home = await fetch(prod.graphqlUrl.replace('/graphql', '/'), { headers: { accept: 'text/html' }, redirect: 'manual' });
      expect(home.status).toBe(200);
      expect(await home.text()).toMatch(/href="\/graphql".*href="\/healthz".*href="\/readyz"/s);
    } finally {
      await prod.stop();
    }
  });
});
