/**
 * The pure rules of POST /webhooks/zoom: Zoom's signature (x-zm-signature = "v0=" + hex
 * HMAC-SHA256(secret token, "v0:{x-zm-request-timestamp}:{raw body}")), the timestamp window,
 * the URL-validation answer and what each event means for a meeting row. The expected values are
 * computed here with node:crypto straight from Zoom's documented formula, not with the code under test.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerUrlValidation, checkZoomSignature, parseZoomEvent, ZOOM_TIMESTAMP_TOLERANCE_SECONDS } from '../../src/meetings/zoom-webhook.js';

const SECRET = 'zoom-secret-token-for-tests';
const NOW = new Date('2031-05-06T10:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

const zoomSignature = (secret: string, timestamp: string, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

function check(body: string, headers: { signature?: string; timestamp?: string }, secret = SECRET) {
  return checkZoomSignature({ secret, signature: headers.signature, timestamp: headers.timestamp, body: Buffer.from(body), now: NOW });
}

describe('checkZoomSignature', () => {
  const body = '{"event":"meeting.started","payload":{"object":{"id":"85746065432"}},"event_ts":1778061600000}';
  const timestamp = String(nowSeconds);

  it('accepts Zoom’s signature of the exact bytes at the current time', () => {
    expect(check(body, { signature: zoomSignature(SECRET, timestamp, body), timestamp })).toEqual({ ok: true });
  });

  it('accepts any body and any timestamp inside the window when signed with the secret', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), fc.integer({ min: -ZOOM_TIMESTAMP_TOLERANCE_SECONDS, max: ZOOM_TIMESTAMP_TOLERANCE_SECONDS }), (anyBody, skew) => {
        const ts = String(nowSeconds + skew);
        expect(check(anyBody, { signature: zoomSignature(SECRET, ts, anyBody), timestamp: ts })).toEqual({ ok: true });
      }),
    );
  });

  it('refuses a signature made with another secret, or of other bytes, or of another timestamp', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.string({ minLength: 1, maxLength: 40 }), (tampered, otherSecret) => {
        fc.pre(tampered !== body && otherSecret !== SECRET);
        expect(check(body, { signature: zoomSignature(otherSecret, timestamp, body), timestamp })).toMatchObject({ ok: false });
        expect(check(tampered, { signature: zoomSignature(SECRET, timestamp, body), timestamp })).toMatchObject({ ok: false });
      }),
    );
    expect(check(body, { signature: zoomSignature(SECRET, String(nowSeconds - 1), body), timestamp })).toMatchObject({ ok: false, reason: expect.stringMatching(/signature/i) });
  });

  it('refuses a forged header of any shape without throwing (wrong length, no v0= prefix, not hex)', () => {
    const good = zoomSignature(SECRET, timestamp, body);
    for (const forged of ['', 'v0=', 'v0=abc', good.slice(3), `v1=${good.slice(3)}`, `${good}00`, `v0=${'z'.repeat(64)}`, good.toUpperCase()]) {
      expect(check(body, { signature: forged, timestamp }), forged).toMatchObject({ ok: false });
    }
  });

  it('refuses a stale timestamp (older than 5 minutes) even when correctly signed', () => {
    const stale = String(nowSeconds - ZOOM_TIMESTAMP_TOLERANCE_SECONDS - 1);
    expect(check(body, { signature: zoomSignature(SECRET, stale, body), timestamp: stale })).toEqual({ ok: false, reason: expect.stringMatching(/timestamp.*(old|window)/i) });
  });

  it('refuses a timestamp far in the future even when correctly signed', () => {
    const future = String(nowSeconds + ZOOM_TIMESTAMP_TOLERANCE_SECONDS + 1);
    expect(check(body, { signature: zoomSignature(SECRET, future, body), timestamp: future })).toEqual({ ok: false, reason: expect.stringMatching(/timestamp.*(future|window)/i) });
  });

  it('refuses a timestamp that is not whole seconds (milliseconds, decimals, exponents, spaces)', () => {
    for (const odd of [String(NOW.getTime()), `${nowSeconds}.0`, '1.778e9', ` ${nowSeconds}`, '-1', 'now']) {
      expect(check(body, { signature: zoomSignature(SECRET, odd, body), timestamp: odd }), odd).toMatchObject({ ok: false });
    }
  });

  it('refuses a request missing either header, naming it', () => {
    expect(check(body, { timestamp })).toEqual({ ok: false, reason: expect.stringContaining('x-zm-signature') });
    expect(check(body, { signature: zoomSignature(SECRET, timestamp, body) })).toEqual({ ok: false, reason: expect.stringContaining('x-zm-request-timestamp') });
    expect(check(body, {})).toMatchObject({ ok: false });
  });
});

describe('answerUrlValidation', () => {
  it('echoes the plainToken with encryptedToken = hex HMAC-SHA256(secret, plainToken)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), (plainToken) => {
        expect(answerUrlValidation(SECRET, plainToken)).toEqual({ plainToken, encryptedToken: createHmac('sha256', SECRET).update(plainToken).digest('hex') });
      }),
    );
  });
});

describe('parseZoomEvent', () => {
  const parse = (value: unknown) => parseZoomEvent(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

  it('the URL-validation challenge carries its plainToken', () => {
    expect(parse({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680 })).toEqual({ kind: 'url_validation', plainToken: 'qgg8vlvZRS6UYooatFL8Aw' });
  });

  it('meeting.started: the meeting id (a string or a number, as Zoom sends either) and the actual start', () => {
    const started = { event: 'meeting.started', event_ts: 1778061720000, payload: { account_id: 'acc', object: { id: '85746065432', uuid: 'u1==', host_id: 'h', topic: 'T', type: 2, start_time: '2031-05-06T10:02:00Z', timezone: 'UTC', duration: 60 } } };
    expect(parse(started)).toEqual({ kind: 'started', meetingId: '85746065432', at: new Date('2031-05-06T10:02:00Z') });
    expect(parse({ ...started, payload: { ...started.payload, object: { ...started.payload.object, id: 85746065432 } } })).toMatchObject({ kind: 'started', meetingId: '85746065432' });
  });

  it('meeting.ended: the actual end', () => {
    expect(parse({ event: 'meeting.ended', event_ts: 1778065500000, payload: { object: { id: 85746065432, start_time: '2031-05-06T10:02:00Z', end_time: '2031-05-06T11:05:00Z' } } })).toEqual({
      kind: 'ended',
      meetingId: '85746065432',
      at: new Date('2031-05-06T11:05:00Z'),
    });
  });

  it('without the time, the event’s own time (event_ts, milliseconds) stands in', () => {
    expect(parse({ event: 'meeting.ended', event_ts: 1778065500000, payload: { object: { id: '85746065432' } } })).toEqual({ kind: 'ended', meetingId: '85746065432', at: new Date(1778065500000) });
  });

  it('recording.completed: the share_url, with the recording’s play passcode as pwd so the one link opens it', () => {
    const recording = {
      event: 'recording.completed',
      event_ts: 1778070000000,
      payload: {
        object: {
          id: 85746065432,
          uuid: 'u1==',
          share_url: 'https://example.zoom.us/rec/share/AbC-123',
          password: 'k9!x',
          recording_play_passcode: 'Xy12EncodedPass',
          recording_files: [{ id: 'f1', file_type: 'MP4', play_url: 'https://example.zoom.us/rec/play/1', download_url: 'https://example.zoom.us/rec/download/1' }],
        },
      },
    };
    expect(parse(recording)).toEqual({ kind: 'recording', meetingId: '85746065432', recordingUrl: 'https://example.zoom.us/rec/share/AbC-123?pwd=Xy12EncodedPass' });
    const { recording_play_passcode: _, ...withoutPasscode } = recording.payload.object;
    expect(parse({ ...recording, payload: { object: withoutPasscode } })).toMatchObject({ recordingUrl: 'https://example.zoom.us/rec/share/AbC-123' });
  });

  it('other events are ignored, named', () => {
    expect(parse({ event: 'meeting.participant_joined', event_ts: 1, payload: { object: { id: 1 } } })).toEqual({ kind: 'ignored', event: 'meeting.participant_joined' });
  });

  it('bad JSON or a known event without what it needs is invalid, with a reason', () => {
    for (const bad of ['', 'not json', '[]', '{"event":1}', '{"payload":{}}']) expect(parse(bad), bad).toMatchObject({ kind: 'invalid', reason: expect.any(String) });
    expect(parse({ event: 'endpoint.url_validation', payload: {} })).toMatchObject({ kind: 'invalid' });
    expect(parse({ event: 'meeting.started', event_ts: 1, payload: { object: {} } })).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/id/) });
    expect(parse({ event: 'meeting.started', event_ts: 1, payload: { object: { id: 'abc', start_time: '2031-05-06T10:02:00Z' } } })).toMatchObject({ kind: 'invalid' });
    expect(parse({ event: 'meeting.started', payload: { object: { id: 1, start_time: 'yesterday' } } })).toMatchObject({ kind: 'invalid' });
    expect(parse({ event: 'recording.completed', event_ts: 1, payload: { object: { id: 1, share_url: 'javascript:alert(1)' } } })).toMatchObject({ kind: 'invalid' });
    expect(parse({ event: 'recording.completed', event_ts: 1, payload: { object: { id: 1 } } })).toMatchObject({ kind: 'invalid' });
  });
});
