import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Check, Embedded, Entity, Enum, Filter, Index, ManyToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Organization } from '../identity/organization.entity.js';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { User } from '../identity/user.entity.js';
import { Money } from '../platform/money.js';
import { TENANT_FILTER } from '../platform/tenant.js';
import {
  ActionItemPriority,
  ActionItemStatus,
  ConsultationEventKind,
  ConsultationStatus,
  CreditState,
  DeliverableStatus,
  MeetingProvider,
  NoShowParty,
  PaymentMethod,
} from './consultation.enums.js';

@ObjectType('Attendee', { description: 'Someone joining the session besides the client: gets the invitations and reminders, cannot change the booking.' })
export class Attendee {
  @Field()
  name!: string;

  @Field()
  email!: string;

  @Field(() => String, { nullable: true, description: 'e.g. CTO.' })
  role!: string | null;
}

@ObjectType('Outcomes')
export class Outcomes {
  @Field()
  summary!: string;

  @Field(() => [String])
  keyPoints!: string[];

  @Field(() => [String])
  recommendations!: string[];
}

@ObjectType('Deliverable')
export class Deliverable {
  @Field()
  name!: string;

  @Field({ description: 'e.g. REPORT, DOCUMENT, CODE.' })
  type!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DeliverableStatus)
  status!: DeliverableStatus;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  dueDate!: string | null;

  @Field(() => String, { nullable: true })
  fileUrl!: string | null;
}

@ObjectType('ActionItem')
export class ActionItem {
  @Field()
  title!: string;

  @Field({ description: 'Who does it, e.g. "client", "consultant" or a name.' })
  assignee!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  dueDate!: string | null;

  @Field(() => ActionItemPriority)
  priority!: ActionItemPriority;

  @Field(() => ActionItemStatus)
  status!: ActionItemStatus;
}

@ObjectType('Assignment', { description: 'Why an auto-assigned consultant won.' })
export class Assignment {
  @Field()
  reason!: string;

  @Field(() => Float, { description: '0–1; higher is better.' })
  score!: number;

  @Field(() => Int, { description: 'How many consultants were free and matched.' })
  candidates!: number;

  @Field(() => Float)
  skillMatch!: number;

  @Field(() => Float)
  familiarity!: number;

  @Field(() => Float)
  rating!: number;

  @Field(() => Float, { description: 'The winner’s share of free capacity (1 = idle).' })
  availability!: number;
}

/** A consultant's proposal of other times; the client accepts one with rescheduleConsultation. */
export interface RescheduleRequestData {
  suggestedStarts: string[];
  reason: string | null;
  requestedAt: string;
  requestedBy: string;
}

/**
 * A booked session. Holds [start, end + bufferMinutes) of its consultant while its status is a
 * holding one — the exclusion constraint of the migration makes overlaps impossible (I1).
 * `heldUntil` = end + buffer is stored (a CHECK keeps it so) because the range expression of
 * the constraint must be immutable. That constraint and the times CHECK are written by hand in
 * the migration (MikroORM cannot declare them; scripts/migration-create.ts leaves them alone).
 */
@Entity({ tableName: 'consultation' })
@Filter({ ...TENANT_FILTER })
@Index({ properties: ['consultant', 'startAt'] })
@Index({ properties: ['organization', 'client', 'startAt'] })
@Unique({ name: 'consultation_idempotency_key_unique', properties: ['bookedBy', 'idempotencyKey'] })
@Check({ name: 'consultation_duration_check', expression: 'duration_minutes >= 15 AND duration_minutes <= 480 AND buffer_minutes >= 0 AND buffer_minutes <= 240' })
// Calendars (RFC 5545 SEQUENCE) must see every change of what an invitation shows rise the
// number, whichever statement made it (the ORM, the hold expiry's SQL): so the database does it.
@Trigger({
  name: 'consultation_calendar_sequence',
  timing: 'before',
  events: ['update'],
  forEach: 'row',
  body: `IF (NEW.start_at, NEW.end_at, NEW.status, NEW.attendees::text, NEW.purpose, NEW.consultant_id) IS DISTINCT FROM (OLD.start_at, OLD.end_at, OLD.status, OLD.attendees::text, OLD.purpose, OLD.consultant_id) THEN NEW.calendar_sequence := OLD.calendar_sequence + 1; END IF; RETURN NEW;`,
})
@ObjectType('Consultation')
export class Consultation {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'notes' | 'skills' | 'attendees' | 'idempotencyKey' | 'requestHash' | 'assignment' | 'holdExpiresAt'
    | 'creditState' | 'usedFreeTrial' | 'actualStart' | 'actualEnd' | 'actualDurationMinutes' | 'outcomes' | 'deliverables' | 'actionItems'
    | 'nextSteps' | 'internalNotes' | 'cancelledAt' | 'cancelledBy' | 'cancellationReason' | 'noShowParty' | 'rescheduleCount' | 'lateRescheduledAt' | 'rescheduleRequest' | 'meetingProvider'
    | 'paymentMethod' | 'fee' | 'stripePaymentIntentId' | 'feeClientSecret' | 'feeRefundedAt' | 'calendarSequence';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** e.g. CNS-ACME-20261123-001 */
  @Field({ description: 'e.g. CNS-ACME-20261123-001' })
  @Property({ type: 'string', length: 60, unique: true })
  code!: string;

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  /** The member the session is for (their credit cap applies). */
  @ManyToOne(() => User)
  client!: Rel<User>;

