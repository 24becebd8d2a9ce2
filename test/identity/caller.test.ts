/**
 * Callers from Authorization values: one at a time for a request (resolveCaller), many at once
 * for the live connections' periodic re-check (resolveCallers) — the same rules, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCaller, resolveCallers } from '../../src/identity/caller.js';
import { signAccessToken } from '../../src/identity/credentials.js';
import { gqlOk } from '../support/graphql.js';
import { registerClient, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const bearer = (token: string) => `Bearer ${token}`;
const many = (authorizations: string[]) => resolveCallers(server.app.orm.em.fork(), authorizations, server.config.jwtSecret);
const messageOf = (outcome: unknown) => (outcome instanceof Error ? outcome.message : outcome);

describe('resolveCallers', () => {
  it('answers each value in order with its caller or the error resolveCaller would throw', async () => {
    const [valid, signedOut, removed] = await Promise.all([registerClient(server), registerClient(server), registerClient(server)]);
    await gqlOk(server, 'mutation { logout }', {}, signedOut.accessToken);
    await sql(server, 'DELETE FROM membership WHERE user_id = ?', [removed.user.id]);
    const expired = (await signAccessToken({ sub: valid.user.id, sid: '00000000-0000-4000-8000-000000000000', org: null }, server.config.jwtSecret, -60)).token;
    const unknownSession = (await signAccessToken({ sub: valid.user.id, sid: '00000000-0000-4000-8000-000000000001', org: null }, server.config.jwtSecret, 600)).token;
    const notUuid = (await signAccessToken({ sub: valid.user.id, sid: 'not-a-uuid', org: null }, server.config.jwtSecret, 600)).token;

    const values = [bearer(valid.accessToken), 'Basic abc', bearer('garbage'), bearer(expired), bearer(signedOut.accessToken), bearer(removed.accessToken), bearer(unknownSession), bearer(notUuid)];
    const outcomes = await many(values);
    expect(outcomes.map(messageOf)).toEqual([
      expect.objectContaining({ userId: valid.user.id, role: 'CLIENT', organizationId: valid.user.organization!.id, orgRole: 'OWNER', emailVerified: false }),
      'Malformed Authorization header: expected "Bearer <accessToken>".',
      'Invalid access token: sign in again.',
      'Your access token has expired: get a new one with refreshToken.',
      'Your session has ended: sign in again.',
      // Removed from the organization: still signed in, no longer its member.
      expect.objectContaining({ userId: removed.user.id, organizationId: null, orgRole: null }),
      'Your session has ended: sign in again.',
      'Invalid access token: sign in again.',
    ]);
    for (const [i, value] of values.entries()) {
      const one = await resolveCaller(server.app.orm.em.fork(), value, server.config.jwtSecret).catch((error: unknown) => error);
      expect(messageOf(one), value).toEqual(messageOf(outcomes[i]));
    }
  });

  it('keeps the order across statements of a thousand', async () => {
    const [valid, signedOut] = await Promise.all([registerClient(server), registerClient(server)]);
    await gqlOk(server, 'mutation { logout }', {}, signedOut.accessToken);
    const values = Array.from({ length: 2500 }, (_, i) => bearer(i === 1500 ? signedOut.accessToken : valid.accessToken));
    const outcomes = await many(values);
    expect(outcomes).toHaveLength(2500);
    expect(outcomes.filter((o) => o instanceof Error).length).toBe(1);
    expect(messageOf(outcomes[1500])).toBe('Your session has ended: sign in again.');
    expect(outcomes[999]).toMatchObject({ userId: valid.user.id });
    expect(outcomes[2499]).toMatchObject({ userId: valid.user.id });
  });
});
