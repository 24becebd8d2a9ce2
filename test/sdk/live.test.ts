/**
 * The SDK's subscriptions against a real server (Node's global WebSocket): typed events, `break`
 * ending the server's subscription, 4401 → one refresh and resubscribe, reconnect after the
 * network drops (a TCP proxy in between is cut), 4403/4429 and GraphQL errors as SerenityError.
 */
import net from 'node:net';
import { createSerenityClient, isSerenityError, ConsultationUpdatedDocument, type LiveStatusEvent, type SerenityClient, type SerenityClientOptions, type Session } from '@serenity/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, grantSessions, gridStart, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { LIVE_APPLICATION_NAME } from '../../src/platform/live.js';
import { demoSignIn, mailToken, PASSWORD, sql, uniqueEmail } from '../support/identity.js';
import { metric, subscribersAtLeast } from '../support/live.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;
let consultant: TestConsultant;
let client: TestClient;
let stranger: TestClient;
const opened: SerenityClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3', LIVE_RECHECK_MS: '200' });
  admin = await demoSignIn(server, 'admin@serenity.local');
  [consultant, client, stranger] = await Promise.all([openAllHoursConsultant(server), verifiedClient(server), verifiedClient(server)]);
  await grantSessions(server, admin, client.organizationId, 30);
});
afterAll(async () => {
  for (const c of opened) await c.dispose();
  await server?.stop();
});

/** An SDK client (disposed after the file), its status events collected. */
function sdk(options: Partial<SerenityClientOptions> = {}) {
  const statuses: LiveStatusEvent[] = [];
  const serenity = createSerenityClient({ url: server.graphqlUrl, onLiveStatus: (e) => void statuses.push(e), reconnectDelay: { initialMs: 100, maxMs: 1000 }, ...options });
  opened.push(serenity);
  return { serenity, statuses };
}
let day = 0;
const book = (token = client.token) =>
  gqlOk<{ bookConsultation: { id: string } }>(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(++day * 24 * 60 + 120).toISOString(), durationMinutes: 60, purpose: 'SDK live' } }, token).then((d) => d.bookConsultation);
const live = () => metric(server.graphqlUrl, 'serenity_live_subscriptions');
/** next(), or a rejection after `ms` (an event that never comes fails the test instead of hanging it). */
function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms))]);
}

