import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { DeliveryChannel, DeliveryStatus, MessageKind, RecipientSide, SubjectType } from './notification.enums.js';

/**
 * One message to one recipient on one channel: the outbox (I11). Written in the transaction of
 * the change that decides it (outbox.ts); a dispatcher claims it with a lease after its moment,
 * sends it, and marks it SENT. Unique per (subject, kind, channel, recipient, occurrence), so a
 * second decision of the same message writes nothing. `occurrence` tells apart the messages one
 * subject gets more than once (a reminder per scheduled start: a reschedule is a new occurrence).
 */
@Entity({ tableName: 'notification_delivery' })
@Unique({ name: 'notification_delivery_once', properties: ['subjectType', 'subjectId', 'kind', 'channel', 'recipientKey', 'occurrence'] })
@Index({ name: 'notification_delivery_due', properties: ['status', 'nextAttemptAt'] })
@Index({ name: 'notification_delivery_subject', properties: ['subjectType', 'subjectId'] })
export class NotificationDelivery {
  [OptionalProps]?: 'occurrence' | 'status' | 'attempts' | 'leaseUntil' | 'lastError' | 'sentAt' | 'createdAt' | 'updatedAt' | 'organizationId' | 'recipientUserId' | 'recipientEmail' | 'payload';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => SubjectType, type: 'string' })
  subjectType!: SubjectType;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Enum({ items: () => MessageKind, type: 'string' })
  kind!: MessageKind;

  @Enum({ items: () => DeliveryChannel, type: 'string' })
  channel!: DeliveryChannel;

  @Enum({ items: () => RecipientSide, type: 'string' })
  side!: RecipientSide;

  /** `user:<id>` or `email:<address>` (attendees without an account). */
  @Property({ type: 'string', length: 320 })
  recipientKey!: string;

  @Property({ type: 'uuid', nullable: true })
  recipientUserId: string | null = null;

  @Property({ type: 'string', length: 254, nullable: true })
  recipientEmail: string | null = null;

  /** '' for a message a subject gets once; e.g. the session's start (ISO) for its reminders. */
  @Property({ type: 'string', length: 100 })
  occurrence = '';

  /** The client organization it concerns, when there is one (admins filter by it). */
  @Property({ type: 'uuid', nullable: true })
  organizationId: string | null = null;

  /** Facts fixed when the message was decided (e.g. the old time of a reschedule); the rest is read when it is sent. */
  @Property({ type: 'json', nullable: true })
  payload: Record<string, unknown> | null = null;

  @Enum({ items: () => DeliveryStatus, type: 'string' })
  status: DeliveryStatus = DeliveryStatus.PENDING;

  /** Its moment: not sent before. */
  @Property({ type: 'timestamptz' })
  dueAt!: Date;

  /** When a sender may (next) claim it: dueAt, then later after each transient failure. */
  @Property({ type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Property({ type: 'integer' })
  attempts = 0;

  /** A claimed delivery's lease: another sender takes it over only after this. */
  @Property({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  /** Fixed at decision, so a resend after a crash carries the same Message-ID. */
  @Property({ type: 'string', length: 200 })
  messageId!: string;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
