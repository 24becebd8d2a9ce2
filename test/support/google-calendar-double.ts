/**
 * A local Google OAuth 2.0 + Calendar API v3 double, as documented: the service-account token
 * endpoint (POST /token, grant_type jwt-bearer: the RS256 assertion is verified with the service
 * account's public key, its iss / sub / scope / aud / exp checked) and a calendar's events
 * (POST /calendar/v3/calendars/{id}/events with conferenceDataVersion=1, GET / PATCH / DELETE
 * /calendar/v3/calendars/{id}/events/{eventId}). A client-chosen id that exists (a deleted event
 * included) answers 409 as Google does; a deleted event answers 410 to DELETE.
 */
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { bearerOf, startProviderDouble, type Answer, type ProviderDouble, type RecordedRequest } from './provider-double.js';

export const CALENDAR_EVENTS_SCOPE = 'https://www.googleapis.com/auth/calendar.events';

export interface CalendarEvent {
  id: string;
  /** The owner of the calendar (the impersonated user). */
  owner: string;
  calendarId: string;
  status: 'confirmed' | 'cancelled';
  summary: string;
  description?: string;
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  /** The conference as Google answers it; pending until read `pendingReads` times. */
  conference: { requestId: string; code: string; pin: string; pendingReads: number } | null;
}

export interface TokenGrant {
  subject: string | undefined;
  scope: string;
}

export interface GoogleCalendarDouble extends ProviderDouble {
  clientEmail: string;
  privateKey: string;
  tokenUrl: string;
  calendarApiUrl: string;
  /** The Workspace users the service account may impersonate (domain-wide delegation). */
  users: Set<string>;
  events: Map<string, CalendarEvent>;
  grants: TokenGrant[];
  tokenLifetimeSeconds: number;
  /** How many reads a new conference stays `pending` (0: made at once). */
  conferencePendingReads: number;
  /** Whether conferences get a phone entry point. */
  phoneEntryPoints: boolean;
  revokeTokens(): void;
  apiCalls(): RecordedRequest[];
  /** GOOGLE_SERVICE_ACCOUNT_JSON (a key file as Google issues it) and the URLs that point a server here. */
  settings(extra?: Record<string, string>): Record<string, string>;
}

const googleError = (code: number, reason: string, message: string): Answer => ({ status: code, body: { error: { errors: [{ domain: 'global', reason, message }], code, message } } });