  /** Who made the booking (idempotency keys are scoped to them). */
  @ManyToOne(() => User)
  bookedBy!: Rel<User>;

  @ManyToOne(() => ConsultantProfile)
  consultant!: Rel<ConsultantProfile>;

  @Field(() => ConsultationStatus)
  @Enum({ items: () => ConsultationStatus, type: 'string' })
  status!: ConsultationStatus;

  @Field({ name: 'start' })
  @Property({ type: 'timestamptz' })
  startAt!: Date;

  @Field({ name: 'end' })
  @Property({ type: 'timestamptz' })
  endAt!: Date;

  @Field(() => Int)
  @Property({ type: 'integer' })
  durationMinutes!: number;

  /** The consultant's buffer in force at booking. */
  @Field(() => Int, { description: 'The consultant’s buffer after this session, fixed at booking.' })
  @Property({ type: 'integer' })
  bufferMinutes!: number;

  /** endAt + bufferMinutes: the end of the time this consultation holds. */
  @Property({ type: 'timestamptz' })
  heldUntil!: Date;

  /** PENDING_PAYMENT only: when the unpaid hold lapses. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  holdExpiresAt: Date | null = null;

  @Field()
  @Property({ type: 'text' })
  purpose!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  @Enum({ items: () => MeetingProvider, type: 'string', default: MeetingProvider.JITSI })
  meetingProvider: MeetingProvider = MeetingProvider.JITSI;

  @Field(() => [String], { description: 'The skills the client asked for.' })
  @Property({ type: 'text[]', defaultRaw: `'{}'` })
  skills: string[] = [];

  @Field(() => [Attendee])
  @Property({ type: 'json', defaultRaw: `'[]'` })
  attendees: Attendee[] = [];

  @Property({ type: 'string', length: 200, nullable: true })
  idempotencyKey: string | null = null;

  /** Hash of the booking request, to tell a retry from a different booking under the same key. */
  @Property({ type: 'string', length: 64, nullable: true })
  requestHash: string | null = null;

  @Field(() => Assignment, { nullable: true, description: 'Set when the consultant was auto-assigned.' })
  @Property({ type: 'json', nullable: true })
  assignment: Assignment | null = null;

  @Field()
  @Property({ type: 'boolean', default: false })
  usedFreeTrial: boolean = false;

  /** What happened to the credits (the ledger holds the units). */
  @Field(() => CreditState)
  @Enum({ items: () => CreditState, type: 'string', default: CreditState.HELD })
  creditState: CreditState = CreditState.HELD;

  @Field(() => PaymentMethod)
  @Enum({ items: () => PaymentMethod, type: 'string', default: PaymentMethod.CREDITS })
  paymentMethod: PaymentMethod = PaymentMethod.CREDITS;

  /** BOOKING_FEE: the fee charged through Stripe (refundable when cancelled in time). */
  @Embedded(() => Money, { prefix: 'fee_', nullable: true })
  fee: Money | null = null;

  @Property({ type: 'string', length: 255, nullable: true, unique: true })
  stripePaymentIntentId: string | null = null;

  /** For Stripe.js to pay the fee while the hold waits (PENDING_PAYMENT). */
  @Property({ type: 'string', length: 255, nullable: true })
  feeClientSecret: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  feeRefundedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  actualStart: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  actualEnd: Date | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  actualDurationMinutes: number | null = null;

  @Field(() => Outcomes, { nullable: true })
  @Property({ type: 'json', nullable: true })
  outcomes: Outcomes | null = null;

  @Field(() => [Deliverable])
  @Property({ type: 'json', defaultRaw: `'[]'` })
  deliverables: Deliverable[] = [];

