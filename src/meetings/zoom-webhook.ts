import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Zoom's webhook rules ("Verify webhook events", "Validate your webhook endpoint"): the
 * signature, the timestamp window, the URL-validation answer, and what an event means for a
 * meeting row. Pure; zoom-webhook.route.ts does the HTTP and the SQL.
 */

/** How far x-zm-request-timestamp may be from now, either way: a captured delivery cannot be replayed later. */
export const ZOOM_TIMESTAMP_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const hmacHex = (secret: string, message: string | Buffer) => createHmac('sha256', secret).update(message).digest('hex');

/**
 * x-zm-signature must be "v0=" + hex HMAC-SHA256(secret token, "v0:{timestamp}:{raw body}"),
 * compared in constant time; the timestamp (whole seconds) within the tolerance of `now`.
 */
export function checkZoomSignature(input: { secret: string; signature: string | undefined; timestamp: string | undefined; body: Buffer; now: Date; toleranceSeconds?: number }): SignatureCheck {
  const { secret, signature, timestamp, body, now } = input;
  const tolerance = input.toleranceSeconds ?? ZOOM_TIMESTAMP_TOLERANCE_SECONDS;
  if (!signature) return { ok: false, reason: 'Missing x-zm-signature header.' };
  if (!timestamp) return { ok: false, reason: 'Missing x-zm-request-timestamp header.' };
  // Whole seconds only: the signed text is the header as sent, so "1.7e9" must not pass as a time.
  if (!/^[0-9]{1,12}$/.test(timestamp)) return { ok: false, reason: 'The x-zm-request-timestamp header is not a time in whole seconds.' };
  const skew = Number(timestamp) - now.getTime() / 1000;
  if (skew < -tolerance) return { ok: false, reason: `The x-zm-request-timestamp is more than ${tolerance} seconds old.` };
  if (skew > tolerance) return { ok: false, reason: `The x-zm-request-timestamp is more than ${tolerance} seconds in the future.` };
  const expected = Buffer.from(`v0=${hmacHex(secret, Buffer.concat([Buffer.from(`v0:${timestamp}:`), body]))}`);
  const given = Buffer.from(signature);
  // timingSafeEqual throws on a length mismatch; the length of a forgery tells nothing secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'The x-zm-signature does not match the body.' };
  return { ok: true };
}

/** The answer Zoom expects to endpoint.url_validation. */
export function answerUrlValidation(secret: string, plainToken: string): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: hmacHex(secret, plainToken) };
}

export type ZoomEvent =
  | { kind: 'url_validation'; plainToken: string }
  | { kind: 'started'; meetingId: string; at: Date }
  | { kind: 'ended'; meetingId: string; at: Date }
  | { kind: 'recording'; meetingId: string; recordingUrl: string }
  | { kind: 'ignored'; event: string }
  | { kind: 'invalid'; reason: string };

const envelope = z.object({ event: z.string().min(1), event_ts: z.number().optional(), payload: z.record(z.string(), z.unknown()) });
// Zoom's meeting id (the meeting number) comes as a string in some events and a number in others.
const meetingId = z.union([z.string().regex(/^[0-9]{1,20}$/), z.number().int().positive().refine(Number.isSafeInteger)]).transform(String);
const isoTime = z.iso.datetime({ offset: true });
const meetingObject = z.object({ id: meetingId, start_time: isoTime.optional(), end_time: isoTime.optional() });
const recordingObject = z.object({
  id: meetingId,
  share_url: z.url({ protocol: /^https$/ }),
  recording_play_passcode: z.string().min(1).optional(),
});
const validationPayload = z.object({ plainToken: z.string().min(1).max(1000) });

function problem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'body'}: ${issue.message}`;
}

/** What a (verified) delivery asks: bad JSON, or a known event without what it needs, is `invalid`. */
export function parseZoomEvent(body: Buffer): ZoomEvent {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { kind: 'invalid', reason: 'The body is not JSON.' };
  }
  const outer = envelope.safeParse(json);
  if (!outer.success) return { kind: 'invalid', reason: `Not a Zoom event (${problem(outer.error)}).` };
  const { event, event_ts: eventTs, payload } = outer.data;
  const object = (payload as { object?: unknown }).object;
  switch (event) {
    case 'endpoint.url_validation': {
      const parsed = validationPayload.safeParse(payload);
      return parsed.success ? { kind: 'url_validation', plainToken: parsed.data.plainToken } : { kind: 'invalid', reason: `payload.${problem(parsed.error)}` };
    }
    case 'meeting.started':
    case 'meeting.ended': {
      const parsed = meetingObject.safeParse(object);
      if (!parsed.success) return { kind: 'invalid', reason: `payload.object.${problem(parsed.error)}` };
      // The actual time is start_time / end_time; without it, when Zoom says the event happened.
      const time = event === 'meeting.started' ? parsed.data.start_time : parsed.data.end_time;
      const at = time ? new Date(time) : eventTs !== undefined ? new Date(eventTs) : null;
      if (!at || Number.isNaN(at.getTime())) return { kind: 'invalid', reason: `${event} carries neither ${event === 'meeting.started' ? 'start_time' : 'end_time'} nor event_ts.` };
      return { kind: event === 'meeting.started' ? 'started' : 'ended', meetingId: parsed.data.id, at };
    }
    case 'recording.completed': {
      const parsed = recordingObject.safeParse(object);
      if (!parsed.success) return { kind: 'invalid', reason: `payload.object.${problem(parsed.error)}` };
      // Zoom documents recording_play_passcode as the one to put in share_url as ?pwd=: one link then opens the recording.
      const url = new URL(parsed.data.share_url);
      if (parsed.data.recording_play_passcode) url.searchParams.set('pwd', parsed.data.recording_play_passcode);
      return { kind: 'recording', meetingId: parsed.data.id, recordingUrl: url.toString() };
    }
    default:
      return { kind: 'ignored', event };
  }
}
