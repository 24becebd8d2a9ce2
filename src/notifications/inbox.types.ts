import { Field, InputType, ObjectType } from 'type-graphql';
import { ConnectionType } from '../platform/pagination.js';
import { MessageKind } from './notification.enums.js';
import { Notification } from './notification.entity.js';

export const NotificationConnection = ConnectionType('Notification', Notification);

@ObjectType({ description: 'Which messages you get, per channel. Essential ones (essentialKinds) always go, whatever these say.' })
export class NotificationPreferences {
  @Field({ description: 'Email reminders: 24 h and 1 h before a session, low credit, credits expiring, a subscription renewing.' })
  emailReminders!: boolean;

  @Field({ description: 'Other emails you may do without: session started, completion summary, feedback request, free trial granted, credits expired.' })
  emailUpdates!: boolean;

  @Field({ description: 'In-app reminders: 24 h and 1 h before a session, low credit, credits expiring, a subscription renewing.' })
  inAppReminders!: boolean;

  @Field({ description: 'Other in-app notifications you may do without: session started, completion summary, feedback request, free trial granted, credits expired.' })
  inAppUpdates!: boolean;

  @Field(() => [MessageKind], { description: 'The messages that always go: account emails, and those saying a booking was confirmed, moved, asked to move, cancelled, or its hold lapsed; and those about money: payment confirmed, refund processed, renewal payment failed.' })
  essentialKinds!: MessageKind[];
}

@InputType({ description: 'The switches to change (true: on, false: off); those left out stay as they are.' })
export class NotificationPreferencesInput {
  @Field(() => Boolean, { nullable: true })
  emailReminders?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  emailUpdates?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  inAppReminders?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  inAppUpdates?: boolean | null;
}
