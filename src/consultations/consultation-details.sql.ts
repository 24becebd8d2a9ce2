import { sql, type Sql } from '../platform/sql.js';

// The reads of ConsultationDetails: each takes a whole response level's consultations at once,
// as PostgreSQL array literals of their ids ("{id,id,…}").

/** Every status change of the consultations, oldest first. */
export function statusChangesOf(consultationIds: string): Sql {
  return sql`SELECT consultation_id, id, event, from_status, to_status, actor_role, reason, at FROM consultation_status_change WHERE consultation_id = ANY(${consultationIds}::uuid[]) ORDER BY at, id`;
}

/** The RESERVE and RELEASE ledger entries of the consultations, oldest first. */
export function reservationEntriesOf(consultationIds: string): Sql {
  return sql`SELECT consultation_id, lot_id, type, units FROM credit_ledger_entry WHERE consultation_id = ANY(${consultationIds}::uuid[]) AND type IN ('RESERVE', 'RELEASE') ORDER BY created_at, id`;
}

/** Each consultation's client and organization, by the ids the consultations carry (positionally). */
export function clientsOf(consultationIds: string, clientIds: string, organizationIds: string): Sql {
  return sql`SELECT v.id, u.first_name, u.last_name, u.email, o.name AS organization_name
           FROM unnest(${consultationIds}::uuid[], ${clientIds}::uuid[], ${organizationIds}::uuid[]) AS v (id, client_id, organization_id)
           JOIN app_user u ON u.id = v.client_id JOIN organization o ON o.id = v.organization_id`;
}
