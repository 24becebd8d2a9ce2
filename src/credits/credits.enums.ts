import { registerEnumType } from 'type-graphql';

/** Where a lot came from; it sets the lot's draw-down priority (catalog.md). */
export const CreditSource = {
  PURCHASE: 'PURCHASE',
  SUBSCRIPTION: 'SUBSCRIPTION',
  FREE_TRIAL: 'FREE_TRIAL',
  PROMOTIONAL: 'PROMOTIONAL',
  ADJUSTMENT: 'ADJUSTMENT',
} as const;
export type CreditSource = (typeof CreditSource)[keyof typeof CreditSource];

/** Every movement of credits is one of these, appended to the ledger. */
export const LedgerEntryType = {
  GRANT: 'GRANT',
  RESERVE: 'RESERVE',
  RELEASE: 'RELEASE',
  CONSUME: 'CONSUME',
  EXPIRE: 'EXPIRE',
  REVOKE: 'REVOKE',
  ADJUST: 'ADJUST',
} as const;
export type LedgerEntryType = (typeof LedgerEntryType)[keyof typeof LedgerEntryType];

export const CreditLotStatus = { ACTIVE: 'ACTIVE', EXPIRED: 'EXPIRED', DEPLETED: 'DEPLETED', REVOKED: 'REVOKED' } as const;
export type CreditLotStatus = (typeof CreditLotStatus)[keyof typeof CreditLotStatus];

/** Why no lot can pay (PAYMENT_REQUIRED's extensions.reason). */
export const NoCreditReason = {
  NO_CREDITS: 'NO_CREDITS',
  EXPIRED: 'EXPIRED',
  WRONG_LENGTH: 'WRONG_LENGTH',
  ALL_RESERVED: 'ALL_RESERVED',
  MEMBER_CAP: 'MEMBER_CAP',
} as const;
export type NoCreditReason = (typeof NoCreditReason)[keyof typeof NoCreditReason];

registerEnumType(CreditSource, { name: 'CreditSource' });
registerEnumType(LedgerEntryType, { name: 'LedgerEntryType' });
registerEnumType(CreditLotStatus, { name: 'CreditLotStatus' });

/** Priority by source (catalog.md): free-trial and promotional lots burn first. */
export function priorityOf(source: CreditSource): number {
  return source === CreditSource.FREE_TRIAL || source === CreditSource.PROMOTIONAL ? 0 : 10;
}
