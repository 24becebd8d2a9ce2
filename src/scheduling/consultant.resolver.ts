import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MeetingProvider, offeredProviders } from '../identity/meeting-providers.js';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { User } from '../identity/user.entity.js';
import { requireCaller } from '../platform/auth.js';
import { CountsAsSearch } from '../platform/graphql-limits.js';
import type { RequestContext } from '../platform/context.js';
import { pageSize, type Connection } from '../platform/pagination.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import { ConsultantService } from './consultant.service.js';
import { ConsultantConnection, ConsultantFilter, ConsultantProfileInput } from './scheduling.types.js';
import { consultantsComplexity } from './search-cost.js';

@Resolver(() => ConsultantProfile)
export class ConsultantResolver {
  @Mutation(() => ConsultantProfile, { description: 'Consultants edit their own profile; admins any (naming consultantId).' })
  updateConsultantProfile(@Arg('input', () => ConsultantProfileInput) input: ConsultantProfileInput, @Ctx() ctx: RequestContext): Promise<ConsultantProfile> {
    return new ConsultantService(ctx.em).update(requireCaller(ctx), input, ctx.services.config.meetings);
  }

  @Query(() => ConsultantProfile, { nullable: true, description: 'One consultant by id or by code such as "CON-WHITE-20261123-001" (signed-in callers); NOT_FOUND when unknown.' })
  consultant(@Arg('id', () => ID, { description: 'Id or code.' }) id: string, @Ctx() ctx: RequestContext): Promise<ConsultantProfile> {
    requireCaller(ctx);
    return new ConsultantService(ctx.em).get(id);
  }

  @Query(() => ConsultantConnection, { description: 'Consultants by skill, language and open time, ordered by code (signed-in callers).', complexity: consultantsComplexity })
  // Only a search by open time does the work of one.
  @CountsAsSearch((args) => Boolean((args.filter as { availableBetween?: unknown } | null | undefined)?.availableBetween))
  consultants(
    @Arg('filter', () => ConsultantFilter, { nullable: true }) filter: ConsultantFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<ConsultantProfile>> {
    requireCaller(ctx);
    return new ConsultantService(ctx.em).search(filter ?? {}, pageSize(first), after);
  }

  @FieldResolver(() => String)
  async displayName(@Root() profile: ConsultantProfile, @Ctx() ctx: RequestContext): Promise<string> {
    return (await userOf(profile, ctx)).displayName;
  }

  @FieldResolver(() => String, { nullable: true })
  async title(@Root() profile: ConsultantProfile, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await userOf(profile, ctx)).title;
  }

  @FieldResolver(() => TimeZoneScalar)
  async timeZone(@Root() profile: ConsultantProfile, @Ctx() ctx: RequestContext): Promise<string> {
    return (await userOf(profile, ctx)).timeZone;
  }

  @FieldResolver(() => [MeetingProvider], {
    description: "The meeting providers a client may pick when booking this consultant, the first a booking's when it names none: those offered that are configured, else the platform's default.",
  })
  meetingProviders(@Root() profile: ConsultantProfile, @Ctx() ctx: RequestContext): MeetingProvider[] {
    return offeredProviders(profile.meetingProviders, ctx.services.config.meetings);
  }

  @FieldResolver(() => [MeetingProvider], { description: "The consultant's list as saved (updateConsultantProfile's meetingProviders); empty: the platform's default." })
  offeredMeetingProviders(@Root() profile: ConsultantProfile): MeetingProvider[] {
    return profile.meetingProviders;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The consultant themself and admins only; null for anyone else.' })
  async email(@Root() profile: ConsultantProfile, @Ctx() ctx: RequestContext): Promise<string | null> {
    const user = await userOf(profile, ctx);
    return ctx.caller && (ctx.caller.userId === user.id || ctx.caller.role === 'ADMIN') ? user.email : null;
  }
}

function userOf(profile: ConsultantProfile, ctx: RequestContext): Promise<User> {
  // Usually already loaded (populate: ['user']); the identity map answers then.
  return ctx.em.findOneOrFail(User, profile.user.id);
}
