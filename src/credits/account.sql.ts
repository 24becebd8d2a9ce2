import { sql, type Sql } from '../platform/sql.js';

/** The organization's consultations that were completed, ever: `{ n }` (their credits are the used ones). */
export function completedConsultationsOf(organizationId: string): Sql {
  return sql`SELECT COUNT(*)::int AS n FROM consultation WHERE organization_id = ${organizationId} AND status = 'COMPLETED'`;
}
