import type { InvariantCheck } from './invariants.js';
import { sql } from './sql.js';

/**
 * The platform's invariant: I3 holds over every table of the app's schema (the domains', the
 * migrations' and the job runner's), whatever domain made it.
 */
export const platformInvariants: readonly InvariantCheck[] = [
  {
    id: 'I3',
    title: 'timestamps are timestamptz',
    statement: "every timestamp column of the app's schema is timestamptz (stored instants are UTC)",
    violations: sql`SELECT table_name::text || '.' || column_name::text AS id FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'`,
  },
];
