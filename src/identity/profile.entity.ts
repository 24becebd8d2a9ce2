import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Filter, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { TENANT_FILTER } from '../platform/tenant.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

/** The client record made at registration (or on accepting an invitation as a new user). */
@Entity({ tableName: 'client_profile' })
@Filter({ ...TENANT_FILTER })
@ObjectType('ClientProfile')
export class ClientProfile {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => User, { owner: true, unique: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  /** The organization the client record was made for. */
  @Field(() => Organization)
  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field({ description: 'e.g. CLI-ACME-20261123-001' })
  @Property({ type: 'string', length: 60, unique: true })
  code!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A consultant's profile; the scheduling work adds skills, rates and availability. */
@Entity({ tableName: 'consultant_profile' })
@ObjectType('ConsultantProfile')
export class ConsultantProfile {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => User, { owner: true, unique: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Field({ description: 'e.g. CON-WHITE-20261123-001' })
  @Property({ type: 'string', length: 60, unique: true })
  code!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
