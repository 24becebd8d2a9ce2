import { MeetingStatus } from '../meetings/meeting.enums.js';
import { sql, type Sql } from '../platform/sql.js';
import { WAITS_FOR_MEETING } from './dispatch.rules.js';
import { DeliveryStatus, MessageKind, SubjectType } from './notification.enums.js';
import { messageIdSql, OUTBOX_CHANNEL } from './outbox.sql.js';

/** What failedMeeting reads: the consultant to tell and which failure it is. */
export interface FailedMeetingRow {
  consultant_user_id: string;
  organization_id: string;
  /** The failure's instant as the row has it, to the microsecond (text): the delivery's occurrence. */
  failed_at: string;
}

/**
 * The consultation's meeting while it is FAILED, with its consultant's user: no row when it is not
 * (made or moved again since the event, or gone). The failure is the row's own updated_at, which
 * markFailed sets and a repeat of its event does not change.
 */
export function failedMeeting(consultationId: string): Sql {
  return sql`SELECT p.user_id AS consultant_user_id, c.organization_id, to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS failed_at
       FROM meeting m JOIN consultation c ON c.id = m.consultation_id JOIN consultant_profile p ON p.id = c.consultant_id
      WHERE m.consultation_id = ${consultationId}::uuid AND m.status = ${MeetingStatus.FAILED}`;
}

/** What the relevance check reads when a MEETING_FAILED falls due. */
export interface MeetingNowRow {
  meeting_status: string;
  consultation_status: string;
}

export function meetingNow(consultationId: string): Sql {
  return sql`SELECT m.status AS meeting_status, c.status AS consultation_status
       FROM meeting m JOIN consultation c ON c.id = m.consultation_id WHERE m.consultation_id = ${consultationId}::uuid`;
}

/**
 * The meeting-link message of a consultation whose meeting is READY, in one statement: for each
 * recipient and channel whose confirmation or move's message went (SENT, or being sent) and none
 * of whose such messages is still waiting (that one will carry the link when it goes), a
 * MEETING_LINK delivery keyed by `occurrence` (the link's), so each link is told once. The
 * recipients are those messages' own (the client side, the attendees, the consultant). Always
 * wakes the dispatchers at commit: a message held for this meeting may go now.
 */
export function insertMeetingLinkMessages(consultationId: string, occurrence: string, at: Date): Sql {
  const announcements = sql.join(WAITS_FOR_MEETING.map((k) => sql`${k}`));
  return sql`WITH link AS (
       SELECT 1 FROM meeting WHERE consultation_id = ${consultationId}::uuid AND status = 'READY' AND join_url IS NOT NULL
     ), told AS (
       SELECT d.channel, d.side, d.recipient_key, min(d.recipient_user_id::text)::uuid AS recipient_user_id, min(d.recipient_email) AS recipient_email, min(d.organization_id::text)::uuid AS organization_id
         FROM notification_delivery d
        WHERE d.subject_type = ${SubjectType.CONSULTATION} AND d.subject_id = ${consultationId}::uuid AND d.kind IN (${announcements})
        GROUP BY d.channel, d.side, d.recipient_key
       HAVING bool_or(d.status IN (${DeliveryStatus.SENT}, ${DeliveryStatus.SENDING})) AND NOT bool_or(d.status = ${DeliveryStatus.PENDING})
     ), planned AS (
       SELECT gen_random_uuid() AS id, told.* FROM told WHERE EXISTS (SELECT 1 FROM link)
     ), added AS (
       INSERT INTO notification_delivery (id, subject_type, subject_id, kind, channel, side, recipient_key, recipient_user_id, recipient_email, occurrence,
                                          organization_id, payload, status, due_at, next_attempt_at, attempts, message_id, created_at, updated_at)
       SELECT p.id, ${SubjectType.CONSULTATION}, ${consultationId}::uuid, ${MessageKind.MEETING_LINK}, p.channel, p.side, p.recipient_key, p.recipient_user_id, p.recipient_email, ${occurrence},
              p.organization_id, NULL, ${DeliveryStatus.PENDING}, ${at}::timestamptz, ${at}::timestamptz, 0, ${messageIdSql(sql.raw('p.id'))}, ${at}::timestamptz, ${at}::timestamptz
         FROM planned p
       ON CONFLICT ON CONSTRAINT notification_delivery_once DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*)::int FROM added) AS added, pg_notify(${OUTBOX_CHANNEL}, '') IS NULL AS notified`;
}

/** Wakes the dispatchers at commit (a meeting given up on: the messages held for it go now). */
export const wakeDispatchers = sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '') IS NULL AS notified`;
