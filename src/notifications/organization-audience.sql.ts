import { OrgRole } from '../platform/roles.js';
import { sql, type Sql } from '../platform/sql.js';

/**
 * The people an organization's credit and billing messages go to: its owners, and the members
 * named (the one a movement concerns, the buyer), each once, only while they still belong to it.
 */
export function organizationPeople(organizationId: string, memberIds: readonly string[]): Sql {
  const members = memberIds.length ? sql` OR m.user_id IN (${[...memberIds]})` : sql.empty;
  return sql`SELECT DISTINCT m.user_id AS user_id, u.email FROM membership m JOIN app_user u ON u.id = m.user_id
      WHERE m.organization_id = ${organizationId}::uuid AND (m.role = ${OrgRole.OWNER}${members})
      ORDER BY m.user_id`;
}
