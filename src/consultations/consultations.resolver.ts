import { wrap } from '@mikro-orm/core';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { displayNameOf, User } from '../identity/user.entity.js';
import { requireCaller, requireOrganization, requireVerified } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import type { RequestContext } from '../platform/context.js';
import { pageSize, type Connection } from '../platform/pagination.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { localStart } from '../scheduling/slots.js';
import { BookingService } from './booking.service.js';
import { ConsultationDetails, type StatusChangeView } from './consultation-details.js';
import { ConsultationReads } from './consultation-reads.js';
import { creditReleased, type PaymentView } from './consultation-payment.js';
import { NoShowParty } from './consultation.enums.js';
import { Consultation, ConsultationFeedback, ConsultationStatusChange } from './consultation.entity.js';
import { LifecycleService } from './lifecycle.service.js';
import {
  AttendeeInput,
  BookConsultationInput,
  Cancellation,
  ClientSummary,
  CompleteConsultationInput,
  ConsultationConnection,
  ConsultationDay,
  ConsultationFilter,
  ConsultationPayment,
  FeedbackInput,
  RescheduleRequest,
} from './consultations.types.js';
import { connectionComplexity } from '../platform/graphql-limits.js';

@Resolver(() => Consultation)
export class ConsultationResolver {
  @Mutation(() => Consultation, { description: 'Book a session with a credit (one transaction: time checked, credit reserved, consultation stored).' })
  bookConsultation(@Arg('input', () => BookConsultationInput) input: BookConsultationInput, @Ctx() ctx: RequestContext): Promise<Consultation> {
    requireVerified(ctx);
    return booking(ctx).book(requireOrganization(ctx), input);
  }

  @Mutation(() => Consultation, { description: 'The assigned consultant (or an admin) accepts a scheduled session.' })
  confirmConsultation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Consultation> {
    return lifecycle(ctx).confirm(requireCaller(ctx), id);
  }

