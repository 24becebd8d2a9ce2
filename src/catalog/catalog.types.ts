import { Field, InputType, Int } from 'type-graphql';
import { BillingCycle, CreditLotKind, PackageType } from './package.entity.js';

// The rules (and their limits) live in catalog.rules.ts and are checked by CatalogService with
// messages naming the field; these types only describe the shape.

@InputType({ description: 'An amount of money in minor units (cents) of its currency.' })
export class MoneyInput {
  @Field(() => Int, { description: 'Minor units, zero or more: 450000 for USD 4,500.00.' })
  amount!: number;

  @Field({ description: 'ISO-4217 code of three upper-case letters, e.g. USD.' })
  currency!: string;
}

@InputType({ description: 'A new package of the catalog (admins). Optional fields left out or null take the default they describe.' })
export class CreatePackageInput {
  @Field({ description: 'Stable code: 3–64 letters, digits and hyphens, e.g. PKG-TEAM-WORKSHOP; stored in upper case; unique, archived packages included. Cannot be changed later.' })
  code!: string;

  @Field({ description: 'At most 200 characters.' })
  name!: string;

  @Field(() => PackageType, { description: 'Cannot be changed later. SUBSCRIPTION needs a billingCycle; FREE_TRIAL costs 0 and is never purchasable.' })
  type!: PackageType;

  @Field(() => CreditLotKind, { description: 'SESSION: a credit pays one session; TIME: credits are hours spent in allowedBlockMinutes blocks. Cannot be changed later.' })
  lotKind!: CreditLotKind;

  @Field({ description: 'What clients read in the catalog; at most 4000 characters.' })
  description!: string;

  @Field(() => [String], { nullable: true, description: 'Key features, one line each (at most 30). Default: none.' })
  features?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Who it is for, one line each (at most 30). Default: none.' })
  targetAudience?: string[] | null;

  @Field(() => Int, { description: 'Sessions (SESSION) or hours per period (TIME), 1 to 10000.' })
  credits!: number;

  @Field(() => Int, { description: 'SESSION: the longest session one credit pays; TIME: the smallest block. A multiple of 15, at most 480.' })
  sessionMinutes!: number;

  @Field(() => [Int], {
    nullable: true,
    description: 'Session lengths the credits pay, multiples of 15. Required for TIME (e.g. [60, 90, 120]); SESSION default [sessionMinutes].',
  })
  allowedBlockMinutes?: number[] | null;

  @Field(() => Int, { description: 'Days the credits stay valid after the grant (per period for subscriptions), 1 to 3650.' })
  validityDays!: number;

  @Field(() => MoneyInput)
  price!: MoneyInput;

  @Field(() => BillingCycle, { nullable: true, description: 'Required for SUBSCRIPTION packages; must be left out for the others.' })
  billingCycle?: BillingCycle | null;

  @Field(() => String, { nullable: true, description: 'A short label such as POPULAR (at most 40 characters). Default: none.' })
  badge?: string | null;

  @Field(() => Int, { nullable: true, description: 'Position in the catalog. Default: after every other package.' })
  displayOrder?: number | null;

  @Field(() => Int, { nullable: true, description: 'How many times one organization may buy it. Default null: no limit.' })
  maxPurchasesPerClient?: number | null;

  @Field(() => Int, { nullable: true, description: 'Draw-down priority of its lots, lower burns first. Default: 0 for FREE_TRIAL, 10 otherwise.' })
  priority?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether a client cancelling less than 24 h before start loses the credit. Default true.' })
  lateCancelConsumes?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether clients may buy it. Default true (false, and only false, for FREE_TRIAL).' })
  purchasable?: boolean | null;
}

/**
 * Changes to a package (admins): fields left out keep their value; null clears the fields that
 * may be empty (billingCycle, badge, maxPurchasesPerClient). code, type and lotKind are not
 * here on purpose: existing credit lots were granted under them, so they never change; create
 * a new package (and archive this one) instead. Changes apply to grants made from now on.
 */
@InputType({ description: 'Changes to a package. Left out: unchanged; null clears billingCycle, badge or maxPurchasesPerClient. code, type and lotKind never change (existing credit lots depend on them): create a new package instead.' })
export class UpdatePackageInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the whole list.' })
  features?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the whole list.' })
  targetAudience?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'For grants from now on: existing credit lots keep what they were granted.' })
  credits?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'SESSION packages whose allowedBlockMinutes was [sessionMinutes] keep it so unless allowedBlockMinutes is given.',
  })
  sessionMinutes?: number | null;

  @Field(() => [Int], { nullable: true, description: 'Replaces the whole list. TIME packages: sessionMinutes follows the smallest block unless given.' })
  allowedBlockMinutes?: number[] | null;

  @Field(() => Int, { nullable: true })
  validityDays?: number | null;

  @Field(() => MoneyInput, { nullable: true, description: 'The whole price, amount and currency.' })
  price?: MoneyInput | null;

  @Field(() => BillingCycle, { nullable: true })
  billingCycle?: BillingCycle | null;

  @Field(() => String, { nullable: true })
  badge?: string | null;

  @Field(() => Int, { nullable: true })
  displayOrder?: number | null;

  @Field(() => Int, { nullable: true })
  maxPurchasesPerClient?: number | null;

  @Field(() => Int, { nullable: true })
  priority?: number | null;

  @Field(() => Boolean, { nullable: true })
  lateCancelConsumes?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  purchasable?: boolean | null;
}
