import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireCaller } from '../platform/auth.js';
import { CountsAsSearch } from '../platform/graphql-limits.js';
import type { RequestContext } from '../platform/context.js';
import { AvailabilityExceptionEntity, AvailabilitySchedule } from './availability.entity.js';
import { AvailabilityService } from './availability.service.js';
import { AvailabilityExceptionInput, OpenSlotsInput, Slot, WeeklyAvailabilityInput } from './scheduling.types.js';
import { openDatesComplexity, openSlotsComplexity } from './search-cost.js';

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
