/**
 * The Zoom provider against a local double of Zoom's API and Server-to-Server OAuth: one token
 * for many calls, refreshed shortly before it expires and once after a 401, the create payload,
 * the fallback host, update, delete, find, timeouts, and errors that carry Zoom's words but
 * never the secret or the token.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configuredProviders, providerChecks, type MeetingFacts } from '../../src/meetings/providers.js';
import { zoomProvider } from '../../src/meetings/zoom.provider.js';
import { startZoomDouble, type ZoomDouble } from '../support/zoom-double.js';

let zoom: ZoomDouble;
beforeAll(async () => {
  zoom = await startZoomDouble({ pageSize: 2 });
});
afterAll(() => zoom.stop());
beforeEach(() => {
  zoom.requests.length = 0;
  zoom.unknownUsers.clear();
  zoom.tokenLifetimeSeconds = 3600;
  zoom.tokenDelayMs = 0;
  zoom.scopes = GRANULAR;
});
const GRANULAR = 'meeting:write:meeting:admin meeting:read:meeting:admin meeting:read:list_meetings:admin meeting:update:meeting:admin meeting:delete:meeting:admin';

let n = 0;
const facts = (overrides: Partial<MeetingFacts> = {}): MeetingFacts => ({
  consultationId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  title: 'Serenity consultation CONS-1',
  start: new Date('2031-05-06T09:30:00Z'),
  end: new Date('2031-05-06T10:15:00Z'),
  consultantPhone: null,
  consultantEmail: 'sarah.chen@serenity.test',
  consultantName: 'Sarah Chen',
  timeZone: 'Europe/Berlin',
  ...overrides,
});
/** The error a call rejects with (fails the test if it resolves). */
async function rejection(call: Promise<unknown>): Promise<Error> {
  const error = await call.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  return error!;
}
const tokenRequests = () => zoom.requests.filter((r) => r.path === '/oauth/token');

describe('the token (Server-to-Server OAuth)', () => {
  it('one grant, Basic client_id:client_secret with the account id, serves several calls, also concurrent ones', async () => {
    zoom.tokenDelayMs = 50;
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    const before = zoom.tokenGrants;
    await Promise.all([provider.create(facts()), provider.create(facts()), provider.create(facts())]);
    await provider.create(facts());
    expect(zoom.tokenGrants - before).toBe(1);
    const [grant] = tokenRequests();
    expect(grant!.query.get('grant_type')).toBe('account_credentials');
    expect(grant!.query.get('account_id')).toBe(zoom.accountId);
    expect(grant!.authorization).toBe(`Basic ${Buffer.from(`${zoom.clientId}:${zoom.clientSecret}`).toString('base64')}`);
    for (const call of zoom.apiRequests()) expect(call.authorization).toMatch(/^Bearer tok-/);
  });

  it('is fetched again 5 minutes before it expires, not before', async () => {
    let clock = new Date('2031-01-01T00:00:00Z').getTime();
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000, now: () => new Date(clock) });
    const before = zoom.tokenGrants;
    await provider.create(facts());
    clock += 54 * 60_000;
    await provider.create(facts());
    expect(zoom.tokenGrants - before).toBe(1);
    clock += 60_000 + 1;
    await provider.create(facts());
    expect(zoom.tokenGrants - before).toBe(2);
  });

  it('a 401 drops the token: exactly one new grant and one retry, then the call succeeds', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    await provider.create(facts());
    const before = zoom.tokenGrants;
    zoom.requests.length = 0;
    zoom.expireTokens();
    const place = await provider.create(facts());
    expect(place.joinUrl).toMatch(/^https:\/\/zoom\.double\.test\/j\//);
    expect(zoom.tokenGrants - before).toBe(1);
    expect(zoom.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v2/users/sarah.chen@serenity.test/meetings', 'POST /oauth/token', 'POST /v2/users/sarah.chen@serenity.test/meetings']);
  });

  it('two 401s in a row: an error naming the rejected credentials, after one refresh only', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    await provider.create(facts());
    const before = zoom.tokenGrants;
    zoom.rejectNext(2);
    const error = await rejection(provider.create(facts()));
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/rejected.*credentials.*ZOOM_CLIENT_ID/i);
    expect(error.message).toContain('124');
    expect(zoom.tokenGrants - before).toBe(1);
  });

  it('checkCredentials asks for a new token (not the cache) and rejects with Zoom’s reason, never the secret', async () => {
    const good = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    const before = zoom.tokenGrants;
    await good.checkCredentials!();
    await good.checkCredentials!();
    expect(zoom.tokenGrants - before).toBe(2);
    const bad = zoomProvider(zoom.settings({ clientSecret: 'not-the-secret-123' }), { timeoutMs: 2000 });
    const error = await rejection(bad.checkCredentials!());
    expect(error.message).toMatch(/Invalid client_id or client_secret/);
    expect(error.message).toMatch(/ZOOM_CLIENT_SECRET/);
    expect(error.message).not.toContain('not-the-secret-123');
  });

  it('checkCredentials also names the scopes the Zoom app lacks; the classic meeting:write:admin covers them all', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    zoom.scopes = 'meeting:write:meeting:admin meeting:read:meeting:admin user:read:user:admin';
    const error = await rejection(provider.checkCredentials!());
    expect(error.message).toMatch(/lacks the scopes meeting:read:list_meetings:admin, meeting:update:meeting:admin, meeting:delete:meeting:admin/);
    zoom.scopes = 'meeting:write:admin user:read:admin';
    await expect(provider.checkCredentials!()).resolves.toBeUndefined();
  });
});

