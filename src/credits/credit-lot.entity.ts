import { randomUUID } from 'node:crypto';
import { ArrayType, OptionalProps, type Rel } from '@mikro-orm/core';
import { Check, Entity, Enum, Filter, Index, ManyToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import { Organization } from '../identity/organization.entity.js';
import { User } from '../identity/user.entity.js';
import { TENANT_FILTER } from '../platform/tenant.js';
import { CreditLotStatus, CreditSource, LedgerEntryType } from './credits.enums.js';

/**
 * Credits of one grant (purchase, subscription period, free trial, adjustment). Its counters
 * are changed only together with a ledger entry, in the same transaction; the CHECK keeps
 * the ledger identity (I4) and non-negative terms in the database itself.
 */
@Entity({ tableName: 'credit_lot' })
@Filter({ ...TENANT_FILTER })
@Check({
  name: 'credit_lot_balance_check',
  expression:
    'granted > 0 AND available >= 0 AND reserved >= 0 AND consumed >= 0 AND expired >= 0 AND revoked >= 0 ' +
    'AND granted + adjusted = available + reserved + consumed + expired + revoked',
})
@Index({ properties: ['organization', 'expiresAt'] })
// I7: one free-trial lot per organization, ever.
@Unique({ name: 'credit_lot_one_free_trial', expression: `create unique index "credit_lot_one_free_trial" on "credit_lot" ("organization_id") where "source" = 'FREE_TRIAL'` })
@ObjectType('CreditLot', { description: 'Credits of one grant. Units: sessions for SESSION lots, minutes for TIME lots.' })
export class CreditLot {
  [OptionalProps]?: 'adjusted' | 'reserved' | 'consumed' | 'expired' | 'revoked' | 'createdAt' | 'grantedAt' | 'package' | 'status' | 'used' | 'remaining';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  // No cascade: money history pins its organization.
  @ManyToOne(() => Organization)
  organization!: Rel<Organization>;

  // Its GraphQL field is CreditLotFieldsResolver's: services return lots whose package is only a reference.
  @ManyToOne(() => Package, { nullable: true })
  package: Rel<Package> | null = null;

  @Field(() => CreditLotKind)
  @Enum({ items: () => CreditLotKind, type: 'string' })
  kind!: CreditLotKind;

  @Field(() => CreditSource)
  @Enum({ items: () => CreditSource, type: 'string' })
  source!: CreditSource;

  @Field(() => Int, { description: 'Lower burns first.' })
  @Property({ type: 'integer' })
  priority!: number;

  @Field(() => Int, { description: 'SESSION: the longest session one credit pays.' })
  @Property({ type: 'integer' })
  sessionMinutes!: number;

  @Field(() => [Int], { description: 'Session lengths these credits may pay.' })
  @Property({ type: new ArrayType<number>((i) => Number(i)), columnType: 'int[]' })
  allowedBlockMinutes!: number[];

  @Field(() => Int)
  @Property({ type: 'integer' })
  granted!: number;

  /** Sum of signed ADJUST entries. */
  @Property({ type: 'integer' })
  adjusted: number = 0;

  @Property({ type: 'integer' })
  available!: number;

  @Field(() => Int, { description: 'Held by upcoming bookings.' })
  @Property({ type: 'integer' })
  reserved: number = 0;

  @Property({ type: 'integer' })
  consumed: number = 0;

  @Property({ type: 'integer' })
  expired: number = 0;

  @Property({ type: 'integer' })
  revoked: number = 0;

  @Field()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Field()
  @Property({ type: 'timestamptz' })
  grantedAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field(() => Int, { description: 'Consumed by held sessions.' })
  get used(): number {
    return this.consumed;
  }

  @Field(() => Int, { description: 'Free to book with (not reserved, expired or revoked).' })
  get remaining(): number {
    return this.available;
  }

  @Field(() => CreditLotStatus)
  get status(): CreditLotStatus {
    if (this.revoked > 0 && this.available === 0 && this.reserved === 0 && this.consumed === 0) return CreditLotStatus.REVOKED;
    if (this.expiresAt.getTime() <= Date.now()) return CreditLotStatus.EXPIRED;
    if (this.available === 0 && this.reserved === 0) return CreditLotStatus.DEPLETED;
    return CreditLotStatus.ACTIVE;
  }
}

/**
 * One movement of credits. Append-only (I8): a trigger refuses UPDATE and DELETE, so history
 * cannot be rewritten even by a bug. Units are positive, except ADJUST (signed).
 */
@Entity({ tableName: 'credit_ledger_entry' })
@Filter({ ...TENANT_FILTER })
@Index({ properties: ['organization', 'id'] })
@Index({ properties: ['consultationId'] })
@Index({ properties: ['organization', 'member'] })
@Check({ name: 'credit_ledger_entry_units_check', expression: `(type = 'ADJUST' AND units <> 0) OR (type <> 'ADJUST' AND units > 0)` })
@Trigger({
  name: 'credit_ledger_entry_append_only',
  timing: 'before',
  events: ['update', 'delete'],
  forEach: 'row',
  body: `RAISE EXCEPTION 'credit_ledger_entry is append-only: add a new entry instead' USING ERRCODE = 'restrict_violation';`,
})
@ObjectType('CreditLedgerEntry')
export class CreditLedgerEntry {
  [OptionalProps]?: 'createdAt' | 'consultationId' | 'reference' | 'actor' | 'reason' | 'member' | 'sessionStart';

  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Organization)
  organization!: Rel<Organization>;

  @Field(() => CreditLot)
  @ManyToOne(() => CreditLot)
  lot!: Rel<CreditLot>;

  @Field(() => LedgerEntryType)
  @Enum({ items: () => LedgerEntryType, type: 'string' })
  type!: LedgerEntryType;

  @Field(() => Int, { description: 'Sessions or minutes (signed for ADJUST).' })
  @Property({ type: 'integer' })
  units!: number;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  consultationId: string | null = null;

  /** The member the credits were spent for (member caps count these). */
  @ManyToOne(() => User, { nullable: true, deleteRule: 'no action' })
  member: Rel<User> | null = null;

  /** Start of the session the entry belongs to: monthly caps count by its UTC month. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sessionStart: Date | null = null;

  /** The payment or other outside reference it belongs to (e.g. a Stripe PaymentIntent id). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  reference: string | null = null;

  // No "set null": that would UPDATE entries, which the trigger refuses.
  @ManyToOne(() => User, { nullable: true, deleteRule: 'no action' })
  actor: Rel<User> | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/**
 * An owner's cap on what one member may spend of the organization's credits: reserved plus
 * consumed sessions (SESSION lots) or minutes (TIME lots), per UTC calendar month of the
 * session's start and/or in total. Null: no cap.
 */
@Entity({ tableName: 'member_credit_cap' })
@Filter({ ...TENANT_FILTER })
@Unique({ properties: ['organization', 'member'] })
@Check({
  name: 'member_credit_cap_positive_check',
  expression: '(monthly_sessions IS NULL OR monthly_sessions >= 0) AND (monthly_minutes IS NULL OR monthly_minutes >= 0) AND (total_sessions IS NULL OR total_sessions >= 0) AND (total_minutes IS NULL OR total_minutes >= 0)',
})
@ObjectType('MemberCreditCap')
export class MemberCreditCap {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'monthlySessions' | 'monthlyMinutes' | 'totalSessions' | 'totalMinutes';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field(() => User)
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  member!: Rel<User>;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  monthlySessions: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  monthlyMinutes: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  totalSessions: number | null = null;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  totalMinutes: number | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
