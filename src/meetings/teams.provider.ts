/**
 * Microsoft Teams meetings through Microsoft Graph, as an Entra app (client credentials, the
 * application permission OnlineMeetings.ReadWrite.All and an application access policy granted
 * to the organizers). create is createOrGet keyed by the consultation id: a repeat after a lost
 * answer gets the same meeting back, so the provider needs no `find`.
 */
import type { TeamsSettings } from '../config.js';
import { callJson, excerpt, ProviderCallError, scrub, TokenCache, withToken, type HttpAnswer, type ProviderHttpOptions } from './provider-http.js';
import type { MeetingFacts, MeetingPlace, MeetingProvider } from './providers.js';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** The parts of Graph's onlineMeeting the platform reads. */
interface OnlineMeeting {
  id: string;
  subject?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  joinWebUrl?: string | null;
  joinUrl?: string | null;
  joinMeetingIdSettings?: { joinMeetingId?: string | null; passcode?: string | null } | null;
  audioConferencing?: { tollNumber?: string | null; tollFreeNumber?: string | null; conferenceId?: string | null } | null;
}

/** The organizer and Graph's meeting id; the organizer (a UPN) has no '/', the id may. */
function parseExternalId(externalId: string): { organizer: string; meetingId: string } {
  const slash = externalId.indexOf('/');
  if (slash <= 0) throw new Error(`Teams: "${externalId}" is not a meeting this provider made (organizer/meeting id)`);
  return { organizer: externalId.slice(0, slash), meetingId: externalId.slice(slash + 1) };
}

function place(organizer: string, meeting: OnlineMeeting): MeetingPlace {
  const joinUrl = meeting.joinWebUrl ?? meeting.joinUrl ?? null;
  const audio = meeting.audioConferencing;
  const number = audio?.tollNumber ?? audio?.tollFreeNumber ?? null;
  return {
    externalId: `${organizer}/${meeting.id}`,
    joinUrl,
    // The organizer joins on the same link, signed in: Teams makes them the host.
    hostUrl: joinUrl,
    passcode: meeting.joinMeetingIdSettings?.passcode ?? null,
    dialIn: number ? (audio?.conferenceId ? `${number}, conference ID ${audio.conferenceId}#` : number) : null,
  };
}

const sameTimes = (meeting: OnlineMeeting, facts: MeetingFacts) =>
  meeting.subject === facts.title &&
  meeting.startDateTime != null &&
  meeting.endDateTime != null &&
  Date.parse(meeting.startDateTime) === facts.start.getTime() &&
  Date.parse(meeting.endDateTime) === facts.end.getTime();

