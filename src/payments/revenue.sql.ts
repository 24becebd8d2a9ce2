import { randomUUID } from 'node:crypto';
import { LedgerEntryType } from '../credits/credits.enums.js';
import { sql, type Sql } from '../platform/sql.js';
import type { RevenueKind } from './payment.entity.js';
import { splitRevenue } from './revenue.js';

/** What a consultation earned, of one kind (and lot, for credits): its value in one currency, split by revenue.ts. */
export interface Earned {
  organizationId: string;
  consultationId: string;
  consultantId: string;
  kind: RevenueKind;
  lotId: string | null;
  units: number;
  /** Minor units of `currency`. */
  value: number;
  currency: string;
  at: Date;
}

/**
 * The revenue row of what a consultation earned, 15 % platform / 85 % consultant (revenue.ts);
 * once per consultation, lot and kind (the unique row: a second one is nothing). Returns the id
 * of a row it stored.
 */
export function insertRevenueEntry(earned: Earned): Sql {
  const { platformFee, consultantEarnings } = splitRevenue(earned.value);
  const { currency } = earned;
  return sql`INSERT INTO revenue_entry (id, organization_id, consultation_id, consultant_id, kind, lot_id, units, value_amount, value_currency,
            platform_fee_amount, platform_fee_currency, consultant_earnings_amount, consultant_earnings_currency, created_at)
     VALUES (${randomUUID()}, ${earned.organizationId}, ${earned.consultationId}, ${earned.consultantId}, ${earned.kind}, ${earned.lotId}, ${earned.units}, ${earned.value}, ${currency},
             ${platformFee}, ${currency}, ${consultantEarnings}, ${currency}, ${earned.at})
     ON CONFLICT DO NOTHING RETURNING id`;
}

/** The credits a consultation consumed, per lot, with the price paid for the lot (purchase or subscription period; none for free credits). */
export function consumedCreditsOf(consultationId: string): Sql {
  return sql`SELECT e.lot_id, SUM(e.units)::int AS units, l.granted, COALESCE(pu.amount_amount, bs.amount_amount) AS price,
            COALESCE(pu.amount_currency, bs.amount_currency) AS currency, c.organization_id, c.consultant_id
       FROM credit_ledger_entry e
       JOIN credit_lot l ON l.id = e.lot_id
       JOIN consultation c ON c.id = e.consultation_id
       LEFT JOIN purchase pu ON pu.credit_lot_id = l.id
       LEFT JOIN subscription_grant sg ON sg.credit_lot_id = l.id
       LEFT JOIN billing_subscription bs ON bs.id = sg.subscription_id
      WHERE e.consultation_id = ${consultationId} AND e.type = ${LedgerEntryType.CONSUME}
      GROUP BY e.lot_id, l.granted, pu.amount_amount, bs.amount_amount, pu.amount_currency, bs.amount_currency, c.organization_id, c.consultant_id`;
}
