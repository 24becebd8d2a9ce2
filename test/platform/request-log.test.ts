import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailToken, registerClient } from '../support/identity.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

/** The server's own log, as JSON lines, while real requests go through it. */
let server: TestServer;
const lines: string[] = [];
beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  server = await startTestServer({ LOG_LEVEL: 'info' }, { logDestination: capture });
});
afterAll(() => server.stop());

const records = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
/** The log lines about one request, found by the request id the response echoed. */
const requestLines = (requestId: string | null) => records().filter((r) => r.reqId === requestId && r.request !== undefined);
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('request log', () => {
  it('writes one short line per GraphQL request: method, path, status, duration, operation, root fields and outcome', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'log-test/1.0', cookie: 'a=b' },
      body: JSON.stringify({ query: 'query Catalog { packages { code } publicPackages: packages { name } }' }),
    });
    expect(response.status).toBe(200);
    await settle();
    const mine = requestLines(response.headers.get('x-request-id'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.request).toEqual({ method: 'POST', path: '/graphql', status: 200, ms: expect.any(Number), operation: 'Catalog', type: 'query', fields: ['packages'], outcome: 'ok' });
    expect(mine[0]!.msg).toMatch(/^POST \/graphql 200 \d+ ms query Catalog \{packages\} ok$/);
    // No header dump: that was ~27 lines a request in a terminal, and it carried cookies.
    expect(lines.some((l) => l.includes('log-test/1.0') || l.includes('"headers"'))).toBe(false);
  });

  it('names the error code as the outcome, and logs refused requests once too', async () => {
    const invalid = await postGraphQL(server.graphqlUrl, { query: 'query Broken { nope }' });
    expect(invalid.status).toBe(400);
    const notFound = await fetch(`${server.app.url}/no-such-page?token=secret-in-query`);
    expect(notFound.status).toBe(404);
    await settle();
    const broken = records().filter((r) => r.request?.operation === 'Broken');
    expect(broken).toHaveLength(1);
    expect(broken[0]!.request).toMatchObject({ status: 400, outcome: 'GRAPHQL_VALIDATION_FAILED' });
    const page = requestLines(notFound.headers.get('x-request-id'));
    expect(page).toHaveLength(1);
    // The query string may carry tokens (verification links): the path only.
    expect(page[0]!.request).toEqual({ method: 'GET', path: '/no-such-page', status: 404, ms: expect.any(Number) });
    expect(lines.some((l) => l.includes('secret-in-query'))).toBe(false);
  });

  it('has no line with a key twice (mail lines included)', async () => {
    const client = await registerClient(server);
    await mailToken(server, client.email, 'verify-email');
    await settle();
    // Its verification email (a verified client's free-trial welcome, and the seed's, go too).
    const mail = records().filter((r) => r.msg === 'mail sent' && r.kind === 'verify-email');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.component).toBe('mailer');
    expect(records().find((r) => r.request?.operation === 'Register')?.request).toMatchObject({ type: 'mutation', fields: ['register'], outcome: 'ok' });
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.flatMap((line) => duplicateKeys(line).map((key) => `${key} in ${line}`))).toEqual([]);
  });
});

/** Keys that appear twice in one JSON object of `text` (JSON.parse would silently keep the last). */
function duplicateKeys(text: string): string[] {
  const duplicates: string[] = [];
  const objects: Array<Set<string> | null> = []; // null: an array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const value = JSON.parse(text.slice(i, end + 1)) as string;
      const keys = objects.at(-1);
      if (expectKey && keys) {
        if (keys.has(value)) duplicates.push(value);
        keys.add(value);
      }
      expectKey = false;
      i = end;
    } else if (c === '{' || c === '[') {
      objects.push(c === '{' ? new Set() : null);
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      objects.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = objects.at(-1) != null;
    }
  }
  return duplicates;
}
