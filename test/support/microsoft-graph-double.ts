/**
 * A local Microsoft identity platform + Graph double, as documented: the client-credentials
 * token endpoint (POST /{tenant}/oauth2/v2.0/token) and a user's online meetings
 * (POST /v1.0/users/{user}/onlineMeetings/createOrGet, PATCH and DELETE
 * /v1.0/users/{user}/onlineMeetings/{id}). Meetings live in memory, keyed by organizer and
 * externalId as createOrGet keys them; errors come in Graph's { error: { code, message } } shape.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { bearerOf, startProviderDouble, type Answer, type ProviderDouble, type RecordedRequest } from './provider-double.js';

export interface GraphMeeting {
  id: string;
  organizer: string;
  externalId: string;
  subject: string;
  startDateTime: string;
  endDateTime: string;
  joinWebUrl: string;
  lobbyBypassSettings: unknown;
  joinMeetingIdSettings: { isPasscodeRequired: boolean; joinMeetingId: string; passcode: string };
  audioConferencing: { tollNumber: string; tollFreeNumber: string | null; conferenceId: string; dialinUrl: string } | null;
}

export interface GraphDouble extends ProviderDouble {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Base of the token endpoint (MICROSOFT_LOGIN_URL) and of Graph (MICROSOFT_GRAPH_URL). */
  loginUrl: string;
  graphUrl: string;
  /** The tenant's users (UPNs, lower case): organizers createOrGet accepts. */
  users: Set<string>;
  meetings: Map<string, GraphMeeting>;
  tokenGrants: number;
  tokenLifetimeSeconds: number;
  /** Whether new meetings get audio conferencing (a dial-in number). */
  audioConferencing: boolean;
  /** Every token issued so far stops working (Graph answers 401). */
  revokeTokens(): void;
  /** The Graph API calls (not the token grants). */
  apiCalls(): RecordedRequest[];
  /** The settings that point a server at this double. */
  settings(extra?: Record<string, string>): Record<string, string>;
}

