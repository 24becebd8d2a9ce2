/**
 * The Google Meet provider against a local Google OAuth + Calendar double
 * (test/support/google-calendar-double.ts), which verifies each RS256 assertion with the service
 * account's public key: tokens cached per impersonated user and refreshed once on a 401, an event
 * with a client-chosen id and a Meet createRequest (a retry gets 409 and reads the event: no
 * duplicate), a still-pending conference, update / delete, errors without secrets.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GoogleMeetSettings } from '../../src/config.js';
import { googleMeetProvider } from '../../src/meetings/google-meet.provider.js';
import type { MeetingFacts } from '../../src/meetings/providers.js';
import { CALENDAR_EVENTS_SCOPE, startGoogleCalendarDouble, type GoogleCalendarDouble } from '../support/google-calendar-double.js';

let google: GoogleCalendarDouble;
beforeAll(async () => {
  google = await startGoogleCalendarDouble({ users: ['sarah.chen@workspace.test', 'meetings@workspace.test'] });
});
afterAll(() => google.close());
beforeEach(() => {
  google.tokenLifetimeSeconds = 3599;
  google.conferencePendingReads = 0;
  google.phoneEntryPoints = true;
});

const settings = (overrides: Partial<GoogleMeetSettings> = {}): GoogleMeetSettings => ({
  clientEmail: google.clientEmail,
  privateKey: google.privateKey,
  tokenUrl: google.tokenUrl,
  calendarId: 'primary',
  impersonate: null,
  calendarApiUrl: google.calendarApiUrl,
  ...overrides,
});
const facts = (overrides: Partial<MeetingFacts> = {}): MeetingFacts => ({
  consultationId: randomUUID(),
  title: 'Serenity consultation Strategy review',
  start: new Date('2027-01-04T10:00:00Z'),
  end: new Date('2027-01-04T11:00:00Z'),
  consultantPhone: null,
  consultantEmail: 'sarah.chen@workspace.test',
  consultantName: 'Sarah Chen',
  timeZone: 'Europe/London',
  ...overrides,
});
const since = (mark: number) => google.requests.slice(mark);
const grantsDuring = async (run: () => Promise<unknown>) => {
  const before = google.grants.length;
  await run();
  return google.grants.slice(before);
};
const eventIdOf = (consultationId: string) => consultationId.replaceAll('-', '');
const failure = (run: () => Promise<unknown>) =>
  run().then(
    () => null,
    (e: unknown) => e as Error,
  );

describe('GOOGLE_MEET tokens', () => {
  it('signs an RS256 assertion the double verifies with the public key, and asks once per impersonated user', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000 });
    const mark = google.requests.length;
    const grants = await grantsDuring(async () => {
      const [a] = await Promise.all([meet.create(facts()), meet.create(facts()), meet.create(facts({ consultantEmail: 'meetings@workspace.test' }))]);
      await meet.update(a.externalId, facts());
      await meet.delete(a.externalId);
    });
    expect(grants).toEqual(expect.arrayContaining([{ subject: 'sarah.chen@workspace.test', scope: CALENDAR_EVENTS_SCOPE }, { subject: 'meetings@workspace.test', scope: CALENDAR_EVENTS_SCOPE }]));
    expect(grants).toHaveLength(2);
    const tokenRequest = since(mark).find((r) => r.path === '/token')!;
    expect(tokenRequest.body.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = decodeJwt(tokenRequest.body.assertion);
    expect(claims).toMatchObject({ iss: google.clientEmail, scope: CALENDAR_EVENTS_SCOPE, aud: google.tokenUrl });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(3600);
  });

  it('acts as GOOGLE_IMPERSONATE_USER when it is set', async () => {
    const meet = googleMeetProvider(settings({ impersonate: 'meetings@workspace.test' }), { timeoutMs: 5000 });
    const grants = await grantsDuring(() => meet.create(facts()));
    expect(grants.map((g) => g.subject)).toEqual(['meetings@workspace.test']);
    expect([...google.events.values()].at(-1)!.owner).toBe('meetings@workspace.test');
  });

  it('asks again shortly before the token expires', async () => {
    google.tokenLifetimeSeconds = 3600;
    let now = new Date();
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000, now: () => now });
    expect(await grantsDuring(() => meet.create(facts()))).toHaveLength(1);
    now = new Date(now.getTime() + 50 * 60_000);
    expect(await grantsDuring(() => meet.create(facts()))).toHaveLength(0);
    now = new Date(now.getTime() + 6 * 60_000);
    expect(await grantsDuring(() => meet.create(facts()))).toHaveLength(1);
  });

  it('a 401 drops the token, fetches exactly one new one and repeats the call once', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000 });
    await meet.create(facts());
    google.revokeTokens();
    const mark = google.requests.length;
    const one = facts();
    expect(await grantsDuring(() => meet.create(one))).toHaveLength(1);
    expect(since(mark).map((r) => `${r.method} ${r.path === '/token' ? 'token' : 'events'}`)).toEqual(['POST events', 'POST token', 'POST events']);
  });

  it('a second 401 is an error naming the rejected credentials', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000 });
    await meet.create(facts());
    google.failNext(2, { status: 401, body: { error: { code: 401, message: 'Invalid Credentials', errors: [{ reason: 'authError' }] } } }, (r) => r.path.startsWith('/calendar/'));
    const grants = await grantsDuring(() => expect(meet.create(facts())).rejects.toThrow(/GOOGLE_SERVICE_ACCOUNT_JSON.*rejected|rejected.*GOOGLE_SERVICE_ACCOUNT_JSON/));
    expect(grants).toHaveLength(1);
  });

  it('an assertion signed by another key is refused at the token endpoint; the error says why and holds no key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const meet = googleMeetProvider(settings({ privateKey: other.privateKey }), { timeoutMs: 5000 });
    const error = await failure(() => meet.checkCredentials!());
    expect(error?.message).toMatch(/invalid_grant.*Invalid JWT Signature/);
    expect(error?.message).not.toMatch(/PRIVATE KEY|MII/);
  });

  it('a user outside the delegation is refused with Google’s reason; checkCredentials makes a fresh grant', async () => {
    const meet = googleMeetProvider(settings({ impersonate: 'stranger@workspace.test' }), { timeoutMs: 5000 });
    expect((await failure(() => meet.checkCredentials!()))?.message).toMatch(/unauthorized_client.*not authorized/);
    const good = googleMeetProvider(settings(), { timeoutMs: 5000 });
    await good.create(facts());
    expect(await grantsDuring(() => good.checkCredentials!())).toHaveLength(1);
  });
});

describe('GOOGLE_MEET events', () => {
  it('inserts an event with a client-chosen id and a Meet create request; the place carries the Meet link, dial-in and PIN', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000 });
    const one = facts();
    const mark = google.requests.length;
    const place = await meet.create(one);
    const insert = since(mark).find((r) => r.method === 'POST' && r.path.startsWith('/calendar/'))!;
    expect(insert.path).toBe('/calendar/v3/calendars/primary/events');
    expect(Object.fromEntries(insert.query)).toEqual({ conferenceDataVersion: '1', sendUpdates: 'none' });
    expect(insert.body).toMatchObject({
      id: eventIdOf(one.consultationId),
      summary: one.title,
      start: { dateTime: '2027-01-04T10:00:00.000Z', timeZone: 'Europe/London' },
      end: { dateTime: '2027-01-04T11:00:00.000Z', timeZone: 'Europe/London' },
      conferenceData: { createRequest: { requestId: one.consultationId, conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
    const event = google.events.get(`sarah.chen@workspace.test/${eventIdOf(one.consultationId)}`)!;
    expect(place).toEqual({
      externalId: `sarah.chen@workspace.test/primary/${eventIdOf(one.consultationId)}`,
      joinUrl: `https://meet.google.com/${event.conference!.code}`,
      hostUrl: `https://meet.google.com/${event.conference!.code}`,
      passcode: event.conference!.pin,
      dialIn: `+1 402-555-0123, PIN ${event.conference!.pin}#`,
    });
  });

  it('has no dial-in when the conference has no phone entry point', async () => {
    google.phoneEntryPoints = false;
    const place = await googleMeetProvider(settings(), { timeoutMs: 5000 }).create(facts());
    expect(place).toMatchObject({ dialIn: null, passcode: null });
    expect(place.joinUrl).toMatch(/^https:\/\/meet\.google\.com\//);
  });

  it('a create whose answer was lost makes no duplicate: the retry gets 409 and reads the event', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 600 });
    await meet.checkCredentials!();
    const one = facts();
    google.delayNext(1, 3000, (r) => r.method === 'POST' && r.path.startsWith('/calendar/'));
    await expect(meet.create(one)).rejects.toThrow(/no answer within 600 ms/);
    const mark = google.requests.length;
    const place = await meet.create(one);
    expect(since(mark).map((r) => r.method)).toEqual(['POST', 'GET']);
    expect([...google.events.values()].filter((e) => e.conference?.requestId === one.consultationId)).toHaveLength(1);
    expect(place.externalId).toBe(`sarah.chen@workspace.test/primary/${eventIdOf(one.consultationId)}`);
    expect(place.joinUrl).toMatch(/^https:\/\/meet\.google\.com\//);
  });

  it('a conference still pending is a rejected call; the retry finds the event with its conference', async () => {
    google.conferencePendingReads = 1;
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000 });
    const one = facts();
    await expect(meet.create(one)).rejects.toThrow(/pending/);
    const place = await meet.create(one);
    expect(place.joinUrl).toMatch(/^https:\/\/meet\.google\.com\//);
    expect([...google.events.values()].filter((e) => e.conference?.requestId === one.consultationId)).toHaveLength(1);
  });

  it('update PATCHes summary and times; delete DELETEs; a repeated delete (410) or an unknown event (404) counts as done', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000 });
    const one = facts();
    const place = await meet.create(one);
    const moved = { ...one, title: 'Serenity consultation Moved', start: new Date('2027-02-01T09:00:00Z'), end: new Date('2027-02-01T09:45:00Z'), timeZone: 'America/New_York' };
    const mark = google.requests.length;
    const updated = await meet.update(place.externalId, moved);
    const patch = since(mark).find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe(`/calendar/v3/calendars/primary/events/${eventIdOf(one.consultationId)}`);
    expect(patch.query.get('sendUpdates')).toBe('none');
    expect(patch.body).toEqual({
      summary: 'Serenity consultation Moved',
      start: { dateTime: '2027-02-01T09:00:00.000Z', timeZone: 'America/New_York' },
      end: { dateTime: '2027-02-01T09:45:00.000Z', timeZone: 'America/New_York' },
    });
    expect(updated).toEqual(place);

    await meet.delete(place.externalId);
    expect(google.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/calendar/v3/calendars/primary/events/${eventIdOf(one.consultationId)}` });
    expect(google.events.get(`sarah.chen@workspace.test/${eventIdOf(one.consultationId)}`)!.status).toBe('cancelled');
    await expect(meet.delete(place.externalId)).resolves.toBeUndefined();
    await expect(meet.delete('sarah.chen@workspace.test/primary/0123456789abcdef')).resolves.toBeUndefined();
  });

  it('an error carries Google’s status and message, never the key or the token', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 5000 });
    google.failNext(1, { status: 403, body: { error: { code: 403, message: 'Rate Limit Exceeded', errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }] } } }, (r) => r.path.startsWith('/calendar/'));
    const error = await failure(() => meet.create(facts()));
    expect(error?.message).toMatch(/403.*rateLimitExceeded.*Rate Limit Exceeded/);
    expect(error?.message).not.toMatch(/PRIVATE KEY|ya29\./);
  });

  it('a token endpoint that does not answer rejects within the timeout', async () => {
    const meet = googleMeetProvider(settings(), { timeoutMs: 250 });
    google.delayNext(1, 3000, (r) => r.path === '/token');
    await expect(meet.create(facts())).rejects.toThrow(/no answer within 250 ms/);
  });
});
