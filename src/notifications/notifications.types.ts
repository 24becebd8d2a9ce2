import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../platform/pagination.js';
import { DeliveryChannel, DeliveryStatus, MessageKind } from './notification.enums.js';

/**
 * A delivery as admins see it (NotificationDelivery's fields, read off the entity): where a
 * message is, and why it failed. Not its payload: the facts it carries (links with tokens among
 * them) stay in the database.
 */
@ObjectType('NotificationDelivery', { description: 'One message to one recipient on one channel, and where it is (admins only).' })
export class NotificationDeliveryNode {
  @Field(() => ID)
  id!: string;

  @Field(() => MessageKind)
  kind!: MessageKind;

  @Field(() => DeliveryChannel)
  channel!: DeliveryChannel;

  @Field(() => DeliveryStatus)
  status!: DeliveryStatus;

  @Field({ description: 'What it is about: CONSULTATION, USER, INVITATION, SUBSCRIPTION, ORGANIZATION, CREDIT_LOT, INVOICE or PURCHASE.' })
  subjectType!: string;

  @Field(() => ID)
  subjectId!: string;

  @Field({ description: 'Which side of the subject the recipient is on: CLIENT, CONSULTANT, ATTENDEE or USER.' })
  side!: string;

  @Field(() => ID, { nullable: true, description: 'The recipient’s account, when they have one.' })
  recipientUserId!: string | null;

  @Field(() => String, { nullable: true, description: 'The address, for a recipient known by email alone (an attendee).' })
  recipientEmail!: string | null;

  @Field(() => ID, { nullable: true })
  organizationId!: string | null;

  @Field({ description: "'' for a message its subject gets once; e.g. the session's start for its reminders." })
  occurrence!: string;

  @Field({ description: 'Its moment: not sent before.' })
  dueAt!: Date;

  @Field({ description: 'When it may next be tried (after a transient failure, later than dueAt).' })
  nextAttemptAt!: Date;

  @Field(() => Int, { description: 'Tries so far (claims by a sender).' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last try failed (or why it was skipped).' })
  lastError!: string | null;

  @Field({ description: 'The Message-ID header its emails carry (the same on a resend).' })
  messageId!: string;

  @Field(() => Date, { nullable: true })
  sentAt!: Date | null;

  @Field()
  createdAt!: Date;
}

export const NotificationDeliveryConnection = ConnectionType('NotificationDelivery', NotificationDeliveryNode);