  @Field(() => [ActionItem])
  @Property({ type: 'json', defaultRaw: `'[]'` })
  actionItems: ActionItem[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  nextSteps: string | null = null;

  /** The consultant's and admins' notes: never shown to the client side. */
  @Property({ type: 'text', nullable: true })
  internalNotes: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null = null;

  @ManyToOne(() => User, { nullable: true })
  cancelledBy: Rel<User> | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  cancellationReason: string | null = null;

  @Field(() => NoShowParty, { nullable: true })
  @Enum({ items: () => NoShowParty, type: 'string', nullable: true })
  noShowParty: NoShowParty | null = null;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  rescheduleCount: number = 0;

  /** See lifecycle.ts lateAfterReschedule: set by the client's own move inside the late window, cleared by a move the client did not choose. */
  @Field(() => Date, {
    nullable: true,
    description: 'When the client moved the session less than 24 h before its then start: a later cancellation by the client counts as late (credit used, fee kept). Null otherwise, and after a move by the consultant side.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  lateRescheduledAt: Date | null = null;

  @Property({ type: 'json', nullable: true })
  rescheduleRequest: RescheduleRequestData | null = null;

  /**
   * How often what a calendar shows of it changed (time, status, attendees, purpose, consultant):
   * raised by the consultation_calendar_sequence trigger on every such UPDATE, never by the app,
   * so it only grows. Invitations and feeds send it as SEQUENCE (src/calendar/).
   */
  @Property({ type: 'integer', default: 0 })
  calendarSequence: number = 0;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** One change of a consultation (who, when, why): the history is append-only. */
@Entity({ tableName: 'consultation_status_change' })
@Filter({ ...TENANT_FILTER })
@Index({ properties: ['consultation', 'at'] })
@ObjectType('StatusChange')
export class ConsultationStatusChange {
  [OptionalProps]?: 'at' | 'actor' | 'reason' | 'fromStatus' | 'details';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Consultation, { deleteRule: 'cascade' })
  consultation!: Rel<Consultation>;

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field(() => ConsultationEventKind)
  @Enum({ items: () => ConsultationEventKind, type: 'string' })
  event!: ConsultationEventKind;

  @Field(() => ConsultationStatus, { nullable: true, description: 'Null on the booking itself.' })
  @Enum({ items: () => ConsultationStatus, type: 'string', nullable: true })
  fromStatus: ConsultationStatus | null = null;

  @Field(() => ConsultationStatus)
  @Enum({ items: () => ConsultationStatus, type: 'string' })
  toStatus!: ConsultationStatus;

  /** Null: the system (a job, a webhook). */
  @ManyToOne(() => User, { nullable: true })
  actor: Rel<User> | null = null;

  @Field({ description: 'CLIENT, CONSULTANT, ADMIN or SYSTEM.' })
  @Property({ type: 'string', length: 20 })
  actorRole!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  /** e.g. a reschedule's old and new times. */
  @Property({ type: 'json', nullable: true })
  details: Record<string, unknown> | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  at: Date = new Date();
}

/** The client's feedback on a completed consultation (one per consultation). */
@Entity({ tableName: 'consultation_feedback' })
@Filter({ ...TENANT_FILTER })
@Check({
  name: 'consultation_feedback_ratings_check',
  // Written as PostgreSQL normalizes it, so schema diffs see no change.
  expression: '((overall >= 1) AND (overall <= 5)) AND ((expertise >= 1) AND (expertise <= 5)) AND ((communication >= 1) AND (communication <= 5)) AND ((helpfulness >= 1) AND (helpfulness <= 5))',
})
@ObjectType('Feedback')
export class ConsultationFeedback {
  [OptionalProps]?: 'createdAt' | 'strengths' | 'improvements' | 'testimonial' | 'publicTestimonial';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Consultation, { unique: true, deleteRule: 'cascade' })
  consultation!: Rel<Consultation>;

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @ManyToOne(() => ConsultantProfile)
  consultant!: Rel<ConsultantProfile>;

  @ManyToOne(() => User)
  author!: Rel<User>;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  overall!: number;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  expertise!: number;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  communication!: number;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  helpfulness!: number;

  @Field()
  @Property({ type: 'boolean' })
  wouldRecommend!: boolean;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  strengths: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  improvements: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  testimonial: string | null = null;

  @Field({ description: 'The client agreed to show the testimonial publicly.' })
  @Property({ type: 'boolean', default: false })
  publicTestimonial: boolean = false;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
