import type { ZoomSettings } from '../config.js';
import { TokenCache } from './provider-http.js';
import type { MeetingFacts, MeetingPlace, MeetingProvider } from './providers.js';

/** Zoom's codes for "no such user in this account" and "no such meeting". */
const UNKNOWN_USER = 1001;
const UNKNOWN_MEETING = 3001;
const CREDENTIALS = 'ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET';
/** The one account token's key in the cache. */
const ZOOM_TOKEN = 'account';
/** The granular scopes the calls need; an older app's classic scopes (the values) cover them too. */
const NEEDED_SCOPES: Record<string, readonly string[]> = {
  'meeting:write:meeting:admin': ['meeting:write:admin', 'meeting:master'],
  'meeting:read:meeting:admin': ['meeting:read:admin', 'meeting:write:admin', 'meeting:master'],
  'meeting:read:list_meetings:admin': ['meeting:read:admin', 'meeting:write:admin', 'meeting:master'],
  'meeting:update:meeting:admin': ['meeting:write:admin', 'meeting:master'],
  'meeting:delete:meeting:admin': ['meeting:write:admin', 'meeting:master'],
};

/** The needed scopes a token's `scope` lacks (none when Zoom did not say). */
export function missingScopes(granted: string | undefined): string[] {
  if (!granted?.trim()) return [];
  const has = new Set(granted.split(/[\s,]+/));
  return Object.entries(NEEDED_SCOPES)
    .filter(([scope, classic]) => !has.has(scope) && !classic.some((c) => has.has(c)))
    .map(([scope]) => scope);
}

/** A call Zoom refused or could not answer: its HTTP status, Zoom's code and message (never the secret or a token). */
export class ZoomError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: number | string | null,
  ) {
    super(message);
    this.name = 'ZoomError';
  }
}

export interface ZoomProviderOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

interface ZoomMeeting {
  id: number;
  agenda?: string;
  join_url?: string;
  start_url?: string;
  password?: string;
  pstn_password?: string;
  settings?: { global_dial_in_numbers?: Array<{ number?: string; city?: string; country?: string; country_name?: string }> };
}

/** Zoom's JSON answer; a body that is not JSON (a proxy's page) becomes its first words as the message. */
function parseBody(text: string): { code?: number; message?: string } {
  if (!text) return {};
  try {
    return JSON.parse(text) as { code?: number; message?: string };
  } catch {
    return { message: text.slice(0, 200) };
  }
}

/** The marker the agenda carries, so a create whose answer was lost can be found again. */
const markerOf = (consultationId: string) => `[serenity:${consultationId}]`;

/**
 * Zoom meetings through a Server-to-Server OAuth app. The meeting belongs to the consultant's
 * Zoom user (their sign-in email), else to ZOOM_HOST_USER. The token is kept until 5 minutes
 * before it expires and shared by concurrent calls; a 401 fetches one new token and retries
 * once (Zoom invalidates a token when another is requested elsewhere).
 */