export async function startGoogleCalendarDouble(options: { users?: string[] } = {}): Promise<GoogleCalendarDouble> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const verifyKey = await importSPKI(publicKey, 'RS256');
  const clientEmail = 'serenity-meet@serenity-test.iam.gserviceaccount.com';
  const users = new Set((options.users ?? ['sarah.chen@workspace.test']).map((u) => u.toLowerCase()));
  const tokens = new Map<string, string | undefined>();
  const events = new Map<string, CalendarEvent>();
  const key = (owner: string, eventId: string) => `${owner}/${eventId}`;

  const toJson = (e: CalendarEvent) => {
    const conference = e.conference;
    const pending = conference !== null && conference.pendingReads > 0;
    if (conference && pending) conference.pendingReads--;
    return {
      kind: 'calendar#event',
      etag: `"${randomBytes(6).toString('hex')}"`,
      id: e.id,
      status: e.status,
      htmlLink: `https://www.google.com/calendar/event?eid=${e.id}`,
      summary: e.summary,
      description: e.description,
      start: e.start,
      end: e.end,
      organizer: { email: e.owner, self: true },
      creator: { email: e.owner, self: true },
      ...(conference && !pending ? { hangoutLink: `https://meet.google.com/${conference.code}` } : {}),
      ...(conference
        ? {
            conferenceData: pending
              ? { createRequest: { requestId: conference.requestId, conferenceSolutionKey: { type: 'hangoutsMeet' }, status: { statusCode: 'pending' } } }
              : {
                  createRequest: { requestId: conference.requestId, conferenceSolutionKey: { type: 'hangoutsMeet' }, status: { statusCode: 'success' } },
                  entryPoints: [
                    { entryPointType: 'video', uri: `https://meet.google.com/${conference.code}`, label: `meet.google.com/${conference.code}` },
                    ...(double.phoneEntryPoints
                      ? [
                          { entryPointType: 'phone', uri: 'tel:+1-402-555-0123', label: '+1 402-555-0123', pin: conference.pin, regionCode: 'US' },
                          { entryPointType: 'more', uri: `https://tel.meet/${conference.code}?pin=${conference.pin}`, pin: conference.pin },
                        ]
                      : []),
                  ],
                  conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
                  conferenceId: conference.code,
                },
          }
        : {}),
    };
  };

  const token = async (request: RecordedRequest): Promise<Answer> => {
    const form = request.body as Record<string, string>;
    if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + form.grant_type } };
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(form.assertion ?? '', verifyKey, { algorithms: ['RS256'], issuer: clientEmail, audience: double.tokenUrl }));
    } catch {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
    }
    const subject = typeof claims.sub === 'string' ? claims.sub.toLowerCase() : undefined;
    if (claims.scope !== CALENDAR_EVENTS_SCOPE || (subject !== undefined && !users.has(subject))) {
      return { status: 401, body: { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' } };
    }
    double.grants.push({ subject, scope: claims.scope });
    const issued = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.set(issued, subject);
    return { status: 200, body: { access_token: issued, expires_in: double.tokenLifetimeSeconds, token_type: 'Bearer' } };
  };

  const api = (request: RecordedRequest): Answer => {
    const presented = bearerOf(request);
    if (!presented || !tokens.has(presented)) return googleError(401, 'authError', 'Invalid Credentials');
    const subject = tokens.get(presented);
    const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(request.path);
    if (!match || !subject) return googleError(404, 'notFound', 'Not Found');
    const calendarId = match[1]!;
    const owner = calendarId === 'primary' ? subject : calendarId.toLowerCase();
    if (owner !== subject) return googleError(404, 'notFound', 'Not Found');
    const eventId = match[2];
    if (request.method === 'POST' && !eventId) {
      const body = request.body as Record<string, any>;
      const id = String(body.id ?? randomBytes(13).toString('hex'));
      if (!/^[a-v0-9]{5,1024}$/.test(id)) return googleError(400, 'invalid', 'Invalid resource id value.');
      if (events.has(key(owner, id))) return googleError(409, 'duplicate', 'The requested identifier already exists.');
      const createRequest = request.query.get('conferenceDataVersion') === '1' ? body.conferenceData?.createRequest : undefined;
      const code = () => Array.from({ length: 3 }, (_, i) => Array.from({ length: i === 1 ? 4 : 3 }, () => String.fromCharCode(97 + randomInt(26))).join('')).join('-');
      const event: CalendarEvent = {
        id,
        owner,
        calendarId,
        status: 'confirmed',
        summary: body.summary ?? '',
        description: body.description,
        start: body.start,
        end: body.end,
        conference: createRequest?.conferenceSolutionKey?.type === 'hangoutsMeet' ? { requestId: createRequest.requestId, code: code(), pin: String(randomInt(10 ** 8, 10 ** 9)), pendingReads: double.conferencePendingReads } : null,
      };
      events.set(key(owner, id), event);
      return { status: 200, body: toJson(event) };
    }
    const event = eventId ? events.get(key(owner, eventId)) : undefined;
    if (!event) return googleError(404, 'notFound', 'Not Found');
    if (request.method === 'GET') return { status: 200, body: toJson(event) };
    if (request.method === 'PATCH') {
      const body = request.body as Record<string, any>;
      for (const field of ['summary', 'description', 'start', 'end', 'status'] as const) if (body[field] !== undefined) (event as any)[field] = body[field];
      return { status: 200, body: toJson(event) };
    }
    if (request.method === 'DELETE') {
      if (event.status === 'cancelled') return googleError(410, 'deleted', 'Resource has been deleted');
      event.status = 'cancelled';
      return { status: 204 };
    }
    return googleError(405, 'notAllowed', 'Method not allowed');
  };

  const base = await startProviderDouble((request) => (request.path === '/token' ? token(request) : api(request)));
  const double: GoogleCalendarDouble = {
    ...base,
    clientEmail,
    privateKey,
    tokenUrl: `${base.url}/token`,
    calendarApiUrl: `${base.url}/calendar/v3`,
    users,
    events,
    grants: [],
    tokenLifetimeSeconds: 3599,
    conferencePendingReads: 0,
    phoneEntryPoints: true,
    revokeTokens: () => tokens.clear(),
    apiCalls: () => base.requests.filter((r) => r.path.startsWith('/calendar/v3/')),
    settings: (extra = {}) => ({
      GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({
        type: 'service_account',
        project_id: 'serenity-test',
        private_key_id: randomBytes(20).toString('hex'),
        private_key: privateKey,
        client_email: clientEmail,
        client_id: '100000000000000000001',
        token_uri: `${base.url}/token`,
      }),
      GOOGLE_CALENDAR_API_URL: `${base.url}/calendar/v3`,
      ...extra,
    }),
  };
  return double;
}
