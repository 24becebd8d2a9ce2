/**
 * POST /webhooks/zoom on a real server with ZOOM_WEBHOOK_SECRET_TOKEN set, signed the way Zoom
 * documents it (computed here with node:crypto): the URL-validation challenge, forged and stale
 * deliveries refused with nothing written, and a Zoom meeting row (a Jitsi booking turned into one
 * with SQL: provider ZOOM, external id = Zoom's numeric meeting id, as the Zoom provider stores it)
 * getting its recording URL and its actual start and end, each only once.
 */
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type ConsultationJson, type TestClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SECRET = 'e2e-zoom-webhook-secret-token';
const ZOOM_MEETING_ID = 85746065432;

let server: TestServer;
let client: TestClient;
let consultationId: string;
const logLines: string[] = [];

beforeAll(async () => {
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  server = await startTestServer({ ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, LOG_LEVEL: 'debug' }, { logDestination: capture });
  const admin = await demoSignIn(server, 'admin@serenity.local');
  const consultant = await openAllHoursConsultant(server);
  client = await verifiedClient(server, { organizationName: 'Hooli' });
  await grantSessions(server, admin, client.organizationId, 2);
  const booked = (await gqlOk<{ bookConsultation: ConsultationJson }>(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(60).toISOString(), durationMinutes: 60, purpose: 'Review' } }, client.token)).bookConsultation;
  consultationId = booked.id;
  await vi.waitFor(async () => expect((await meetingRow()).status).toBe('READY'), { timeout: 10_000, interval: 100 });
  // What the Zoom provider would have stored.
  await server.app.orm.em.getConnection().execute(`UPDATE consultation SET meeting_provider = 'ZOOM' WHERE id = ?`, [consultationId]);
  await server.app.orm.em.getConnection().execute(`UPDATE meeting SET provider = 'ZOOM', external_id = ? WHERE consultation_id = ?`, [String(ZOOM_MEETING_ID), consultationId]);
});
afterAll(() => server?.stop());

async function meetingRow(): Promise<Record<string, unknown>> {
  const rows = await server.app.orm.em.getConnection().execute<Record<string, unknown>[]>(`SELECT * FROM meeting WHERE consultation_id = ?`, [consultationId]);
  return rows[0]!;
}

const MEETING = `query($id: ID!) { consultation(id: $id) { meeting { provider recordingUrl startedAt endedAt } } }`;
const meetingSeenByClient = async () =>
  (await gqlOk<{ consultation: { meeting: { provider: string; recordingUrl: string | null; startedAt: string | null; endedAt: string | null } } }>(server, MEETING, { id: consultationId }, client.token)).consultation.meeting;

