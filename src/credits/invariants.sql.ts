import { allOf, nullableColumns, triggerMissing, uniqueIndexMissing, type InvariantCheck } from '../platform/invariants.js';
import { sql } from '../platform/sql.js';
import { CreditSource, LedgerEntryType } from './credits.enums.js';

/**
 * The credit domain's invariants (I4, I7, I8, its part of I12) over lots and their ledger:
 * what `npm run check:invariants` counts. Each query returns the violations' ids.
 */

const { GRANT, RESERVE, RELEASE, CONSUME, EXPIRE, REVOKE, ADJUST } = LedgerEntryType;

/** The sum of a lot's entries of one type (e the ledger, grouped by lot). */
const total = (type: LedgerEntryType) => sql`coalesce(sum(e.units) FILTER (WHERE e.type = ${type}), 0)`;

/** Each lot's terms as its ledger counts them: every movement from one term to another (credits/ledger.ts's FLOWS). */
const LEDGER_TERMS = sql`SELECT e.lot_id,
       ${total(GRANT)} AS granted,
       ${total(ADJUST)} AS adjusted,
       ${total(GRANT)} + ${total(ADJUST)} - ${total(RESERVE)} + ${total(RELEASE)} - ${total(EXPIRE)} - ${total(REVOKE)} AS available,
       ${total(RESERVE)} - ${total(RELEASE)} - ${total(CONSUME)} AS reserved,
       ${total(CONSUME)} AS consumed,
       ${total(EXPIRE)} AS expired,
       ${total(REVOKE)} AS revoked
  FROM credit_ledger_entry e GROUP BY e.lot_id`;

export const creditInvariants: readonly InvariantCheck[] = [
  {
    id: 'I4',
    title: 'lots equal to their ledger',
    statement: 'every lot equals its ledger, term by term, and keeps granted + adjusted = the sum of its terms, none negative',
    violations: sql`SELECT l.id::text AS id FROM credit_lot l LEFT JOIN (${LEDGER_TERMS}) t ON t.lot_id = l.id
      WHERE (l.granted, l.adjusted, l.available, l.reserved, l.consumed, l.expired, l.revoked)
              IS DISTINCT FROM (coalesce(t.granted, 0), coalesce(t.adjusted, 0), coalesce(t.available, 0), coalesce(t.reserved, 0), coalesce(t.consumed, 0), coalesce(t.expired, 0), coalesce(t.revoked, 0))
         OR least(l.granted, l.available, l.reserved, l.consumed, l.expired, l.revoked) < 0
         OR l.granted + l.adjusted <> l.available + l.reserved + l.consumed + l.expired + l.revoked`,
  },
  {
    id: 'I7',
    title: 'one free-trial lot per organization',
    statement: 'one free-trial lot per organization, the unique index that keeps it present (that none was ever deleted is not checkable)',
    violations: allOf(
      uniqueIndexMissing('credit_lot', 'credit_lot_one_free_trial'),
      sql`SELECT organization_id::text AS id FROM credit_lot WHERE source = ${CreditSource.FREE_TRIAL} GROUP BY organization_id HAVING count(*) > 1`,
    ),
  },
  {
    id: 'I8',
    title: 'the ledger is append-only',
    statement: "the ledger is append-only: its trigger refusing UPDATE and DELETE is in force, or this role may do neither (past edits leave no trace)",
    violations: sql`SELECT m.id FROM (${triggerMissing('credit_ledger_entry', 'credit_ledger_entry_append_only', ['UPDATE', 'DELETE'])}) m
      WHERE has_table_privilege('credit_ledger_entry', 'UPDATE') OR has_table_privilege('credit_ledger_entry', 'DELETE')`,
  },
  {
    id: 'I12',
    title: 'credit rows carry their organization',
    statement: "credit rows carry their organization, and a ledger entry's is its lot's",
    violations: allOf(
      nullableColumns('credit_lot', ['organization_id']),
      nullableColumns('credit_ledger_entry', ['organization_id']),
      nullableColumns('member_credit_cap', ['organization_id']),
      sql`SELECT e.id::text AS id FROM credit_ledger_entry e JOIN credit_lot l ON l.id = e.lot_id WHERE e.organization_id <> l.organization_id`,
    ),
  },
];
