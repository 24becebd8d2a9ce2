/**
 * The SDK's automatic refresh against a real server: on UNAUTHENTICATED the client exchanges
 * its refresh token once, however many requests failed at the same time, hands the new
 * session to onTokens and retries; a refused refresh token ends the session (onTokens(null)).
 * The fetch below only counts the requests; they go to the server unchanged.
 */
import { createSerenityClient, isSerenityError, MeDocument, type FetchLike, type Session } from '@serenity/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const JANE = ['jane.smith@acme.example', 'Serenity-Demo-2026!'] as const;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** The real fetch, counting the operations by name (the first word after mutation/query). */
function countingFetch() {
  const counts = new Map<string, number>();
  const fetchImpl: FetchLike = async (url, init) => {
    const name = /(?:query|mutation)\s+(\w+)/.exec((JSON.parse(init.body) as { query: string }).query)?.[1] ?? '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return fetch(url, init as RequestInit);
  };
  return { fetchImpl, count: (name: string) => counts.get(name) ?? 0 };
}

describe('automatic refresh', () => {
  it('refreshes once for concurrent requests refused with UNAUTHENTICATED, persists the tokens and retries them', async () => {
    const { fetchImpl, count } = countingFetch();
    const persisted: Array<Session | null> = [];
    const serenity = createSerenityClient({ url: server.graphqlUrl, fetch: fetchImpl, onTokens: (s) => void persisted.push(s) });
    const first = await serenity.login(...JANE);
    serenity.setAccessToken('expired-or-forged');

    const results = await Promise.all(Array.from({ length: 5 }, () => serenity.request(MeDocument)));
    expect(results.map((r) => r.me?.email)).toEqual(Array(5).fill(JANE[0]));
    expect(count('RefreshToken')).toBe(1);
    expect(count('Me')).toBe(10); // each refused once, then retried once
    expect(persisted).toHaveLength(2); // login, then the one refresh
    expect(persisted[1]!.refreshToken).not.toBe(first.refreshToken);
    expect(serenity.tokens).toEqual({ accessToken: persisted[1]!.accessToken, refreshToken: persisted[1]!.refreshToken });
  });

  it('resumes a stored session from its tokens alone', async () => {
    const stored = await createSerenityClient({ url: server.graphqlUrl }).login(...JANE);
    const persisted: Array<Session | null> = [];
    const serenity = createSerenityClient({ url: server.graphqlUrl, accessToken: 'stale', refreshToken: stored.refreshToken, onTokens: (s) => void persisted.push(s) });
    expect((await serenity.request(MeDocument)).me?.email).toBe(JANE[0]);
    expect(persisted.map((s) => s?.user.email)).toEqual([JANE[0]]);
  });

  it('ends the session when the refresh token is refused: one attempt, onTokens(null), UNAUTHENTICATED', async () => {
    const { fetchImpl, count } = countingFetch();
    const persisted: Array<Session | null> = [];
    const rotated = createSerenityClient({ url: server.graphqlUrl });
    const old = await rotated.login(...JANE);
    await rotated.refresh(); // the old refresh token is spent now
    const serenity = createSerenityClient({ url: server.graphqlUrl, fetch: fetchImpl, accessToken: 'stale', refreshToken: old.refreshToken, onTokens: (s) => void persisted.push(s) });

    const errors = await Promise.all([serenity.request(MeDocument), serenity.request(MeDocument)].map((p) => p.catch((e: unknown) => e)));
    for (const error of errors) expect(isSerenityError(error, 'UNAUTHENTICATED')).toBe(true);
    expect(count('RefreshToken')).toBe(1);
    expect(persisted).toEqual([null]);
    expect(serenity.tokens).toBeNull();
  });

  it('does not refresh with autoRefresh off, nor for a failed login', async () => {
    const { fetchImpl, count } = countingFetch();
    const serenity = createSerenityClient({ url: server.graphqlUrl, fetch: fetchImpl, autoRefresh: false });
    await serenity.login(...JANE);
    serenity.setAccessToken('expired-or-forged');
    await expect(serenity.request(MeDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const other = createSerenityClient({ url: server.graphqlUrl, fetch: fetchImpl, accessToken: 'stale', refreshToken: 'whatever' });
    await expect(other.login(JANE[0], 'wrong password')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(count('RefreshToken')).toBe(0);
  });
});
