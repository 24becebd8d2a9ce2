/**
 * The meeting providers and which of them a consultant offers. Here, not in consultations: the
 * consultant's profile (identity) lists them, and identity imports nothing above it; consultations,
 * meetings and notifications import the enum from here (consultation.enums.ts re-exports it).
 */
import { registerEnumType } from 'type-graphql';
import { errors } from '../platform/errors.js';

export const MeetingProvider = { ZOOM: 'ZOOM', TEAMS: 'TEAMS', GOOGLE_MEET: 'GOOGLE_MEET', PHONE: 'PHONE', JITSI: 'JITSI' } as const;
export type MeetingProvider = (typeof MeetingProvider)[keyof typeof MeetingProvider];
registerEnumType(MeetingProvider, { name: 'MeetingProvider' });

export const MEETING_PROVIDERS: readonly MeetingProvider[] = Object.values(MeetingProvider);

/** How messages and calendar invitations name each provider. */
export const MEETING_PROVIDER_NAMES: Record<MeetingProvider, string> = {
  ZOOM: 'Zoom',
  TEAMS: 'Microsoft Teams',
  GOOGLE_MEET: 'Google Meet',
  PHONE: 'Phone call',
  JITSI: 'Jitsi',
};

/** A provider's name, or the value itself when it is none of ours (a row written by a newer version). */
export const meetingProviderName = (provider: string): string => MEETING_PROVIDER_NAMES[provider as MeetingProvider] ?? provider;

/** The platform's meeting settings a consultant's list is judged by (config.meetings). */
export interface MeetingProviderSettings {
  /** MEETING_PROVIDER: a booking's provider when neither the client nor the consultant chose one. */
  defaultProvider: MeetingProvider;
  /** The providers that cannot be used, each with the settings that would make it usable. */
  unconfigured: Partial<Record<MeetingProvider, string>>;
}

/**
 * A consultant's list as they may save it: distinct, at most one of each, every one configured
 * on this platform; empty means "the platform's default". Throws BAD_USER_INPUT naming `field`
 * (and, for an unconfigured one, the settings to set).
 */
export function checkOfferedProviders(list: readonly MeetingProvider[], settings: MeetingProviderSettings, field = 'input.meetingProviders'): MeetingProvider[] {
  if (list.length > MEETING_PROVIDERS.length) throw errors.badInput(`List at most the ${MEETING_PROVIDERS.length} meeting providers there are (${MEETING_PROVIDERS.join(', ')}).`, field);
  const seen = new Set<MeetingProvider>();
  for (const [index, provider] of list.entries()) {
    if (!MEETING_PROVIDERS.includes(provider)) throw errors.badInput(`${String(provider)} is not a meeting provider: use ${MEETING_PROVIDERS.join(', ')}.`, field, { index });
    if (seen.has(provider)) throw errors.badInput(`${provider} is listed twice: list each meeting provider once.`, field, { index });
    const missing = settings.unconfigured[provider];
    if (missing) throw errors.badInput(`The ${provider} meeting provider is not configured on this platform: set ${missing}.`, field, { index });
    seen.add(provider);
  }
  return [...seen];
}

/**
 * What a client may pick from, first one the booking's default: the consultant's listed
 * providers that are configured now (a setting removed since they saved it drops out), in their
 * order; the platform's default when that leaves none (they listed none, or none still works).
 */
export function offeredProviders(listed: readonly string[], settings: MeetingProviderSettings): MeetingProvider[] {
  const usable = MEETING_PROVIDERS.filter((p) => !settings.unconfigured[p]);
  const offered = listed.filter((p, i): p is MeetingProvider => usable.includes(p as MeetingProvider) && listed.indexOf(p) === i);
  return offered.length ? offered : [settings.defaultProvider];
}
