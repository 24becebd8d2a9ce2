/**
 * Google Meet through the Calendar API, as a service account with domain-wide delegation for the
 * calendar.events scope: an event in the impersonated user's calendar with a Meet conference.
 * The event id is chosen from the consultation id, so a repeated insert gets 409 and the event is
 * read instead: no duplicate, and no `find` needed.
 */
import { createHash } from 'node:crypto';
import { importPKCS8, SignJWT, type CryptoKey } from 'jose';
import type { GoogleMeetSettings } from '../config.js';
import { callJson, excerpt, ProviderCallError, scrub, TokenCache, withToken, type HttpAnswer, type ProviderHttpOptions } from './provider-http.js';
import type { MeetingFacts, MeetingPlace, MeetingProvider } from './providers.js';

const SCOPE = 'https://www.googleapis.com/auth/calendar.events';

interface EntryPoint {
  entryPointType?: string;
  uri?: string;
  label?: string;
  pin?: string;
}
interface CalendarEvent {
  id: string;
  status?: string;
  summary?: string;
  start?: { dateTime?: string };
  end?: { dateTime?: string };
  hangoutLink?: string;
  conferenceData?: { createRequest?: { status?: { statusCode?: string } }; entryPoints?: EntryPoint[] };
}

/** A Calendar event id: base32hex characters (0-9, a-v), 5 to 1024 of them; a uuid's hex digits are. */
export function eventIdFor(consultationId: string): string {
  const hex = consultationId.toLowerCase().replaceAll('-', '');
  return /^[0-9a-v]{5,1024}$/.test(hex) ? hex : createHash('sha256').update(consultationId).digest('hex');
}

/** "{user}/{calendar}/{event}": the user and calendar it was made in, so update and delete need no settings that may have changed. */
function parseExternalId(externalId: string): { subject: string; calendarId: string; eventId: string } {
  const first = externalId.indexOf('/');
  const last = externalId.lastIndexOf('/');
  if (first <= 0 || last <= first + 1) throw new Error(`Google Meet: "${externalId}" is not an event this provider made (user/calendar/event)`);
  return { subject: externalId.slice(0, first), calendarId: externalId.slice(first + 1, last), eventId: externalId.slice(last + 1) };
}

function place(externalId: string, event: CalendarEvent): MeetingPlace {
  const conference = event.conferenceData;
  const statusCode = conference?.createRequest?.status?.statusCode;
  if (statusCode === 'pending') throw new Error('Google Meet: the conference is still being made (pending); the event exists and the next attempt reads it');
  if (statusCode === 'failure') throw new Error('Google Meet: Google could not make the Meet conference (createRequest failure); is Meet enabled for the user?');
  const points = conference?.entryPoints ?? [];
  const joinUrl = points.find((p) => p.entryPointType === 'video')?.uri ?? event.hangoutLink ?? null;
  if (!joinUrl) throw new Error('Google Meet: the event has no Meet conference yet; the next attempt reads it again');
  const phone = points.find((p) => p.entryPointType === 'phone');
  const number = phone ? (phone.label ?? phone.uri?.replace(/^tel:/, '') ?? null) : null;
  return {
    externalId,
    joinUrl,
    // The calendar's owner is the host when they join signed in.
    hostUrl: joinUrl,
    passcode: phone?.pin ?? null,
    dialIn: number ? (phone?.pin ? `${number}, PIN ${phone.pin}#` : number) : null,
  };
}

const sameAs = (event: CalendarEvent, facts: MeetingFacts) =>
  event.status !== 'cancelled' &&
  event.summary === facts.title &&
  event.start?.dateTime != null &&
  event.end?.dateTime != null &&
  Date.parse(event.start.dateTime) === facts.start.getTime() &&
  Date.parse(event.end.dateTime) === facts.end.getTime();

