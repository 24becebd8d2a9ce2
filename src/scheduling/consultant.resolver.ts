import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MoneyInput } from '../catalog/catalog.types.js';
import { ConsultantAvailabilityStatus, ConsultantProfile, SkillCategory, SkillProficiency } from '../identity/profile.entity.js';
import { User } from '../identity/user.entity.js';
import { requireCaller } from '../platform/auth.js';
import { CountsAsSearch } from '../platform/graphql-limits.js';
import type { RequestContext } from '../platform/context.js';
import { ConnectionType, pageSize, type Connection } from '../platform/pagination.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import { ConsultantService } from './consultant.service.js';
import { consultantsComplexity } from './search-cost.js';

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

const ConsultantConnection = ConnectionType('Consultant', ConsultantProfile);

@Resolver(() => ConsultantProfile)
export class ConsultantResolver {
  @Mutation(() => ConsultantProfile, { description: 'Consultants edit their own profile; admins any (naming consultantId).' })
  updateConsultantProfile(@Arg('input', () => ConsultantProfileInput) input: ConsultantProfileInput, @Ctx() ctx: RequestContext): Promise<ConsultantProfile> {
    return new ConsultantService(ctx.em).update(requireCaller(ctx), input);
  }

  @Query(() => ConsultantProfile, { nullable: true, description: 'One consultant (signed-in callers).' })
  consultant(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ConsultantProfile> {
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
