import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { requireCaller } from '../platform/auth.js';
import { CountsAsSearch } from '../platform/graphql-limits.js';
import type { RequestContext } from '../platform/context.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import { AvailabilityExceptionEntity, AvailabilityExceptionKind, AvailabilitySchedule } from './availability.entity.js';
import { AvailabilityService } from './availability.service.js';
import { openDatesComplexity, openSlotsComplexity } from './search-cost.js';

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

@Resolver()
export class SchedulingResolver {
  @Mutation(() => AvailabilitySchedule, { description: 'Consultants set their weekly hours and booking rules (admins for any consultant).' })
  setWeeklyAvailability(@Arg('input', () => WeeklyAvailabilityInput) input: WeeklyAvailabilityInput, @Ctx() ctx: RequestContext): Promise<AvailabilitySchedule> {
    return new AvailabilityService(ctx.em).setWeekly(requireCaller(ctx), input);
  }

  @Mutation(() => AvailabilityExceptionEntity, { description: 'Time off, a blackout, or extra hours for a range of dates.' })
  addAvailabilityException(@Arg('input', () => AvailabilityExceptionInput) input: AvailabilityExceptionInput, @Ctx() ctx: RequestContext): Promise<AvailabilityExceptionEntity> {
    return new AvailabilityService(ctx.em).addException(requireCaller(ctx), input);
  }

  @Query(() => [Slot], { description: 'Open start times between from and to (at most 62 days), earliest first.', complexity: openSlotsComplexity })
  @CountsAsSearch()
  openSlots(@Arg('input', () => OpenSlotsInput) input: OpenSlotsInput, @Ctx() ctx: RequestContext): Promise<Slot[]> {
    requireCaller(ctx);
    return new AvailabilityService(ctx.em).openSlots(input);
  }

  @Query(() => [String], { description: 'The calendar view: dates (YYYY-MM-DD in timeZone) with at least one open slot.', complexity: openDatesComplexity })
  @CountsAsSearch()
  openDates(@Arg('input', () => OpenSlotsInput) input: OpenSlotsInput, @Ctx() ctx: RequestContext): Promise<string[]> {
    requireCaller(ctx);
    return new AvailabilityService(ctx.em).openDates(input);
  }
}