const sign = (timestamp: string, body: string, secret = SECRET) => `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/** Delivers `event` as Zoom does: JSON, signed now with the secret token (unless told otherwise). */
async function deliver(event: unknown, options: { timestamp?: string; signature?: string | null; secret?: string; url?: string } = {}) {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const timestamp = options.timestamp ?? nowSeconds();
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'x-zm-request-timestamp': timestamp };
  const signature = options.signature === undefined ? sign(timestamp, body, options.secret) : options.signature;
  if (signature !== null) headers['x-zm-signature'] = signature;
  const response = await fetch(options.url ?? `${server.app.url}/webhooks/zoom`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

const zoomEvent = (event: string, object: Record<string, unknown>) => ({ event, event_ts: Date.now(), payload: { account_id: 'AbCdEf123', object: { uuid: 'Xa8nH7Y+Tm2Zp8s5S5g3Qw==', host_id: 'z8yCxjabcdEFGHfp8uQ', topic: 'Review', type: 2, timezone: 'UTC', duration: 60, ...object } } });
const RECORDING = zoomEvent('recording.completed', {
  id: ZOOM_MEETING_ID,
  share_url: 'https://us06web.zoom.us/rec/share/Qg75t7xZBtEbAkjdlgbfdngBBBB',
  recording_play_passcode: 'yNYIS408EJygs7rE5vVsJwXIz4-VW7MH',
  password: 'k9!xT2',
  recording_count: 1,
  recording_files: [{ id: 'ed6c2f27-2ae7-42f4-b3d0-835b493e4fa8', file_type: 'MP4', recording_type: 'shared_screen_with_speaker_view', play_url: 'https://us06web.zoom.us/rec/play/1', download_url: 'https://us06web.zoom.us/rec/download/1', status: 'completed' }],
});
const RECORDING_URL = 'https://us06web.zoom.us/rec/share/Qg75t7xZBtEbAkjdlgbfdngBBBB?pwd=yNYIS408EJygs7rE5vVsJwXIz4-VW7MH';

describe('POST /webhooks/zoom', () => {
  it('answers the URL-validation challenge exactly as Zoom documents: 200 JSON {plainToken, encryptedToken = hex HMAC-SHA256(secret, plainToken)}', async () => {
    const plainToken = 'qgg8vlvZRS6UYooatFL8Aw';
    const answer = await deliver({ payload: { plainToken }, event_ts: Date.now(), event: 'endpoint.url_validation' });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.json).toEqual({ plainToken, encryptedToken: createHmac('sha256', SECRET).update(plainToken).digest('hex') });
  });

  it('refuses forged, unsigned, stale and future-dated deliveries with 401, writing nothing', async () => {
    const before = await meetingRow();
    const timestamp = nowSeconds();
    const forged = [
      await deliver(RECORDING, { secret: 'not-the-secret-token' }),
      await deliver(RECORDING, { signature: null }),
      await deliver(RECORDING, { signature: sign(timestamp, JSON.stringify(zoomEvent('recording.completed', { id: 1, share_url: 'https://x.zoom.us/rec/share/other' }))), timestamp }),
      await deliver(RECORDING, { timestamp: String(Math.floor(Date.now() / 1000) - 6 * 60) }),
      await deliver(RECORDING, { timestamp: String(Math.floor(Date.now() / 1000) + 6 * 60) }),
      await deliver({ event: 'endpoint.url_validation', payload: { plainToken: 'abc' } }, { signature: null }),
    ];
    expect(forged.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    for (const refusal of forged) expect(refusal.json).toMatchObject({ error: expect.any(String) });
    expect(forged[3]!.json).toMatchObject({ error: expect.stringMatching(/timestamp/i) });
    expect(await meetingRow()).toEqual(before);
  });

  it('a signed body that is not JSON (or not a Zoom event) is 400; one past the body limit 413', async () => {
    expect((await deliver('{"event": "recording.completed", ')).status).toBe(400);
    expect((await deliver({ payload: {} })).status).toBe(400);
    expect((await deliver(JSON.stringify({ event: 'x', pad: 'x'.repeat(1_100_000) }))).status).toBe(413);
  });

  it('recording.completed attaches the recording link the client sees; a repeat changes nothing', async () => {
    const delivered = await deliver(RECORDING);
    expect(delivered).toMatchObject({ status: 200, json: { received: true, outcome: 'recorded' } });
    expect(await meetingSeenByClient()).toMatchObject({ provider: 'ZOOM', recordingUrl: RECORDING_URL });
    const after = await meetingRow();
    expect(await deliver(RECORDING)).toMatchObject({ status: 200, json: { received: true, outcome: 'unchanged' } });
    expect(await meetingRow()).toEqual(after);
  });

  it('meeting.started and meeting.ended record the actual times; a repeat, or a restart of the same meeting, keeps the first start', async () => {
    const started = zoomEvent('meeting.started', { id: String(ZOOM_MEETING_ID), start_time: '2031-05-06T10:02:11Z' });
    expect(await deliver(started)).toMatchObject({ status: 200, json: { outcome: 'recorded' } });
    expect(await meetingSeenByClient()).toMatchObject({ startedAt: '2031-05-06T10:02:11.000Z', endedAt: null });
    const ended = zoomEvent('meeting.ended', { id: String(ZOOM_MEETING_ID), start_time: '2031-05-06T10:02:11Z', end_time: '2031-05-06T11:04:30Z' });
    expect(await deliver(ended)).toMatchObject({ status: 200, json: { outcome: 'recorded' } });
    expect(await meetingSeenByClient()).toMatchObject({ startedAt: '2031-05-06T10:02:11.000Z', endedAt: '2031-05-06T11:04:30.000Z' });

    const settled = await meetingRow();
    expect(await deliver(started)).toMatchObject({ status: 200, json: { outcome: 'unchanged' } });
    expect(await deliver(ended)).toMatchObject({ status: 200, json: { outcome: 'unchanged' } });
    // A host who rejoins after the end starts the same Zoom meeting again, later: the session still began at the first start.
    expect(await deliver(zoomEvent('meeting.started', { id: String(ZOOM_MEETING_ID), start_time: '2031-05-06T11:10:00Z' }))).toMatchObject({ status: 200, json: { outcome: 'unchanged' } });
    // An end delivered late for an earlier leg does not shorten the session.
    expect(await deliver(zoomEvent('meeting.ended', { id: String(ZOOM_MEETING_ID), end_time: '2031-05-06T10:30:00Z' }))).toMatchObject({ status: 200, json: { outcome: 'unchanged' } });
    expect(await meetingRow()).toEqual(settled);
  });

  it('an unknown meeting id is 200 (Zoom would retry forever otherwise) and logged at debug; other events are 200, ignored', async () => {
    const before = await meetingRow();
    expect(await deliver(zoomEvent('recording.completed', { id: 99999999999, share_url: 'https://us06web.zoom.us/rec/share/unknown' }))).toMatchObject({ status: 200, json: { received: true, outcome: 'unknown meeting' } });
    expect(await deliver(zoomEvent('meeting.started', { id: '99999999999', start_time: '2031-05-06T10:00:00Z' }))).toMatchObject({ status: 200, json: { outcome: 'unknown meeting' } });
    expect(await deliver(zoomEvent('meeting.participant_joined', { id: ZOOM_MEETING_ID, participant: { user_name: 'A' } }))).toMatchObject({ status: 200, json: { received: true, outcome: 'ignored' } });
    expect(await meetingRow()).toEqual(before);
    const debug = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => r.level === 20 && r.zoomMeetingId === '99999999999');
    expect(debug.map((r) => r.event)).toEqual(['recording.completed', 'meeting.started']);
  });
});

describe('POST /webhooks/zoom without ZOOM_WEBHOOK_SECRET_TOKEN', () => {
  it('answers 404: there is nothing to verify a delivery with', async () => {
    const plain = await startTestServer();
    try {
      const answer = await deliver({ event: 'endpoint.url_validation', payload: { plainToken: 'abc' } }, { url: `${plain.app.url}/webhooks/zoom` });
      expect(answer.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});
