import { LedgerEntryType } from '../credits/credits.enums.js';
import { allOf, constraintMissing, nullableColumns, type InvariantCheck } from '../platform/invariants.js';
import { sql, type Sql } from '../platform/sql.js';
import { PurchaseStatus } from './payment.entity.js';

/**
 * The payment domain's invariants (I9, I10, its part of I12): Stripe events, purchases and
 * subscription grants against the lots they granted, money columns, document numbers. Each
 * query returns the violations' ids.
 */

const GRANTED = [PurchaseStatus.SUCCEEDED, PurchaseStatus.REFUNDED];

/** The money columns of payments' tables: `<prefix>amount` beside `<prefix>currency`. */
const MONEY: ReadonlyArray<[table: string, prefix: string]> = [
  ['purchase', 'amount_'],
  ['billing_subscription', 'amount_'],
  ['billing_price', ''],
  ['invoice', 'total_'],
  ['invoice', 'platform_fee_'],
  ['credit_note', 'total_'],
  ['revenue_entry', 'value_'],
  ['revenue_entry', 'platform_fee_'],
  ['revenue_entry', 'consultant_earnings_'],
];

/** Rows of one money column with an amount but no ISO currency code. */
function moneyWithoutCurrency(table: string, prefix: string): Sql {
  const [amount, currency] = [sql.raw(`"${prefix}amount"`), sql.raw(`"${prefix}currency"`)];
  return sql`SELECT ${`${table}.${prefix}amount of `}::text || id::text AS id FROM ${sql.raw(`"${table}"`)}
    WHERE ${amount} IS NOT NULL AND (${currency} IS NULL OR ${currency} !~ '^[A-Z]{3}$')`;
}

/**
 * The numbers of one kind of document (`INV-2026-000001`) per year: 1, 2, … with no gap nor
 * repeat, the year their issue's (UTC), the year's counter (code_sequence) at the last one.
 */
function numberedGapFree(table: string, prefix: string, counter: string): Sql {
  const from = sql.raw(`"${table}"`);
  const pattern = `^${prefix}-[0-9]{4}-[0-9]{6}$`;
  // CASE: the year is read only from a number of the right shape.
  return sql`SELECT id::text || ' numbered ' || number AS id FROM ${from}
      WHERE CASE WHEN number ~ ${pattern} THEN split_part(number, '-', 2)::int <> extract(year FROM issued_at AT TIME ZONE 'UTC') ELSE true END
    UNION ALL
    SELECT ${`${prefix}-`}::text || y.year || ': ' || y.numbers || ' numbers, ' || y.distinct_numbers || ' distinct, from ' || y.first || ' to ' || y.last || ', counter at ' || coalesce(s.value::text, 'none') AS id
      FROM (SELECT split_part(number, '-', 2) AS year, count(*) AS numbers, count(DISTINCT split_part(number, '-', 3)) AS distinct_numbers,
                   min(split_part(number, '-', 3)::int) AS first, max(split_part(number, '-', 3)::int) AS last
              FROM ${from} WHERE number ~ ${pattern} GROUP BY 1) y
      LEFT JOIN code_sequence s ON s.name = ${`${counter}-`}::text || y.year
     WHERE y.first <> 1 OR y.last <> y.numbers OR y.distinct_numbers <> y.numbers OR s.value IS DISTINCT FROM y.last`;
}

