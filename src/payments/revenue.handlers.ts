import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEventHandlers } from '../platform/events.js';
import { query } from '../platform/sql.js';
import { RevenueKind } from './payment.entity.js';
import { creditValue } from './revenue.js';
import { consumedCreditsOf, insertRevenueEntry } from './revenue.sql.js';

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
  const rows = await query<ConsumedRow>(em, consumedCreditsOf(consultationId));
  let recorded = 0;
  for (const row of rows) {
    // Free-trial, promotional and adjustment credits were never paid for: nothing to share.
    if (!row.price || !row.currency) continue;
    const value = creditValue(row.price, row.granted, Math.min(row.units, row.granted));
    const inserted = await query(
      em,
      insertRevenueEntry({ organizationId: row.organization_id, consultationId, consultantId: row.consultant_id, kind: RevenueKind.CREDIT, lotId: row.lot_id, units: row.units, value, currency: row.currency, at }),
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
