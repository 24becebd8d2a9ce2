import { randomBytes, randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Embedded, Entity, Enum, Filter, Index, ManyToOne, OneToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Package } from '../catalog/package.entity.js';
import { CreditLot } from '../credits/credit-lot.entity.js';
import { Organization } from '../identity/organization.entity.js';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { User } from '../identity/user.entity.js';
import { Money } from '../platform/money.js';
import { TENANT_FILTER } from '../platform/tenant.js';
import { InvoiceParty } from './billing-details.entity.js';

export const PurchaseStatus = { PENDING: 'PENDING', SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', REFUNDED: 'REFUNDED' } as const;
export type PurchaseStatus = (typeof PurchaseStatus)[keyof typeof PurchaseStatus];
registerEnumType(PurchaseStatus, {
  name: 'PurchaseStatus',
  description: 'PENDING until Stripe says the payment succeeded (then the credits are granted) or failed; REFUNDED revokes the unused credits.',
});

/** The Stripe customer of a client organization: one, made on first need. */
@Entity({ tableName: 'billing_customer' })
@Filter({ ...TENANT_FILTER })
export class BillingCustomer {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Organization, { owner: true, unique: true, deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Property({ type: 'string', length: 255, unique: true })
  stripeCustomerId!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * A package bought by an organization. Credits are granted only from Stripe's signed
 * payment_intent.succeeded webhook, once: the PaymentIntent id is unique (I9) and the
 * purchase links at most one credit lot.
 */
@Entity({ tableName: 'purchase' })
@Filter({ ...TENANT_FILTER })
@Index({ properties: ['organization', 'package', 'status'] })
@Unique({ name: 'purchase_idempotency_key_unique', properties: ['buyer', 'idempotencyKey'] })
@ObjectType('Purchase')
export class Purchase {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'stripePaymentIntentId' | 'clientSecret' | 'idempotencyKey' | 'requestHash' | 'creditLot'
    | 'failureMessage' | 'refundedAt' | 'refundReason' | 'stripeRefundId' | 'revokedUnits' | 'keptUnits';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @ManyToOne(() => Package)
  package!: Rel<Package>;

  /** Who bought it. */
  @ManyToOne(() => User)
  buyer!: Rel<User>;

  @Field(() => PurchaseStatus)
  @Enum({ items: () => PurchaseStatus, type: 'string' })
  status!: PurchaseStatus;

  @Field(() => Money, { description: 'The package price at the time of purchase.' })
  @Embedded(() => Money, { prefix: 'amount_' })
  amount!: Money;

  @Property({ type: 'string', length: 255, nullable: true, unique: true })
  stripePaymentIntentId: string | null = null;

  /** Handed to the buyer's browser to confirm the payment with Stripe.js; useless without the publishable key. */
  @Property({ type: 'string', length: 255, nullable: true })
  clientSecret: string | null = null;

  @Property({ type: 'string', length: 200, nullable: true })
  idempotencyKey: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  requestHash: string | null = null;

  @OneToOne(() => CreditLot, { owner: true, nullable: true, unique: true })
  creditLot: Rel<CreditLot> | null = null;

  @Field(() => String, { nullable: true, description: 'Why the payment failed, as Stripe said it.' })
  @Property({ type: 'text', nullable: true })
  failureMessage: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  refundedAt: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  refundReason: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true })
  stripeRefundId: string | null = null;

  @Field(() => Int, { nullable: true, description: 'Unused credits (sessions or minutes) revoked by the refund.' })
  @Property({ type: 'integer', nullable: true })
  revokedUnits: number | null = null;

  @Field(() => Int, { nullable: true, description: 'Credits already used or held by bookings when refunded: reported, not clawed back.' })
  @Property({ type: 'integer', nullable: true })
  keptUnits: number | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** One row per Stripe event processed, written in the same transaction as its effects (I9). */
@Entity({ tableName: 'stripe_event' })
export class StripeEvent {
  [OptionalProps]?: 'processedAt';

  @PrimaryKey({ type: 'string', length: 255 })
  id!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  /** What happened: PROCESSED (effects applied) or IGNORED (not ours, or nothing to do). */
  @Property({ type: 'string', length: 20 })
  outcome!: string;

  @Property({ type: 'timestamptz' })
  processedAt: Date = new Date();
}

export const SubscriptionStatus = {
  INCOMPLETE: 'INCOMPLETE',
  ACTIVE: 'ACTIVE',
  PAST_DUE: 'PAST_DUE',
  UNPAID: 'UNPAID',
  CANCELED: 'CANCELED',
  INCOMPLETE_EXPIRED: 'INCOMPLETE_EXPIRED',
  TRIALING: 'TRIALING',
  PAUSED: 'PAUSED',
} as const;
export type SubscriptionStatus = (typeof SubscriptionStatus)[keyof typeof SubscriptionStatus];
registerEnumType(SubscriptionStatus, { name: 'SubscriptionStatus', description: 'Mirrored from Stripe.' });

/** Statuses in which an organization has (or is getting) the subscription: one per package at a time. */
export const LIVE_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['INCOMPLETE', 'ACTIVE', 'PAST_DUE', 'TRIALING', 'PAUSED', 'UNPAID'];

/** A SUBSCRIPTION package an organization pays per period; each paid period grants its credits. */
@Entity({ tableName: 'billing_subscription' })
@Filter({ ...TENANT_FILTER })
@Index({ properties: ['organization', 'package'] })
@ObjectType('BillingSubscription')
export class BillingSubscription {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'stripeSubscriptionId' | 'clientSecret' | 'currentPeriodStart' | 'currentPeriodEnd' | 'cancelAtPeriodEnd'
    | 'canceledAt' | 'renewalReminderFor';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @ManyToOne(() => Package)
  package!: Rel<Package>;

  @ManyToOne(() => User)
  buyer!: Rel<User>;

  @Field(() => SubscriptionStatus)
  @Enum({ items: () => SubscriptionStatus, type: 'string' })
  status!: SubscriptionStatus;

  @Field(() => Money, { description: 'Price per period.' })
  @Embedded(() => Money, { prefix: 'amount_' })
  amount!: Money;

  @Property({ type: 'string', length: 255, nullable: true, unique: true })
  stripeSubscriptionId: string | null = null;

  /** For Stripe.js to pay the first invoice when no payment method was given. */
  @Property({ type: 'string', length: 255, nullable: true })
  clientSecret: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  currentPeriodStart: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it renews (or ends, with cancelAtPeriodEnd).' })
  @Property({ type: 'timestamptz', nullable: true })
  currentPeriodEnd: Date | null = null;

  @Field()
  @Property({ type: 'boolean', default: false })
  cancelAtPeriodEnd: boolean = false;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  canceledAt: Date | null = null;

  /** The period end the 7-day renewal reminder was sent for (sent once per period). */
  @Property({ type: 'timestamptz', nullable: true })
  renewalReminderFor: Date | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** A subscription period's credits, granted once per paid Stripe invoice (unique). */
@Entity({ tableName: 'subscription_grant' })
@Filter({ ...TENANT_FILTER })
export class SubscriptionGrant {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @ManyToOne(() => BillingSubscription, { deleteRule: 'cascade' })
  subscription!: Rel<BillingSubscription>;

  @Property({ type: 'string', length: 255, unique: true })
  stripeInvoiceId!: string;

  @OneToOne(() => CreditLot, { owner: true, unique: true })
  creditLot!: Rel<CreditLot>;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** The Stripe price used for a package's subscription (per amount, currency and interval). */
@Entity({ tableName: 'billing_price' })
@Unique({ properties: ['package', 'amount', 'currency', 'intervalMonths'] })
export class BillingPrice {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Package)
  package!: Rel<Package>;

  @Property({ type: 'integer' })
  amount!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'integer' })
  intervalMonths!: number;

  @Property({ type: 'string', length: 255, unique: true })
  stripePriceId!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A random key for rows written by hand (tests' SQL, rows older than the column); the ORM writes its own. */
export const DOWNLOAD_KEY_DEFAULT = "replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')";

/** The seller and buyer columns of an issued document (InvoiceParty, embedded with these prefixes). */
export const PARTY_COLUMNS = ['seller', 'buyer'].flatMap((p) => ['legal_name', 'address', 'tax_id', 'email'].map((c) => `${p}_${c}`));

/** A trigger body refusing an UPDATE that changes what an issued document prints (links to deleted rows may still be cleared). */
export function unchangedBody(table: string, columns: readonly string[]): string {
  const row = (r: string) => `(${columns.map((c) => `${r}.${c}`).join(', ')})`;
  return `IF ${row('NEW')} IS DISTINCT FROM ${row('OLD')} THEN RAISE EXCEPTION '% % was issued and cannot change: issue a credit note instead', '${table}', OLD.number USING ERRCODE = 'restrict_violation'; END IF; RETURN NEW;`;
}

@ObjectType('InvoiceLine')
export class InvoiceLine {
  @Field()
  description!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { description: 'Minor units.' })
  unitAmount!: number;

  @Field(() => Int, { description: 'Minor units.' })
  amount!: number;
}

/**
 * Our invoice for a successful payment: numbered gap-free per year (INV-2026-000001, a counter
 * row locked in the invoice's transaction, I10), with the platform's 15 % share recorded. The
 * seller, the buyer and the payment are copied onto it when it is issued; the database refuses
 * to change an issued invoice (a trigger).
 */
@Entity({ tableName: 'invoice' })
@Filter({ ...TENANT_FILTER })
@Index({ properties: ['organization', 'issuedAt'] })
@Trigger({
  name: 'invoice_issued_unchanged',
  timing: 'before',
  events: ['update'],
  forEach: 'row',
  body: unchangedBody('invoice', ['number', 'billed_to', 'issued_at', 'lines', 'total_amount', 'total_currency', ...PARTY_COLUMNS, 'paid_at', 'payment_method', 'payment_reference']),
})
@ObjectType('Invoice')
export class Invoice {
  [OptionalProps]?: 'createdAt' | 'purchase' | 'subscription' | 'stripeInvoiceId' | 'stripePaymentIntentId' | 'seller' | 'buyer' | 'paidAt' | 'paymentMethod' | 'paymentReference' | 'downloadKey';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'e.g. INV-2026-000001: consecutive within the year.' })
  @Property({ type: 'string', length: 32, unique: true })
  number!: string;

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @OneToOne(() => Purchase, { owner: true, nullable: true, unique: true })
  purchase: Rel<Purchase> | null = null;

  @ManyToOne(() => BillingSubscription, { nullable: true })
  subscription: Rel<BillingSubscription> | null = null;

  /** The Stripe invoice it mirrors (subscription periods). */
  @Property({ type: 'string', length: 255, nullable: true, unique: true })
  stripeInvoiceId: string | null = null;

  @Property({ type: 'string', length: 255, nullable: true, unique: true })
  stripePaymentIntentId: string | null = null;

  @Field({ description: 'The organization’s name when it was issued.' })
  @Property({ type: 'string', length: 200 })
  billedTo!: string;

  /** Null only on invoices issued before seller details were recorded. */
  @Field(() => InvoiceParty, { nullable: true, description: 'Who sold, as printed (null on invoices issued before this was recorded).' })
  @Embedded(() => InvoiceParty, { prefix: 'seller_', nullable: true })
  seller: InvoiceParty | null = null;

  @Field(() => InvoiceParty, { nullable: true, description: 'Who bought: the organization’s billing details when it was issued (else its name).' })
  @Embedded(() => InvoiceParty, { prefix: 'buyer_', nullable: true })
  buyer: InvoiceParty | null = null;

  @Field(() => Date, { nullable: true, description: 'When the payment went through.' })
  @Property({ type: 'timestamptz', nullable: true })
  paidAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'How it was paid, e.g. "Visa •••• 4242".' })
  @Property({ type: 'string', length: 100, nullable: true })
  paymentMethod: string | null = null;

  @Field(() => String, { nullable: true, description: 'The payment’s reference at Stripe (its charge, e.g. ch_…).' })
  @Property({ type: 'string', length: 255, nullable: true })
  paymentReference: string | null = null;

  /** Signs the invoice's download links in emails (document-links.ts); never shown. */
  @Property({ type: 'string', length: 64, defaultRaw: DOWNLOAD_KEY_DEFAULT })
  downloadKey: string = randomBytes(32).toString('base64url');

  @Field()
  @Property({ type: 'timestamptz' })
  issuedAt!: Date;

  @Field(() => [InvoiceLine])
  @Property({ type: 'json' })
  lines!: InvoiceLine[];

  @Field(() => Money)
  @Embedded(() => Money, { prefix: 'total_' })
  total!: Money;

  /** 15 % of the total: platform revenue (the rest is earned by consultants as credits are used). */
  @Embedded(() => Money, { prefix: 'platform_fee_' })
  platformFee!: Money;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

