/**
 * Cursors of keyset connections (myConsultations, purchases, invoices) come from the caller:
 * a forged one is bad input, never a database error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClient, type TestClient } from '../support/booking.js';
import { expectError, gql } from '../support/graphql.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await verifiedClient(server);
});
afterAll(async () => {
  await server.stop();
});

const cursor = (key: string) => Buffer.from(`c:${key}`).toString('base64url');
const CONNECTIONS = ['myConsultations', 'purchases', 'invoices'];

describe('keyset cursors', () => {
  // Found by the schema fuzz: both reached PostgreSQL ("invalid input syntax for type uuid",
  // "date/time field value out of range") and answered INTERNAL_SERVER_ERROR.
  it.each([
    ['a key that is not a UUID', cursor('2026-01-01T00:00:00.000Z|not-a-uuid')],
    ['a date PostgreSQL cannot store', cursor('0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000')],
    ['a date past year 9999', cursor('+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000')],
  ])('%s is BAD_USER_INPUT on every keyset connection', async (_what, after) => {
    for (const field of CONNECTIONS) {
      const result = await gql(server, `query($after: String) { ${field}(after: $after) { totalCount } }`, { after }, client.token);
      expectError(result, 'BAD_USER_INPUT', /cursor is not valid/, 'after');
    }
  });

  it('a code cursor PostgreSQL cannot take as text (a NUL) is BAD_USER_INPUT on consultants', async () => {
    const result = await gql(server, 'query($after: String) { consultants(after: $after) { totalCount } }', { after: cursor('CON-\u0000') }, client.token);
    expectError(result, 'BAD_USER_INPUT', /cursor is not valid/, 'after');
  });

  it('a real cursor still pages', async () => {
    const valid = cursor(`${new Date().toISOString()}|00000000-0000-4000-8000-000000000000`);
    for (const field of CONNECTIONS) {
      const result = await gql(server, `query($after: String) { ${field}(after: $after) { totalCount } }`, { after: valid }, client.token);
      expect(result.errors, field).toEqual([]);
    }
  });
});
