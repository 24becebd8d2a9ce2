import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { ReadinessCheck } from '../platform/readiness-checks.js';
import { zoomProvider } from './zoom.provider.js';
import { googleMeetProvider } from './google-meet.provider.js';
import { teamsProvider } from './teams.provider.js';

/** What a provider is told about the consultation it makes a meeting for. */
export interface MeetingFacts {
  consultationId: string;
  title: string;
  start: Date;
  end: Date;
  /** The consultant's phone, if their profile has one (PHONE calls it). */
  consultantPhone: string | null;
  /** The consultant's sign-in email: their user at Zoom, Teams or Google Workspace, when it is one. */
  consultantEmail: string;
  consultantName: string;
  /** The consultant's IANA zone (providers show times in it). */
  timeZone: string;
}

/** Where to meet, as a provider made it. */
export interface MeetingPlace {
  externalId: string;
  joinUrl: string | null;
  passcode: string | null;
  dialIn: string | null;
  /** The host's own link (start the meeting, admit people): only the consultant and admins see it. */
  hostUrl: string | null;
}

/**
 * A place to meet outside the platform. Every call may repeat (a job retries after a crash or a
 * timeout): update and delete of an unknown or already deleted meeting must succeed.
 */
export interface MeetingProvider {
  create(facts: MeetingFacts): Promise<MeetingPlace>;
  /**
   * The meeting an earlier create made for this consultation whose answer was lost (a timeout,
   * a crash before it was stored); null: none. The job asks before every repeated create, so a
   * provider without idempotency keys (Zoom) gets no duplicate. Omitted where create itself is
   * idempotent (keyed by the consultation) or makes nothing remote.
   */
  find?(facts: MeetingFacts): Promise<MeetingPlace | null>;
  update(externalId: string, facts: MeetingFacts): Promise<MeetingPlace>;
  delete(externalId: string): Promise<void>;
  /** Resolves when the provider accepts the platform's credentials, rejects with why not (/readyz reports it). Omitted: nothing to check. */
  checkCredentials?(): Promise<void>;
}

/** A Jitsi room: whoever knows the name can join, so the name carries 128 random bits. */
export function jitsiProvider(baseUrl: string): MeetingProvider {
  const place = (room: string): MeetingPlace => ({ externalId: room, joinUrl: `${baseUrl}/${room}`, passcode: null, dialIn: null, hostUrl: `${baseUrl}/${room}` });
  return {
    create: () => Promise.resolve(place(`Serenity-${randomBytes(16).toString('base64url')}`)),
    // The room is not bound to a time: a reschedule keeps it.
    update: (room) => Promise.resolve(place(room)),
    // Jitsi rooms vanish when empty: nothing to delete.
    delete: () => Promise.resolve(),
  };
}

/** A phone call: the consultant's number, else the business number; no API behind it. */
export function phoneProvider(businessNumber: string | null): MeetingProvider {
  const place = (facts: MeetingFacts): MeetingPlace => {
    const number = facts.consultantPhone?.trim() || businessNumber;
    if (!number) throw new Error('no phone number: the consultant has none and MEETING_PHONE_NUMBER is not set');
    const dial = number.replace(/[^0-9+]/g, '');
    return { externalId: `tel:${dial}`, joinUrl: `tel:${dial}`, passcode: null, dialIn: number, hostUrl: null };
  };
  return {
    // async: a missing number is a rejected call, which the job retries and records.
    create: async (facts) => place(facts),
    update: async (_id, facts) => place(facts),
    delete: () => Promise.resolve(),
  };
}

/**
 * The providers this platform can use, by name; a name missing here is not configured. One set
 * per settings object: the job (every run) and the readiness check share the providers and so
 * the providers' cached tokens (a token per run would be a grant per run).
 */
const built = new WeakMap<Config['meetings'], Partial<Record<string, MeetingProvider>>>();
export function configuredProviders(settings: Config['meetings']): Partial<Record<string, MeetingProvider>> {
  let providers = built.get(settings);
  if (!providers) {
    const http = { timeoutMs: settings.httpTimeoutMs };
    providers = {
      JITSI: jitsiProvider(settings.jitsiBaseUrl),
      PHONE: phoneProvider(settings.phoneNumber),
      ...(settings.zoom ? { ZOOM: zoomProvider(settings.zoom, http) } : {}),
      ...(settings.teams ? { TEAMS: teamsProvider(settings.teams, http) } : {}),
      ...(settings.google ? { GOOGLE_MEET: googleMeetProvider(settings.google, http) } : {}),
    };
    built.set(settings, providers);
  }
  return providers;
}

/** Zoom and the like are asked this often whether they still accept the credentials (/readyz reports it). */
export const PROVIDER_CHECK_EVERY_MS = 5 * 60_000;

/** A readiness check per configured provider that has credentials to check. */
export function providerChecks(settings: Config['meetings']): ReadinessCheck[] {
  return Object.entries(configuredProviders(settings)).flatMap(([name, provider]) =>
    provider?.checkCredentials ? [{ name: `meetings.${name}`, everyMs: PROVIDER_CHECK_EVERY_MS, check: () => provider.checkCredentials!() }] : [],
  );
}
