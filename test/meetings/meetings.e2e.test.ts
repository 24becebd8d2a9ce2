/**
 * Consultation.meeting through GraphQL on a real server whose job runner makes the meetings:
 * the Jitsi link arrives after the booking, the host's link only for the consultant, and a
 * provider that is not configured is refused at booking.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type ConsultationJson, type TestClient, type TestConsultant } from '../support/booking.js';
import { expectError, gql, gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let consultant: TestConsultant;
let client: TestClient;

beforeAll(async () => {
  server = await startTestServer({ JITSI_BASE_URL: 'https://jitsi.e2e.test/' });
  const admin = await demoSignIn(server, 'admin@serenity.local');
  consultant = await openAllHoursConsultant(server);
  client = await verifiedClient(server, { organizationName: 'Umbrella' });
  await grantSessions(server, admin, client.organizationId, 3);
});
afterAll(() => server.stop());

const MEETING = `query($id: ID!) { consultation(id: $id) { meeting { provider status joinUrl passcode dialIn hostUrl recordingUrl } } }`;
interface MeetingJson {
  provider: string;
  status: string;
  joinUrl: string | null;
  hostUrl: string | null;
}
const meetingAs = async (token: string, id: string) => (await gqlOk<{ consultation: { meeting: MeetingJson } }>(server, MEETING, { id }, token)).consultation.meeting;

describe('Consultation.meeting', () => {
  it('a booking answers at once with a PENDING Jitsi meeting; the job makes the link; the host link is the consultant’s only', async () => {
    const booked = (await gqlOk<{ bookConsultation: ConsultationJson }>(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(60).toISOString(), durationMinutes: 60, purpose: 'Roadmap' } }, client.token)).bookConsultation;
    await vi.waitFor(async () => expect((await meetingAs(client.token, booked.id)).status).toBe('READY'), { timeout: 10_000, interval: 100 });
    const seenByClient = await meetingAs(client.token, booked.id);
    expect(seenByClient).toMatchObject({ provider: 'JITSI', status: 'READY', hostUrl: null });
    expect(seenByClient.joinUrl).toMatch(/^https:\/\/jitsi\.e2e\.test\/Serenity-[A-Za-z0-9_-]{22}$/);
    const seenByConsultant = await meetingAs(consultant.token, booked.id);
    expect(seenByConsultant).toMatchObject({ joinUrl: seenByClient.joinUrl, hostUrl: seenByClient.joinUrl });
  });

  it('a provider that is not configured is refused at booking, naming the settings, and nothing is booked', async () => {
    const start = gridStart(3 * 60);
    const refused = await gql(server, BOOK, { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Roadmap', meetingProvider: 'ZOOM' } }, client.token);
    expectError(refused, 'BAD_USER_INPUT', /ZOOM meeting provider is not configured.*ZOOM_ACCOUNT_ID/, 'input.meetingProvider');
    // The same time is still free (for a provider the consultant offers).
    await gqlOk(server, 'mutation($input: ConsultantProfileInput!) { updateConsultantProfile(input: $input) { id } }', { input: { meetingProviders: ['JITSI', 'PHONE'] } }, consultant.token);
    await gqlOk(server, BOOK, { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Roadmap', meetingProvider: 'PHONE' } }, client.token);
  });
});
