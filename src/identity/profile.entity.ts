import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Filter, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../platform/money.js';
import { TENANT_FILTER } from '../platform/tenant.js';
import type { MeetingProvider } from './meeting-providers.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

/** The client record made at registration (or on accepting an invitation as a new user). */
@Entity({ tableName: 'client_profile' })
@Filter({ ...TENANT_FILTER })
@ObjectType('ClientProfile')
export class ClientProfile {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => User, { owner: true, unique: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  /** The organization the client record was made for. */
  @Field(() => Organization)
  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field({ description: 'e.g. CLI-ACME-20261123-001' })
  @Property({ type: 'string', length: 60, unique: true })
  code!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

export const SkillCategory = { TECHNICAL: 'TECHNICAL', FUNCTIONAL: 'FUNCTIONAL', DOMAIN: 'DOMAIN' } as const;
export type SkillCategory = (typeof SkillCategory)[keyof typeof SkillCategory];
registerEnumType(SkillCategory, { name: 'SkillCategory' });

export const SkillProficiency = { BEGINNER: 'BEGINNER', INTERMEDIATE: 'INTERMEDIATE', EXPERT: 'EXPERT' } as const;
export type SkillProficiency = (typeof SkillProficiency)[keyof typeof SkillProficiency];
registerEnumType(SkillProficiency, { name: 'SkillProficiency' });

export const ConsultantAvailabilityStatus = { AVAILABLE: 'AVAILABLE', PARTIALLY_AVAILABLE: 'PARTIALLY_AVAILABLE', UNAVAILABLE: 'UNAVAILABLE', ON_LEAVE: 'ON_LEAVE' } as const;
export type ConsultantAvailabilityStatus = (typeof ConsultantAvailabilityStatus)[keyof typeof ConsultantAvailabilityStatus];
registerEnumType(ConsultantAvailabilityStatus, { name: 'ConsultantAvailabilityStatus', description: 'What the consultant says about their availability (open slots come from the schedule).' });

/** One skill of a consultant (stored in consultant_profile.skills, jsonb). */
@ObjectType('ConsultantSkill')
export class ConsultantSkill {
  @Field()
  name!: string;

  @Field(() => SkillCategory)
  category!: SkillCategory;

  @Field(() => SkillProficiency)
  proficiency!: SkillProficiency;

  @Field(() => Int, { description: 'Years of experience.' })
  years!: number;
}

/** One certification of a consultant (stored in consultant_profile.certifications, jsonb). */
@ObjectType('ConsultantCertification')
export class ConsultantCertification {
  @Field()
  name!: string;

  @Field()
  issuer!: string;

  @Field({ description: 'YYYY-MM-DD.' })
  issuedOn!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; null: does not expire.' })
  expiresOn!: string | null;
}

@ObjectType('ConsultantRating', { description: 'Averages of the clients’ feedback (1–5, two decimals); null until the first rating.' })
export class ConsultantRating {
  @Field(() => Int)
  count!: number;

  @Field(() => Float, { nullable: true })
  overall!: number | null;

  @Field(() => Float, { nullable: true })
  expertise!: number | null;

  @Field(() => Float, { nullable: true })
  communication!: number | null;

  @Field(() => Float, { nullable: true })
  helpfulness!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of ratings that would recommend (0–1).' })
  recommendRate!: number | null;
}

/** A consultant's profile: skills, certifications, languages, rate and availability status. */
@Entity({ tableName: 'consultant_profile' })
@ObjectType('Consultant', { description: 'A consultant: public profile, skills and rates.' })
export class ConsultantProfile {
  [OptionalProps]?: 'createdAt' | 'bio' | 'languages' | 'skills' | 'certifications' | 'hourlyRate' | 'bookingFee' | 'availabilityStatus' | 'rating'
    | 'ratingCount' | 'ratingOverallSum' | 'ratingExpertiseSum' | 'ratingCommunicationSum' | 'ratingHelpfulnessSum' | 'recommendCount'
    | 'completedSessions' | 'completedMinutes' | 'meetingProviders';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => User, { owner: true, unique: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Field({ description: 'e.g. CON-WHITE-20261123-001' })
  @Property({ type: 'string', length: 60, unique: true })
  code!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  bio: string | null = null;

  @Field(() => [String], { description: 'Languages the consultant works in, e.g. English.' })
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  languages: string[] = [];

  @Field(() => [ConsultantSkill])
  @Property({ type: 'json', defaultRaw: `'[]'` })
  skills: ConsultantSkill[] = [];

  @Field(() => [ConsultantCertification])
  @Property({ type: 'json', defaultRaw: `'[]'` })
  certifications: ConsultantCertification[] = [];

  @Field(() => Money, { nullable: true })
  @Embedded(() => Money, { prefix: 'hourly_rate_', nullable: true })
  hourlyRate: Money | null = null;

  @Field(() => Money, { nullable: true, description: 'A single-session booking fee clients may pay instead of a credit (null: the platform’s, if any).' })
  @Embedded(() => Money, { prefix: 'booking_fee_', nullable: true })
  bookingFee: Money | null = null;

  /**
   * The meeting providers the consultant offers, in their order (the first is a booking's when
   * the client names none); empty: the platform's default. GraphQL reads it through
   * meetingProviders (what clients may pick) and offeredMeetingProviders (as listed).
   */
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  meetingProviders: MeetingProvider[] = [];

  @Field(() => ConsultantAvailabilityStatus)
  @Enum({ items: () => ConsultantAvailabilityStatus, type: 'string', default: ConsultantAvailabilityStatus.AVAILABLE })
  availabilityStatus: ConsultantAvailabilityStatus = ConsultantAvailabilityStatus.AVAILABLE;

  // Rating aggregates as exact integer sums (feedback adds to them in its transaction);
  // averages are derived, so they never drift from the feedback rows.
  @Property({ type: 'integer', default: 0 })
  ratingCount: number = 0;

  @Property({ type: 'integer', default: 0 })
  ratingOverallSum: number = 0;

  @Property({ type: 'integer', default: 0 })
  ratingExpertiseSum: number = 0;

  @Property({ type: 'integer', default: 0 })
  ratingCommunicationSum: number = 0;

  @Property({ type: 'integer', default: 0 })
  ratingHelpfulnessSum: number = 0;

  @Property({ type: 'integer', default: 0 })
  recommendCount: number = 0;

  @Field(() => Int, { description: 'Sessions completed, ever.' })
  @Property({ type: 'integer', default: 0 })
  completedSessions: number = 0;

  @Field(() => Int, { description: 'Minutes of completed sessions (actual durations), ever.' })
  @Property({ type: 'integer', default: 0 })
  completedMinutes: number = 0;

  @Field(() => ConsultantRating)
  get rating(): ConsultantRating {
    const n = this.ratingCount;
    const average = (sum: number) => (n === 0 ? null : Math.round((sum / n) * 100) / 100);
    return {
      count: n,
      overall: average(this.ratingOverallSum),
      expertise: average(this.ratingExpertiseSum),
      communication: average(this.ratingCommunicationSum),
      helpfulness: average(this.ratingHelpfulnessSum),
      recommendRate: n === 0 ? null : Math.round((this.recommendCount / n) * 100) / 100,
    };
  }
}
