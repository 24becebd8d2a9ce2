import { randomBytes, randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Embedded, Entity, Filter, Index, ManyToOne, OneToOne, PrimaryKey, Property, Trigger } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { Organization } from '../identity/organization.entity.js';
import { Money } from '../platform/money.js';
import { TENANT_FILTER } from '../platform/tenant.js';
import { InvoiceParty } from './billing-details.entity.js';
import { DOWNLOAD_KEY_DEFAULT, Invoice, InvoiceLine, PARTY_COLUMNS, Purchase, unchangedBody } from './payment.entity.js';

/**
 * A refund's credit note: it credits (part of) one invoice, numbered gap-free per year in its
 * own series (CN-2026-000001, a counter row locked in the refund's transaction, like invoices,
 * I10). Seller and buyer are copied from the invoice it credits; like an invoice, the database
 * refuses to change it once issued.
 */
@Entity({ tableName: 'credit_note' })
@Filter({ ...TENANT_FILTER })
@Index({ properties: ['organization', 'issuedAt'] })
@Trigger({
  name: 'credit_note_issued_unchanged',
  timing: 'before',
  events: ['update'],
  forEach: 'row',
  body: unchangedBody('credit note', ['number', 'invoice_id', 'issued_at', 'lines', 'total_amount', 'total_currency', ...PARTY_COLUMNS, 'refund_reference', 'refund_method']),
})
@ObjectType('CreditNote', { description: 'What a refund gave back, crediting an invoice.' })
export class CreditNote {
  [OptionalProps]?: 'createdAt' | 'purchase' | 'consultationId' | 'reason' | 'refundReference' | 'refundMethod' | 'seller' | 'buyer' | 'downloadKey';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'e.g. CN-2026-000001: consecutive within the year, a series of its own.' })
  @Property({ type: 'string', length: 32, unique: true })
  number!: string;

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  /** The invoice it credits. */
  @ManyToOne(() => Invoice, { deleteRule: 'cascade' })
  @Index()
  invoice!: Rel<Invoice>;

  /** The refunded purchase (one credit note each). */
  @OneToOne(() => Purchase, { owner: true, nullable: true, unique: true })
  purchase: Rel<Purchase> | null = null;

  /** The consultation whose booking fee was refunded (one credit note each). */
  @Property({ type: 'uuid', nullable: true, unique: true })
  consultationId: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  issuedAt!: Date;

  @Field(() => [InvoiceLine])
  @Property({ type: 'json' })
  lines!: InvoiceLine[];

  @Field(() => Money, { description: 'The amount credited (refunded), positive.' })
  @Embedded(() => Money, { prefix: 'total_' })
  total!: Money;

  @Field(() => InvoiceParty, { nullable: true })
  @Embedded(() => InvoiceParty, { prefix: 'seller_', nullable: true })
  seller: InvoiceParty | null = null;

  @Field(() => InvoiceParty, { nullable: true })
  @Embedded(() => InvoiceParty, { prefix: 'buyer_', nullable: true })
  buyer: InvoiceParty | null = null;

  @Field(() => String, { nullable: true, description: 'The refund’s reference at Stripe (re_…), when known.' })
  @Property({ type: 'string', length: 255, nullable: true })
  refundReference: string | null = null;

  @Field(() => String, { nullable: true, description: 'Where the money went back, e.g. "Visa •••• 4242".' })
  @Property({ type: 'string', length: 100, nullable: true })
  refundMethod: string | null = null;

  /** Signs its download links in emails (document-links.ts); never shown. */
  @Property({ type: 'string', length: 64, defaultRaw: DOWNLOAD_KEY_DEFAULT })
  downloadKey: string = randomBytes(32).toString('base64url');

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