export function teamsProvider(settings: TeamsSettings, options: ProviderHttpOptions): MeetingProvider {
  const secrets = [settings.clientSecret];
  const fail = (what: string, answer: HttpAnswer): ProviderCallError => {
    const error = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
    const words = error && typeof error === 'object' ? `${error.code ?? 'error'}: ${error.message ?? ''}` : excerpt(answer.body);
    return new ProviderCallError(scrub(`Teams: ${what} answered ${answer.status} (${words})`, secrets), answer.status);
  };

  const tokens = new TokenCache(async () => {
    const answer = await callJson(options, 'Teams: token request', `${settings.loginUrl}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: settings.clientId, client_secret: settings.clientSecret, grant_type: 'client_credentials', scope: GRAPH_SCOPE }),
    });
    const body = answer.body as { access_token?: string; expires_in?: number; error?: string; error_description?: string } | null;
    if (answer.status !== 200 || typeof body?.access_token !== 'string') {
      const words = typeof body?.error === 'string' ? `${body.error}: ${body.error_description ?? ''}` : excerpt(answer.body);
      throw new ProviderCallError(scrub(`Teams: Microsoft Entra refused the app's token request with ${answer.status} (${words}); check TEAMS_TENANT_ID, TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET`, secrets), answer.status);
    }
    return { token: body.access_token, expiresInSeconds: Number(body.expires_in) || 3599 };
  }, options.now);

  /** One Graph call; a second 401 means Graph rejects the app itself. */
  const graph = async (what: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> => {
    const answer = await withToken(tokens, 'app', (token) =>
      callJson(options, `Teams: ${what}`, `${settings.graphUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    if (answer.status === 401) {
      const error = fail(what, answer);
      throw new ProviderCallError(`${error.message}: Graph rejected the app's credentials twice (TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET; the app needs OnlineMeetings.ReadWrite.All)`, 401);
    }
    return answer;
  };
  const meetingsOf = (organizer: string) => `/users/${encodeURIComponent(organizer)}/onlineMeetings`;

  const patch = async (organizer: string, meetingId: string, facts: MeetingFacts): Promise<HttpAnswer> =>
    graph('update meeting', 'PATCH', `${meetingsOf(organizer)}/${encodeURIComponent(meetingId)}`, {
      subject: facts.title,
      startDateTime: facts.start.toISOString(),
      endDateTime: facts.end.toISOString(),
    });

  const createOrGet = (organizer: string, facts: MeetingFacts) =>
    graph('create meeting', 'POST', `${meetingsOf(organizer)}/createOrGet`, {
      externalId: facts.consultationId,
      subject: facts.title,
      startDateTime: facts.start.toISOString(),
      endDateTime: facts.end.toISOString(),
      // Everyone but the organizer waits in the lobby until the consultant admits them.
      lobbyBypassSettings: { scope: 'organizer', isDialInBypassEnabled: false },
    });

  const create = async (facts: MeetingFacts): Promise<MeetingPlace> => {
    let organizer = facts.consultantEmail;
    let answer = await createOrGet(organizer, facts);
    // Graph answers 404 for an organizer who is not a user of the tenant.
    if (answer.status === 404) {
      const missing = fail('create meeting', answer).message;
      if (!settings.fallbackOrganizer) throw new ProviderCallError(`${missing}: ${organizer} is not a user of the Teams tenant and TEAMS_ORGANIZER is not set to organize instead`, 404);
      organizer = settings.fallbackOrganizer;
      answer = await createOrGet(organizer, facts);
      if (answer.status === 404) throw new ProviderCallError(`${fail('create meeting', answer).message}: TEAMS_ORGANIZER ${organizer} is not a user of the Teams tenant`, 404);
    }
    if (answer.status === 403) throw new ProviderCallError(`${fail('create meeting', answer).message}: is a Teams application access policy for the app granted to ${organizer}?`, 403);
    if (answer.status !== 200 && answer.status !== 201) throw fail('create meeting', answer);
    const meeting = answer.body as OnlineMeeting;
    // createOrGet returns an existing meeting as it is: one made before a reschedule is moved here.
    if (!sameTimes(meeting, facts)) {
      const moved = await patch(organizer, meeting.id, facts);
      if (moved.status !== 200) throw fail('update meeting', moved);
      return place(organizer, moved.body as OnlineMeeting);
    }
    return place(organizer, meeting);
  };

  return {
    create,
    async update(externalId, facts) {
      const { organizer, meetingId } = parseExternalId(externalId);
      const answer = await patch(organizer, meetingId, facts);
      // Removed at Teams meanwhile (by hand): make it again.
      if (answer.status === 404) return create(facts);
      if (answer.status !== 200) throw fail('update meeting', answer);
      return place(organizer, answer.body as OnlineMeeting);
    },
    async delete(externalId) {
      const { organizer, meetingId } = parseExternalId(externalId);
      const answer = await graph('delete meeting', 'DELETE', `${meetingsOf(organizer)}/${encodeURIComponent(meetingId)}`);
      if (answer.status === 404 || (answer.status >= 200 && answer.status < 300)) return;
      throw fail('delete meeting', answer);
    },
    async checkCredentials() {
      await tokens.fresh('app');
    },
  };
}