export const RevenueKind = { CREDIT: 'CREDIT', BOOKING_FEE: 'BOOKING_FEE' } as const;
export type RevenueKind = (typeof RevenueKind)[keyof typeof RevenueKind];

/**
 * What a consumed credit (or a booking fee) was worth, split 15 % platform / 85 % consultant:
 * the figures analytics reports. One row per consultation, lot and kind.
 */
@Entity({ tableName: 'revenue_entry' })
@Filter({ ...TENANT_FILTER })
@Unique({ properties: ['consultationId', 'lotId', 'kind'] })
@Index({ properties: ['consultant', 'createdAt'] })
export class RevenueEntry {
  [OptionalProps]?: 'createdAt' | 'lotId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Property({ type: 'uuid' })
  consultationId!: string;

  @ManyToOne(() => ConsultantProfile)
  consultant!: Rel<ConsultantProfile>;

  @Enum({ items: () => RevenueKind, type: 'string' })
  kind!: RevenueKind;

  /** The credit lot consumed (CREDIT); null for a booking fee. */
  @Property({ type: 'uuid', nullable: true })
  lotId: string | null = null;

  @Property({ type: 'integer' })
  units!: number;

  @Embedded(() => Money, { prefix: 'value_' })
  value!: Money;

  @Embedded(() => Money, { prefix: 'platform_fee_' })
  platformFee!: Money;

  @Embedded(() => Money, { prefix: 'consultant_earnings_' })
  consultantEarnings!: Money;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}
