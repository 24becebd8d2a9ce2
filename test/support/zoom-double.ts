/**
 * A local stand-in for Zoom's documented endpoints (API v2 and Server-to-Server OAuth), on a
 * node:http server on port 0: POST /oauth/token?grant_type=account_credentials&account_id=…
 * (Basic client_id:client_secret) → { access_token, token_type, expires_in, scope };
 * POST /v2/users/{user}/meetings, GET /v2/users/{user}/meetings (paged by next_page_token),
 * GET/PATCH/DELETE /v2/meetings/{id}. Errors are Zoom's { code, message } (124 invalid token,
 * 1001 unknown user, 3001 unknown meeting); the token endpoint's are { reason, error }.
 * Meetings live in memory; every request is recorded. For the provider's tests, the job's
 * and the e2e (and the webhook's, which needs Zoom's numeric meeting ids).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZoomSettings } from '../../src/config.js';

export interface ZoomRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
}

export interface ZoomMeeting {
  id: number;
  uuid: string;
  host_id: string;
  host_email: string;
  topic: string;
  type: number;
  start_time: string;
  duration: number;
  timezone: string;
  agenda: string;
  password: string;
  pstn_password: string;
  join_url: string;
  start_url: string;
  created_at: string;
  settings: Record<string, unknown> & { global_dial_in_numbers: Array<{ country: string; country_name: string; city: string; number: string; type: string }> };
}

export interface ZoomDouble {
  /** The base of both: apiUrl is `${url}/v2`, oauthUrl `${url}/oauth/token`. */
  url: string;
  apiUrl: string;
  oauthUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** ZoomSettings pointed at the double (the provider's tests). */
  settings(overrides?: Partial<ZoomSettings>): ZoomSettings;
  /** ZOOM_* settings pointed at the double (a server's env). */
  env(overrides?: Record<string, string>): Record<string, string>;
  requests: ZoomRequest[];
  /** API calls only (token requests left out). */
  apiRequests(): ZoomRequest[];
  /** Tokens granted so far. */
  tokenGrants: number;
  meetings: Map<number, ZoomMeeting>;
  /** Emails (or ids) Zoom knows no user by: creating or listing for them answers 404, code 1001. */
  unknownUsers: Set<string>;
  /** expires_in of the tokens granted next (Zoom's: 3600). */
  tokenLifetimeSeconds: number;
  /** The next `n` API calls answer 401 (code 124) whatever their token. */
  rejectNext(n: number): void;
  /** Every token granted so far stops working (401, code 124). */
  expireTokens(): void;
  /** The next API call matching `method` is carried out (a meeting made is kept), then its answer held `ms` (a lost answer). */
  delayNextAnswer(method: string, ms: number): void;
  /** The next `n` API calls answer `status` with Zoom's { code, message } and do nothing. */
  failNext(n: number, status?: number, message?: string): void;
  /** Each token request waits this long before answering (concurrent callers overlap). */
  tokenDelayMs: number;
  /** The `scope` tokens are granted with (space-separated, as Zoom answers it). */
  scopes: string;
  stop(): Promise<void>;
}