export function zoomProvider(settings: ZoomSettings, options: ZoomProviderOptions): MeetingProvider {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  // Zoom's tokens last an hour: the cache fetches one again 5 minutes before it runs out. The
  // last grant's scopes are kept for checkCredentials.
  let grantedScope: string | undefined;
  const tokens = new TokenCache(async () => {
    const granted = await grant();
    grantedScope = granted.scope;
    return { token: granted.token, expiresInSeconds: granted.expiresInS };
  }, now);

  /** A request and its body within the timeout; a timeout or a network failure becomes a ZoomError naming what was asked. */
  async function send(what: string, url: string, init: RequestInit): Promise<{ status: number; ok: boolean; text: string }> {
    try {
      const response = await doFetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
      return { status: response.status, ok: response.ok, text: await response.text() };
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new ZoomError(`Zoom ${what} timed out after ${options.timeoutMs} ms`, null, null);
      throw new ZoomError(`Zoom ${what} failed: ${(error as Error | undefined)?.message ?? String(error)}`, null, null);
    }
  }

  async function grant(): Promise<{ token: string; expiresInS: number; scope?: string }> {
    const url = `${settings.oauthUrl}?${new URLSearchParams({ grant_type: 'account_credentials', account_id: settings.accountId })}`;
    const basic = Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64');
    const response = await send('token request', url, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
    const body = parseBody(response.text) as { access_token?: string; expires_in?: number; scope?: string; reason?: string; error?: string };
    if (!response.ok || !body.access_token) {
      const why = [body.reason, body.error && `(${body.error})`].filter(Boolean).join(' ') || `HTTP ${response.status}`;
      throw new ZoomError(`Zoom refused the platform's credentials: ${why}; check ${CREDENTIALS}`, response.status, body.error ?? null);
    }
    return { token: body.access_token, expiresInS: Number(body.expires_in ?? 3600), scope: body.scope };
  }

  /** An API call; a 401 drops the token and retries once with a new one. Answers the parsed body (undefined for 204). */
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const what = `${method} ${path.split('?')[0]}`;
    for (let attempt = 1; ; attempt++) {
      const used = await tokens.get(ZOOM_TOKEN);
      const response = await send(what, `${settings.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${used}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const parsed = parseBody(response.text);
      if (response.ok) return parsed as T;
      if (response.status === 401) {
        // Another token granted meanwhile (another instance) invalidates ours: one new one, once.
        tokens.drop(ZOOM_TOKEN, used);
        if (attempt === 1) continue;
        const zoomSays = `code ${parsed.code ?? '?'} ${parsed.message ?? ''}`.trim();
        throw new ZoomError(`Zoom rejected the platform's credentials (${what}: 401, ${zoomSays}) after a new token; check ${CREDENTIALS} and the app's scopes`, 401, parsed.code ?? null);
      }
      throw new ZoomError(`Zoom ${what} answered ${response.status}: code ${parsed.code ?? '?'} ${parsed.message ?? ''}`.trim(), response.status, parsed.code ?? null);
    }
  }

  const isCode = (error: unknown, code: number) => error instanceof ZoomError && error.code === code;
  // '@' may stand in a path segment, and is how Zoom's own examples write an email userId.
  const user = (email: string) => `/users/${encodeURIComponent(email).replace(/%40/g, '@')}/meetings`;

  const placeOf = (m: ZoomMeeting): MeetingPlace => {
    const dial = m.settings?.global_dial_in_numbers?.find((d) => d.number);
    const where = dial ? [dial.city, dial.country_name ?? dial.country].filter(Boolean).join(', ') : '';
    return {
      externalId: String(m.id),
      joinUrl: m.join_url ?? null,
      hostUrl: m.start_url ?? null,
      passcode: m.password || null,
      // "number (city, country), meeting ID …, passcode …": a caller needs all three.
      dialIn: dial ? `${dial.number}${where ? ` (${where})` : ''}, meeting ID ${m.id}${m.pstn_password ? `, passcode ${m.pstn_password}` : ''}` : null,
    };
  };

  const minutes = (facts: MeetingFacts) => Math.max(1, Math.round((facts.end.getTime() - facts.start.getTime()) / 60_000));
  // Zoom wants yyyy-MM-ddTHH:mm:ssZ: no milliseconds.
  const utc = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const times = (facts: MeetingFacts) => ({ start_time: utc(facts.start), duration: minutes(facts), timezone: facts.timeZone, topic: facts.title.slice(0, 200) });

  async function createFor(host: string, facts: MeetingFacts): Promise<MeetingPlace> {
    const made = await call<ZoomMeeting>('POST', user(host), {
      type: 2,
      ...times(facts),
      agenda: `${markerOf(facts.consultationId)} Consultation with ${facts.consultantName} on Serenity.`,
      settings: {
        waiting_room: settings.waitingRoom,
        auto_recording: settings.autoRecording,
        join_before_host: false,
        // Zoom makes the passcode, by the account's own passcode rules.
        default_password: true,
      },
    });
    return placeOf(made);
  }

  /** The consultant's Zoom user, then ZOOM_HOST_USER when Zoom knows no user by that email. */
  async function asHost<T>(facts: MeetingFacts, run: (host: string) => Promise<T>): Promise<T> {
    try {
      return await run(facts.consultantEmail);
    } catch (error) {
      if (!isCode(error, UNKNOWN_USER)) throw error;
      if (!settings.fallbackHost || settings.fallbackHost === facts.consultantEmail) {
        throw new ZoomError(`${facts.consultantEmail} is not a Zoom user of the account and ZOOM_HOST_USER is not set: set it to the Zoom user who hosts for such consultants`, 404, UNKNOWN_USER);
      }
      return run(settings.fallbackHost);
    }
  }

  async function findFor(host: string, marker: string): Promise<number | null> {
    let pageToken = '';
    do {
      const query = new URLSearchParams({ type: 'scheduled', page_size: '300', ...(pageToken ? { next_page_token: pageToken } : {}) });
      const page = await call<{ meetings?: ZoomMeeting[]; next_page_token?: string }>('GET', `${user(host)}?${query}`);
      const hit = page.meetings?.find((m) => m.agenda?.includes(marker));
      if (hit) return hit.id;
      pageToken = page.next_page_token ?? '';
    } while (pageToken);
    return null;
  }

  const getPlace = async (id: string | number) => placeOf(await call<ZoomMeeting>('GET', `/meetings/${encodeURIComponent(String(id))}`));

  return {
    create: (facts) => asHost(facts, (host) => createFor(host, facts)),

    async find(facts) {
      const marker = markerOf(facts.consultationId);
      const id = await asHost(facts, async (host) => {
        const found = await findFor(host, marker);
        // Made for the fallback host while the consultant was no Zoom user yet.
        if (found === null && settings.fallbackHost && host !== settings.fallbackHost) return findFor(settings.fallbackHost, marker).catch(() => null);
        return found;
      });
      return id === null ? null : getPlace(id);
    },

    async update(externalId, facts) {
      try {
        await call('PATCH', `/meetings/${encodeURIComponent(externalId)}`, times(facts));
        return await getPlace(externalId);
      } catch (error) {
        // Deleted at Zoom (by the host, say): the session still needs a place.
        if (isCode(error, UNKNOWN_MEETING)) return asHost(facts, (host) => createFor(host, facts));
        throw error;
      }
    },

    async delete(externalId) {
      try {
        await call('DELETE', `/meetings/${encodeURIComponent(externalId)}`);
      } catch (error) {
        if (!isCode(error, UNKNOWN_MEETING)) throw error;
      }
    },

    // A fresh grant, not the cache: a revoked app or a changed secret shows at once. Kept as the
    // cached token, since Zoom may invalidate the previous one.
    async checkCredentials() {
      await tokens.fresh(ZOOM_TOKEN);
      const missing = missingScopes(grantedScope);
      if (missing.length) throw new ZoomError(`the Zoom app lacks the scopes ${missing.join(', ')}: add them to the Server-to-Server OAuth app in the Zoom Marketplace`, null, 'scopes');
    },
  };
}
