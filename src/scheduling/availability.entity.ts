import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import type { TimeInterval, WeeklyRules } from './slots.js';

export const AvailabilityExceptionKind = { TIME_OFF: 'TIME_OFF', EXTRA_HOURS: 'EXTRA_HOURS' } as const;
export type AvailabilityExceptionKind = (typeof AvailabilityExceptionKind)[keyof typeof AvailabilityExceptionKind];
registerEnumType(AvailabilityExceptionKind, { name: 'AvailabilityExceptionKind', description: 'TIME_OFF blocks hours (or whole days); EXTRA_HOURS adds them.' });

@ObjectType('TimeInterval', { description: 'Local wall times of the consultant’s zone, e.g. 09:00–12:30 ("24:00" may end a day).' })
export class TimeIntervalType {
  @Field()
  start!: string;

  @Field()
  end!: string;
}

@ObjectType('WeekdayAvailability')
export class WeekdayAvailability {
  @Field(() => Int, { description: 'ISO weekday: 1 = Monday … 7 = Sunday.' })
  weekday!: number;

  @Field(() => [TimeIntervalType])
  intervals!: TimeInterval[];
}

/** A consultant's weekly availability in their IANA zone, with the booking rules of their slots. */
@Entity({ tableName: 'availability_schedule' })
@Check({
  name: 'availability_schedule_rules_check',
  // Written as PostgreSQL normalizes it, so schema diffs see no change.
  expression:
    '((slot_step_minutes >= 5) AND (slot_step_minutes <= 240)) AND ((buffer_minutes >= 0) AND (buffer_minutes <= 240)) AND (min_notice_minutes >= 0) AND ((horizon_days >= 1) AND (horizon_days <= 730)) AND ((max_sessions_per_day IS NULL) OR (max_sessions_per_day >= 1))',
})
@ObjectType('AvailabilitySchedule')
export class AvailabilitySchedule {
  [OptionalProps]?: 'updatedAt' | 'rules';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => ConsultantProfile, { owner: true, unique: true, deleteRule: 'cascade' })
  consultant!: Rel<ConsultantProfile>;

  @Field(() => TimeZoneScalar)
  @Property({ type: 'string', length: 64 })
  timeZone!: string;

  /** ISO weekday → intervals, as slots.ts reads them. */
  @Property({ type: 'json' })
  weekly!: WeeklyRules;

  @Field(() => Int)
  @Property({ type: 'integer' })
  slotStepMinutes!: number;

  @Field(() => Int, { description: 'Held after each session booked from now on (stored on the consultation).' })
  @Property({ type: 'integer' })
  bufferMinutes!: number;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  maxSessionsPerDay: number | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  minNoticeMinutes!: number;

  @Field(() => Int)
  @Property({ type: 'integer' })
  horizonDays!: number;

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field(() => [WeekdayAvailability], { description: 'Weekdays with hours, Monday first.' })
  get rules(): WeekdayAvailability[] {
    return Object.entries(this.weekly)
      .map(([weekday, intervals]) => ({ weekday: Number(weekday), intervals }))
      .filter((rule) => rule.intervals.length > 0)
      .sort((a, b) => a.weekday - b.weekday);
  }
}

/** Time off (or a blackout) or extra hours on a range of the consultant's local dates. */
@Entity({ tableName: 'availability_exception' })
@Index({ properties: ['consultant', 'toDate'] })
@Check({ name: 'availability_exception_range_check', expression: 'from_date <= to_date' })
@ObjectType('AvailabilityException')
export class AvailabilityExceptionEntity {
  [OptionalProps]?: 'createdAt' | 'reason' | 'intervals';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ConsultantProfile, { deleteRule: 'cascade' })
  consultant!: Rel<ConsultantProfile>;

  @Field({ description: 'First local date (YYYY-MM-DD), inclusive.' })
  @Property({ type: 'date' })
  fromDate!: string;

  @Field({ description: 'Last local date (YYYY-MM-DD), inclusive.' })
  @Property({ type: 'date' })
  toDate!: string;

  @Field(() => AvailabilityExceptionKind)
  @Enum({ items: () => AvailabilityExceptionKind, type: 'string' })
  kind!: AvailabilityExceptionKind;

  @Field(() => [TimeIntervalType], { nullable: true, description: 'Null on TIME_OFF: the whole days.' })
  @Property({ type: 'json', nullable: true })
  intervals: TimeInterval[] | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  reason: string | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
