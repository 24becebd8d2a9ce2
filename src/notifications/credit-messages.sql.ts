import { sql, type Sql } from '../platform/sql.js';
import type { BalanceKind } from './credit-rules.js';

/**
 * Disarms the organization's alert of `kind` if it is armed (no row: armed) and counts the
 * crossing: `{ crossings }` when this statement disarmed it, no row when it was disarmed already.
 * The row lock (the insert's, or the update's) makes concurrent crossings take turns: only the
 * first disarms.
 */
export function disarmLowCredit(organizationId: string, kind: BalanceKind, at: Date): Sql {
  return sql`INSERT INTO low_credit_alert (organization_id, kind, armed, crossings, updated_at) VALUES (${organizationId}, ${kind}, false, 1, ${at})
     ON CONFLICT (organization_id, kind) DO UPDATE SET armed = false, crossings = low_credit_alert.crossings + 1, updated_at = excluded.updated_at
      WHERE low_credit_alert.armed
     RETURNING crossings`;
}

/** Of `kinds`, those whose alert is disarmed (sent, waiting for a grant): `{ kind }`. */
export function disarmedLowCredit(organizationId: string, kinds: readonly BalanceKind[]): Sql {
  return sql`SELECT kind FROM low_credit_alert WHERE organization_id = ${organizationId} AND kind IN (${[...kinds]}) AND NOT armed`;
}

export function rearmLowCredit(organizationId: string, kinds: readonly BalanceKind[], at: Date): Sql {
  return sql`UPDATE low_credit_alert SET armed = true, updated_at = ${at} WHERE organization_id = ${organizationId} AND kind IN (${[...kinds]}) AND NOT armed`;
}

/** Who granted each lot (its GRANT entry's actor): the member an expiry concerns besides the owners. */
export function lotGrantors(lotIds: readonly string[]): Sql {
  return sql`SELECT lot_id, actor_id FROM credit_ledger_entry WHERE lot_id IN (${[...lotIds]}) AND type = 'GRANT' AND actor_id IS NOT NULL`;
}

/** A subscription's buyer and package's name. */
export function subscriptionBuyer(subscriptionId: string): Sql {
  return sql`SELECT buyer_id FROM billing_subscription WHERE id = ${subscriptionId}`;
}