const send = (res: http.ServerResponse, status: number, body?: unknown) => {
  if (res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const parse = (text: string): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startZoomDouble(options: { pageSize?: number } = {}): Promise<ZoomDouble> {
  const tokens = new Map<string, number>();
  let nextMeetingId = 85_000_000_000;
  let rejects = 0;
  let failures: { left: number; status: number; message: string } = { left: 0, status: 500, message: '' };
  let delay: { method: string; ms: number } | null = null;
  const pageSize = options.pageSize ?? 30;

  const double: Omit<ZoomDouble, 'url' | 'apiUrl' | 'oauthUrl' | 'stop' | 'settings' | 'env'> = {
    accountId: 'acct-double',
    clientId: 'client-double',
    clientSecret: 'secret-double-9f8e7d6c',
    requests: [],
    apiRequests: () => double.requests.filter((r) => r.path.startsWith('/v2/')),
    tokenGrants: 0,
    meetings: new Map(),
    unknownUsers: new Set(),
    tokenLifetimeSeconds: 3600,
    tokenDelayMs: 0,
    scopes: 'meeting:write:meeting:admin meeting:read:meeting:admin meeting:read:list_meetings:admin meeting:update:meeting:admin meeting:delete:meeting:admin',
    rejectNext: (n) => void (rejects = n),
    expireTokens: () => tokens.clear(),
    delayNextAnswer: (method, ms) => void (delay = { method, ms }),
    failNext: (n, status = 500, message = 'Zoom is having a moment') => void (failures = { left: n, status, message }),
  };

  const makeMeeting = (user: string, body: Record<string, unknown>): ZoomMeeting => {
    const id = nextMeetingId++;
    const settings = (body.settings ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof body[key] === 'string' ? body[key] : '');
    const password = typeof body.password === 'string' ? body.password : settings.default_password ? `zp${id % 100_000}` : '';
    return {
      id,
      uuid: `uuid-${id}==`,
      host_id: `host-${user}`,
      host_email: user,
      topic: text('topic'),
      type: Number(body.type ?? 2),
      start_time: text('start_time'),
      duration: Number(body.duration ?? 0),
      timezone: text('timezone'),
      agenda: text('agenda'),
      password,
      pstn_password: password ? String(id % 1_000_000) : '',
      join_url: `https://zoom.double.test/j/${id}?pwd=${password}`,
      start_url: `https://zoom.double.test/s/${id}?zak=host-secret-${id}`,
      created_at: new Date().toISOString(),
      settings: { ...settings, global_dial_in_numbers: [{ country: 'US', country_name: 'US', city: 'New York', number: '+1 646 558 8656', type: 'toll' }] },
    };
  };

  async function api(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>, res: http.ServerResponse, authorization: string | undefined) {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
    const expiry = tokens.get(token);
    if (rejects > 0 || expiry === undefined || expiry <= Date.now()) {
      if (rejects > 0) rejects--;
      return send(res, 401, { code: 124, message: 'Invalid access token.' });
    }
    if (failures.left > 0) {
      failures.left--;
      return send(res, failures.status, { code: 300, message: failures.message });
    }
    const answer = async (status: number, payload?: unknown) => {
      if (delay && delay.method === method) {
        const { ms } = delay;
        delay = null;
        await sleep(ms);
      }
      send(res, status, payload);
    };
    const userPath = /^\/v2\/users\/([^/]+)\/meetings$/.exec(path);
    if (userPath) {
      const user = decodeURIComponent(userPath[1]!);
      if (double.unknownUsers.has(user)) return answer(404, { code: 1001, message: `User does not exist: ${user}.` });
      if (method === 'POST') {
        const meeting = makeMeeting(user, body);
        double.meetings.set(meeting.id, meeting);
        return answer(201, meeting);
      }
      if (method === 'GET') {
        const all = [...double.meetings.values()].filter((m) => m.host_email === user);
        const from = Number(query.get('next_page_token') || 0);
        const page = all.slice(from, from + pageSize);
        const next = from + pageSize < all.length ? String(from + pageSize) : '';
        return answer(200, {
          page_size: pageSize,
          total_records: all.length,
          next_page_token: next,
          meetings: page.map((m) => ({ id: m.id, uuid: m.uuid, host_id: m.host_id, topic: m.topic, type: m.type, start_time: m.start_time, duration: m.duration, timezone: m.timezone, agenda: m.agenda, created_at: m.created_at, join_url: m.join_url })),
        });
      }
    }
    const meetingPath = /^\/v2\/meetings\/(\d+)$/.exec(path);
    if (meetingPath) {
      const id = Number(meetingPath[1]);
      const meeting = double.meetings.get(id);
      if (!meeting) return answer(404, { code: 3001, message: `Meeting does not exist: ${id}.` });
      if (method === 'GET') return answer(200, meeting);
      if (method === 'PATCH') {
        for (const key of ['topic', 'start_time', 'duration', 'timezone', 'agenda'] as const) if (key in body) Object.assign(meeting, { [key]: body[key] });
        return answer(204);
      }
      if (method === 'DELETE') {
        double.meetings.delete(id);
        return answer(204);
      }
    }
    return send(res, 404, { code: 404, message: `No such endpoint: ${method} ${path}` });
  }

  async function oauth(query: URLSearchParams, authorization: string | undefined, res: http.ServerResponse) {
    if (double.tokenDelayMs) await sleep(double.tokenDelayMs);
    if (query.get('grant_type') !== 'account_credentials') return send(res, 400, { reason: 'unsupported grant type', error: 'unsupported_grant_type' });
    const expected = `Basic ${Buffer.from(`${double.clientId}:${double.clientSecret}`).toString('base64')}`;
    if (authorization !== expected) return send(res, 400, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    if (query.get('account_id') !== double.accountId) return send(res, 400, { reason: 'Invalid account_id', error: 'invalid_request' });
    double.tokenGrants++;
    const token = `tok-${double.tokenGrants}-${Math.random().toString(36).slice(2)}`;
    tokens.set(token, Date.now() + double.tokenLifetimeSeconds * 1000);
    send(res, 200, { access_token: token, token_type: 'bearer', expires_in: double.tokenLifetimeSeconds, scope: double.scopes, api_url: 'https://api.zoom.us' });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const text = Buffer.concat(chunks).toString('utf8');
      const body = parse(text);
      double.requests.push({ method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, body, authorization: req.headers.authorization });
      const handled =
        req.method === 'POST' && url.pathname === '/oauth/token'
          ? oauth(url.searchParams, req.headers.authorization, res)
          : api(req.method ?? 'GET', url.pathname, url.searchParams, (body ?? {}) as Record<string, unknown>, res, req.headers.authorization);
      handled.catch((error: unknown) => send(res, 500, { code: 500, message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(double, {
    url,
    apiUrl: `${url}/v2`,
    oauthUrl: `${url}/oauth/token`,
    settings: (overrides: Partial<ZoomSettings> = {}): ZoomSettings => ({
      accountId: double.accountId,
      clientId: double.clientId,
      clientSecret: double.clientSecret,
      fallbackHost: null,
      waitingRoom: true,
      autoRecording: 'cloud',
      apiUrl: `${url}/v2`,
      oauthUrl: `${url}/oauth/token`,
      ...overrides,
    }),
    env: (overrides: Record<string, string> = {}) => ({
      ZOOM_ACCOUNT_ID: double.accountId,
      ZOOM_CLIENT_ID: double.clientId,
      ZOOM_CLIENT_SECRET: double.clientSecret,
      ZOOM_API_URL: `${url}/v2`,
      ZOOM_OAUTH_URL: `${url}/oauth/token`,
      ...overrides,
    }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
