import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEventHandlers } from '../platform/events.js';
import { creditValue, splitRevenue } from './revenue.js';

interface ConsumedRow {
  lot_id: string;
  units: number;
  granted: number;
  price: number | null;
  currency: string | null;
  organization_id: string;
  consultant_id: string;
}

/**
 * Records what the credits a consultation consumed were worth — the price paid for their lot
 * (purchase or subscription period) per unit — split 15 % platform / 85 % consultant. Runs in
 * the consultation's transaction; once per consultation and lot (unique row).
 */
export async function recordCreditRevenue(em: EntityManager, consultationId: string, at = new Date()): Promise<number> {
  const rows = await em.getConnection().execute<ConsumedRow[]>(
    `SELECT e.lot_id, SUM(e.units)::int AS units, l.granted, COALESCE(pu.amount_amount, bs.amount_amount) AS price,
            COALESCE(pu.amount_currency, bs.amount_currency) AS currency, c.organization_id, c.consultant_id
       FROM credit_ledger_entry e
       JOIN credit_lot l ON l.id = e.lot_id
       JOIN consultation c ON c.id = e.consultation_id
       LEFT JOIN purchase pu ON pu.credit_lot_id = l.id
       LEFT JOIN subscription_grant sg ON sg.credit_lot_id = l.id
       LEFT JOIN billing_subscription bs ON bs.id = sg.subscription_id
      WHERE e.consultation_id = ? AND e.type = 'CONSUME'
      GROUP BY e.lot_id, l.granted, pu.amount_amount, bs.amount_amount, pu.amount_currency, bs.amount_currency, c.organization_id, c.consultant_id`,
    [consultationId],
    'all',
    em.getTransactionContext(),
  );
  let recorded = 0;
  for (const row of rows) {
    // Free-trial, promotional and adjustment credits were never paid for: nothing to share.
    if (!row.price || !row.currency) continue;
    const value = creditValue(row.price, row.granted, Math.min(row.units, row.granted));
    const { platformFee, consultantEarnings } = splitRevenue(value);
    const inserted = await em.getConnection().execute<unknown[]>(
      `INSERT INTO revenue_entry (id, organization_id, consultation_id, consultant_id, kind, lot_id, units, value_amount, value_currency,
              platform_fee_amount, platform_fee_currency, consultant_earnings_amount, consultant_earnings_currency, created_at)
       VALUES (?, ?, ?, ?, 'CREDIT', ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      [randomUUID(), row.organization_id, consultationId, row.consultant_id, row.lot_id, row.units, value, row.currency, platformFee, row.currency, consultantEarnings, row.currency, at],
      'all',
      em.getTransactionContext(),
    );
    recorded += inserted.length;
  }
  return recorded;
}

export const revenueEventHandlers: DomainEventHandlers = {
  'consultation.changed': [
    async (change, em) => {
      // The endings that may consume credits: completion, a client no-show, a late cancellation.
      if (change.kind === 'COMPLETED' || change.kind === 'NO_SHOW' || change.kind === 'CANCELLED') await recordCreditRevenue(em, change.consultationId, change.at);
    },
  ],
};
