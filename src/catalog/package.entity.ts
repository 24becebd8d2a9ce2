import { randomUUID } from 'node:crypto';
import { ArrayType, OptionalProps } from '@mikro-orm/core';
import { Check, Embedded, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../platform/money.js';

export const PackageType = {
  FREE_TRIAL: 'FREE_TRIAL',
  CONSULTATION_BUNDLE: 'CONSULTATION_BUNDLE',
  SUBSCRIPTION: 'SUBSCRIPTION',
  PAY_PER_USE: 'PAY_PER_USE',
} as const;
export type PackageType = (typeof PackageType)[keyof typeof PackageType];

/** SESSION: one credit pays one session of up to sessionMinutes; TIME: a balance of minutes. */
export const CreditLotKind = { SESSION: 'SESSION', TIME: 'TIME' } as const;
export type CreditLotKind = (typeof CreditLotKind)[keyof typeof CreditLotKind];

export const BillingCycle = { QUARTERLY: 'QUARTERLY', ANNUAL: 'ANNUAL' } as const;
export type BillingCycle = (typeof BillingCycle)[keyof typeof BillingCycle];

registerEnumType(PackageType, { name: 'PackageType' });
registerEnumType(CreditLotKind, { name: 'CreditLotKind' });
registerEnumType(BillingCycle, { name: 'BillingCycle' });

@Entity({ tableName: 'package' })
@Check({ name: 'package_amounts_check', expression: 'credits > 0 AND session_minutes > 0 AND validity_days > 0 AND price_amount >= 0' })
@ObjectType('Package', { description: 'A consultation package of the catalog: a bundle of credits that expire.' })
export class Package {
  [OptionalProps]?: 'active' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'Stable code such as PKG-DISCOVERY-ASSESSMENT.' })
  @Property({ type: 'string', length: 64, unique: true })
  code!: string;

  @Field()
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => PackageType)
  @Enum({ items: () => PackageType, type: 'string' })
  type!: PackageType;

  @Field(() => CreditLotKind, { description: 'How the granted credits are counted: sessions or minutes.' })
  @Enum({ items: () => CreditLotKind, type: 'string' })
  lotKind!: CreditLotKind;

  @Field()
  @Property({ type: 'text' })
  description!: string;

  @Field(() => [String])
  @Property({ type: 'text[]' })
  features!: string[];

  @Field(() => [String])
  @Property({ type: 'text[]' })
  targetAudience!: string[];

  @Field(() => Int, { description: 'Sessions for SESSION packages; hours per period for TIME packages.' })
  @Property({ type: 'integer' })
  credits!: number;

  @Field(() => Int, { description: 'Longest session one credit pays (SESSION), or the smallest block (TIME).' })
  @Property({ type: 'integer' })
  sessionMinutes!: number;

  @Field(() => [Int], { description: 'Session lengths these credits may be spent on.' })
  @Property({ type: new ArrayType<number>((i) => Number(i)), columnType: 'int[]' })
  allowedBlockMinutes!: number[];

  @Field(() => Int, { description: 'Days the credits stay valid after the grant (per period for subscriptions).' })
  @Property({ type: 'integer' })
  validityDays!: number;

  @Field(() => Money)
  @Embedded(() => Money, { prefix: 'price_' })
  price!: Money;

  @Field(() => BillingCycle, { nullable: true })
  @Enum({ items: () => BillingCycle, type: 'string', nullable: true })
  billingCycle: BillingCycle | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 40, nullable: true })
  badge: string | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  displayOrder!: number;

  @Field(() => Int, { nullable: true, description: 'How many times one client organization may buy it; null: no limit.' })
  @Property({ type: 'integer', nullable: true })
  maxPurchasesPerClient: number | null = null;

  @Field(() => Int, { description: 'Draw-down priority of its credit lots: lower burns first.' })
  @Property({ type: 'integer' })
  priority!: number;

  @Field({ description: 'Whether a client cancelling less than 24 h before start loses the credit.' })
  @Property({ type: 'boolean' })
  lateCancelConsumes!: boolean;

  @Field({ description: 'False for packages that are granted, never sold (the free trial).' })
  @Property({ type: 'boolean' })
  purchasable!: boolean;

  @Field({ description: 'Archived packages are inactive: no longer sold, still readable for old credit lots.' })
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
