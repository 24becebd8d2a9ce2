import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { MoneyInput } from '../catalog/catalog.types.js';
import { ConsultantAvailabilityStatus, ConsultantProfile, SkillCategory, SkillProficiency } from '../identity/profile.entity.js';
import { MeetingProvider } from '../identity/meeting-providers.js';
import { ConnectionType } from '../platform/pagination.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import { AvailabilityExceptionKind } from './availability.entity.js';

// Availability: weekly hours, exceptions, open slots.

@InputType('TimeIntervalInput')
export class TimeIntervalInput {
  @Field({ description: 'Local wall time "HH:MM".' })
  start!: string;

  @Field({ description: 'Local wall time "HH:MM" ("24:00" ends the day).' })
  end!: string;
}

@InputType()
export class WeekdayAvailabilityInput {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday … 7 = Sunday.' })
  weekday!: number;

  @Field(() => [TimeIntervalInput])
  intervals!: TimeIntervalInput[];
}

@InputType()
export class WeeklyAvailabilityInput {
  @Field(() => ID, { nullable: true, description: 'Admins only; consultants set their own.' })
  consultantId?: string | null;

  @Field(() => TimeZoneScalar, { description: 'The zone the rules are in.' })
  timeZone!: string;

  @Field(() => [WeekdayAvailabilityInput], { description: 'Weekdays left out have no hours.' })
  rules!: WeekdayAvailabilityInput[];

  @Field(() => Int, { defaultValue: 30, description: 'Minutes between possible starts, 5 to 240.' })
  slotStepMinutes!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Minutes kept free after each session, 0 to 240.' })
  bufferMinutes!: number;

  @Field(() => Int, { nullable: true, description: 'Sessions per local day, 1 to 96; null: no limit.' })
  maxSessionsPerDay?: number | null;

  @Field(() => Int, { defaultValue: 720, description: 'Minimum notice in minutes (default 12 h), 0 to 43200 (30 days).' })
  minNoticeMinutes!: number;

  @Field(() => Int, { defaultValue: 90, description: 'How far ahead clients may book, 1 to 730 days.' })
  horizonDays!: number;
}

@InputType()
export class AvailabilityExceptionInput {
  @Field(() => ID, { nullable: true, description: 'Admins only.' })
  consultantId?: string | null;

  @Field({ description: 'First local date, YYYY-MM-DD.' })
  from!: string;

  @Field({ description: 'Last local date, YYYY-MM-DD (inclusive); at most 730 days after from.' })
  to!: string;

  @Field(() => AvailabilityExceptionKind)
  kind!: AvailabilityExceptionKind;

  @Field(() => [TimeIntervalInput], { nullable: true, description: 'TIME_OFF without intervals blocks the whole days.' })
  intervals?: TimeIntervalInput[] | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType()
export class OpenSlotsInput {
  @Field(() => ID, { nullable: true, description: 'Omit: every consultant taking bookings who has all the skills.' })
  consultantId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Without consultantId: only consultants with every one of these skills (case-insensitive).' })
  skills?: string[] | null;

  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => Int)
  durationMinutes!: number;

  @Field(() => TimeZoneScalar, { description: 'The viewer’s zone: localStart and openDates use it.' })
  timeZone!: string;
}

// Plain data, listed by the hundred: graphql-js's default field resolution, no per-field wrapper.
@ObjectType({ simpleResolvers: true })
export class Slot {
  @Field()
  start!: Date;

  @Field()
  end!: Date;

  @Field(() => ID)
  consultantId!: string;

  @Field({ description: 'The start in the asked time zone, with its offset.' })
  localStart!: string;
}

// Consultants: profiles and the directory.

@InputType()
export class ConsultantSkillInput {
  @Field({ description: '1–80 characters; unique per consultant (case-insensitively).' })
  name!: string;

  @Field(() => SkillCategory)
  category!: SkillCategory;

  @Field(() => SkillProficiency)
  proficiency!: SkillProficiency;

  @Field(() => Int, { description: 'Years of experience, 0–60.' })
  years!: number;
}

@InputType()
export class ConsultantCertificationInput {
  @Field()
  name!: string;

  @Field()
  issuer!: string;

  @Field({ description: 'YYYY-MM-DD.' })
  issuedOn!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not before issuedOn; null: does not expire.' })
  expiresOn?: string | null;
}

@InputType({ description: 'A partial update: fields left out keep their value.' })
export class ConsultantProfileInput {
  @Field(() => ID, { nullable: true, description: 'Admins only (required for them); consultants edit their own.' })
  consultantId?: string | null;

  @Field(() => String, { nullable: true, description: 'Up to 4000 characters; null or blank clears it.' })
  bio?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the list: up to 30, each 2–40 characters.' })
  languages?: string[] | null;

  @Field(() => [ConsultantSkillInput], { nullable: true, description: 'Replaces the list: up to 50.' })
  skills?: ConsultantSkillInput[] | null;

  @Field(() => [ConsultantCertificationInput], { nullable: true, description: 'Replaces the list: up to 30.' })
  certifications?: ConsultantCertificationInput[] | null;

  @Field(() => MoneyInput, { nullable: true, description: 'null clears it.' })
  hourlyRate?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: 'A single-session fee clients may pay instead of a credit; null clears it (the platform’s applies).' })
  bookingFee?: MoneyInput | null;

  @Field(() => ConsultantAvailabilityStatus, { nullable: true })
  availabilityStatus?: ConsultantAvailabilityStatus | null;

  @Field(() => [MeetingProvider], {
    nullable: true,
    description: "Replaces the list of meeting providers offered, in order (the first is a booking's when the client names none): each once, each configured on this platform; [] offers the platform's default (MEETING_PROVIDER).",
  })
  meetingProviders?: MeetingProvider[] | null;
}

@InputType({ description: 'Consultants with at least one open slot in this range.' })
export class AvailableBetweenInput {
  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => Int)
  durationMinutes!: number;
}

@InputType()
export class ConsultantFilter {
  @Field(() => String, { nullable: true, description: 'A skill name (case-insensitive, exact).' })
  skill?: string | null;

  @Field(() => String, { nullable: true, description: 'A language (case-insensitive, exact).' })
  language?: string | null;

  @Field(() => AvailableBetweenInput, { nullable: true })
  availableBetween?: AvailableBetweenInput | null;
}

export const ConsultantConnection = ConnectionType('Consultant', ConsultantProfile);
