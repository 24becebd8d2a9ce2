import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Money } from '../platform/money.js';
import { ConnectionType } from '../platform/pagination.js';
import { ActionItemPriority, ActionItemStatus, ConsultationStatus, CreditState, DeliverableStatus, MeetingProvider, PaymentMethod } from './consultation.enums.js';
import { Consultation } from './consultation.entity.js';

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

  @Field(() => MeetingProvider, { nullable: true, description: "One of the consultant's meetingProviders (another is refused, saying which they offer); default: their first (the platform's MEETING_PROVIDER when they list none). Without consultantId, only consultants offering it are assigned." })
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
export class RescheduleRequest {
  @Field(() => [Date])
  suggestedStarts!: Date[];

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field()
  requestedAt!: Date;
}

export const ConsultationConnection = ConnectionType('Consultation', Consultation);