describe('create', () => {
  it('POSTs a scheduled meeting for the consultant: UTC start, minutes, the zone, topic, waiting room, recording, a marker find can match', async () => {
    const provider = zoomProvider(zoom.settings({ autoRecording: 'cloud', waitingRoom: true }), { timeoutMs: 2000 });
    const f = facts();
    const place = await provider.create(f);
    const call = zoom.apiRequests().find((r) => r.method === 'POST')!;
    expect(call.path).toBe('/v2/users/sarah.chen@serenity.test/meetings');
    const body = call.body as Record<string, unknown> & { settings: Record<string, unknown> };
    expect(body).toMatchObject({ type: 2, topic: 'Serenity consultation CONS-1', start_time: '2031-05-06T09:30:00Z', duration: 45, timezone: 'Europe/Berlin' });
    expect(body.agenda).toContain(f.consultationId);
    expect(body.settings).toMatchObject({ waiting_room: true, auto_recording: 'cloud', join_before_host: false, default_password: true });
    const made = zoom.meetings.get(Number(place.externalId))!;
    expect(place).toEqual({ externalId: String(made.id), joinUrl: made.join_url, hostUrl: made.start_url, passcode: made.password, dialIn: `+1 646 558 8656 (New York, US), meeting ID ${made.id}, passcode ${made.pstn_password}` });
    expect(made.password).not.toBe('');
  });

  it('waiting room off and no recording when so configured', async () => {
    const provider = zoomProvider(zoom.settings({ autoRecording: 'none', waitingRoom: false }), { timeoutMs: 2000 });
    await provider.create(facts());
    expect((zoom.apiRequests().find((r) => r.method === 'POST')!.body as { settings: unknown }).settings).toMatchObject({ waiting_room: false, auto_recording: 'none' });
  });

  it('a consultant who is no Zoom user of the account (1001): made for ZOOM_HOST_USER', async () => {
    zoom.unknownUsers.add('outsider@serenity.test');
    const provider = zoomProvider(zoom.settings({ fallbackHost: 'host@serenity.test' }), { timeoutMs: 2000 });
    const place = await provider.create(facts({ consultantEmail: 'outsider@serenity.test' }));
    expect(zoom.apiRequests().filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/v2/users/outsider@serenity.test/meetings', '/v2/users/host@serenity.test/meetings']);
    expect(zoom.meetings.get(Number(place.externalId))!.host_email).toBe('host@serenity.test');
  });

  it('no fallback host: an error naming ZOOM_HOST_USER and the consultant', async () => {
    zoom.unknownUsers.add('outsider@serenity.test');
    const provider = zoomProvider(zoom.settings({ fallbackHost: null }), { timeoutMs: 2000 });
    await expect(provider.create(facts({ consultantEmail: 'outsider@serenity.test' }))).rejects.toThrow(/outsider@serenity\.test.*ZOOM_HOST_USER/);
  });

  it('a 5xx: the error carries Zoom’s status, code and message, and neither the secret nor the token', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    await provider.checkCredentials!();
    zoom.failNext(1, 503, 'Service temporarily unavailable');
    const error = await rejection(provider.create(facts()));
    expect(error.message).toMatch(/503/);
    expect(error.message).toMatch(/300/);
    expect(error.message).toMatch(/Service temporarily unavailable/);
    expect(error.message).not.toContain(zoom.clientSecret);
    expect(error.message).not.toMatch(/tok-/);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(zoom.clientSecret);
  });

  it('an answer slower than the timeout rejects within it, naming the timeout', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 300 });
    await provider.checkCredentials!();
    zoom.delayNextAnswer('POST', 2000);
    await expect(provider.create(facts())).rejects.toThrow(/timed out after 300 ms/);
  });
});

