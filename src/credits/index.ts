import type { ModuleManifest } from '../platform/module.js';
import { CreditLedgerEntry, CreditLot, MemberCreditCap } from './credit-lot.entity.js';
import { creditEventHandlers, expireLotsJob } from './credits.jobs.js';
import { CreditAdjustmentResolver, CreditLotFieldsResolver, CreditsResolver, MemberCreditCapResolver } from './credits.resolver.js';

/** Credit lots and their ledger; the free trial on a client's verification. */
export const creditsModule: ModuleManifest = {
  name: 'credits',
  entities: [CreditLot, CreditLedgerEntry, MemberCreditCap],
  resolvers: [CreditsResolver, CreditLotFieldsResolver, MemberCreditCapResolver, CreditAdjustmentResolver],
  jobs: [expireLotsJob],
  eventHandlers: creditEventHandlers,
  routes: [],
  seeders: [],
};