export const paymentInvariants: readonly InvariantCheck[] = [
  {
    id: 'I9',
    title: 'Stripe events once, payments granted once',
    statement: 'one row per Stripe event id; a paid purchase or subscription invoice granted exactly one lot, once, and an unpaid one none (unique constraints present)',
    violations: allOf(
      constraintMissing('stripe_event', 'stripe_event_pkey', 'p'),
      constraintMissing('purchase', 'purchase_stripe_payment_intent_id_unique', 'u'),
      constraintMissing('purchase', 'purchase_credit_lot_id_unique', 'u'),
      constraintMissing('subscription_grant', 'subscription_grant_stripe_invoice_id_unique', 'u'),
      constraintMissing('subscription_grant', 'subscription_grant_credit_lot_id_unique', 'u'),
      sql`SELECT 'purchase ' || id::text || ' (' || status || ') ' || CASE WHEN credit_lot_id IS NULL THEN 'without its lot' ELSE 'with a lot' END AS id FROM purchase
           WHERE (status IN (${GRANTED})) <> (credit_lot_id IS NOT NULL)`,
      sql`SELECT 'payment intent ' || stripe_payment_intent_id || ' of ' || count(*) || ' purchases' AS id FROM purchase
           WHERE stripe_payment_intent_id IS NOT NULL GROUP BY stripe_payment_intent_id HAVING count(*) > 1`,
      sql`SELECT 'lot ' || g.lot_id::text || ' granted ' || count(e.id) || ' times' AS id
            FROM (SELECT credit_lot_id AS lot_id FROM purchase WHERE credit_lot_id IS NOT NULL
                  UNION ALL SELECT credit_lot_id FROM subscription_grant) g
            LEFT JOIN credit_ledger_entry e ON e.lot_id = g.lot_id AND e.type = ${LedgerEntryType.GRANT}
           GROUP BY g.lot_id HAVING count(e.id) <> 1`,
    ),
  },
  {
    id: 'I10',
    title: 'integer money, gap-free numbers',
    statement: "every amount column of the app is a whole-number type beside its currency column, payments' amounts carry an ISO code; invoice and credit-note numbers run 1, 2, … per year with their counter",
    violations: allOf(
      // Every money column of the app's schema, whichever domain's: a whole-number type with its currency beside it.
      sql`SELECT a.table_name::text || '.' || a.column_name::text || ' (' || a.data_type::text || ')' AS id FROM information_schema.columns a
           WHERE a.table_schema = current_schema() AND (a.column_name = 'amount' OR a.column_name LIKE '%\\_amount')
             AND (a.data_type NOT IN ('integer', 'bigint', 'smallint')
                  OR NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = a.table_schema AND c.table_name = a.table_name
                                   AND c.column_name = left(a.column_name, -length('amount')) || 'currency'))`,
      ...MONEY.map(([table, prefix]) => moneyWithoutCurrency(table, prefix)),
      numberedGapFree('invoice', 'INV', 'invoice'),
      numberedGapFree('credit_note', 'CN', 'credit-note'),
    ),
  },
  {
    id: 'I12',
    title: 'payment rows carry their organization',
    statement: "payment rows carry their organization, and a purchase's, grant's, invoice's and credit note's is that of what it belongs to",
    violations: allOf(
      ...['purchase', 'billing_subscription', 'subscription_grant', 'invoice', 'credit_note', 'revenue_entry', 'billing_customer', 'billing_details'].map((table) =>
        nullableColumns(table, ['organization_id']),
      ),
      sql`SELECT 'purchase ' || p.id::text AS id FROM purchase p JOIN credit_lot l ON l.id = p.credit_lot_id WHERE l.organization_id <> p.organization_id`,
      sql`SELECT 'subscription grant ' || g.id::text AS id FROM subscription_grant g JOIN billing_subscription s ON s.id = g.subscription_id JOIN credit_lot l ON l.id = g.credit_lot_id
           WHERE g.organization_id <> s.organization_id OR l.organization_id <> g.organization_id`,
      sql`SELECT 'invoice ' || i.id::text AS id FROM invoice i LEFT JOIN purchase p ON p.id = i.purchase_id LEFT JOIN billing_subscription s ON s.id = i.subscription_id
           WHERE i.organization_id <> coalesce(p.organization_id, s.organization_id, i.organization_id)`,
      sql`SELECT 'credit note ' || n.id::text AS id FROM credit_note n JOIN invoice i ON i.id = n.invoice_id WHERE n.organization_id <> i.organization_id`,
    ),
  },
];
