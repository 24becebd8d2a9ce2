import { wrap } from '@mikro-orm/core';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, ID, Info, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { displayNameOf, User } from '../identity/user.entity.js';
import { requireCaller, requireOrganization, requireVerified } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import type { RequestContext } from '../platform/context.js';
import { Money } from '../platform/money.js';
import { ConnectionType, pageSize, type Connection } from '../platform/pagination.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import { localStart } from '../scheduling/slots.js';
import { BookingService } from './booking.service.js';
import { ConsultationDetails, type StatusChangeView } from './consultation-details.js';
import { ConsultationReads } from './consultation-reads.js';
import { ActionItemPriority, ActionItemStatus, ConsultationStatus, CreditState, DeliverableStatus, MeetingProvider, NoShowParty, PaymentMethod } from './consultation.enums.js';
import { Consultation, ConsultationFeedback, ConsultationStatusChange } from './consultation.entity.js';
import { LifecycleService } from './lifecycle.service.js';
import { connectionComplexity } from '../platform/graphql-limits.js';

const ALL = { filters: { tenant: false } } as const;

@InputType()
export class AttendeeInput {
  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true })
  role?: string | null;
}

@InputType()
export class BookConsultationInput {
  @Field(() => ID, { nullable: true, description: 'Omit to have the best free consultant with the skills assigned.' })
  consultantId?: string | null;

  @Field({ description: 'A start from openSlots.' })
  start!: Date;

  @Field(() => Int, { description: 'A multiple of 15 from 15 to 480; must fit the credit drawn.' })
  durationMinutes!: number;

  @Field(() => Boolean, { nullable: true, description: 'Spend the organization’s free-trial credit (15 minutes).' })
  useFreeTrial?: boolean | null;

  @Field({ description: 'What the session is for (up to 2000 characters).' })
  purpose!: string;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => MeetingProvider, { nullable: true, description: 'Default ZOOM.' })
  meetingProvider?: MeetingProvider | null;

  @Field(() => [String], { nullable: true, description: 'Skills wanted; the consultant must have all of them.' })
  skills?: string[] | null;

  @Field(() => [AttendeeInput], { nullable: true, description: 'Up to 10 more people joining.' })
  attendees?: AttendeeInput[] | null;

  @Field(() => String, { nullable: true, description: 'Retrying with the same key returns the first booking instead of booking twice.' })
  idempotencyKey?: string | null;

  @Field(() => PaymentMethod, { nullable: true, description: 'CREDITS (default), or BOOKING_FEE: no credit; the slot is held until the fee is paid with the returned payment.clientSecret.' })
  payWith?: PaymentMethod | null;
}

@InputType()
export class OutcomesInput {
  @Field()
  summary!: string;

  @Field(() => [String], { nullable: true })
  keyPoints?: string[] | null;

  @Field(() => [String], { nullable: true })
  recommendations?: string[] | null;
}

@InputType()
export class DeliverableInput {
  @Field()
  name!: string;

  @Field({ description: 'e.g. REPORT, DOCUMENT, CODE.' })
  type!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => DeliverableStatus, { nullable: true, description: 'Default PENDING.' })
  status?: DeliverableStatus | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  dueDate?: string | null;

  @Field(() => String, { nullable: true, description: 'An http(s) URL.' })
  fileUrl?: string | null;
}

@InputType()
export class ActionItemInput {
  @Field()
  title!: string;

  @Field()
  assignee!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  dueDate?: string | null;

  @Field(() => ActionItemPriority, { nullable: true, description: 'Default MEDIUM.' })
  priority?: ActionItemPriority | null;

  @Field(() => ActionItemStatus, { nullable: true, description: 'Default OPEN.' })
  status?: ActionItemStatus | null;
}

@InputType()
export class CompleteConsultationInput {
  @Field(() => Date, { nullable: true, description: 'Default: now. Must be after the actual start.' })
  actualEnd?: Date | null;

  @Field(() => OutcomesInput, { nullable: true })
  outcomes?: OutcomesInput | null;

  @Field(() => [DeliverableInput], { nullable: true })
  deliverables?: DeliverableInput[] | null;

  @Field(() => [ActionItemInput], { nullable: true })
  actionItems?: ActionItemInput[] | null;

  @Field(() => String, { nullable: true })
  nextSteps?: string | null;

  @Field(() => String, { nullable: true, description: 'Never shown to the client.' })
  internalNotes?: string | null;
}

@InputType()
export class FeedbackInput {
  @Field(() => Int, { description: '1–5.' })
  overall!: number;

  @Field(() => Int, { description: '1–5.' })
  expertise!: number;

  @Field(() => Int, { description: '1–5.' })
  communication!: number;

  @Field(() => Int, { description: '1–5.' })
  helpfulness!: number;

  @Field()
  wouldRecommend!: boolean;