describe('find, update, delete', () => {
  it('find pages through the host’s meetings and returns the one whose agenda carries the consultation; null when none', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    const host = 'finder@serenity.test';
    const made = [];
    for (let i = 0; i < 5; i++) made.push({ f: facts({ consultantEmail: host }), place: await provider.create(facts({ consultantEmail: host })) });
    const target = facts({ consultantEmail: host });
    const place = await provider.create(target);
    zoom.requests.length = 0;
    expect(await provider.find!(target)).toEqual(place);
    const lists = zoom.apiRequests().filter((r) => r.method === 'GET' && r.path === `/v2/users/${host}/meetings`);
    // 6 meetings, 2 a page: three pages, the later ones asked by next_page_token.
    expect(lists).toHaveLength(3);
    expect(lists.map((r) => r.query.get('next_page_token') ?? '')).toEqual(['', '2', '4']);
    expect(lists[0]!.query.get('type')).toBe('scheduled');
    expect(await provider.find!(facts({ consultantEmail: host }))).toBeNull();
  });

  it('find also looks at the fallback host when the consultant is no Zoom user', async () => {
    zoom.unknownUsers.add('outsider@serenity.test');
    const provider = zoomProvider(zoom.settings({ fallbackHost: 'host@serenity.test' }), { timeoutMs: 2000 });
    const f = facts({ consultantEmail: 'outsider@serenity.test' });
    const place = await provider.create(f);
    expect(await provider.find!(f)).toEqual(place);
  });

  it('update PATCHes start, duration, zone and topic, then answers the meeting as Zoom has it', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    const place = await provider.create(facts());
    zoom.requests.length = 0;
    const moved = facts({ start: new Date('2031-05-07T14:00:00Z'), end: new Date('2031-05-07T15:00:00Z'), timeZone: 'America/New_York', title: 'Serenity consultation CONS-2' });
    const after = await provider.update(place.externalId, moved);
    const patch = zoom.apiRequests().find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe(`/v2/meetings/${place.externalId}`);
    expect(patch.body).toEqual({ start_time: '2031-05-07T14:00:00Z', duration: 60, timezone: 'America/New_York', topic: 'Serenity consultation CONS-2' });
    expect(after).toEqual(place);
    expect(zoom.meetings.get(Number(place.externalId))).toMatchObject({ start_time: '2031-05-07T14:00:00Z', duration: 60 });
  });

  it('update of a meeting deleted at Zoom (3001) makes a new one', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    const place = await provider.update('85999999999', facts());
    expect(place.externalId).not.toBe('85999999999');
    expect(zoom.meetings.has(Number(place.externalId))).toBe(true);
  });

  it('delete DELETEs the meeting; a meeting already gone (3001) counts as deleted', async () => {
    const provider = zoomProvider(zoom.settings(), { timeoutMs: 2000 });
    const place = await provider.create(facts());
    await provider.delete(place.externalId);
    expect(zoom.apiRequests().filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/v2/meetings/${place.externalId}`]);
    expect(zoom.meetings.has(Number(place.externalId))).toBe(false);
    await expect(provider.delete(place.externalId)).resolves.toBeUndefined();
  });
});

describe('registration', () => {
  const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp', ...env }).meetings;

  it('ZOOM is a provider (and a readiness check) only with its three credentials; the same providers for the same settings', () => {
    const without = config();
    expect(Object.keys(configuredProviders(without)).sort()).toEqual(['JITSI', 'PHONE']);
    expect(providerChecks(without)).toEqual([]);
    const withZoom = config(zoom.env());
    expect(configuredProviders(withZoom).ZOOM).toBeDefined();
    // The job asks on every run: one provider, so one cached token, per settings object.
    expect(configuredProviders(withZoom).ZOOM).toBe(configuredProviders(withZoom).ZOOM);
    expect(providerChecks(withZoom).map((c) => [c.name, c.everyMs])).toEqual([['meetings.ZOOM', 5 * 60_000]]);
  });
});
