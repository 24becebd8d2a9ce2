import type { ModuleManifest } from '../platform/module.js';
import { CreditLedgerEntry, CreditLot, MemberCreditCap } from './credit-lot.entity.js';
import { creditEventHandlers, expireLotsJob } from './credits.jobs.js';
import { CreditsLiveResolver, publishCreditsChange } from './live.js';
import { CreditAdjustmentResolver, CreditLotFieldsResolver, CreditsResolver, MemberCreditCapResolver } from './credits.resolver.js';
import { creditInvariants } from './invariants.sql.js';

/** Credit lots and their ledger; the free trial on a client's verification. */
export const creditsModule: ModuleManifest = {
  name: 'credits',
  entities: [CreditLot, CreditLedgerEntry, MemberCreditCap],
  resolvers: [CreditsResolver, CreditLotFieldsResolver, MemberCreditCapResolver, CreditAdjustmentResolver, CreditsLiveResolver],
  jobs: [expireLotsJob],
  // Live status: each movement reaches the balance subscribers of every instance once it commits.
  eventHandlers: { ...creditEventHandlers, 'credits.changed': [publishCreditsChange] },
  routes: [],
  seeders: [],
  invariants: creditInvariants,
};
