import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ConsultantProfile,
  type ConsultantAvailabilityStatus,
  type ConsultantCertification,
  type ConsultantSkill,
  type SkillCategory,
  type SkillProficiency,
} from '../identity/profile.entity.js';
import { checkOfferedProviders, type MeetingProvider, type MeetingProviderSettings } from '../identity/meeting-providers.js';
import type { Caller } from '../platform/auth.js';
import { ErrorCode, errors } from '../platform/errors.js';
import { isUuid, requireUuid } from '../platform/ids.js';
import { Money } from '../platform/money.js';
import { decodeCursor, keysetPage, type Connection } from '../platform/pagination.js';
import { execute } from '../platform/sql.js';
import { AvailabilityService } from './availability.service.js';
import { addCompletedSession, addRating, hasSkill, speaks, type Rating } from './consultant.sql.js';

export interface ConsultantProfileData {
  consultantId?: string | null;
  /** Left out: kept; null or blank: cleared. */
  bio?: string | null;
  /** Left out or null: kept. */
  languages?: string[] | null;
  skills?: Array<{ name: string; category: SkillCategory; proficiency: SkillProficiency; years: number }> | null;
  certifications?: Array<{ name: string; issuer: string; issuedOn: string; expiresOn?: string | null }> | null;
  /** Left out: kept; null: cleared. */
  hourlyRate?: { amount: number; currency: string } | null;
  /** Left out: kept; null: cleared (the platform's fee applies, if any). */
  bookingFee?: { amount: number; currency: string } | null;
  availabilityStatus?: ConsultantAvailabilityStatus | null;
  /** Left out or null: kept; [] : the platform's default. */
  meetingProviders?: MeetingProvider[] | null;
}

export interface ConsultantSearch {
  skill?: string | null;
  language?: string | null;
  availableBetween?: { from: Date; to: Date; durationMinutes: number } | null;
}

export const PROFILE_LIMITS = {
  bio: 4000,
  languages: 30,
  languageLength: { min: 2, max: 40 },
  skills: 50,
  skillName: { min: 1, max: 80 },
  years: { min: 0, max: 60 },
  /** Minor units, as the booking fee's bound. */
  hourlyRateAmount: { max: 10_000_000 },
  certifications: 30,
  certificationText: 200,
} as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

type ProfileChanges = Partial<Pick<ConsultantProfile, 'bio' | 'languages' | 'skills' | 'certifications' | 'hourlyRate' | 'bookingFee' | 'availabilityStatus' | 'meetingProviders'>>;

/** Without the platform's meeting settings, every provider counts as configured (pure tests). */
const ALL_CONFIGURED: MeetingProviderSettings = { defaultProvider: 'JITSI', unconfigured: {} };

/**
 * The checked, normalized changes of an update; throws BAD_USER_INPUT naming the field at fault.
 * `meetings`: the platform's settings the meeting providers are judged by (config.meetings).
 */
