import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClient, type TestClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { mailToken, PASSWORD, uniqueEmail } from '../support/identity.js';
import { WebSocket } from 'ws';
import { liveClient, metric, subscribe } from '../support/live.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** The WebSocket's limits and its re-checked sign-in: close codes 4429, 4401 and 4403 (api-contract.md, Live status). */
let server: TestServer;
let client: TestClient;
const opened: Array<{ dispose(): unknown }> = [];
beforeAll(async () => {
  server = await startTestServer({ LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2', LIVE_MAX_CONNECTIONS_PER_USER: '2', LIVE_RECHECK_MS: '200', LIVE_PING_MS: '1000' });
  client = await verifiedClient(server);
});
afterAll(async () => {
  for (const c of opened) await c.dispose();
  await server?.stop();
});
const connect = (token?: string) => {
  const live = liveClient(server.graphqlUrl, token);
  opened.push(live.client);
  return live;
};
const INBOX = 'subscription { notificationReceived { id } }';

describe('live limits', () => {
  it('a third subscription on one connection closes it with 4429', async () => {
    const live = connect(client.token);
    subscribe(live.client, INBOX);
    subscribe(live.client, INBOX);
    subscribe(live.client, INBOX);
    expect(await live.closed).toMatchObject({ code: 4429 });
  });

  it('a user’s third connection is closed with 4429; the first two stay', async () => {
    const other = await verifiedClient(server);
    const first = connect(other.token);
    const second = connect(other.token);
    subscribe(first.client, INBOX);
    subscribe(second.client, INBOX);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const third = connect(other.token);
    subscribe(third.client, INBOX);
    expect(await third.closed).toMatchObject({ code: 4429 });
    const stillOpen = await Promise.race([first.closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('open'), 300))]);
    expect(stillOpen).toBe('open');
  });

  it('a connection without a token is closed with 4401, saying how to sign in', async () => {
    const live = connect();
    const s = subscribe(live.client, INBOX);
    expect(await live.closed).toMatchObject({ code: 4401, reason: expect.stringContaining('connectionParams.authorization') });
    expect(s.events).toEqual([]);
  });

  it('logging out ends every connection of that session with 4401 at the next check', async () => {
    const other = await verifiedClient(server);
    const [first, second] = [connect(other.token), connect(other.token)];
    subscribe(first.client, INBOX);
    subscribe(second.client, INBOX);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await gqlOk(server, 'mutation { logout }', {}, other.token);
    expect(await first.closed).toMatchObject({ code: 4401 });
    expect(await second.closed).toMatchObject({ code: 4401 });
  });

  it('pings every LIVE_PING_MS: a client that answers stays, one that stops answering is terminated', async () => {
    const deadBefore = await metric(server.graphqlUrl, 'serenity_live_dead_connections_total');
    const open = async (autoPong: boolean) => {
      const socket = new WebSocket(server.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', { autoPong });
      let pings = 0;
      socket.on('ping', () => (pings += 1));
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${client.token}` } }));
      return { socket, closed, pings: () => pings };
    };
    const answering = await open(true);
    const silent = await open(false);
    // Not answering the first ping: terminated at the second (no close frame: 1006 on this side).
    expect(await silent.closed).toBe(1006);
    expect(silent.pings()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => answering.pings(), { timeout: 5000, interval: 20 }).toBeGreaterThanOrEqual(3);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    expect(await metric(server.graphqlUrl, 'serenity_live_dead_connections_total')).toBe(deadBefore + 1);
    answering.socket.close();
  });

  it('removal from the organization ends the member’s connection with 4403 at the next check', async () => {
    const owner = await verifiedClient(server);
    const email = uniqueEmail('member');
    await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: email }, owner.token);
    const accepted = await gqlOk<{ acceptInvitation: { accessToken: string; user: { id: string } } }>(
      server,
      'mutation($t: String!, $p: String!, $profile: ProfileInput!) { acceptInvitation(token: $t, password: $p, profile: $profile) { accessToken user { id } } }',
      { t: await mailToken(server, email, 'invitation'), p: PASSWORD, profile: { firstName: 'Mona', lastName: 'Member' } },
    );
    const live = connect(accepted.acceptInvitation.accessToken);
    subscribe(live.client, INBOX);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await gqlOk(server, 'mutation($u: ID!) { removeMember(userId: $u) }', { u: accepted.acceptInvitation.user.id }, owner.token);
    expect(await live.closed).toMatchObject({ code: 4403 });
  });
});
