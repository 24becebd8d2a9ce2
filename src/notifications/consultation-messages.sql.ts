import { sql, type Sql } from '../platform/sql.js';
import { DeliveryChannel, DeliveryStatus, RecipientSide, SubjectType } from './notification.enums.js';
import { messageIdSql, OUTBOX_CHANNEL } from './outbox.sql.js';
import type { PlannedMessage } from './timing.js';

/** What consultationFacts reads: the consultation and the history entry of the change (when it has one). */
export interface ConsultationFactsRow {
  status: string;
  start_at: Date | string;
  end_at: Date | string;
  reschedule_count: number;
  reschedule_request: { suggestedStarts: string[]; reason: string | null } | null;
  from_status: string | null;
  /** The history entry's details; a reschedule's `from` is the time it had. */
  details: (Record<string, unknown> & { from?: { start?: string; end?: string } }) | null;
}

/** The consultation's state after a change, with the latest history entry of that change's kind (its from-status and details). */
export function consultationFacts(consultationId: string, event: string): Sql {
  return sql`SELECT c.status, c.start_at, c.end_at, c.reschedule_count, c.reschedule_request, h.from_status, h.details
       FROM consultation c
       LEFT JOIN LATERAL (SELECT h.from_status, h.details FROM consultation_status_change h
                           WHERE h.consultation_id = c.id AND h.event = ${event} ORDER BY h.at DESC LIMIT 1) h ON true
      WHERE c.id = ${consultationId}::uuid`;
}

/** What the relevance check reads when a consultation's message falls due. */
export interface ConsultationNowRow {
  status: string;
  start_at: Date | string;
  feedback_given: boolean;
  reschedule_requested: boolean;
}

export function consultationNow(consultationId: string): Sql {
  return sql`SELECT c.status, c.start_at, c.reschedule_request IS NOT NULL AS reschedule_requested,
            EXISTS (SELECT 1 FROM consultation_feedback f WHERE f.consultation_id = c.id) AS feedback_given
       FROM consultation c WHERE c.id = ${consultationId}::uuid`;
}

/**
 * Writes a consultation's planned messages into the outbox in one statement: each audience
 * (timing.ts) becomes its people, read here from the consultation (the member, the booker, the
 * attendees — an attendee whose address has an account is that user — and the consultant's
 * user; a user's address is read when the message is sent, only an address without an account
 * is kept here); an EMAIL row for everyone and an IN_APP row for each user, once per (kind, channel,
 * recipient, occurrence) whatever audiences overlap (I11). A message withdrawn earlier
 * (CANCELLED) and decided again — a session moved back to a time it had — is revived; one that
 * went, failed or was skipped stays as it is. Wakes the dispatchers at commit, like outbox.ts's
 * enqueue, whose row shape (recipient key, Message-ID) this keeps.
 */
export function insertConsultationMessages(consultationId: string, plan: readonly PlannedMessage[], at: Date): Sql {
  const values = sql.join(plan.map((m) => sql`(${m.kind}::text, ${m.audience}::text, ${m.dueAt}::timestamptz, ${m.occurrence}::text, ${JSON.stringify(m.payload)}::jsonb)`));
  return sql`WITH c AS (
       SELECT c.organization_id, c.client_id, c.booked_by_id, c.attendees, p.user_id AS consultant_user_id
         FROM consultation c JOIN consultant_profile p ON p.id = c.consultant_id WHERE c.id = ${consultationId}::uuid
     ), people (audience, side, user_id, email, rank) AS (
       SELECT 'CLIENT', ${RecipientSide.CLIENT}, c.client_id, NULL::text, 1 FROM c
       UNION ALL SELECT 'CLIENT', ${RecipientSide.CLIENT}, c.booked_by_id, NULL, 1 FROM c WHERE c.booked_by_id <> c.client_id
       UNION ALL SELECT 'MEMBER', ${RecipientSide.CLIENT}, c.client_id, NULL, 1 FROM c
       UNION ALL SELECT 'BOOKER', ${RecipientSide.CLIENT}, c.booked_by_id, NULL, 1 FROM c
       UNION ALL SELECT 'CONSULTANT', ${RecipientSide.CONSULTANT}, c.consultant_user_id, NULL, 0 FROM c
       UNION ALL SELECT 'ATTENDEES', ${RecipientSide.ATTENDEE}, u.id, lower(trim(a.att->>'email')), 2
         FROM c CROSS JOIN LATERAL jsonb_array_elements(c.attendees) a(att) LEFT JOIN app_user u ON u.email = lower(trim(a.att->>'email'))
     ), plan (kind, audience, due_at, occurrence, payload) AS (VALUES ${values}
     ), planned AS (
       SELECT DISTINCT ON (pl.kind, ch.channel, key.recipient_key, pl.occurrence)
              gen_random_uuid() AS id, pl.kind, ch.channel, p.side, key.recipient_key, p.user_id, CASE WHEN p.user_id IS NULL THEN p.email END AS email, pl.occurrence, pl.payload, pl.due_at
         FROM plan pl
         JOIN people p ON p.audience = pl.audience
         CROSS JOIN LATERAL (SELECT CASE WHEN p.user_id IS NOT NULL THEN 'user:' || p.user_id ELSE 'email:' || p.email END AS recipient_key) key
         JOIN (VALUES (${DeliveryChannel.EMAIL}::text), (${DeliveryChannel.IN_APP}::text)) ch (channel) ON ch.channel = ${DeliveryChannel.EMAIL} OR p.user_id IS NOT NULL
        ORDER BY pl.kind, ch.channel, key.recipient_key, pl.occurrence, p.rank
     ), added AS (
       INSERT INTO notification_delivery AS d (id, subject_type, subject_id, kind, channel, side, recipient_key, recipient_user_id, recipient_email, occurrence,
                                               organization_id, payload, status, due_at, next_attempt_at, attempts, message_id, created_at, updated_at)
       SELECT pd.id, ${SubjectType.CONSULTATION}, ${consultationId}::uuid, pd.kind, pd.channel, pd.side, pd.recipient_key, pd.user_id, pd.email, pd.occurrence,
              (SELECT organization_id FROM c), pd.payload, ${DeliveryStatus.PENDING}, pd.due_at, pd.due_at, 0, ${messageIdSql(sql.raw('pd.id'))}, ${at}::timestamptz, ${at}::timestamptz
         FROM planned pd
       ON CONFLICT ON CONSTRAINT notification_delivery_once DO UPDATE
          SET status = ${DeliveryStatus.PENDING}, due_at = excluded.due_at, next_attempt_at = excluded.due_at, attempts = 0, lease_until = NULL, last_error = NULL,
              payload = excluded.payload, updated_at = excluded.updated_at
        WHERE d.status = ${DeliveryStatus.CANCELLED}
       RETURNING 1
     )
     SELECT count(*)::int AS added, pg_notify(${OUTBOX_CHANNEL}, '') IS NULL AS notified FROM added`;
}