  @Mutation(() => Consultation, { description: 'Move a session (same checks as booking; the credit stays reserved).' })
  rescheduleConsultation(
    @Arg('id', () => ID) id: string,
    @Arg('start', () => Date) start: Date,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Consultation> {
    return lifecycle(ctx).reschedule(requireCaller(ctx), id, start, reason);
  }

  @Mutation(() => Consultation, { description: 'The consultant proposes other open times; the client accepts one with rescheduleConsultation.' })
  requestReschedule(
    @Arg('id', () => ID) id: string,
    @Arg('suggestedStarts', () => [Date]) suggestedStarts: Date[],
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Consultation> {
    return lifecycle(ctx).requestReschedule(requireCaller(ctx), id, suggestedStarts, reason);
  }

  @Mutation(() => Cancellation, { description: 'Cancel; says what happened to the credit (24 h policy for clients).' })
  async cancelConsultation(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() ctx: RequestContext): Promise<Cancellation> {
    const result = await lifecycle(ctx).cancel(requireCaller(ctx), id, reason);
    return {
      consultation: result.consultation,
      creditState: result.creditState,
      creditReleased: creditReleased(result.consultation, result.creditState),
      late: result.late,
      feeRefunded: result.feeRefunded,
    };
  }

  @Mutation(() => Consultation)
  startConsultation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Consultation> {
    return lifecycle(ctx).start(requireCaller(ctx), id);
  }

  @Mutation(() => Consultation, { description: 'Record the outcome; consumes the reserved credit.' })
  completeConsultation(@Arg('id', () => ID) id: string, @Arg('input', () => CompleteConsultationInput) input: CompleteConsultationInput, @Ctx() ctx: RequestContext): Promise<Consultation> {
    return lifecycle(ctx).complete(requireCaller(ctx), id, input);
  }

  @Mutation(() => Consultation, { description: 'A client no-show consumes the credit; a consultant no-show releases it.' })
  markNoShow(
    @Arg('id', () => ID) id: string,
    @Arg('party', () => NoShowParty) party: NoShowParty,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Consultation> {
    return lifecycle(ctx).markNoShow(requireCaller(ctx), id, party, reason);
  }

  @Mutation(() => Consultation, { description: 'Add people joining the session (client side).' })
  addConsultationAttendees(@Arg('id', () => ID) id: string, @Arg('attendees', () => [AttendeeInput]) attendees: AttendeeInput[], @Ctx() ctx: RequestContext): Promise<Consultation> {
    return lifecycle(ctx).addAttendees(requireCaller(ctx), id, attendees);
  }

  @Mutation(() => ConsultationFeedback, { description: 'The client rates a completed session, once.' })
  submitFeedback(@Arg('consultationId', () => ID) consultationId: string, @Arg('input', () => FeedbackInput) input: FeedbackInput, @Ctx() ctx: RequestContext): Promise<ConsultationFeedback> {
    return lifecycle(ctx).submitFeedback(requireCaller(ctx), consultationId, input);
  }

  @Query(() => Consultation, { nullable: true, description: 'One consultation its client (or org owner), consultant or an admin may see.' })
  consultation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Consultation> {
    return reads(ctx).get(requireCaller(ctx), id);
  }

  @Query(() => ConsultationConnection, { description: 'The caller’s consultations by start time: a client’s own, a consultant’s assigned, all for admins.', complexity: connectionComplexity })
  myConsultations(
    @Arg('filter', () => ConsultationFilter, { nullable: true }) filter: ConsultationFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Consultation>> {
    return reads(ctx).list(requireCaller(ctx), filter ?? {}, pageSize(first), after);
  }

  @Query(() => [ConsultationDay], { description: 'Sessions of the next days grouped by date (default: the caller’s time zone).' })
  async upcomingConsultations(
    @Arg('days', () => Int, { defaultValue: 7 }) days: number,
    @Arg('timeZone', () => TimeZoneScalar, { nullable: true }) timeZone: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ConsultationDay[]> {
    const caller = requireCaller(ctx);
    const zone = timeZone ?? (await ctx.em.findOneOrFail(User, caller.userId)).timeZone;
    return reads(ctx).upcoming(caller, days, zone);
  }

  // Fields. The consultation was authorized when it was loaded; its relations are read across
  // the tenant filter (consultants have no tenant scope).

  // Their reads are plain statements batched per response level (ConsultationDetails, with
  // DataLoader): one statement per field for a consultation, or for a whole page.

  @FieldResolver(() => ClientSummary)
  async client(@Root() c: Consultation, @Ctx() ctx: RequestContext): Promise<ClientSummary> {
    const user = c.client;
    const org = c.organization;
    if (wrap(user).isInitialized() && wrap(org).isInitialized()) {
      return { id: user.id, displayName: user.displayName, email: user.email, organizationId: org.id, organizationName: org.name };
    }
    const client = await ConsultationDetails.of(ctx.em).client.load(c);
    if (!client) throw errors.notFound('Client', user.id);
    return { id: user.id, displayName: displayNameOf(client.firstName, client.lastName), email: client.email, organizationId: org.id, organizationName: client.organizationName };
  }

  @FieldResolver(() => ConsultantProfile)
  consultant(@Root() c: Consultation, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): ConsultantProfile | Promise<ConsultantProfile> {
    // `consultant { id }` needs no load: the reference has its id.
    if (wrap(c.consultant).isInitialized() || asksOnlyForId(info)) return c.consultant;
    return ctx.em.findOneOrFail(ConsultantProfile, c.consultant.id);
  }

  @FieldResolver(() => [ConsultationStatusChange], { description: 'Every change, oldest first.' })
  async history(@Root() c: Consultation, @Ctx() ctx: RequestContext): Promise<StatusChangeView[]> {
    return ConsultationDetails.of(ctx.em).history.load(c);
  }

  @FieldResolver(() => ConsultationFeedback, { nullable: true })
  feedback(@Root() c: Consultation, @Ctx() ctx: RequestContext): Promise<ConsultationFeedback | null> {
    return ctx.em.findOne(ConsultationFeedback, { consultation: c.id }, ACROSS_TENANTS);
  }

  @FieldResolver(() => ConsultationPayment)
  payment(@Root() c: Consultation, @Ctx() ctx: RequestContext): Promise<PaymentView> {
    return ConsultationDetails.of(ctx.em).payment(c, ctx.caller);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The consultant’s private notes: null for the client side.' })
  internalNotes(@Root() c: Consultation, @Ctx() ctx: RequestContext): string | null {
    return ctx.caller && (ctx.caller.role === 'CONSULTANT' || ctx.caller.role === 'ADMIN') ? c.internalNotes : null;
  }

  @FieldResolver(() => RescheduleRequest, { nullable: true, description: 'Times the consultant proposed, until the session moves.' })
  rescheduleRequest(@Root() c: Consultation): RescheduleRequest | null {
    const request = c.rescheduleRequest;
    if (!request) return null;
    return { suggestedStarts: request.suggestedStarts.map((s) => new Date(s)), reason: request.reason, requestedAt: new Date(request.requestedAt) };
  }

  @FieldResolver(() => String, { description: 'The start with its offset in timeZone (default: the viewer’s own zone).' })
  async localStart(@Root() c: Consultation, @Arg('timeZone', () => TimeZoneScalar, { nullable: true }) timeZone: string | null, @Ctx() ctx: RequestContext): Promise<string> {
    const zone = timeZone ?? (ctx.caller ? (await ctx.em.findOneOrFail(User, ctx.caller.userId)).timeZone : 'UTC');
    return localStart(c.startAt, zone);
  }
}

/** Whether the field's selection is only `id` (and `__typename`), with no fragments. */
function asksOnlyForId(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((node) => node.selectionSet?.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === 'id' || s.name.value === '__typename')) ?? false);
}

function booking(ctx: RequestContext): BookingService {
  return new BookingService(ctx.em, ctx.services.events, ctx.services);
}

function lifecycle(ctx: RequestContext): LifecycleService {
  return new LifecycleService(ctx.em, ctx.services.events, ctx.services);
}

function reads(ctx: RequestContext): ConsultationReads {
  return new ConsultationReads(ctx.em);
}
