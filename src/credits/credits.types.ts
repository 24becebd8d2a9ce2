import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CreditLotKind } from '../catalog/package.entity.js';
import { ConnectionType } from '../platform/pagination.js';
import { CreditLedgerEntry, CreditLot } from './credit-lot.entity.js';
import { CreditSource } from './credits.enums.js';
import { EXPIRING_SOON_DAYS } from './summary.js';

@ObjectType({ description: "The organization's free-trial consultation." })
export class FreeTrialStatus {
  @Field({ description: 'Whether the organization ever received it (once, on verification).' })
  granted!: boolean;

  @Field({ description: 'Whether it can still be booked.' })
  available!: boolean;

  @Field({ description: 'Whether a session used it.' })
  used!: boolean;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;
}

@ObjectType({ description: 'Totals over every lot the organization ever had.' })
export class LifetimeCredits {
  @Field(() => Int)
  grantedCredits!: number;

  @Field(() => Int)
  usedCredits!: number;

  @Field(() => Int)
  grantedMinutes!: number;

  @Field(() => Int)
  usedMinutes!: number;

  @Field(() => Int, { description: 'Consultations completed, ever (their credits are the used ones).' })
  completedConsultations!: number;
}

@ObjectType({ description: 'Balances derived from the ledger: sessions for SESSION lots, minutes for TIME lots.' })
export class CreditSummary {
  @Field(() => Int)
  availableCredits!: number;

  @Field(() => Int)
  reservedCredits!: number;

  @Field(() => Int)
  availableMinutes!: number;

  @Field(() => Int)
  reservedMinutes!: number;

  @Field(() => [CreditLot], { description: 'Lots with credits left or held, soonest expiry first.' })
  lots!: CreditLot[];

  @Field(() => [CreditLot], { description: `Lots with credits left that expire within ${EXPIRING_SOON_DAYS} days.` })
  expiringSoon!: CreditLot[];

  @Field(() => FreeTrialStatus)
  freeTrial!: FreeTrialStatus;

  @Field(() => LifetimeCredits)
  lifetime!: LifetimeCredits;
}

export const CreditLedgerConnection = ConnectionType('CreditLedger', CreditLedgerEntry);

@InputType({ description: 'Credits an admin grants outside a purchase (promotion or correction).' })
export class GrantCreditsInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => CreditSource, { description: 'PROMOTIONAL (burns first) or ADJUSTMENT.' })
  source!: CreditSource;

  @Field(() => ID, { nullable: true, description: 'Take kind, session length and validity from this package.' })
  packageId?: string | null;

  @Field(() => CreditLotKind, { nullable: true })
  kind?: CreditLotKind | null;

  @Field(() => Int, { description: 'Sessions (SESSION) or minutes (TIME).' })
  units!: number;

  @Field(() => Int, { nullable: true })
  sessionMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  validityDays?: number | null;

  @Field()
  reason!: string;
}

@InputType({ description: "An owner's cap on one member's use of the organization's credits; null removes a limit." })
export class MemberCreditCapInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => Int, { nullable: true, description: 'Sessions (SESSION lots) reserved or used per UTC calendar month of the session start.' })
  monthlySessions?: number | null;

  @Field(() => Int, { nullable: true, description: 'Minutes (TIME lots) per UTC calendar month.' })
  monthlyMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  totalSessions?: number | null;

  @Field(() => Int, { nullable: true })
  totalMinutes?: number | null;
}
