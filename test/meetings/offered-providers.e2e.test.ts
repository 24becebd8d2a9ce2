/**
 * The providers a consultant offers, on a real server where ZOOM is configured, TEAMS and
 * GOOGLE_MEET are not and the platform's default is PHONE: the profile edit refuses a list that
 * repeats one or names one not configured (naming the settings); clients see what they may pick;
 * a booking must pick one of those, and one naming none gets the consultant's first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { expectError, gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;
let consultant: TestConsultant;
let client: TestClient;

beforeAll(async () => {
  server = await startTestServer({ MEETING_PROVIDER: 'PHONE', ZOOM_ACCOUNT_ID: 'acct', ZOOM_CLIENT_ID: 'client', ZOOM_CLIENT_SECRET: 'secret' });
  admin = await demoSignIn(server, 'admin@serenity.local');
  consultant = await openAllHoursConsultant(server);
  client = await verifiedClient(server, { organizationName: 'Initech' });
  await grantSessions(server, admin, client.organizationId, 5);
});
afterAll(() => server.stop());

const UPDATE = `mutation($input: ConsultantProfileInput!) { updateConsultantProfile(input: $input) { id meetingProviders offeredMeetingProviders } }`;
const PUBLIC = `query($id: ID!) { consultant(id: $id) { meetingProviders } }`;
const LISTED = `{ consultants(first: 50) { edges { node { id meetingProviders } } } }`;
const PROVIDER = `query($id: ID!) { consultation(id: $id) { meeting { provider } } }`;

const offer = (token: string, meetingProviders: string[], consultantId?: string) => gql(server, UPDATE, { input: { meetingProviders, ...(consultantId ? { consultantId } : {}) } }, token);
const publicProviders = async (id: string) => (await gqlOk<{ consultant: { meetingProviders: string[] } }>(server, PUBLIC, { id }, client.token)).consultant.meetingProviders;
const stored = async (id: string) => (await sql<{ meeting_providers: string[] }>(server, 'select meeting_providers from consultant_profile where id = ?', [id]))[0]!.meeting_providers;
const book = (start: Date, meetingProvider?: string) =>
  gql<{ bookConsultation: { id: string } }>(server, BOOK, { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Roadmap', ...(meetingProvider ? { meetingProvider } : {}) } }, client.token);
const providerOf = async (id: string) => (await gqlOk<{ consultation: { meeting: { provider: string } } }>(server, PROVIDER, { id }, client.token)).consultation.meeting.provider;

describe('the providers a consultant offers', () => {
  it('listing none offers the platform default (MEETING_PROVIDER) to clients, in consultant(id:) and consultants', async () => {
    expect(await stored(consultant.id)).toEqual([]);
    expect(await publicProviders(consultant.id)).toEqual(['PHONE']);
    const listed = await gqlOk<{ consultants: { edges: Array<{ node: { id: string; meetingProviders: string[] } }> } }>(server, LISTED, {}, client.token);
    expect(listed.consultants.edges.find((e) => e.node.id === consultant.id)?.node.meetingProviders).toEqual(['PHONE']);
  });

  it('a repeated provider or one not configured is refused, naming the field (and the settings), and nothing changes', async () => {
    expectError(await offer(consultant.token, ['ZOOM', 'ZOOM']), 'BAD_USER_INPUT', /ZOOM is listed twice/, 'input.meetingProviders');
    expectError(await offer(consultant.token, ['JITSI', 'TEAMS']), 'BAD_USER_INPUT', /TEAMS meeting provider is not configured.*TEAMS_TENANT_ID/, 'input.meetingProviders');
    expectError(await offer(consultant.token, ['GOOGLE_MEET']), 'BAD_USER_INPUT', /GOOGLE_SERVICE_ACCOUNT_JSON/, 'input.meetingProviders');
    expect(await stored(consultant.id)).toEqual([]);
  });

  it('the consultant lists theirs (in their order); admins edit any consultant’s; clients see them', async () => {
    const saved = await offer(consultant.token, ['ZOOM', 'JITSI']);
    expect(saved.errors).toEqual([]);
    expect(saved.data).toEqual({ updateConsultantProfile: { id: consultant.id, meetingProviders: ['ZOOM', 'JITSI'], offeredMeetingProviders: ['ZOOM', 'JITSI'] } });
    expect(await publicProviders(consultant.id)).toEqual(['ZOOM', 'JITSI']);

    const other = await openAllHoursConsultant(server);
    const byAdmin = await offer(admin, ['JITSI', 'PHONE'], other.id);
    expect(byAdmin.errors).toEqual([]);
    expect(await stored(other.id)).toEqual(['JITSI', 'PHONE']);
    expectError(await offer(admin, ['PHONE', 'PHONE'], other.id), 'BAD_USER_INPUT', /PHONE is listed twice/, 'input.meetingProviders');
    // Clearing the list goes back to the platform's default.
    await gqlOk(server, UPDATE, { input: { consultantId: other.id, meetingProviders: [] } }, admin);
    expect(await publicProviders(other.id)).toEqual(['PHONE']);
  });

  it('a booking naming a provider the consultant does not offer is refused, saying which they offer; nothing is booked', async () => {
    const start = gridStart(2 * 60);
    const refused = await book(start, 'PHONE');
    expectError(refused, 'BAD_USER_INPUT', /offers ZOOM, JITSI/, 'input.meetingProvider');
    // The time is still free: a booking of an offered provider takes it.
    const booked = await book(start, 'JITSI');
    expect(booked.errors).toEqual([]);
    expect(await providerOf(booked.data!.bookConsultation.id)).toBe('JITSI');
  });

  it('a booking naming none gets the consultant’s first; a reschedule keeps it', async () => {
    const booked = await book(gridStart(4 * 60));
    expect(booked.errors).toEqual([]);
    const id = booked.data!.bookConsultation.id;
    expect(await providerOf(id)).toBe('ZOOM');
    await gqlOk(server, 'mutation($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start) { id } }', { id, start: gridStart(6 * 60).toISOString() }, client.token);
    expect(await providerOf(id)).toBe('ZOOM');
  });
});
