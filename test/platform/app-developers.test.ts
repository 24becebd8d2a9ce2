import http from 'node:http';
import zlib from 'node:zlib';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

// What a web or mobile app developer meets first: CORS, the IDE, compression, GET /.
// NODE_ENV=development, as on `npm start`.
const APP = 'http://localhost:3000';
let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer({ NODE_ENV: 'development', CORS_ORIGINS: `${APP}, https://App.Example.com/` });
  base = `http://127.0.0.1:${server.app.port}`;
});
afterAll(() => server.stop());

function preflight(origin: string, requestHeaders = 'content-type, authorization') {
  return fetch(server.graphqlUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

/** A raw HTTP exchange: fetch would decode the body itself, hiding whether it was compressed. */
function rawRequest(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The options object the IDE page hands GraphiQL. */
async function ideOptions(path = '/graphql'): Promise<{ html: string; options: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const html = await response.text();
  const match = /renderYogaGraphiQL\(\s*window\.document\.querySelector\('#root'\),\s*(\{.*\}),\s*\);/s.exec(html);
  expect(match, 'the page renders GraphiQL with an options object').not.toBeNull();
  return { html, options: JSON.parse(match![1]!) as Record<string, unknown> };
}

describe('CORS', () => {
  it('answers a preflight from an allowed origin with 204 and the Access-Control-Allow-* headers', async () => {
    const response = await preflight(APP, 'content-type, authorization, apollo-require-preflight, x-request-id');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')?.split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'OPTIONS']));
    const allowed = response.headers.get('access-control-allow-headers')?.toLowerCase().split(',') ?? [];
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'apollo-require-preflight', 'x-request-id']));
    // Bearer tokens, not cookies: credentials are never allowed.
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('accepts an origin the setting spelled with capitals and a trailing slash', async () => {
    const response = await preflight('https://app.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('gives a disallowed origin no Access-Control-Allow-Origin', async () => {
    const response = await preflight('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const post = await postGraphQL(server.graphqlUrl, { query: '{ packages { code } }' }, { origin: 'https://evil.example' });
    expect(post.status).toBe(200);
    const again = await fetch(server.graphqlUrl, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{"query":"{ packages { code } }"}' });
    expect(again.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the app’s own POST through, signed in, and exposes x-request-id', async () => {
    const token = await demoSignIn(server, 'jane.smith@acme.example');
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('x-request-id');
    expect(await response.json()).toEqual({ data: { me: { email: 'jane.smith@acme.example' } } });
  });

  it('keeps Apollo’s CSRF prevention: a text/plain POST without apollo-require-preflight is refused', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { logout }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });
});

describe('the GraphiQL IDE', () => {
  it('starts with an empty Headers tab; its default query says how to sign in and add the header', async () => {
    const { html, options } = await ideOptions();
    expect(options.headers).toBeUndefined();
    expect(html).not.toContain('Bearer <accessToken>');
    const query = String(options.defaultQuery);
    expect(query).toContain('login(email: "jane.smith@acme.example"');
    expect(query).toMatch(/\{ ?"Authorization": "Bearer …" ?\}/);
    expect(options.isHeadersEditorEnabled).toBe(true);
  });

  it('answers its introspection and its default query without any header', async () => {
    const { options } = await ideOptions();
    const schema = await gql(server, getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }));
    expect(schema.errors).toEqual([]);
    expect((schema.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
    const first = await gql<{ packages: unknown[] }>(server, String(options.defaultQuery));
    expect(first.errors).toEqual([]);
    expect(first.data?.packages).toHaveLength(7);
  });

  it('is still served when a reload carries the ?query= the IDE writes into its address', async () => {
    const { options } = await ideOptions(`/graphql?query=${encodeURIComponent('{ packages { code } }')}`);
    expect(options.title).toBe('Serenity GraphQL');
  });

  it('sends no stack trace to clients, in development either (the log keeps them)', async () => {
    const results = [
      await postGraphQL(server.graphqlUrl, { query: '{ packages { code ' }),
      await postGraphQL(server.graphqlUrl, { query: '{ packages { nope } }' }),
      await postGraphQL(server.graphqlUrl, { query: '{ me { email } }' }, { authorization: 'Bearer <accessToken>' }),
      await postGraphQL(server.graphqlUrl, { query: '{ creditSummary { availableCredits } }' }),
    ];
    const codes = results.map((r) => r.json?.errors?.[0]?.extensions?.code);
    expect(codes).toEqual(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    for (const result of results) {
      for (const error of result.json?.errors ?? []) expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
    }
  });
});

describe('compression', () => {
  it('sends the IDE page brotli-compressed to a browser that accepts br', async () => {
    const response = await rawRequest('/graphql', { headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' } });
    expect(response.headers['content-encoding']).toBe('br');
    const html = zlib.brotliDecompressSync(response.body).toString('utf8');
    expect(html).toContain('<title>Serenity GraphQL</title>');
    // The page is ~9 MB as it is; compressed it must be a small part of that.
    expect(response.body.length).toBeLessThan(html.length / 3);
  });

  it('gzips a large JSON answer for a client that accepts gzip', async () => {
    const response = await rawRequest('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    const json = JSON.parse(zlib.gunzipSync(response.body).toString('utf8')) as { data: { __schema: { types: unknown[] } } };
    expect(json.data.__schema.types.length).toBeGreaterThan(50);
  });

  it('sends a GraphQL answer brotli-compressed (at the fastest level) to a client that accepts br', async () => {
    const response = await rawRequest('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br' },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    expect(response.headers['content-encoding']).toBe('br');
    const text = zlib.brotliDecompressSync(response.body).toString('utf8');
    expect((JSON.parse(text) as { data: { __schema: { types: unknown[] } } }).data.__schema.types.length).toBeGreaterThan(50);
    expect(response.body.length).toBeLessThan(text.length / 5);
  });

  it('puts no ETag on GraphQL answers (a POST is never revalidated) and names no framework', async () => {
    const response = await rawRequest('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ packages { code } }' }) });
    expect(response.status).toBe(200);
    expect(response.headers).not.toHaveProperty('etag');
    expect(response.headers).not.toHaveProperty('x-powered-by');
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('leaves small answers and clients that accept no encoding alone', async () => {
    const small = await rawRequest('/healthz', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ status: 'ok' });
    const plain = await rawRequest('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'identity' },
      body: JSON.stringify({ query: getIntrospectionQuery() }),
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8')).data.__schema).toBeDefined();
  });
});

describe('GET /', () => {
  it('sends a browser to the IDE', async () => {
    const response = await fetch(`${base}/`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });

  it('tells other clients where things are', async () => {
    const response = await fetch(`${base}/`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      graphql: '/graphql',
      ide: '/graphql',
      healthz: '/healthz',
      readyz: '/readyz',
    });
  });
});
