import type { EntityManager } from '@mikro-orm/postgresql';
import { IsolationLevel } from '@mikro-orm/core';
import { query, sql, type Sql } from './sql.js';

/**
 * One check of an invariant of the design (invariants.md, I1–I12) over whatever the database
 * holds: a domain declares its own in its manifest (`invariants`), with the SQL in its
 * `*.sql.ts`. Several checks may share an id (I12 has one per domain). `npm run
 * check:invariants` runs them all.
 */
export interface InvariantCheck {
  /** The invariant's id in the design, e.g. 'I4'. */
  id: string;
  /** A few words for the table, e.g. 'lots equal to their ledger'. */
  title: string;
  /** One line saying what holds, and what of it is not checked when only part is checkable. */
  statement: string;
  /**
   * Returns one row per violation, with a text column `id` naming it (a row's id, or the missing
   * constraint's name); no rows when the invariant holds.
   */
  violations: Sql;
}

export interface InvariantResult {
  id: string;
  title: string;
  statement: string;
  violations: number;
  /** The first few violations' ids, in order. */
  examples: string[];
}

const EXAMPLES = 5;

/**
 * Runs the checks in `em`'s transaction, one statement each, in the order given. A check counts
 * its violations in the database and brings back only the first few ids.
 */
export async function runInvariants(em: EntityManager, checks: readonly InvariantCheck[]): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  for (const check of checks) {
    const [row] = await query<{ violations: string; examples: string[] | null }>(
      em,
      sql`SELECT count(*) AS violations, (array_agg(v.id ORDER BY v.id))[1:${EXAMPLES}] AS examples FROM (${check.violations}) v`,
    );
    results.push({ id: check.id, title: check.title, statement: check.statement, violations: Number(row!.violations), examples: row!.examples ?? [] });
  }
  return results;
}

/**
 * Runs the checks in one REPEATABLE READ READ ONLY transaction: every count is of the same
 * snapshot (a booking committed halfway through is seen by all checks or none), and nothing
 * can be written.
 */
export function checkInvariants(em: EntityManager, checks: readonly InvariantCheck[]): Promise<InvariantResult[]> {
  return em.transactional((tx) => runInvariants(tx, checks), { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
}

/**
 * The results as a table for a person, `I4   lots equal to their ledger   0 violations`; under a
 * violated check, the first few ids and the whole statement.
 */
export function formatInvariants(results: readonly InvariantResult[]): string {
  const idWidth = Math.max(...results.map((r) => r.id.length));
  const titleWidth = Math.max(...results.map((r) => r.title.length));
  const indent = ' '.repeat(idWidth + 2);
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.id.padEnd(idWidth)}  ${r.title.padEnd(titleWidth)}  ${r.violations} violation${r.violations === 1 ? '' : 's'}`);
    if (r.violations > 0) {
      lines.push(`${indent}e.g. ${r.examples.join(', ')}${r.violations > r.examples.length ? ', …' : ''}`);
      lines.push(`${indent}(${r.statement})`);
    }
  }
  return lines.join('\n');
}

// Fragments for the checks that a constraint, index or trigger the design relies on is present
// and in force: each returns one row (id: its name) when it is not, none when it is.

/** A constraint of `table` named `name`, of `type` ('x' exclusion, 'u' unique, 'p' primary key, 'c' check), validated. */
export function constraintMissing(table: string, name: string, type: 'x' | 'u' | 'p' | 'c'): Sql {
  return sql`SELECT ${`constraint ${name} on ${table}`}::text AS id WHERE NOT EXISTS (
    SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(${table}) AND conname = ${name} AND contype = ${type} AND convalidated)`;
}

/** A valid unique index `name` on `table` (a partial one: with its predicate). */
export function uniqueIndexMissing(table: string, name: string): Sql {
  return sql`SELECT ${`unique index ${name} on ${table}`}::text AS id WHERE NOT EXISTS (
    SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = to_regclass(${table}) AND c.relname = ${name} AND i.indisunique AND i.indisvalid)`;
}

/** pg_trigger.tgtype's bits for the events a trigger fires on. */
const TRIGGER_EVENT_BITS = { INSERT: 4, DELETE: 8, UPDATE: 16 } as const;

/** An enabled row trigger `name` on `table` that fires on each of `events`. */
export function triggerMissing(table: string, name: string, events: ReadonlyArray<keyof typeof TRIGGER_EVENT_BITS>): Sql {
  const mask = events.reduce((bits, event) => bits | TRIGGER_EVENT_BITS[event], 1);
  return sql`SELECT ${`trigger ${name} on ${table}`}::text AS id WHERE NOT EXISTS (
    SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(${table}) AND tgname = ${name} AND tgenabled <> 'D' AND (tgtype::int & ${mask}::int) = ${mask}::int)`;
}

/** The columns of `table` that may hold NULL although the design needs a value there. */
export function nullableColumns(table: string, columns: readonly string[]): Sql {
  return sql`SELECT ${`${table}.`}::text || column_name::text AS id FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ${table} AND column_name IN (${sql.join(columns.map((c) => sql`${c}`))}) AND is_nullable = 'YES'`;
}

/** Checks' violation queries as one: the rows of each, one after the other. */
export function allOf(...parts: Sql[]): Sql {
  return sql.join(
    parts.map((part) => sql`(${part})`),
    ' UNION ALL ',
  );
}
