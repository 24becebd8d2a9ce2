import { randomBytes } from 'node:crypto';

/** The providers built so far; ZOOM, TEAMS and GOOGLE_MEET are the next slices of issue 17. */
export type BuiltProvider = 'JITSI' | 'PHONE';

/** What a provider is told about the consultation it makes a meeting for. */
export interface MeetingFacts {
  consultationId: string;
  title: string;
  start: Date;
  end: Date;
  /** The consultant's phone, if their profile has one (PHONE calls it). */
  consultantPhone: string | null;
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
  update(externalId: string, facts: MeetingFacts): Promise<MeetingPlace>;
  delete(externalId: string): Promise<void>;
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

export interface MeetingSettings {
  jitsiBaseUrl: string;
  phoneNumber: string | null;
}

/** The providers this platform can use, by name; a name missing here is not configured. */
export function configuredProviders(settings: MeetingSettings): Partial<Record<string, MeetingProvider>> {
  return { JITSI: jitsiProvider(settings.jitsiBaseUrl), PHONE: phoneProvider(settings.phoneNumber) };
}

