import { gqlOk } from './graphql.js';
import { registerClient, registerConsultant, verify, type RegisterOptions } from './identity.js';
import type { TestServer } from './server.js';

export const CONSULTATION_FIELDS = `id code status start end durationMinutes bufferMinutes purpose notes skills usedFreeTrial creditState rescheduleCount
  attendees { name email role } assignment { reason score candidates }
  client { id displayName organizationName } consultant { id }
  payment { method creditState credits { lotId units } }
  history { event fromStatus toStatus actorRole reason }`;

export const BOOK = `mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { ${CONSULTATION_FIELDS} } }`;

export interface ConsultationJson {
  id: string;
  code: string;
  status: string;
  start: string;
  end: string;
  durationMinutes: number;
  bufferMinutes: number;
  creditState: string;
  rescheduleCount: number;
  usedFreeTrial: boolean;
  attendees: Array<{ name: string; email: string; role: string | null }>;
  assignment: { reason: string; score: number; candidates: number } | null;
  client: { id: string; displayName: string; organizationName: string };
  consultant: { id: string };
  payment: { method: string; creditState: string; credits: Array<{ lotId: string; units: number }> };
  history: Array<{ event: string; fromStatus: string | null; toStatus: string; actorRole: string; reason: string | null }>;
}

export interface TestConsultant {
  token: string;
  id: string;
  /** The consultant's (fixed-offset) zone. */
  timeZone: string;
}

/**
 * A consultant open every day around the clock, with no notice: lets tests book a session
 * minutes ahead and run it through its whole life on the real clock. Sessions never cross the
 * consultant's local midnight, so their zone is a fixed offset in which it is about noon now:
 * times within ±9 hours of now (plus whole days) are always bookable, whenever tests run.
 */
export async function openAllHoursConsultant(
  server: TestServer,
  options: RegisterOptions & {
    bufferMinutes?: number;
    maxSessionsPerDay?: number | null;
    minNoticeMinutes?: number;
    horizonDays?: number;
    skills?: Array<{ name: string; proficiency: string }>;
    /** The meeting providers the consultant offers (none: the platform's default only). */
    meetingProviders?: string[];
  } = {},
): Promise<TestConsultant> {
  const signedIn = await registerConsultant(server, options);
  const token = signedIn.accessToken;
  const timeZone = noonZone();
  await gqlOk(
    server,
    'mutation($input: WeeklyAvailabilityInput!) { setWeeklyAvailability(input: $input) { timeZone } }',
    {
      input: {
        timeZone,
        rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ start: '00:00', end: '24:00' }] })),
        slotStepMinutes: 5,
        bufferMinutes: options.bufferMinutes ?? 0,
        maxSessionsPerDay: options.maxSessionsPerDay ?? null,
        minNoticeMinutes: options.minNoticeMinutes ?? 0,
        horizonDays: options.horizonDays ?? 90,
      },
    },
    token,
  );
  if (options.skills || options.meetingProviders) {
    await gqlOk(
      server,
      'mutation($input: ConsultantProfileInput!) { updateConsultantProfile(input: $input) { id } }',
      {
        input: {
          ...(options.skills ? { skills: options.skills.map((s) => ({ name: s.name, category: 'FUNCTIONAL', proficiency: s.proficiency, years: 5 })) } : {}),
          ...(options.meetingProviders ? { meetingProviders: options.meetingProviders } : {}),
        },
      },
      token,
    );
  }
  const me = await gqlOk<{ me: { consultantProfile: { id: string } } }>(server, '{ me { consultantProfile { id } } }', {}, token);
  return { token, id: me.me.consultantProfile.id, timeZone };
}

export interface TestClient {
  token: string;
  userId: string;
  organizationId: string;
  email: string;
}

/** A verified client of a new organization (with its free trial). */
export async function verifiedClient(server: TestServer, options: RegisterOptions = {}): Promise<TestClient> {
  const signedIn = await registerClient(server, options);
  await verify(server, signedIn.email);
  return { token: signedIn.accessToken, userId: signedIn.user.id, organizationId: signedIn.user.organization!.id, email: signedIn.email };
}

/** An admin's promotional grant of `units` sessions of `sessionMinutes` to an organization. */
export async function grantSessions(server: TestServer, adminToken: string, organizationId: string, units: number, sessionMinutes = 60): Promise<string> {
  const data = await gqlOk<{ grantCredits: { id: string } }>(
    server,
    'mutation($input: GrantCreditsInput!) { grantCredits(input: $input) { id } }',
    { input: { organizationId, source: 'PROMOTIONAL', kind: 'SESSION', units, sessionMinutes, validityDays: 120, reason: 'Test credits' } },
    adminToken,
  );
  return data.grantCredits.id;
}

/** The next start on the test consultants' 5-minute UTC grid at least `minutesAhead` from now. */
export function gridStart(minutesAhead: number, stepMinutes = 5): Date {
  const step = stepMinutes * 60_000;
  return new Date(Math.ceil((Date.now() + minutesAhead * 60_000) / step) * step);
}

/** A fixed-offset IANA zone (Etc/GMT±N; the sign is inverted by POSIX) where it is 11:30–12:30 now. */
export function noonZone(now = new Date()): string {
  const hour = now.getUTCHours() + now.getUTCMinutes() / 60;
  const offset = Math.round(12 - hour); // -11 … +12
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
