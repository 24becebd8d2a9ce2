import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { User } from '../identity/user.entity.js';
import { MessageKind, SubjectType } from './notification.enums.js';

/**
 * A message in the app's inbox of one user: written once per IN_APP delivery (delivery_id is
 * unique, so a repeated dispatch writes nothing). It belongs to its user, not to an
 * organization: every read and change filters by the caller's own id, in any organization.
 */
@Entity({ tableName: 'notification' })
@Index({ name: 'notification_inbox', properties: ['user', 'createdAt', 'id'] })
@ObjectType('Notification', { description: 'A message in your in-app inbox (unread until you mark it read).' })
export class Notification {
  [OptionalProps]?: 'readAt' | 'createdAt' | 'link';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: Rel<User>;

  @Field(() => String, { description: 'What it is about: a MessageKind, e.g. REMINDER_24H or BOOKING_CONFIRMED.' })
  @Enum({ items: () => MessageKind, type: 'string' })
  kind!: MessageKind;

  @Field()
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field()
  @Property({ type: 'text' })
  body!: string;

  @Field(() => String, { nullable: true, description: 'Where to go for it in the app (an absolute URL), when there is somewhere.' })
  @Property({ type: 'text', nullable: true })
  link: string | null = null;

  @Field(() => String, { description: 'What the notification is about, e.g. CONSULTATION.' })
  @Enum({ items: () => SubjectType, type: 'string' })
  subjectType!: SubjectType;

  @Field(() => ID, { description: 'The id of that subject, e.g. the consultation’s.' })
  @Property({ type: 'uuid' })
  subjectId!: string;

  /** The IN_APP delivery it came from: one notification per delivery. */
  @Property({ type: 'uuid', unique: true })
  deliveryId!: string;

  @Field(() => Date, { nullable: true, description: 'When you marked it read; null while unread.' })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * What a user turned off, per channel: reminders, and the other messages that are not
 * essential (preferences.rules.ts says which). No row: everything on.
 */
@Entity({ tableName: 'notification_preference' })
export class NotificationPreference {
  [OptionalProps]?: 'emailReminders' | 'emailUpdates' | 'inAppReminders' | 'inAppUpdates' | 'updatedAt';

  @OneToOne(() => User, { primary: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ type: 'boolean' })
  emailReminders = true;

  @Property({ type: 'boolean' })
  emailUpdates = true;

  @Property({ type: 'boolean' })
  inAppReminders = true;

  @Property({ type: 'boolean' })
  inAppUpdates = true;

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