export function googleMeetProvider(settings: GoogleMeetSettings, options: ProviderHttpOptions): MeetingProvider {
  const now = options.now ?? (() => new Date());
  const secrets = [settings.privateKey];
  let signingKey: Promise<CryptoKey> | undefined;
  const key = () => (signingKey ??= importPKCS8(settings.privateKey, 'RS256'));

  const fail = (what: string, answer: HttpAnswer): ProviderCallError => {
    const error = (answer.body as { error?: { message?: string; errors?: Array<{ reason?: string }> } } | null)?.error;
    const words = error && typeof error === 'object' ? `${error.errors?.[0]?.reason ?? 'error'}: ${error.message ?? ''}` : excerpt(answer.body);
    return new ProviderCallError(scrub(`Google Meet: ${what} answered ${answer.status} (${words})`, secrets), answer.status);
  };

  // The key '' is the service account itself (checkCredentials without an impersonated user).
  const tokens = new TokenCache(async (subject) => {
    const issuedAt = Math.floor(now().getTime() / 1000);
    const jwt = new SignJWT({ scope: SCOPE }).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).setIssuer(settings.clientEmail).setAudience(settings.tokenUrl).setIssuedAt(issuedAt).setExpirationTime(issuedAt + 3600);
    if (subject) jwt.setSubject(subject);
    let assertion: string;
    try {
      assertion = await jwt.sign(await key());
    } catch (error) {
      throw new Error(`Google Meet: the private_key of GOOGLE_SERVICE_ACCOUNT_JSON cannot sign (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    const answer = await callJson(options, 'Google Meet: token request', settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    });
    const body = answer.body as { access_token?: string; expires_in?: number; error?: string; error_description?: string } | null;
    if (answer.status !== 200 || typeof body?.access_token !== 'string') {
      const words = typeof body?.error === 'string' ? `${body.error}: ${body.error_description ?? ''}` : excerpt(answer.body);
      const who = subject ? ` acting as ${subject}` : '';
      throw new ProviderCallError(
        scrub(`Google Meet: Google refused the service account's token request${who} with ${answer.status} (${words}); check GOOGLE_SERVICE_ACCOUNT_JSON and its domain-wide delegation for ${SCOPE}`, secrets),
        answer.status,
      );
    }
    return { token: body.access_token, expiresInSeconds: Number(body.expires_in) || 3599 };
  }, now);

  const calendar = async (subject: string, what: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> => {
    const answer = await withToken(tokens, subject, (token) =>
      callJson(options, `Google Meet: ${what}`, `${settings.calendarApiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    if (answer.status === 401) throw new ProviderCallError(`${fail(what, answer).message}: Google rejected the service account's credentials twice (GOOGLE_SERVICE_ACCOUNT_JSON)`, 401);
    return answer;
  };
  const eventPath = (calendarId: string, eventId?: string) => `/calendars/${encodeURIComponent(calendarId)}/events${eventId ? `/${encodeURIComponent(eventId)}` : ''}`;
  const times = (facts: MeetingFacts) => ({
    summary: facts.title,
    start: { dateTime: facts.start.toISOString(), timeZone: facts.timeZone },
    end: { dateTime: facts.end.toISOString(), timeZone: facts.timeZone },
  });
  const patch = (subject: string, calendarId: string, eventId: string, body: unknown) =>
    calendar(subject, 'update event', 'PATCH', `${eventPath(calendarId, eventId)}?conferenceDataVersion=1&sendUpdates=none`, body);

  const create = async (facts: MeetingFacts): Promise<MeetingPlace> => {
    const subject = settings.impersonate ?? facts.consultantEmail;
    const { calendarId } = settings;
    const eventId = eventIdFor(facts.consultationId);
    const externalId = `${subject}/${calendarId}/${eventId}`;
    const inserted = await calendar(subject, 'create event', 'POST', `${eventPath(calendarId)}?conferenceDataVersion=1&sendUpdates=none`, {
      id: eventId,
      ...times(facts),
      description: `Serenity consultation ${facts.consultationId} with ${facts.consultantName}`,
      conferenceData: { createRequest: { requestId: facts.consultationId, conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
    if (inserted.status === 200) return place(externalId, inserted.body as CalendarEvent);
    if (inserted.status !== 409) throw fail('create event', inserted);
    // An earlier attempt made it (its answer lost, or its conference still pending): read it.
    const read = await calendar(subject, 'read event', 'GET', `${eventPath(calendarId, eventId)}?conferenceDataVersion=1`);
    if (read.status !== 200) throw fail('read event', read);
    const event = read.body as CalendarEvent;
    if (sameAs(event, facts)) return place(externalId, event);
    // Moved since, or deleted (a deleted event keeps its id): bring it back to this booking.
    const moved = await patch(subject, calendarId, eventId, { ...times(facts), status: 'confirmed' });
    if (moved.status !== 200) throw fail('update event', moved);
    return place(externalId, moved.body as CalendarEvent);
  };

  return {
    create,
    async update(externalId, facts) {
      const { subject, calendarId, eventId } = parseExternalId(externalId);
      const answer = await patch(subject, calendarId, eventId, times(facts));
      // Gone from the calendar: make it again (the same id: 409 → read → restored).
      if (answer.status === 404 || answer.status === 410) return create(facts);
      if (answer.status !== 200) throw fail('update event', answer);
      return place(externalId, answer.body as CalendarEvent);
    },
    async delete(externalId) {
      const { subject, calendarId, eventId } = parseExternalId(externalId);
      const answer = await calendar(subject, 'delete event', 'DELETE', `${eventPath(calendarId, eventId)}?sendUpdates=none`);
      if (answer.status === 404 || answer.status === 410 || (answer.status >= 200 && answer.status < 300)) return;
      throw fail('delete event', answer);
    },
    async checkCredentials() {
      await tokens.fresh(settings.impersonate ?? '');
    },
  };
}
