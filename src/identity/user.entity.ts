import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { TimeZoneScalar } from '../platform/scalars.js';
import { UserRole } from './identity.enums.js';

@Entity({ tableName: 'app_user' })
@ObjectType('User')
export class User {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'emailVerifiedAt' | 'lastLoginAt' | 'title' | 'phone' | 'timeZone' | 'displayName' | 'emailVerified';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased; unique. */
  @Field()
  @Property({ type: 'string', length: 254, unique: true })
  email!: string;

  /** argon2id; never exposed. */
  @Property({ type: 'string', length: 200, lazy: true })
  passwordHash!: string;

  @Field(() => UserRole)
  @Enum({ items: () => UserRole, type: 'string' })
  role!: UserRole;

  @Field()
  @Property({ type: 'string', length: 100 })
  firstName!: string;

  @Field()
  @Property({ type: 'string', length: 100 })
  lastName!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 100, nullable: true })
  title: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 30, nullable: true })
  phone: string | null = null;

  /** IANA zone used wherever times are shown to this user. */
  @Field(() => TimeZoneScalar, { description: 'Where times are shown to this user.' })
  @Property({ type: 'string', length: 64 })
  timeZone: string = 'UTC';

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Field({ description: 'First and last name.' })
  get displayName(): string {
    return displayNameOf(this.firstName, this.lastName);
  }

  @Field({ description: 'Whether the email address has been proven.' })
  get emailVerified(): boolean {
    return this.emailVerifiedAt !== null;
  }
}

/** First and last name, as User.displayName shows them. */
export function displayNameOf(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`.trim();
}
