import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Embeddable, Entity, Filter, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Organization } from '../identity/organization.entity.js';
import { User } from '../identity/user.entity.js';
import { TENANT_FILTER } from '../platform/tenant.js';

/**
 * A party of an invoice or credit note as printed: copied onto the document when it is issued,
 * so later changes of the settings or of the organization's billing details never alter it.
 */
@Embeddable()
@ObjectType('InvoiceParty', { description: 'The seller or the buyer as printed on an invoice or credit note (copied when it was issued).' })
export class InvoiceParty {
  @Field()
  @Property({ type: 'string', length: 200 })
  legalName!: string;

  @Field(() => String, { nullable: true, description: 'Several lines, separated by \\n.' })
  @Property({ type: 'text', nullable: true })
  address: string | null = null;

  @Field(() => String, { nullable: true, description: 'VAT or other tax id.' })
  @Property({ type: 'string', length: 50, nullable: true })
  taxId: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;
}

/**
 * What a client organization's invoices print as the buyer (legal name, address, tax id) and
 * where its billing mail also goes (email). Set by its owners (or admins); one row at most.
 */
@Entity({ tableName: 'billing_details' })
@Filter({ ...TENANT_FILTER })
@ObjectType('BillingDetails', { description: 'The organization’s details printed on its invoices and credit notes (those issued from now on).' })
export class BillingDetails {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'taxId' | 'email' | 'updatedBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Organization, { owner: true, unique: true, deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field()
  @Property({ type: 'string', length: 200 })
  legalName!: string;

  @Field({ description: 'Several lines, separated by \\n.' })
  @Property({ type: 'text' })
  address!: string;

  @Field(() => String, { nullable: true, description: 'VAT or other tax id.' })
  @Property({ type: 'string', length: 50, nullable: true })
  taxId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Gets a copy of every payment confirmation and refund message.' })
  @Property({ type: 'string', length: 254, nullable: true })
  email: string | null = null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  updatedBy: Rel<User> | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
