/**
 * Zoom end to end: a real server whose ZOOM_* settings point at the local double. A ZOOM booking
 * becomes READY with the client's join link and the host's start link for the consultant only;
 * a reschedule PATCHes the meeting, a cancellation DELETEs it. /readyz reports the provider's
 * credentials, checked at start and then every few minutes, never on each probe.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type ConsultationJson, type TestClient, type TestConsultant } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { meetingAs } from '../support/meetings.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startZoomDouble, type ZoomDouble } from '../support/zoom-double.js';

let zoom: ZoomDouble;
let server: TestServer;
let consultant: TestConsultant;
let client: TestClient;

beforeAll(async () => {
  zoom = await startZoomDouble();
  server = await startTestServer(zoom.env({ MEETING_HTTP_TIMEOUT_MS: '3000', ZOOM_AUTO_RECORDING: 'cloud' }));
  const admin = await demoSignIn(server, 'admin@serenity.local');
  consultant = await openAllHoursConsultant(server, { meetingProviders: ['ZOOM'] });
  client = await verifiedClient(server, { organizationName: 'Initech' });
  await grantSessions(server, admin, client.organizationId, 3);
});
afterAll(async () => {
  await server?.stop();
  await zoom?.stop();
});

const meetingOf = (token: string, id: string) => meetingAs(server, token, id);
const readyz = async (base: string) => {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks?: Array<{ name: string; state: string; reason?: string }> } };
};

describe('ZOOM meetings', () => {
  it('booked → READY with the join link for the client and the start link for the consultant only; moved → PATCH; cancelled → DELETE', async () => {
    const start = gridStart(90);
    const booked = (await gqlOk<{ bookConsultation: ConsultationJson }>(server, BOOK, { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Roadmap', meetingProvider: 'ZOOM' } }, client.token)).bookConsultation;
    await vi.waitFor(async () => expect((await meetingOf(client.token, booked.id)).status).toBe('READY'), { timeout: 10_000, interval: 100 });
    const [made] = [...zoom.meetings.values()].filter((m) => m.agenda.includes(booked.id));
    expect(made).toMatchObject({ start_time: start.toISOString().replace('.000Z', 'Z'), duration: 60, timezone: consultant.timeZone });
    expect(made!.settings).toMatchObject({ waiting_room: true, auto_recording: 'cloud' });
    expect(await meetingOf(client.token, booked.id)).toEqual({ provider: 'ZOOM', status: 'READY', joinUrl: made!.join_url, passcode: made!.password, dialIn: expect.stringContaining(String(made!.id)), hostUrl: null });
    expect((await meetingOf(consultant.token, booked.id)).hostUrl).toBe(made!.start_url);

    const to = new Date(start.getTime() + 2 * 60 * 60_000);
    await gqlOk(server, 'mutation($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start) { id } }', { id: booked.id, start: to.toISOString() }, client.token);
    await vi.waitFor(() => expect(zoom.apiRequests().filter((r) => r.method === 'PATCH' && r.path === `/v2/meetings/${made!.id}`)).toHaveLength(1), { timeout: 10_000, interval: 100 });
    await vi.waitFor(async () => expect((await meetingOf(client.token, booked.id)).status).toBe('READY'), { timeout: 10_000, interval: 100 });
    expect(zoom.meetings.get(made!.id)).toMatchObject({ start_time: to.toISOString().replace('.000Z', 'Z') });

    await gqlOk(server, 'mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased } }', { id: booked.id }, client.token);
    await vi.waitFor(() => expect(zoom.apiRequests().filter((r) => r.method === 'DELETE' && r.path === `/v2/meetings/${made!.id}`)).toHaveLength(1), { timeout: 10_000, interval: 100 });
    await vi.waitFor(async () => expect((await meetingOf(client.token, booked.id)).status).toBe('DELETED'), { timeout: 10_000, interval: 100 });
    expect(zoom.meetings.has(made!.id)).toBe(false);
  });
});

describe('/readyz and the Zoom credentials', () => {
  it('good credentials: 200, the check ok; many probes ask Zoom for no further token', async () => {
    const base = server.app.url;
    await vi.waitFor(async () => expect((await readyz(base)).body.checks).toEqual([expect.objectContaining({ name: 'meetings.ZOOM', state: 'ok' })]), { timeout: 10_000, interval: 100 });
    const grants = zoom.tokenGrants;
    for (let i = 0; i < 20; i++) expect((await readyz(base)).status).toBe(200);
    expect(zoom.tokenGrants).toBe(grants);
  });

  it('rejected credentials: still 200 (Zoom trouble must not take every instance out of the load balancer), the check failing with Zoom’s reason, the metric 0', async () => {
    const bad = await startTestServer(zoom.env({ ZOOM_CLIENT_SECRET: 'a-revoked-secret-0000' }));
    try {
      const base = bad.app.url;
      await vi.waitFor(async () => expect((await readyz(base)).body.checks?.[0]?.state).toBe('failing'), { timeout: 10_000, interval: 100 });
      const { status, body } = await readyz(base);
      expect(status).toBe(200);
      expect(body).toEqual({ status: 'ready', checks: [{ name: 'meetings.ZOOM', state: 'failing', reason: expect.stringMatching(/Invalid client_id or client_secret.*ZOOM_CLIENT_SECRET/), checkedAt: expect.any(String) }] });
      expect(JSON.stringify(body)).not.toContain('a-revoked-secret-0000');
      const before = zoom.requests.filter((r) => r.path === '/oauth/token').length;
      for (let i = 0; i < 20; i++) await readyz(base);
      expect(zoom.requests.filter((r) => r.path === '/oauth/token').length).toBe(before);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/serenity_readiness_check_ok\{check="meetings\.ZOOM"\} 0/);
    } finally {
      await bad.stop();
    }
  });
});
