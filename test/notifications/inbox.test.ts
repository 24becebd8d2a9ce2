import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, gql, gqlOk } from '../support/graphql.js';
import { registerClient, registerConsultant, type SignedIn } from '../support/identity.js';
import { notify } from '../support/notifications.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let client: SignedIn;
let other: SignedIn;
beforeAll(async () => {
  server = await startTestServer();
  client = await registerClient(server);
  other = await registerConsultant(server);
});
afterAll(() => server?.stop());

const NOTE = 'id kind title body link subjectType subjectId readAt createdAt';
const LIST = `query($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${NOTE} } } }
}`;
const READ = `mutation($id: ID!) { markNotificationRead(id: $id) { ${NOTE} } }`;
const READ_ALL = 'mutation { markAllNotificationsRead }';
const ME = 'query { me { id unreadNotificationCount notificationPreferences { emailReminders emailUpdates inAppReminders inAppUpdates essentialKinds } } }';
const UPDATE = 'mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { emailReminders emailUpdates inAppReminders inAppUpdates essentialKinds } }';

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: { id: string; title: string; readAt: string | null } }> };
const list = async (token: string, variables: Record<string, unknown> = {}) => (await gqlOk<{ notifications: Page }>(server, LIST, variables, token)).notifications;
const em = () => server.app.orm.em.fork();

describe('the inbox', () => {
  const titles: string[] = [];
  beforeAll(async () => {
    // Five notifications, two sharing an instant (the keyset must neither skip nor repeat them).
    const at = (i: number) => new Date(Date.UTC(2031, 0, 1, 9, i === 3 ? 2 : i));
    for (let i = 0; i < 5; i += 1) {
      titles.push(`Note ${i}`);
      await notify(em(), client.user.id, `Note ${i}`, { at: at(i) });
    }
    await notify(em(), other.user.id, 'Someone else’s');
  });

  it('lists the caller’s own notifications, newest first, page by page with nothing skipped or repeated', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Page = await list(client.accessToken, { first: 2, after });
      expect(page.totalCount).toBe(5);
      seen.push(...page.edges.map((e) => e.node.title));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen.length).toBe(5);
    expect(new Set(seen)).toEqual(new Set(titles));
    expect(seen[0]).toBe('Note 4');
    expect(seen.at(-1)).toBe('Note 0');
    expect((await list(other.accessToken)).edges.map((e) => e.node.title)).toEqual(['Someone else’s']);
  });

  it('marks one read (again: keeps the first time), counts and filters the unread, and marks the rest read', async () => {
    const [newest] = (await list(client.accessToken)).edges;
    expect((await gqlOk(server, ME, {}, client.accessToken)).me.unreadNotificationCount).toBe(5);
    const first = (await gqlOk(server, READ, { id: newest!.node.id }, client.accessToken)).markNotificationRead;
    expect(first.readAt).not.toBeNull();
    const again = (await gqlOk(server, READ, { id: newest!.node.id }, client.accessToken)).markNotificationRead;
    expect(again.readAt).toBe(first.readAt);
    expect((await gqlOk(server, ME, {}, client.accessToken)).me.unreadNotificationCount).toBe(4);
    const unread = await list(client.accessToken, { unreadOnly: true });
    expect(unread.totalCount).toBe(4);
    expect(unread.edges.map((e) => e.node.id)).not.toContain(newest!.node.id);

    expect((await gqlOk(server, READ_ALL, {}, client.accessToken)).markAllNotificationsRead).toBe(4);
    expect((await gqlOk(server, READ_ALL, {}, client.accessToken)).markAllNotificationsRead).toBe(0);
    expect((await list(client.accessToken, { unreadOnly: true })).totalCount).toBe(0);
    expect((await gqlOk(server, ME, {}, client.accessToken)).me.unreadNotificationCount).toBe(0);
    // The other person's stays unread.
    expect((await gqlOk(server, ME, {}, other.accessToken)).me.unreadNotificationCount).toBe(1);
  });

  it('another person’s notification is NOT_FOUND, like one that does not exist, and stays unread', async () => {
    const [theirs] = (await list(other.accessToken)).edges;
    expectError(await gql(server, READ, { id: theirs!.node.id }, client.accessToken), 'NOT_FOUND', /Notification ".*" was not found/, 'id');
    expectError(await gql(server, READ, { id: '00000000-0000-4000-8000-000000000000' }, client.accessToken), 'NOT_FOUND', undefined, 'id');
    expectError(await gql(server, READ, { id: 'not-an-id' }, client.accessToken), 'NOT_FOUND', undefined, 'id');
    expect((await list(other.accessToken)).edges[0]!.node.readAt).toBeNull();
  });

  it('needs a signed-in caller; bad paging input is a typed error naming the field', async () => {
    expectError(await gql(server, LIST, {}), 'UNAUTHENTICATED');
    expectError(await gql(server, READ_ALL, {}), 'UNAUTHENTICATED');
    expectError(await gql(server, LIST, { first: 0 }, client.accessToken), 'BAD_USER_INPUT', /first must be between 1 and 100/, 'first');
    expectError(await gql(server, LIST, { after: 'garbage' }, client.accessToken), 'BAD_USER_INPUT', /cursor is not valid/, 'after');
  });
});

describe('notification preferences', () => {
  it('start all on, change only the switches named, and show on me (only to the user themselves)', async () => {
    const before = (await gqlOk(server, ME, {}, other.accessToken)).me.notificationPreferences;
    expect(before).toMatchObject({ emailReminders: true, emailUpdates: true, inAppReminders: true, inAppUpdates: true });
    expect(before.essentialKinds).toEqual(expect.arrayContaining(['VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION', 'BOOKING_CONFIRMED', 'CONSULTATION_CANCELLED']));
    expect(before.essentialKinds).not.toContain('REMINDER_24H');

    const changed = (await gqlOk(server, UPDATE, { input: { emailReminders: false } }, other.accessToken)).updateNotificationPreferences;
    expect(changed).toMatchObject({ emailReminders: false, emailUpdates: true, inAppReminders: true, inAppUpdates: true });
    const again = (await gqlOk(server, UPDATE, { input: { inAppUpdates: false } }, other.accessToken)).updateNotificationPreferences;
    expect(again).toMatchObject({ emailReminders: false, emailUpdates: true, inAppReminders: true, inAppUpdates: false });
    expect((await gqlOk(server, ME, {}, other.accessToken)).me.notificationPreferences).toMatchObject({ emailReminders: false, inAppUpdates: false });
    // Someone else's choices are theirs.
    expect((await gqlOk(server, ME, {}, client.accessToken)).me.notificationPreferences).toMatchObject({ emailReminders: true, inAppUpdates: true });
  });

  it('refuses an empty change or an explicit null, naming the field, and writes nothing', async () => {
    const row = () => server.app.orm.em.getConnection().execute('select * from notification_preference where user_id = ?', [client.user.id]);
    const before = await row();
    expectError(await gql(server, UPDATE, { input: {} }, client.accessToken), 'BAD_USER_INPUT', /at least one of/, 'input');
    expectError(await gql(server, UPDATE, { input: { emailUpdates: null, inAppReminders: false } }, client.accessToken), 'BAD_USER_INPUT', /true or false/, 'input.emailUpdates');
    expectError(await gql(server, UPDATE, { input: { emailUpdates: false } }), 'UNAUTHENTICATED');
    expect(await row()).toEqual(before);
  });
});
