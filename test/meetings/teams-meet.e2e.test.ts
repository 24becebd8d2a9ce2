/**
 * TEAMS and GOOGLE_MEET end to end: a real server whose settings point at the local Graph and
 * Calendar doubles; a client books with that meetingProvider, the job makes the meeting (READY
 * with the provider's join link), a reschedule moves it there, a cancellation deletes it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type ConsultationJson, type TestClient } from '../support/booking.js';
import { startGoogleCalendarDouble, type GoogleCalendarDouble } from '../support/google-calendar-double.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { startGraphDouble, type GraphDouble } from '../support/microsoft-graph-double.js';
import { meetingAs } from '../support/meetings.js';
import { startTestServer, type TestServer } from '../support/server.js';

let graph: GraphDouble;
let google: GoogleCalendarDouble;
let server: TestServer;
let client: TestClient;

beforeAll(async () => {
  graph = await startGraphDouble({ users: [] });
  google = await startGoogleCalendarDouble({ users: [] });
  server = await startTestServer({ ...graph.settings(), ...google.settings() });
  const admin = await demoSignIn(server, 'admin@serenity.local');
  client = await verifiedClient(server, { organizationName: 'Initech' });
  await grantSessions(server, admin, client.organizationId, 4);
});
afterAll(async () => {
  await server?.stop();
  await graph?.close();
  await google?.close();
});

const meetingOf = (token: string, id: string) => meetingAs(server, token, id);
const waitForStatus = (id: string, status: string) =>
  vi.waitFor(
    async () => {
      const meeting = await meetingOf(client.token, id);
      expect(meeting.status).toBe(status);
      return meeting;
    },
    { timeout: 15_000, interval: 100 },
  );

interface ProviderCase {
  provider: 'TEAMS' | 'GOOGLE_MEET';
  domain: string;
  addUser(email: string): void;
  /** The meeting at the double for this consultation: its join link and start. */
  remote(consultationId: string): { joinUrl: string; start: string; gone: boolean } | undefined;
  calls(): Array<{ method: string; path: string }>;
}

const CASES: ProviderCase[] = [
  {
    provider: 'TEAMS',
    domain: 'contoso.test',
    addUser: (email) => graph.users.add(email),
    remote: (id) => {
      const meeting = [...graph.meetings.values()].find((m) => m.externalId === id);
      const made = graph.requests.some((r) => r.path.endsWith('/createOrGet') && r.body?.externalId === id);
      if (!meeting) return made ? { joinUrl: '', start: '', gone: true } : undefined;
      return { joinUrl: meeting.joinWebUrl, start: meeting.startDateTime, gone: false };
    },
    calls: () => graph.apiCalls(),
  },
  {
    provider: 'GOOGLE_MEET',
    domain: 'workspace.test',
    addUser: (email) => google.users.add(email),
    remote: (id) => {
      const event = [...google.events.values()].find((e) => e.conference?.requestId === id);
      return event && { joinUrl: `https://meet.google.com/${event.conference!.code}`, start: event.start.dateTime, gone: event.status === 'cancelled' };
    },
    calls: () => google.apiCalls(),
  },
];

describe.each(CASES)('$provider end to end', (c) => {
  it('booking → READY with the provider’s link (host link for the consultant only), reschedule → moved there, cancel → deleted there', async () => {
    const email = `consultant-${randomBytes(4).toString('hex')}@${c.domain}`;
    c.addUser(email);
    const consultant = await openAllHoursConsultant(server, { email, meetingProviders: [c.provider] });
    const start = gridStart(2 * 60);
    const booked = (
      await gqlOk<{ bookConsultation: ConsultationJson }>(
        server,
        BOOK,
        { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Roadmap', meetingProvider: c.provider } },
        client.token,
      )
    ).bookConsultation;

    const ready = await waitForStatus(booked.id, 'READY');
    const remote = c.remote(booked.id)!;
    expect(ready).toMatchObject({ provider: c.provider, joinUrl: remote.joinUrl, hostUrl: null });
    expect(ready.passcode).toBeTruthy();
    expect(ready.dialIn).toMatch(/^\+1 /);
    expect(await meetingOf(consultant.token, booked.id)).toMatchObject({ joinUrl: remote.joinUrl, hostUrl: remote.joinUrl });
    expect(new Date(remote.start).getTime()).toBe(start.getTime());

    const moved = new Date(start.getTime() + 2 * 60 * 60_000);
    await gqlOk(server, 'mutation($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start) { id } }', { id: booked.id, start: moved.toISOString() }, client.token);
    await vi.waitFor(() => expect(new Date(c.remote(booked.id)!.start).getTime()).toBe(moved.getTime()), { timeout: 15_000, interval: 100 });
    expect(c.calls().some((r) => r.method === 'PATCH')).toBe(true);
    expect((await waitForStatus(booked.id, 'READY')).joinUrl).toBe(remote.joinUrl);

    await gqlOk(server, 'mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased } }', { id: booked.id }, client.token);
    await waitForStatus(booked.id, 'DELETED');
    expect(c.remote(booked.id)!.gone).toBe(true);
    expect(c.calls().at(-1)!.method).toBe('DELETE');
  });
});
