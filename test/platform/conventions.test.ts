/**
 * What README's "Errors" and "Pagination and persisted queries" sections promise: the HTTP
 * status of each kind of error, page-size bounds, and automatic persisted queries (APQ).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSignIn } from '../support/identity.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let jane: string;
beforeAll(async () => {
  server = await startTestServer({ PAYMENTS_MODE: 'off', GRAPHQL_MAX_DEPTH: '3' });
  jane = await demoSignIn(server, 'jane.smith@acme.example');
});
afterAll(() => server.stop());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const codeOf = (json: { errors?: Array<{ extensions?: Record<string, unknown> }> } | undefined) => json?.errors?.[0]?.extensions?.code;
const auth = () => ({ authorization: `Bearer ${jane}` });

describe('error codes and their HTTP status', () => {
  it.each([
    ['a parse failure', { query: '{ packages { ' }, false, 400, 'GRAPHQL_PARSE_FAILED'],
    ['a validation failure', { query: '{ packages { nope } }' }, false, 400, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable that does not fit its type', { query: 'query($id: ID!) { package(id: $id) { code } }', variables: { id: null } }, false, 400, 'BAD_USER_INPUT'],
    ['bad input seen by a resolver', { query: '{ consultants(first: 0) { totalCount } }' }, true, 200, 'BAD_USER_INPUT'],
    ['no token', { query: '{ creditSummary { availableCredits } }' }, false, 401, 'UNAUTHENTICATED'],
    ['an unknown id', { query: '{ package(id: "PKG-NOPE") { code } }' }, false, 200, 'NOT_FOUND'],
    ['payments off', { query: 'mutation { purchasePackage(input: { packageId: "PKG-DISCOVERY-ASSESSMENT" }) { id } }' }, true, 503, 'SERVICE_UNAVAILABLE'],
  ])('%s', async (_what, body, signedIn, status, code) => {
    const response = await postGraphQL(server.graphqlUrl, body, signedIn ? auth() : {});
    expect({ status: response.status, code: codeOf(response.json) }).toEqual({ status, code });
  });

  it('a page holds 1 to 100 nodes (first), an empty one says so', async () => {
    const page = (first: string) => postGraphQL(server.graphqlUrl, { query: `{ myConsultations${first} { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }` }, auth());
    expect((await page('')).json?.data).toEqual({ myConsultations: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    expect((await page('(first: 100)')).json?.errors).toBeUndefined();
    const tooMany = await page('(first: 101)');
    expect(tooMany.json?.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('automatic persisted queries', () => {
  it('a hash alone is unknown until the query has been sent once with it, then runs (POST and GET)', async () => {
    const query = '{ packages { code } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const unknown = await postGraphQL(server.graphqlUrl, { extensions });
    expect({ status: unknown.status, code: codeOf(unknown.json) }).toEqual({ status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' });

    const registered = await postGraphQL(server.graphqlUrl, { query, extensions });
    expect(registered.json?.data).toMatchObject({ packages: expect.arrayContaining([{ code: 'PKG-DISCOVERY-ASSESSMENT' }]) });
    const byHash = await postGraphQL(server.graphqlUrl, { extensions });
    expect(byHash.json).toEqual(registered.json);

    const url = `${server.graphqlUrl}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`;
    const get = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await get.json()).toEqual(registered.json);
  });

  it('a persisted query passes the same limits as a full one', async () => {
    const deep = '{ myConsultations { edges { node { consultant { id } } } } }';
    const response = await postGraphQL(server.graphqlUrl, { query: deep, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(deep) } } }, auth());
    expect({ status: response.status, code: codeOf(response.json) }).toEqual({ status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('a hash that does not match the query is refused', async () => {
    const response = await postGraphQL(server.graphqlUrl, { query: '{ packages { code } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } });
    expect(response.status).toBe(400);
    expect(response.json?.errors?.[0]?.message).toMatch(/sha does not match/);
  });
});
