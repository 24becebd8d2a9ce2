/**
 * The Teams provider against a local Microsoft Graph double (test/support/microsoft-graph-double.ts):
 * client-credentials tokens cached and refreshed once on a 401, createOrGet keyed by the
 * consultation (a retry after a lost answer makes no second meeting), the fallback organizer,
 * update / delete, and errors that carry Graph's words but never the secret.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TeamsSettings } from '../../src/config.js';
import type { MeetingFacts } from '../../src/meetings/providers.js';
import { teamsProvider } from '../../src/meetings/teams.provider.js';
import { startGraphDouble, type GraphDouble } from '../support/microsoft-graph-double.js';

let graph: GraphDouble;
beforeAll(async () => {
  graph = await startGraphDouble({ users: ['sarah.chen@contoso.test', 'bookings@contoso.test'] });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.tokenLifetimeSeconds = 3599;
  graph.audioConferencing = true;
});

const settings = (overrides: Partial<TeamsSettings> = {}): TeamsSettings => ({
  tenantId: graph.tenantId,
  clientId: graph.clientId,
  clientSecret: graph.clientSecret,
  fallbackOrganizer: null,
  graphUrl: graph.graphUrl,
  loginUrl: graph.loginUrl,
  ...overrides,
});
const facts = (overrides: Partial<MeetingFacts> = {}): MeetingFacts => ({
  consultationId: randomUUID(),
  title: 'Serenity consultation Strategy review',
  start: new Date('2027-01-04T10:00:00Z'),
  end: new Date('2027-01-04T11:00:00Z'),
  consultantPhone: null,
  consultantEmail: 'sarah.chen@contoso.test',
  consultantName: 'Sarah Chen',
  timeZone: 'Europe/London',
  ...overrides,
});
const since = (mark: number) => graph.requests.slice(mark);
const grantsDuring = async (run: () => Promise<unknown>) => {
  const before = graph.tokenGrants;
  await run();
  return graph.tokenGrants - before;
};

describe('TEAMS tokens', () => {
  it('asks for one client-credentials token for several calls, concurrent ones included', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    const mark = graph.requests.length;
    const grants = await grantsDuring(async () => {
      const [a] = await Promise.all([teams.create(facts()), teams.create(facts()), teams.create(facts())]);
      await teams.update(a.externalId, facts());
      await teams.delete(a.externalId);
    });
    expect(grants).toBe(1);
    const tokenRequest = since(mark).find((r) => r.path.endsWith('/token'))!;
    expect(tokenRequest).toMatchObject({ method: 'POST', path: `/${graph.tenantId}/oauth2/v2.0/token` });
    expect(tokenRequest.body).toEqual({ client_id: graph.clientId, client_secret: graph.clientSecret, grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' });
    for (const call of since(mark).filter((r) => r.path.startsWith('/v1.0/'))) expect(call.headers.authorization).toMatch(/^Bearer eyJ/);
  });

  it('asks again shortly before the token expires, not after', async () => {
    graph.tokenLifetimeSeconds = 3600;
    let now = new Date('2027-01-01T00:00:00Z');
    const teams = teamsProvider(settings(), { timeoutMs: 5000, now: () => now });
    expect(await grantsDuring(() => teams.create(facts()))).toBe(1);
    now = new Date(now.getTime() + 50 * 60_000);
    expect(await grantsDuring(() => teams.create(facts()))).toBe(0);
    // 56 minutes in: within 5 minutes of expiry.
    now = new Date(now.getTime() + 6 * 60_000);
    expect(await grantsDuring(() => teams.create(facts()))).toBe(1);
  });

  it('a 401 drops the token, fetches exactly one new one and repeats the call once', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    await teams.create(facts());
    graph.revokeTokens();
    const mark = graph.requests.length;
    const one = facts();
    const grants = await grantsDuring(() => teams.create(one));
    expect(grants).toBe(1);
    expect(since(mark).map((r) => `${r.method} ${r.path.endsWith('/token') ? 'token' : 'createOrGet'}`)).toEqual(['POST createOrGet', 'POST token', 'POST createOrGet']);
    expect([...graph.meetings.values()].filter((m) => m.externalId === one.consultationId)).toHaveLength(1);
  });

  it('a second 401 is an error naming the rejected credentials, with no further grant', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    await teams.create(facts());
    graph.failNext(2, { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } } }, (r) => r.path.startsWith('/v1.0/'));
    const grants = await grantsDuring(() => expect(teams.create(facts())).rejects.toThrow(/TEAMS_CLIENT_ID.*rejected|rejected.*TEAMS_CLIENT_ID/));
    expect(grants).toBe(1);
  });

  it('checkCredentials makes a fresh grant; a wrong secret is rejected with Entra’s reason and no secret', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    await teams.create(facts());
    expect(await grantsDuring(() => teams.checkCredentials!())).toBe(1);
    const wrong = teamsProvider(settings({ clientSecret: 'not-the-secret-value' }), { timeoutMs: 5000 });
    const error = await wrong.checkCredentials!().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/invalid_client.*AADSTS7000215/);
    expect(error?.message).not.toContain('not-the-secret-value');
    expect(error?.message).not.toContain(graph.clientSecret);
  });
});

describe('TEAMS meetings', () => {
  it('creates with createOrGet for the consultant, keyed by the consultation, in the lobby; the place carries link, passcode and dial-in', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    const one = facts();
    const mark = graph.requests.length;
    const place = await teams.create(one);
    const call = since(mark).find((r) => r.path.endsWith('/createOrGet'))!;
    expect(call.path).toBe('/v1.0/users/sarah.chen@contoso.test/onlineMeetings/createOrGet');
    expect(call.body).toEqual({
      externalId: one.consultationId,
      subject: one.title,
      startDateTime: '2027-01-04T10:00:00.000Z',
      endDateTime: '2027-01-04T11:00:00.000Z',
      lobbyBypassSettings: { scope: 'organizer', isDialInBypassEnabled: false },
    });
    const meeting = [...graph.meetings.values()].find((m) => m.externalId === one.consultationId)!;
    expect(place).toEqual({
      externalId: `sarah.chen@contoso.test/${meeting.id}`,
      joinUrl: meeting.joinWebUrl,
      hostUrl: meeting.joinWebUrl,
      passcode: meeting.joinMeetingIdSettings.passcode,
      dialIn: `+1 425-555-0100, conference ID ${meeting.audioConferencing!.conferenceId}#`,
    });
    expect(place.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
  });

  it('has no dial-in when the tenant has no audio conferencing', async () => {
    graph.audioConferencing = false;
    const place = await teamsProvider(settings(), { timeoutMs: 5000 }).create(facts());
    expect(place.dialIn).toBeNull();
    expect(place.joinUrl).not.toBeNull();
  });

  it('a create whose answer was lost makes no second meeting: the retry gets the same one', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 600 });
    await teams.checkCredentials!();
    const one = facts();
    graph.delayNext(1, 3000, (r) => r.path.endsWith('/createOrGet'));
    await expect(teams.create(one)).rejects.toThrow(/no answer within 600 ms/);
    const retried = await teams.create(one);
    const made = [...graph.meetings.values()].filter((m) => m.externalId === one.consultationId);
    expect(made).toHaveLength(1);
    expect(retried.externalId).toBe(`sarah.chen@contoso.test/${made[0]!.id}`);
  });

  it('a repeated create for a consultation moved meanwhile brings the meeting to the new time', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    const one = facts();
    await teams.create(one);
    const moved = { ...one, start: new Date('2027-01-05T14:00:00Z'), end: new Date('2027-01-05T15:00:00Z') };
    const mark = graph.requests.length;
    await teams.create(moved);
    expect(since(mark).map((r) => r.method)).toEqual(['POST', 'PATCH']);
    const meeting = [...graph.meetings.values()].find((m) => m.externalId === one.consultationId)!;
    expect(meeting).toMatchObject({ startDateTime: '2027-01-05T14:00:00.000Z', endDateTime: '2027-01-05T15:00:00.000Z' });
  });

  it('falls back to TEAMS_ORGANIZER when the consultant is not a user of the tenant', async () => {
    const teams = teamsProvider(settings({ fallbackOrganizer: 'bookings@contoso.test' }), { timeoutMs: 5000 });
    const one = facts({ consultantEmail: 'outside@elsewhere.test' });
    const mark = graph.requests.length;
    const place = await teams.create(one);
    expect(since(mark).filter((r) => r.path.endsWith('/createOrGet')).map((r) => r.path)).toEqual([
      '/v1.0/users/outside@elsewhere.test/onlineMeetings/createOrGet',
      '/v1.0/users/bookings@contoso.test/onlineMeetings/createOrGet',
    ]);
    expect(place.externalId).toMatch(/^bookings@contoso\.test\//);
    await teams.update(place.externalId, one);
    expect(graph.requests.at(-1)!.path).toMatch(/^\/v1\.0\/users\/bookings@contoso\.test\/onlineMeetings\//);
  });

  it('without TEAMS_ORGANIZER an unknown consultant is an error naming the setting and Graph’s answer', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    await expect(teams.create(facts({ consultantEmail: 'outside@elsewhere.test' }))).rejects.toThrow(/outside@elsewhere\.test.*TEAMS_ORGANIZER.*NotFound|NotFound.*TEAMS_ORGANIZER/);
  });

  it('update PATCHes subject and times of that meeting; a meeting removed at Teams is made again', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    const one = facts();
    const place = await teams.create(one);
    const id = place.externalId.split('/')[1]!;
    const moved = { ...one, title: 'Serenity consultation Moved', start: new Date('2027-02-01T09:00:00Z'), end: new Date('2027-02-01T09:45:00Z') };
    const mark = graph.requests.length;
    const updated = await teams.update(place.externalId, moved);
    const patch = since(mark).find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe(`/v1.0/users/sarah.chen@contoso.test/onlineMeetings/${id}`);
    expect(patch.body).toEqual({ subject: 'Serenity consultation Moved', startDateTime: '2027-02-01T09:00:00.000Z', endDateTime: '2027-02-01T09:45:00.000Z' });
    expect(updated).toEqual(place);

    graph.meetings.delete(id);
    const remade = await teams.update(place.externalId, moved);
    expect(remade.externalId).not.toBe(place.externalId);
    expect([...graph.meetings.values()].find((m) => m.externalId === one.consultationId)).toMatchObject({ startDateTime: '2027-02-01T09:00:00.000Z' });
  });

  it('delete DELETEs the meeting; a repeat (404) counts as done', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    const place = await teams.create(facts());
    const id = place.externalId.split('/')[1]!;
    await teams.delete(place.externalId);
    expect(graph.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/v1.0/users/sarah.chen@contoso.test/onlineMeetings/${id}` });
    expect(graph.meetings.has(id)).toBe(false);
    await expect(teams.delete(place.externalId)).resolves.toBeUndefined();
  });

  it('an error carries Graph’s code and message, never the secret or the token', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    graph.failNext(1, { status: 503, body: { error: { code: 'ServiceNotAvailable', message: 'The service is temporarily unavailable.' } } }, (r) => r.path.endsWith('/createOrGet'));
    const error = await teams.create(facts()).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/503.*ServiceNotAvailable.*temporarily unavailable/);
    expect(error?.message).not.toContain(graph.clientSecret);
    const presented = graph.requests.at(-1)!.headers.authorization!.slice('Bearer '.length);
    expect(error?.message).not.toContain(presented);
  });

  it('a 403 for the organizer points at the application access policy', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 5000 });
    graph.failNext(1, { status: 403, body: { error: { code: 'Forbidden', message: 'Application is not allowed to perform operations on the user.' } } }, (r) => r.path.endsWith('/createOrGet'));
    await expect(teams.create(facts())).rejects.toThrow(/403 \(Forbidden: Application is not allowed.*application access policy.*sarah\.chen@contoso\.test/);
  });

  it('an unreachable Graph is an error naming why', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const teams = teamsProvider(settings({ loginUrl: `http://127.0.0.1:${port}` }), { timeoutMs: 5000 });
    await expect(teams.create(facts())).rejects.toThrow(/Teams: token request: fetch failed \(ECONNREFUSED\)/);
  });

  it('a token endpoint that does not answer rejects within the timeout', async () => {
    const teams = teamsProvider(settings(), { timeoutMs: 250 });
    graph.delayNext(1, 3000, (r) => r.path.endsWith('/token'));
    await expect(teams.create(facts())).rejects.toThrow(/no answer within 250 ms/);
  });
});
