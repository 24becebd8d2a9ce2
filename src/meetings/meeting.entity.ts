import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Consultation } from '../consultations/consultation.entity.js';
import { MeetingAction, MeetingStatus } from './meeting.enums.js';

/**
 * The place a consultation meets: one per consultation. Written PENDING inside the booking's
 * transaction (meeting.handlers.ts), never by calling a provider there; the job
 * (meetings.job.ts) asks the provider after commit and retries with backoff.
 */
@Entity({ tableName: 'meeting' })
@Index({ name: 'meeting_due', properties: ['action', 'nextAttemptAt'] })
// POST /webhooks/zoom finds the row by Zoom's meeting id.
@Index({ name: 'meeting_external', properties: ['provider', 'externalId'] })
export class Meeting {
  [OptionalProps]?:
    | 'status' | 'action' | 'externalId' | 'joinUrl' | 'passcode' | 'dialIn' | 'hostUrl' | 'recordingUrl' | 'startedAt' | 'endedAt' | 'linkSequence' | 'linkChangedAt'
    | 'attempts' | 'nextAttemptAt' | 'leaseUntil' | 'lastError' | 'createdAt' | 'updatedAt';

  @OneToOne(() => Consultation, { primary: true, deleteRule: 'cascade' })
  consultation!: Rel<Consultation>;

  /** The consultation's MeetingProvider when the row was written. */
  @Property({ type: 'string', length: 20 })
  provider!: string;

  @Enum({ items: () => MeetingStatus, type: 'string' })
  status: MeetingStatus = MeetingStatus.PENDING;

  @Enum({ items: () => MeetingAction, type: 'string', nullable: true })
  action: MeetingAction | null = null;

  /** The provider's id, stored as soon as it is known (a retry updates rather than re-creates). */
  @Property({ type: 'text', nullable: true })
  externalId: string | null = null;

  @Property({ type: 'text', nullable: true })
  joinUrl: string | null = null;

  @Property({ type: 'text', nullable: true })
  passcode: string | null = null;

  @Property({ type: 'text', nullable: true })
  dialIn: string | null = null;

  @Property({ type: 'text', nullable: true })
  hostUrl: string | null = null;

  @Property({ type: 'text', nullable: true })
  recordingUrl: string | null = null;

  /** When the meeting actually began, as the provider reported it (Zoom's meeting.started): the earliest start. */
  @Property({ type: 'timestamptz', nullable: true })
  startedAt: Date | null = null;

  /** When it actually ended (Zoom's meeting.ended): the latest end, so a host rejoining does not shorten it. */
  @Property({ type: 'timestamptz', nullable: true })
  endedAt: Date | null = null;

  /** Raised with every new join URL (markReady): invitations add it to the consultation's calendar sequence. */
  @Property({ type: 'integer', default: 0 })
  linkSequence = 0;

  /** When the join URL last changed (a calendar feed's Last-Modified follows it). */
  @Property({ type: 'timestamptz', nullable: true })
  linkChangedAt: Date | null = null;

  /** Provider calls of the current action (the claim counts one; it is the claim's token too). */
  @Property({ type: 'integer', default: 0 })
  attempts = 0;

  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;

  /** A claim's end: a job that crashed mid-call is retried after it. */
  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
