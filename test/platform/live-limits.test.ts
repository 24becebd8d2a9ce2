import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClient, type TestClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { mailToken, PASSWORD, uniqueEmail } from '../support/identity.js';
import { liveClient, subscribe } from '../support/live.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** The WebSocket's limits and its re-checked sign-in: close codes 4429, 4401 and 4403 (api-contract.md, Live status). */
let server: TestServer;
let client: TestClient;
const opened: Array<{ dispose(): unknown }> = [];
beforeAll(async () => {
  server = await startTestServer({ LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2', LIVE_MAX_CONNECTIONS_PER_USER: '2', LIVE_RECHECK_MS: '200' });
  client = await verifiedClient(server);
});
afterAll(async () => {
  for (const c of opened) await c.dispose();
  await server?.stop();
});
const connect = (token: string) => {
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

  it('logging out ends the connection with 4401 at the next check', async () => {
    const other = await verifiedClient(server);
    const live = connect(other.token);
    subscribe(live.client, INBOX);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await gqlOk(server, 'mutation { logout }', {}, other.token);
    expect(await live.closed).toMatchObject({ code: 4401 });
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
