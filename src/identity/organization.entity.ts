import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Filter, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { TENANT_FILTER } from '../platform/tenant.js';
import { InvitationStatus, OrgRole, OrganizationType } from './identity.enums.js';
import { User } from './user.entity.js';

/** A client organization: the tenant that owns credits, bookings and members. */
@Entity({ tableName: 'organization' })
@ObjectType('Organization')
export class Organization {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => OrganizationType)
  @Enum({ items: () => OrganizationType, type: 'string' })
  type!: OrganizationType;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A client's membership of an organization. Tenant-owned: filtered to the caller's organization. */
@Entity({ tableName: 'membership' })
@Filter({ ...TENANT_FILTER })
@Unique({ properties: ['organization', 'user'] })
@ObjectType('OrganizationMember')
export class Membership {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field(() => User)
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  @Index()
  user!: Rel<User>;

  @Field(() => OrgRole)
  @Enum({ items: () => OrgRole, type: 'string' })
  role!: OrgRole;

  @Field({ description: 'When the user joined the organization.' })
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** An owner's invitation of a colleague by email; the token is single-use and expires in 7 days. */
@Entity({ tableName: 'invitation' })
@Filter({ ...TENANT_FILTER })
@ObjectType('Invitation')
export class Invitation {
  [OptionalProps]?: 'createdAt' | 'acceptedAt' | 'revokedAt' | 'status';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Organization)
  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field()
  @Property({ type: 'string', length: 254 })
  @Index()
  email!: string;

  @Field(() => OrgRole)
  @Enum({ items: () => OrgRole, type: 'string' })
  role!: OrgRole;

  @ManyToOne(() => User)
  invitedBy!: Rel<User>;

  /** sha256 of the token sent by email; the token itself is never stored. */
  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => InvitationStatus)
  get status(): InvitationStatus {
    if (this.acceptedAt) return InvitationStatus.ACCEPTED;
    if (this.revokedAt) return InvitationStatus.REVOKED;
    if (this.expiresAt.getTime() <= Date.now()) return InvitationStatus.EXPIRED;
    return InvitationStatus.PENDING;
  }
}