const graphError = (status: number, code: string, message: string): Answer => ({ status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex') } } } });

export async function startGraphDouble(options: { users?: string[] } = {}): Promise<GraphDouble> {
  const tenantId = 'contoso-tenant-0001';
  const clientId = 'a1b2c3d4-app-serenity';
  const clientSecret = `graph-secret-${randomBytes(12).toString('hex')}`;
  const valid = new Set<string>();
  const meetings = new Map<string, GraphMeeting>();
  const users = new Set((options.users ?? ['sarah.chen@contoso.test']).map((u) => u.toLowerCase()));

  const toJson = (m: GraphMeeting) => ({
    id: m.id,
    externalId: m.externalId,
    subject: m.subject,
    startDateTime: m.startDateTime,
    endDateTime: m.endDateTime,
    creationDateTime: new Date().toISOString(),
    joinWebUrl: m.joinWebUrl,
    joinUrl: m.joinWebUrl,
    lobbyBypassSettings: m.lobbyBypassSettings,
    joinMeetingIdSettings: m.joinMeetingIdSettings,
    audioConferencing: m.audioConferencing,
    participants: { organizer: { upn: m.organizer, role: 'presenter' }, attendees: [] },
  });

  const token = (request: RecordedRequest): Answer => {
    const form = request.body as Record<string, string>;
    if (request.path !== `/${tenantId}/oauth2/v2.0/token`) {
      return { status: 400, body: { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${request.path.split('/')[1]}' not found.` } };
    }
    if (form.grant_type !== 'client_credentials' || form.scope !== 'https://graph.microsoft.com/.default') {
      return { status: 400, body: { error: 'invalid_request', error_description: 'AADSTS900144: The request body must contain the following parameter: grant_type / scope.' } };
    }
    if (form.client_id !== clientId || form.client_secret !== clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.', error_codes: [7000215] } };
    }
    double.tokenGrants++;
    const issued = `eyJ0eXAiOiJKV1Qi.${randomBytes(24).toString('base64url')}`;
    valid.add(issued);
    return { status: 200, body: { token_type: 'Bearer', expires_in: double.tokenLifetimeSeconds, ext_expires_in: double.tokenLifetimeSeconds, access_token: issued } };
  };

  const api = (request: RecordedRequest): Answer => {
    const presented = bearerOf(request);
    if (!presented || !valid.has(presented)) return graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
    const match = /^\/v1\.0\/users\/([^/]+)\/onlineMeetings(?:\/(.+))?$/.exec(request.path);
    if (!match) return graphError(400, 'BadRequest', `Resource not found for the segment '${request.path}'.`);
    const organizer = match[1]!.toLowerCase();
    const rest = match[2];
    if (!users.has(organizer)) return graphError(404, 'NotFound', 'The specified user could not be found.');
    if (request.method === 'POST' && rest === 'createOrGet') {
      const body = request.body as Record<string, any>;
      if (typeof body.externalId !== 'string' || !body.externalId) return graphError(400, 'BadRequest', 'externalId is required.');
      const existing = [...meetings.values()].find((m) => m.organizer === organizer && m.externalId === body.externalId);
      if (existing) return { status: 200, body: toJson(existing) };
      const id = `MSo${randomBytes(30).toString('base64url')}`;
      const meeting: GraphMeeting = {
        id,
        organizer,
        externalId: body.externalId,
        subject: body.subject ?? '',
        startDateTime: body.startDateTime,
        endDateTime: body.endDateTime,
        joinWebUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${randomBytes(12).toString('hex')}%40thread.v2/0?context=%7b%22Tid%22%3a%22${tenantId}%22%7d`,
        lobbyBypassSettings: body.lobbyBypassSettings ?? { scope: 'organization', isDialInBypassEnabled: false },
        joinMeetingIdSettings: { isPasscodeRequired: true, joinMeetingId: String(randomInt(10 ** 11, 10 ** 12)), passcode: randomBytes(4).toString('base64url').slice(0, 6) },
        audioConferencing: double.audioConferencing
          ? { tollNumber: '+1 425-555-0100', tollFreeNumber: null, conferenceId: String(randomInt(10 ** 8, 10 ** 9)), dialinUrl: 'https://dialin.teams.microsoft.com/local' }
          : null,
      };
      meetings.set(id, meeting);
      return { status: 201, body: toJson(meeting) };
    }
    const meeting = rest ? meetings.get(rest) : undefined;
    if (!meeting || meeting.organizer !== organizer) return graphError(404, 'NotFound', 'The specified meeting could not be found.');
    if (request.method === 'PATCH') {
      const body = request.body as Record<string, any>;
      for (const field of ['subject', 'startDateTime', 'endDateTime', 'lobbyBypassSettings'] as const) if (body[field] !== undefined) (meeting as any)[field] = body[field];
      return { status: 200, body: toJson(meeting) };
    }
    if (request.method === 'DELETE') {
      meetings.delete(meeting.id);
      return { status: 204 };
    }
    if (request.method === 'GET') return { status: 200, body: toJson(meeting) };
    return graphError(405, 'BadRequest', 'Method not allowed.');
  };

  const base = await startProviderDouble((request) => (request.path.endsWith('/oauth2/v2.0/token') ? token(request) : api(request)));
  const double: GraphDouble = {
    ...base,
    tenantId,
    clientId,
    clientSecret,
    loginUrl: base.url,
    graphUrl: `${base.url}/v1.0`,
    users,
    meetings,
    tokenGrants: 0,
    tokenLifetimeSeconds: 3599,
    audioConferencing: true,
    revokeTokens: () => valid.clear(),
    apiCalls: () => base.requests.filter((r) => r.path.startsWith('/v1.0/')),
    settings: (extra = {}) => ({
      TEAMS_TENANT_ID: tenantId,
      TEAMS_CLIENT_ID: clientId,
      TEAMS_CLIENT_SECRET: clientSecret,
      MICROSOFT_GRAPH_URL: `${base.url}/v1.0`,
      MICROSOFT_LOGIN_URL: base.url,
      ...extra,
    }),
  };
  return double;
}