export function checkProfileChanges(data: ConsultantProfileData, meetings: MeetingProviderSettings = ALL_CONFIGURED): ProfileChanges {
  const changes: ProfileChanges = {};
  if (data.bio !== undefined) {
    const bio = data.bio?.trim() || null;
    if (bio && bio.length > PROFILE_LIMITS.bio) throw errors.badInput(`bio must be at most ${PROFILE_LIMITS.bio} characters (got ${bio.length}).`, 'input.bio');
    changes.bio = bio;
  }
  if (data.languages) {
    if (data.languages.length > PROFILE_LIMITS.languages) throw errors.badInput(`Give at most ${PROFILE_LIMITS.languages} languages.`, 'input.languages');
    const languages: string[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of data.languages.entries()) {
      const language = raw.trim();
      const { min, max } = PROFILE_LIMITS.languageLength;
      if (language.length < min || language.length > max) throw errors.badInput(`Each language is ${min}–${max} characters, e.g. English.`, 'input.languages', { index });
      if (seen.has(language.toLowerCase())) continue;
      seen.add(language.toLowerCase());
      languages.push(language);
    }
    changes.languages = languages;
  }
  if (data.skills) {
    if (data.skills.length > PROFILE_LIMITS.skills) throw errors.badInput(`Give at most ${PROFILE_LIMITS.skills} skills.`, 'input.skills');
    const seen = new Set<string>();
    changes.skills = data.skills.map((skill, index): ConsultantSkill => {
      const name = skill.name.trim();
      const { min, max } = PROFILE_LIMITS.skillName;
      if (name.length < min || name.length > max) throw errors.badInput(`A skill name is ${min}–${max} characters.`, 'input.skills.name', { index });
      if (seen.has(name.toLowerCase())) throw errors.badInput(`The skill "${name}" appears twice.`, 'input.skills.name', { index });
      seen.add(name.toLowerCase());
      const { min: least, max: most } = PROFILE_LIMITS.years;
      if (!Number.isInteger(skill.years) || skill.years < least || skill.years > most) throw errors.badInput(`years must be a whole number from ${least} to ${most}.`, 'input.skills.years', { index });
      return { name, category: skill.category, proficiency: skill.proficiency, years: skill.years };
    });
  }
  if (data.certifications) {
    if (data.certifications.length > PROFILE_LIMITS.certifications) throw errors.badInput(`Give at most ${PROFILE_LIMITS.certifications} certifications.`, 'input.certifications');
    changes.certifications = data.certifications.map((certification, index): ConsultantCertification => {
      const name = certification.name.trim();
      const issuer = certification.issuer.trim();
      const max = PROFILE_LIMITS.certificationText;
      if (!name || name.length > max) throw errors.badInput(`A certification name is 1–${max} characters.`, 'input.certifications.name', { index });
      if (!issuer || issuer.length > max) throw errors.badInput(`An issuer is 1–${max} characters.`, 'input.certifications.issuer', { index });
      if (!isDate(certification.issuedOn)) throw errors.badInput('issuedOn is a date such as 2024-03-31.', 'input.certifications.issuedOn', { index });
      const expiresOn = certification.expiresOn ?? null;
      if (expiresOn !== null && !isDate(expiresOn)) throw errors.badInput('expiresOn is a date such as 2027-03-31 (or null).', 'input.certifications.expiresOn', { index });
      if (expiresOn !== null && expiresOn < certification.issuedOn) throw errors.badInput('expiresOn must not be before issuedOn.', 'input.certifications.expiresOn', { index });
      return { name, issuer, issuedOn: certification.issuedOn, expiresOn };
    });
  }
  if (data.hourlyRate !== undefined) {
    const rate = data.hourlyRate;
    if (rate) {
      const { max } = PROFILE_LIMITS.hourlyRateAmount;
      if (!Number.isSafeInteger(rate.amount) || rate.amount < 0 || rate.amount > max) throw errors.badInput(`hourlyRate.amount must be 0 to ${max} minor units (cents).`, 'input.hourlyRate.amount');
      if (!/^[A-Z]{3}$/.test(rate.currency)) throw errors.badInput('hourlyRate.currency is an ISO-4217 code of three upper-case letters, e.g. USD.', 'input.hourlyRate.currency');
    }
    changes.hourlyRate = rate ? new Money(rate.amount, rate.currency) : null;
  }
  if (data.bookingFee !== undefined) {
    const fee = data.bookingFee;
    if (fee) {
      // Stripe's smallest charge is about 50 cents.
      if (!Number.isSafeInteger(fee.amount) || fee.amount < 50 || fee.amount > 10_000_000) throw errors.badInput('bookingFee.amount must be 50 to 10000000 minor units (cents).', 'input.bookingFee.amount');
      if (!/^[A-Z]{3}$/.test(fee.currency)) throw errors.badInput('bookingFee.currency is an ISO-4217 code of three upper-case letters, e.g. USD.', 'input.bookingFee.currency');
    }
    changes.bookingFee = fee ? new Money(fee.amount, fee.currency) : null;
  }
  if (data.availabilityStatus) changes.availabilityStatus = data.availabilityStatus;
  if (data.meetingProviders) changes.meetingProviders = checkOfferedProviders(data.meetingProviders, meetings);
  return changes;
}