describe('SDK subscriptions', () => {
  it('a booking reaches consultationUpdated as a typed event; the status goes connecting → live', async () => {
    const { serenity, statuses } = sdk();
    await serenity.login(client.email, PASSWORD);
    const before = await live();
    const updates = serenity.consultationUpdated();
    const first = updates.next();
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    const booked = await book();
    const { value, done } = await within(first);
    expect(done).toBe(false);
    expect(value).toMatchObject({ id: booked.id, status: 'SCHEDULED', consultant: { id: consultant.id } });
    expect(statuses.map((s) => [s.status, s.reconnected])).toEqual([
      ['connecting', false],
      ['live', false],
    ]);
    expect(serenity.liveStatus).toBe('live');
    await updates.return();
  });

  it('break and return() end the server’s subscription at once, even while an event is awaited', async () => {
    const { serenity, statuses } = sdk();
    await serenity.login(client.email, PASSWORD);
    const before = await live();
    const waiting = serenity.subscribe(ConsultationUpdatedDocument, {});
    const pending = waiting.next();
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    await waiting.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    await expect.poll(live, { timeout: 2000, interval: 20 }).toBe(before);

    const received: string[] = [];
    const loop = (async () => {
      for await (const { consultationUpdated } of serenity.subscribe(ConsultationUpdatedDocument)) {
        received.push(consultationUpdated.id);
        break;
      }
    })();
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    const booked = await book();
    await within(loop);
    expect(received).toEqual([booked.id]);
    await expect.poll(live, { timeout: 2000, interval: 20 }).toBe(before);
    // No subscription left: the socket is closed.
    await expect.poll(() => serenity.liveStatus, { timeout: 2000 }).toBe('idle');
    expect(statuses.at(-1)?.status).toBe('idle');
  });

  it('an access token the server refuses at connect (4401) is refreshed once for all subscriptions of the socket; they receive the next event', async () => {
    const { serenity: signIn } = sdk();
    const stored = await signIn.login(client.email, PASSWORD);
    const persisted: Array<Session | null> = [];
    const { serenity, statuses } = sdk({ accessToken: 'forged-or-expired', refreshToken: stored.refreshToken, onTokens: (s) => void persisted.push(s) });
    const before = await live();
    const updates = serenity.consultationUpdated();
    const balances = serenity.creditBalanceChanged();
    const first = updates.next();
    const firstBalance = balances.next();
    await subscribersAtLeast(server.graphqlUrl, before + 2);
    const booked = await book();
    expect((await within(first)).value).toMatchObject({ id: booked.id });
    expect((await within(firstBalance)).value).toMatchObject({ reservedCredits: expect.any(Number) });
    await balances.return();
    expect(persisted).toHaveLength(1);
    expect(persisted[0]!.refreshToken).not.toBe(stored.refreshToken);
    expect(serenity.tokens).toEqual({ accessToken: persisted[0]!.accessToken, refreshToken: persisted[0]!.refreshToken });
    expect(statuses.find((s) => s.closeCode !== undefined)).toMatchObject({ status: 'reconnecting', closeCode: 4401 });
    expect(statuses.at(-1)).toMatchObject({ status: 'live' });
    await updates.return();
  });

  it('without an access token but with a refresh token it refreshes first, then follows', async () => {
    const { serenity: signIn } = sdk();
    const stored = await signIn.login(client.email, PASSWORD);
    const persisted: Array<Session | null> = [];
    const { serenity } = sdk({ refreshToken: stored.refreshToken, onTokens: (s) => void persisted.push(s) });
    const before = await live();
    const updates = serenity.consultationUpdated();
    const first = updates.next();
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    const booked = await book();
    expect((await within(first)).value).toMatchObject({ id: booked.id });
    expect(persisted).toHaveLength(1);
    await updates.return();
  });

  it('a refused refresh ends the iterator with UNAUTHENTICATED and onTokens(null); no refresh token at all, UNAUTHENTICATED too', async () => {
    const { serenity: signIn } = sdk();
    const spent = await signIn.login(client.email, PASSWORD);
    await signIn.refresh(); // spent.refreshToken is spent now
    const persisted: Array<Session | null> = [];
    const { serenity } = sdk({ accessToken: 'forged', refreshToken: spent.refreshToken, onTokens: (s) => void persisted.push(s) });
    const error = await within(serenity.consultationUpdated().next()).catch((e: unknown) => e);
    expect(isSerenityError(error, 'UNAUTHENTICATED')).toBe(true);
    expect(persisted).toEqual([null]);

    const { serenity: anonymous } = sdk();
    const refused = await within(anonymous.creditBalanceChanged().next()).catch((e: unknown) => e);
    expect(isSerenityError(refused, 'UNAUTHENTICATED')).toBe(true);
  });

  it('a dropped connection is reconnected with backoff and resubscribed: reconnecting, then live with reconnected: true', async () => {
    const proxy = await tcpProxy(Number(new URL(server.graphqlUrl).port));
    try {
      const { serenity, statuses } = sdk({ wsUrl: `ws://127.0.0.1:${proxy.port}/graphql` });
      await serenity.login(client.email, PASSWORD);
      const before = await live();
      const updates = serenity.consultationUpdated();
      const first = updates.next();
      await subscribersAtLeast(server.graphqlUrl, before + 1);

      // Cut, and refuse connections for a moment (a restart): the first retries fail.
      proxy.cut({ refuseMs: 500 });
      await expect.poll(() => statuses.some((s) => s.status === 'reconnecting'), { timeout: 2000, interval: 10 }).toBe(true);
      // Refused for 0.5 s: the old subscription is gone on the server before the new one comes.
      await expect.poll(live, { timeout: 2000, interval: 10 }).toBe(before);
      await expect.poll(() => statuses.filter((s) => s.status === 'live').length, { timeout: 10_000, interval: 20 }).toBe(2);
      await subscribersAtLeast(server.graphqlUrl, before + 1);
      const booked = await book();
      expect((await within(first)).value).toMatchObject({ id: booked.id });
      const lives = statuses.filter((s) => s.status === 'live');
      expect(lives.map((s) => s.reconnected)).toEqual([false, true]);
      expect(statuses.find((s) => s.status === 'reconnecting')?.closeCode).toBeDefined();
      expect(proxy.connections).toBeGreaterThanOrEqual(2);
      await updates.return();
    } finally {
      await proxy.close();
    }
  });

  it('an instance that lost its LISTEN connection closes with 1012: the SDK reconnects, says reconnected (reload), and the iterator goes on', async () => {
    // A first retry 0.5–1 s after the close: time to see the old subscription gone first.
    const { serenity, statuses } = sdk({ reconnectDelay: { initialMs: 1000, maxMs: 1000 } });
    await serenity.login(client.email, PASSWORD);
    const before = await live();
    const updates = serenity.consultationUpdated();
    const first = updates.next();
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    await sql(server, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()', [LIVE_APPLICATION_NAME]);
    await expect.poll(() => statuses.some((s) => s.status === 'reconnecting'), { timeout: 15_000, interval: 10 }).toBe(true);
    await expect.poll(live, { timeout: 2000, interval: 10 }).toBe(before);
    await expect.poll(() => statuses.filter((s) => s.status === 'live').length, { timeout: 5000, interval: 20 }).toBe(2);
    expect(statuses.find((s) => s.status === 'reconnecting')).toMatchObject({ closeCode: 1012 });
    expect(statuses.filter((s) => s.status === 'live').map((s) => s.reconnected)).toEqual([false, true]);
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    const booked = await book();
    expect((await within(first)).value).toMatchObject({ id: booked.id });
    await updates.return();
  });

  it('dispose() while reconnecting ends the iterators at once (not after the backoff)', async () => {
    const proxy = await tcpProxy(Number(new URL(server.graphqlUrl).port));
    try {
      const { serenity, statuses } = sdk({ wsUrl: `ws://127.0.0.1:${proxy.port}/graphql`, reconnectDelay: { initialMs: 20_000, maxMs: 20_000 } });
      await serenity.login(client.email, PASSWORD);
      const before = await live();
      const pending = serenity.consultationUpdated().next();
      await subscribersAtLeast(server.graphqlUrl, before + 1);
      proxy.cut();
      await expect.poll(() => serenity.liveStatus, { timeout: 2000, interval: 10 }).toBe('reconnecting');
      const started = Date.now();
      await within(serenity.dispose(), 1000);
      expect(await within(pending, 1000)).toEqual({ value: undefined, done: true });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(statuses.at(-1)?.status).toBe('idle');
    } finally {
      await proxy.close();
    }
  });

  it('a socket that stops answering (no pong to the keep-alive ping) is replaced and resubscribed', async () => {
    const proxy = await tcpProxy(Number(new URL(server.graphqlUrl).port));
    try {
      const { serenity, statuses } = sdk({ wsUrl: `ws://127.0.0.1:${proxy.port}/graphql`, keepAliveMs: 300 });
      await serenity.login(client.email, PASSWORD);
      const before = await live();
      const updates = serenity.consultationUpdated();
      const first = updates.next();
      await subscribersAtLeast(server.graphqlUrl, before + 1);
      proxy.freeze(); // nothing passes any more, and no close arrives either
      await expect.poll(() => statuses.filter((s) => s.status === 'live').length, { timeout: 5000, interval: 20 }).toBe(2);
      expect(statuses.find((s) => s.status === 'reconnecting')).toMatchObject({ closeCode: 4499 });
      // The server learns of the frozen connection only by its own keep-alive: end it here, then
      // exactly the new subscription is left.
      proxy.cut({ frozenOnly: true });
      await expect.poll(live, { timeout: 2000, interval: 20 }).toBe(before + 1);
      const booked = await book();
      expect((await within(first)).value).toMatchObject({ id: booked.id });
      await updates.return();
    } finally {
      await proxy.close();
    }
  });

  it('too many subscriptions on the connection (4429): TOO_MANY_SUBSCRIPTIONS, with the close code', async () => {
    const { serenity } = sdk();
    await serenity.login(stranger.email, PASSWORD);
    const iterators = Array.from({ length: 4 }, () => serenity.notificationReceived());
    const errors = await Promise.all(iterators.map((i) => within(i.next()).catch((e: unknown) => e)));
    for (const error of errors) expect(error).toMatchObject({ name: 'SerenityError', code: 'TOO_MANY_SUBSCRIPTIONS', closeCode: 4429 });
  });

  it('removal from the organization (4403): FORBIDDEN; a refused subscription: its GraphQL error code', async () => {
    const email = uniqueEmail('member');
    await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: email }, client.token);
    const accepted = await gqlOk<{ acceptInvitation: { accessToken: string; refreshToken: string; user: { id: string } } }>(
      server,
      'mutation($t: String!, $p: String!, $profile: ProfileInput!) { acceptInvitation(token: $t, password: $p, profile: $profile) { accessToken refreshToken user { id } } }',
      { t: await mailToken(server, email, 'invitation'), p: PASSWORD, profile: { firstName: 'Mona', lastName: 'Member' } },
    );
    const { serenity: member } = sdk({ accessToken: accepted.acceptInvitation.accessToken, refreshToken: accepted.acceptInvitation.refreshToken });
    const before = await live();
    const balance = member.creditBalanceChanged();
    const ended = within(balance.next(), 10_000).catch((e: unknown) => e);
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    await gqlOk(server, 'mutation($u: ID!) { removeMember(userId: $u) }', { u: accepted.acceptInvitation.user.id }, client.token);
    expect(await ended).toMatchObject({ code: 'FORBIDDEN', closeCode: 4403 });

    const { serenity: other } = sdk({ accessToken: stranger.token });
    const refused = await within(other.consultantSchedule({ consultantId: consultant.id }).next()).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'SerenityError', code: 'FORBIDDEN', closeCode: undefined });
    const booked = await book();
    const notTheirs = await within(other.consultationUpdated({ id: booked.id }).next()).catch((e: unknown) => e);
    expect(notTheirs).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('logout closes the socket: a waiting iterator ends (done)', async () => {
    const { serenity, statuses } = sdk();
    await serenity.login(client.email, PASSWORD);
    const before = await live();
    const updates = serenity.consultationUpdated();
    const pending = updates.next();
    await subscribersAtLeast(server.graphqlUrl, before + 1);
    await serenity.logout();
    expect(await within(pending)).toEqual({ value: undefined, done: true });
    await expect.poll(live, { timeout: 2000, interval: 20 }).toBe(before);
    expect(statuses.at(-1)?.status).toBe('idle');
  });
});

/** A TCP proxy to the server: `cut` destroys every connection through it (a network drop). */
async function tcpProxy(target: number) {
  const sockets = new Set<net.Socket>();
  const frozen = new Set<net.Socket>();
  let refuseUntil = 0;
  let connections = 0;
  const proxy = net.createServer((downstream) => {
    if (Date.now() < refuseUntil) return void downstream.destroy();
    connections++;
    const upstream = net.connect(target, '127.0.0.1');
    for (const [a, b] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    /** Stops forwarding on the open connections without closing them (a dead network path). */
    freeze() {
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
        frozen.add(socket);
      }
    },
    cut({ refuseMs = 0, frozenOnly = false } = {}) {
      refuseUntil = Date.now() + refuseMs;
      for (const socket of frozenOnly ? frozen : sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
