import { sql, type Sql } from '../platform/sql.js';
import type { AccessTokenClaims } from './credentials.js';

/**
 * For each verified token's claims, in order (`i`, from 1): its session's state, the user's
 * role and, for a client naming an organization, the membership — one plain statement for one
 * request or for thousands of live connections at once (the ORM's query building and hydration
 * cost more than the query on the path every request takes). Claims whose session does not
 * exist (or is another user's) have no row.
 */
export function callerStates(claims: readonly AccessTokenClaims[]): Sql {
  const column = (values: ReadonlyArray<string | null>) => `{${values.map((v) => v ?? 'NULL').join(',')}}`;
  return sql`SELECT t.i::int AS i, u.role, u.email_verified_at IS NOT NULL AS email_verified, s.revoked_at IS NOT NULL AS revoked, m.role AS org_role
      FROM unnest(${column(claims.map((c) => c.sid))}::uuid[], ${column(claims.map((c) => c.sub))}::uuid[], ${column(claims.map((c) => c.org))}::uuid[]) WITH ORDINALITY AS t(sid, sub, org, i)
      JOIN auth_session s ON s.id = t.sid AND s.user_id = t.sub
      JOIN app_user u ON u.id = s.user_id
      LEFT JOIN membership m ON u.role = 'CLIENT' AND m.organization_id = t.org AND m.user_id = s.user_id`;
}