  @Field(() => String, { nullable: true })
  strengths?: string | null;

  @Field(() => String, { nullable: true })
  improvements?: string | null;

  @Field(() => String, { nullable: true })
  testimonial?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Consent to show the testimonial publicly.' })
  publicTestimonial?: boolean | null;
}

@InputType()
export class ConsultationFilter {
  @Field(() => [ConsultationStatus], { nullable: true })
  statuses?: ConsultationStatus[] | null;

  @Field(() => Date, { nullable: true, description: 'Sessions starting at or after.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Sessions starting before.' })
  to?: Date | null;

  @Field(() => ID, { nullable: true })
  consultantId?: string | null;
}

@ObjectType()
export class Cancellation {
  @Field(() => Consultation)
  consultation!: Consultation;

  @Field({ description: 'Whether the credit went back to the organization.' })
  creditReleased!: boolean;

  @Field(() => CreditState)
  creditState!: CreditState;

  @Field({ description: 'Cancelled less than 24 h before the start, or after the client moved the session inside that window (lateRescheduledAt).' })
  late!: boolean;

  @Field(() => Money, { nullable: true, description: 'A booking fee refunded (payments work); null for credit bookings.' })
  feeRefunded!: Money | null;
}

@ObjectType()
export class ConsultationDay {
  @Field({ description: 'YYYY-MM-DD in the asked time zone.' })
  date!: string;

  @Field(() => [Consultation])
  consultations!: Consultation[];
}

@ObjectType()
export class ClientSummary {
  @Field(() => ID, { description: 'The client’s user id.' })
  id!: string;

  @Field()
  displayName!: string;

  @Field()
  email!: string;

  @Field(() => ID)
  organizationId!: string;

  @Field()
  organizationName!: string;
}

@ObjectType()
export class CreditDraw {
  @Field(() => ID)
  lotId!: string;

  @Field(() => Int)
  units!: number;
}

@ObjectType()
export class ConsultationPayment {
  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field(() => CreditState)
  creditState!: CreditState;

  @Field(() => [CreditDraw], { description: 'Credits reserved per lot at booking (or at the last re-allocation).' })
  credits!: CreditDraw[];

  @Field(() => Money, { nullable: true })
  fee!: Money | null;

  @Field(() => String, { nullable: true, description: 'BOOKING_FEE: for Stripe.js to pay the fee, to the booking organization while the hold waits (PENDING_PAYMENT).' })
  clientSecret!: string | null;

  @Field({ description: 'BOOKING_FEE: whether the fee went back (cancelled in time, or paid after the hold lapsed).' })
  feeRefunded!: boolean;
}

@ObjectType()
export class Meeting {
  @Field(() => MeetingProvider)
  provider!: MeetingProvider;

  @Field(() => String, { nullable: true, description: 'Set when the meeting is created (meetings work).' })
  joinUrl!: string | null;
}

@ObjectType()
export class RescheduleRequest {
  @Field(() => [Date])
  suggestedStarts!: Date[];

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field()
  requestedAt!: Date;
}

const ConsultationConnection = ConnectionType('Consultation', Consultation);

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
      creditReleased: result.consultation.paymentMethod === PaymentMethod.CREDITS && result.creditState === CreditState.RELEASED,
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
    return ctx.em.findOne(ConsultationFeedback, { consultation: c.id }, ALL);
  }

  @FieldResolver(() => ConsultationPayment)
  async payment(@Root() c: Consultation, @Ctx() ctx: RequestContext): Promise<ConsultationPayment> {
    if (c.paymentMethod === PaymentMethod.BOOKING_FEE) {
      const buyer = ctx.caller?.role === 'CLIENT' && ctx.caller.organizationId === c.organization.id;
      return { method: c.paymentMethod, creditState: c.creditState, credits: [], fee: c.fee, clientSecret: buyer && c.status === ConsultationStatus.PENDING_PAYMENT ? c.feeClientSecret : null, feeRefunded: !!c.feeRefundedAt };
    }
    const entries = await ConsultationDetails.of(ctx.em).ledger.load(c);
    // The current reservation: a reschedule that re-allocated released the old one first.
    let units = new Map<string, number>();
    let releasedSince = false;
    for (const entry of entries) {
      if (entry.type === 'RELEASE') releasedSince = true;
      else {
        if (releasedSince) units = new Map();
        releasedSince = false;
        units.set(entry.lotId, (units.get(entry.lotId) ?? 0) + entry.units);
      }
    }
    const credits = [...units].map(([lotId, n]) => ({ lotId, units: n }));
    return { method: c.paymentMethod, creditState: c.creditState, credits, fee: null, clientSecret: null, feeRefunded: false };
  }

  @FieldResolver(() => Meeting)
  meeting(@Root() c: Consultation): Meeting {
    return { provider: c.meetingProvider, joinUrl: null };
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
