import { randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, mailToken, PASSWORD, sql, uniqueEmail } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The private calendar feeds through the real server: whose sessions each lists, what a poll
 * gets back (type, caching, 304), rotation, and that no other secret opens anything.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const BOOK = 'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id } }';
const FEED_URL = '{ me { calendarFeedUrl } }';

/** PUBLIC_URL is not the test server's address: the feed's path, fetched from the server. */
async function getFeed(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.app.port}${new URL(url).pathname}`, { headers });
}

async function feedUrlOf(token: string): Promise<string> {
  const url = (await gqlOk<{ me: { calendarFeedUrl: string | null } }>(server, FEED_URL, {}, token)).me.calendarFeedUrl;
  expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  return url!;
}

interface Listed {
  method: string;
  events: Array<{ uid: string; sequence: number; start: ICAL.Time; status: string | null }>;
}

async function listed(url: string): Promise<Listed> {
  const response = await getFeed(url);
  expect(response.status).toBe(200);
  const calendar = new ICAL.Component(ICAL.parse(await response.text()));
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    events: calendar.getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return { uid: e.uid, sequence: e.sequence, start: e.startDate, status: (v.getFirstPropertyValue('status') as string | null) ?? null };
    }),
  };
}

const uidOf = (id: string) => `${id}@serenity.consultations`;

async function book(client: TestClient, consultant: TestConsultant, hoursAhead: number, purpose: string): Promise<string> {
  const data = await gqlOk<{ bookConsultation: { id: string } }>(
    server,
    BOOK,
    { input: { consultantId: consultant.id, start: gridStart(hoursAhead * 60).toISOString(), durationMinutes: 30, purpose } },
    client.token,
  );
  return data.bookConsultation.id;
}

describe('private calendar feeds', () => {
  it('each feed lists exactly its owner’s sessions: a consultant’s across organizations, a client’s own (not a colleague’s, not cancelled ones)', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const carla = await openAllHoursConsultant(server);
    const dora = await openAllHoursConsultant(server);
    const owner = await verifiedClient(server);
    const other = await verifiedClient(server);
    await grantSessions(server, admin, owner.organizationId, 5);
    await grantSessions(server, admin, other.organizationId, 5);

    // A colleague in the owner's organization, with a session of their own.
    const colleagueEmail = uniqueEmail('colleague');
    await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: colleagueEmail }, owner.token);
    const token = await mailToken(server, colleagueEmail, 'invitation');
    const accepted = await gqlOk<{ acceptInvitation: { accessToken: string } }>(
      server,
      'mutation($t: String!, $p: String, $pr: ProfileInput) { acceptInvitation(token: $t, password: $p, profile: $pr) { accessToken } }',
      { t: token, p: PASSWORD, pr: { firstName: 'Cole', lastName: 'League' } },
      undefined,
    );
    const colleague = { ...owner, token: accepted.acceptInvitation.accessToken };

    const ownerWithCarla = await book(owner, carla, 25, 'Owner with Carla');
    const ownerWithDora = await book(owner, dora, 26, 'Owner with Dora');
    const otherWithCarla = await book(other, carla, 27, 'Other org with Carla');
    const colleagueWithCarla = await book(colleague, carla, 28, 'Colleague with Carla');
    const cancelled = await book(owner, carla, 29, 'Cancelled');
    await gqlOk(server, 'mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased } }', { id: cancelled }, owner.token);

    const uids = async (token: string) => (await listed(await feedUrlOf(token))).events.map((e) => e.uid).sort();
    expect(await uids(owner.token)).toEqual([ownerWithCarla, ownerWithDora].map(uidOf).sort());
    expect(await uids(colleague.token)).toEqual([uidOf(colleagueWithCarla)]);
    expect(await uids(other.token)).toEqual([uidOf(otherWithCarla)]);
    expect(await uids(carla.token)).toEqual([ownerWithCarla, otherWithCarla, colleagueWithCarla].map(uidOf).sort());
    expect(await uids(dora.token)).toEqual([uidOf(ownerWithDora)]);

    const feed = await listed(await feedUrlOf(carla.token));
    expect(feed.method).toBe('PUBLISH');
    for (const e of feed.events) {
      expect(e.start.zone?.tzid).toBe('UTC');
      expect(e.status).toBe('CONFIRMED');
    }

    // Someone else's record never shows their feed: the owner reads the colleague's user.
    const members = await gqlOk<{ members: Array<{ user: { id: string; calendarFeedUrl: string | null } }> }>(server, '{ members { user { id calendarFeedUrl } } }', {}, owner.token);
    const others = members.members.filter((m) => m.user.id !== owner.userId);
    expect(others.length).toBeGreaterThan(0);
    for (const m of others) expect(m.user.calendarFeedUrl).toBeNull();
  });

  it('a poll gets text/calendar with ETag and Last-Modified, 304 when nothing changed, and the new SEQUENCE once something did', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const consultant = await openAllHoursConsultant(server);
    const client = await verifiedClient(server);
    await grantSessions(server, admin, client.organizationId, 2);
    const id = await book(client, consultant, 50, 'Polled');
    // The meetings job gives it a link just after the booking (a change of the event): polled once it has.
    const meetingStatus = async () => (await sql<{ status: string }>(server, 'SELECT status FROM meeting WHERE consultation_id = ?', [id]))[0]?.status;
    await expect.poll(meetingStatus, { timeout: 10_000 }).toBe('READY');
    const url = await feedUrlOf(client.token);
    // Asked again: the same URL (made once).
    expect(await feedUrlOf(client.token)).toBe(url);

    const first = await getFeed(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('private, max-age=300');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(new Date(lastModified).getTime()).not.toBeNaN();
    const body = await first.text();
    expect(body).toContain('METHOD:PUBLISH');
    // The meeting link is where calendars show it.
    expect(body).toMatch(/LOCATION:https:\/\/meet\.jit\.si\/Serenity-/);

    // Unchanged: the same bytes, and 304 for either validator.
    expect(await (await getFeed(url)).text()).toBe(body);
    const byTag = await getFeed(url, { 'if-none-match': etag });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    expect((await getFeed(url, { 'if-modified-since': lastModified })).status).toBe(304);

    const before = (await listed(url)).events.find((e) => e.uid === uidOf(id))!;
    await gqlOk(server, 'mutation($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start) { id } }', { id, start: gridStart(52 * 60).toISOString() }, client.token);
    const changed = await getFeed(url, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const after = (await listed(url)).events.find((e) => e.uid === uidOf(id))!;
    expect(after.sequence).toBeGreaterThan(before.sequence);
  });

  it('rotation: the old URL answers 404 — the same 404 as a forged or malformed secret — and the new one works', async () => {
    const consultant = await openAllHoursConsultant(server);
    const old = await feedUrlOf(consultant.token);
    expect((await getFeed(old)).status).toBe(200);

    const rotated = await gqlOk<{ rotateCalendarFeed: string }>(server, 'mutation { rotateCalendarFeed }', {}, consultant.token);
    const fresh = rotated.rotateCalendarFeed;
    expect(fresh).not.toBe(old);
    expect(await feedUrlOf(consultant.token)).toBe(fresh);
    expect((await getFeed(fresh)).status).toBe(200);

    const origin = new URL(old).origin;
    const answers = await Promise.all(
      [old, `${origin}/calendar/${randomBytes(32).toString('base64url')}.ics`, `${origin}/calendar/not-a-secret.ics`, `${origin}/calendar/${new URL(fresh).pathname.slice(10, -4)}`].map(async (u) => {
        const r = await getFeed(u);
        return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
      }),
    );
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(404);
  });

  it('admins have no feed: calendarFeedUrl is null and rotateCalendarFeed is FORBIDDEN; anonymous callers are UNAUTHENTICATED', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    expect((await gqlOk<{ me: { calendarFeedUrl: string | null } }>(server, FEED_URL, {}, admin)).me.calendarFeedUrl).toBeNull();
    const denied = await gql(server, 'mutation { rotateCalendarFeed }', {}, admin);
    expect(denied.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gql(server, 'mutation { rotateCalendarFeed }', {});
    expect(anonymous.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