/** Consultants' profiles: consultants edit their own, admins any; signed-in callers search them. */
export class ConsultantService {
  constructor(private readonly em: EntityManager) {}

  async update(caller: Caller, data: ConsultantProfileData, meetings?: MeetingProviderSettings): Promise<ConsultantProfile> {
    const target = await this.consultantFor(caller, data.consultantId);
    const changes = checkProfileChanges(data, meetings);
    return this.em.transactional(async (em) => {
      const profile = await em.findOneOrFail(ConsultantProfile, target.id, { populate: ['user'] });
      Object.assign(profile, changes);
      await em.flush();
      return profile;
    });
  }

  /** By id, or by code such as CON-WHITE-20261123-001 (any case): the booking widget's /book/<code>. */
  async get(idOrCode: string): Promise<ConsultantProfile> {
    const id = idOrCode.trim();
    const where = isUuid(id) ? { id: id.toLowerCase() } : { code: id.toUpperCase() };
    const profile = id.length <= 100 ? await this.em.findOne(ConsultantProfile, where, { populate: ['user'] }) : null;
    if (!profile) throw errors.notFound('Consultant', id.slice(0, 100));
    return profile;
  }

  /**
   * Consultants matching the filter, ordered by code; the cursor is the code. A page is one keyset
   * query; only a search by open time first reads the ids of every consultant matching the other
   * conditions, to generate their slots (the open ones make the totalCount).
   */
  async search(filter: ConsultantSearch, size: number, after: string | null | undefined, now = new Date()): Promise<Connection<ConsultantProfile>> {
    decodeCursor(after); // A forged cursor is refused before any slot is generated.
    const skill = filter.skill?.trim();
    const language = filter.language?.trim();
    let where: object = { $and: [skill ? hasSkill(skill) : {}, language ? speaks(language) : {}] };
    if (filter.availableBetween) {
      const { from, to, durationMinutes } = filter.availableBetween;
      // Plain rows, not entities: the page below loads its profiles whole.
      const candidates = await this.em.createQueryBuilder(ConsultantProfile).select('id').where(where as never).execute<Array<{ id: string }>>('all');
      const open = await withField(() => new AvailabilityService(this.em).withOpenSlot(candidates.map((row) => row.id), { from, to, durationMinutes }, now));
      where = { id: { $in: [...open] } };
    }
    return keysetPage(this.em, ConsultantProfile, where, { field: 'code', direction: 'asc', unique: true }, size, after, { populate: ['user'] });
  }

  /** A completed session of `minutes` counts on the consultant's profile (in `em`'s transaction, the completion's). */
  async countCompletedSession(consultantId: string, minutes: number): Promise<void> {
    await execute(this.em, addCompletedSession(consultantId, minutes));
  }

  /** A client's feedback counts on the consultant's rating sums (in `em`'s transaction, the feedback's). */
  async countRating(consultantId: string, rating: Rating): Promise<void> {
    await execute(this.em, addRating(consultantId, rating));
  }

  /** Consultants edit their own profile; admins name the consultant. */
  private async consultantFor(caller: Caller, consultantId: string | null | undefined): Promise<ConsultantProfile> {
    if (caller.role === 'CONSULTANT') {
      const own = await this.em.findOneOrFail(ConsultantProfile, { user: caller.userId });
      if (consultantId && consultantId.toLowerCase() !== own.id) throw errors.forbidden('Consultants edit only their own profile.');
      return own;
    }
    if (caller.role !== 'ADMIN') throw errors.forbidden('Only consultants (their own) and admins edit consultant profiles.');
    if (!consultantId) throw errors.badInput('Admins name the consultant: consultantId.', 'input.consultantId');
    const consultant = await this.em.findOne(ConsultantProfile, requireUuid(consultantId, 'Consultant'));
    if (!consultant) throw errors.notFound('Consultant', consultantId);
    return consultant;
  }
}

/** The slot search's input errors, named as fields of filter.availableBetween. */
async function withField<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.BAD_USER_INPUT && typeof error.extensions.field === 'string') {
      throw errors.badInput(error.message, error.extensions.field.replace(/^input\./, 'filter.availableBetween.'));
    }
    throw error;
  }
}
