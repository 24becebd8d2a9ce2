import { sql, type Sql } from '../platform/sql.js';
import { MeetingAction, MeetingStatus } from './meeting.enums.js';

/** Woken by a write that gives the job work (NOTIFY is delivered at commit). */
export const MEETINGS_CHANNEL = 'meetings_due';

const notify = sql`pg_notify(${MEETINGS_CHANNEL}, '')`;

/**
 * The consultation's meeting, PENDING; `action` CREATE, or null while a booking fee is unpaid.
 * A repeat (a second BOOKED, a PAID after the row exists) only schedules the create.
 */
export function recordPending(consultationId: string, action: MeetingAction | null, now: Date): Sql {
  return sql`WITH row AS (
      INSERT INTO meeting (consultation_id, provider, status, action, next_attempt_at, created_at, updated_at)
      SELECT c.id, c.meeting_provider, ${MeetingStatus.PENDING}, ${action}, ${now}, ${now}, ${now} FROM consultation c WHERE c.id = ${consultationId}::uuid
      ON CONFLICT (consultation_id) DO UPDATE SET action = coalesce(meeting.action, EXCLUDED.action), next_attempt_at = ${now}, updated_at = ${now}
        WHERE meeting.status = ${MeetingStatus.PENDING}
      RETURNING 1)
    SELECT ${notify} IS NULL AS notified FROM row`;
}

/** A reschedule: a made meeting is moved, one not made yet is made at the new time. */
export function recordUpdate(consultationId: string, now: Date): Sql {
  return sql`WITH row AS (
      UPDATE meeting SET status = ${MeetingStatus.PENDING},
          action = CASE WHEN external_id IS NULL THEN ${MeetingAction.CREATE} ELSE ${MeetingAction.UPDATE} END,
          attempts = 0, next_attempt_at = ${now}, lease_until = NULL, updated_at = ${now}
        WHERE consultation_id = ${consultationId}::uuid AND status <> ${MeetingStatus.DELETED} AND (action IS NOT NULL OR status <> ${MeetingStatus.PENDING})
      RETURNING 1)
    SELECT ${notify} IS NULL AS notified FROM row`;
}

/** A cancellation or a lapsed hold: a made meeting is deleted at the provider; one never made is just DELETED. */
export function recordDeletion(consultationId: string, now: Date): Sql {
  return sql`WITH row AS (
      UPDATE meeting SET
          status = CASE WHEN external_id IS NULL THEN ${MeetingStatus.DELETED} ELSE ${MeetingStatus.PENDING} END,
          action = CASE WHEN external_id IS NULL THEN NULL ELSE ${MeetingAction.DELETE} END,
          join_url = NULL, host_url = NULL, passcode = NULL, dial_in = NULL,
          attempts = 0, next_attempt_at = ${now}, lease_until = NULL, updated_at = ${now}
        WHERE consultation_id = ${consultationId}::uuid AND status <> ${MeetingStatus.DELETED}
      RETURNING external_id)
    SELECT ${notify} IS NULL AS notified FROM row WHERE external_id IS NOT NULL`;
}

export interface ClaimedMeeting {
  consultation_id: string;
  provider: string;
  action: MeetingAction;
  external_id: string | null;
  attempts: number;
  /** With `attempts`, the claim's token (text, as the row came). */
  lease_until: string;
  title: string;
  /** Raw rows: timestamps come as text. */
  start_at: string;
  end_at: string;
  consultant_phone: string | null;
  consultant_email: string;
  consultant_name: string;
  time_zone: string;
}

/**
 * Claims up to `limit` meetings with an action due (or whose claim's lease ran out) until
 * `leaseUntil`, with the facts the provider needs. SKIP LOCKED: concurrent jobs claim disjoint
 * rows; `attempts` after the claim is the claim's token.
 */
export function claimDue(now: Date, leaseUntil: Date, limit: number): Sql {
  return sql`WITH claimed AS (
      UPDATE meeting m SET lease_until = ${leaseUntil}, attempts = m.attempts + 1, updated_at = ${now}
        WHERE m.consultation_id IN (
          SELECT consultation_id FROM meeting
           WHERE action IS NOT NULL AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now})
           ORDER BY next_attempt_at LIMIT ${limit}
           FOR UPDATE SKIP LOCKED)
      RETURNING m.consultation_id, m.provider, m.action, m.external_id, m.attempts, m.lease_until)
    SELECT claimed.*, c.code AS title, c.start_at, c.end_at, u.phone AS consultant_phone, u.email AS consultant_email,
           trim(u.first_name || ' ' || u.last_name) AS consultant_name, coalesce(s.time_zone, 'UTC') AS time_zone
      FROM claimed JOIN consultation c ON c.id = claimed.consultation_id
      JOIN consultant_profile p ON p.id = c.consultant_id JOIN app_user u ON u.id = p.user_id
      LEFT JOIN availability_schedule s ON s.consultant_id = p.id`;
}

/** The claim's token: a reschedule or cancellation meanwhile resets the lease (and attempts), so a stale outcome changes nothing. */
export interface Claim {
  id: string;
  attempts: number;
  leaseUntil: string;
}

const stillClaimed = (c: Claim) => sql`consultation_id = ${c.id}::uuid AND attempts = ${c.attempts} AND lease_until = ${c.leaseUntil}::timestamptz AND action IS NOT NULL`;

/**
 * Stored as soon as the provider answers, so a retry after a later failure updates rather than
 * re-creates. One row back when the claim still held, saying whether the link changed (the
 * previous link is read under the row's lock, in the same statement).
 */
export function markReady(claim: Claim, place: { externalId: string; joinUrl: string | null; passcode: string | null; dialIn: string | null; hostUrl: string | null }, now: Date): Sql {
  return sql`WITH before AS (SELECT consultation_id, join_url FROM meeting WHERE ${stillClaimed(claim)} FOR UPDATE)
    UPDATE meeting SET status = ${MeetingStatus.READY}, action = NULL, external_id = ${place.externalId}, join_url = ${place.joinUrl},
        passcode = ${place.passcode}, dial_in = ${place.dialIn}, host_url = ${place.hostUrl}, attempts = 0, lease_until = NULL, last_error = NULL, updated_at = ${now},
        link_sequence = meeting.link_sequence + CASE WHEN before.join_url IS DISTINCT FROM ${place.joinUrl}::text THEN 1 ELSE 0 END,
        link_changed_at = CASE WHEN before.join_url IS DISTINCT FROM ${place.joinUrl}::text THEN ${now}::timestamptz ELSE meeting.link_changed_at END
      FROM before WHERE meeting.consultation_id = before.consultation_id
      RETURNING before.join_url IS DISTINCT FROM meeting.join_url AS join_url_changed`;
}

export function markDeleted(claim: Claim, now: Date): Sql {
  return sql`UPDATE meeting SET status = ${MeetingStatus.DELETED}, action = NULL, attempts = 0, lease_until = NULL, last_error = NULL, updated_at = ${now}
      WHERE ${stillClaimed(claim)}`;
}

export function markRetry(claim: Claim, error: string, nextAttemptAt: Date, now: Date): Sql {
  return sql`UPDATE meeting SET next_attempt_at = ${nextAttemptAt}, last_error = ${error}, lease_until = NULL, updated_at = ${now} WHERE ${stillClaimed(claim)}`;
}

export function markFailed(claim: Claim, error: string, now: Date): Sql {
  return sql`UPDATE meeting SET status = ${MeetingStatus.FAILED}, action = NULL, last_error = ${error}, lease_until = NULL, updated_at = ${now} WHERE ${stillClaimed(claim)}`;
}

/** The next moment a waiting action falls due after `now`. */
/** `at` as text (a raw row). */
export function nextDue(now: Date): Sql {
  return sql`SELECT min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at))) AS at FROM meeting WHERE action IS NOT NULL AND next_attempt_at > ${now} OR (action IS NOT NULL AND lease_until > ${now})`;
}

/** A meeting as messages, invitations and the calendar feed show it (meeting-link.ts). */
export interface MeetingLinkRow {
  consultation_id: string;
  provider: string;
  status: MeetingStatus;
  action: MeetingAction | null;
  join_url: string | null;
  passcode: string | null;
  dial_in: string | null;
  host_url: string | null;
  link_sequence: number;
  /** Raw rows: timestamps come as text. */
  link_changed_at: string | null;
}

/** The meetings of some consultations, in one statement. */
export function meetingLinks(consultationIds: readonly string[]): Sql {
  return sql`SELECT consultation_id, provider, status, action, join_url, passcode, dial_in, host_url, link_sequence, link_changed_at
      FROM meeting WHERE consultation_id = ANY(${`{${consultationIds.join(',')}}`}::uuid[])`;
}

/**
 * Whether the consultation (`consultationId`, an SQL expression) has a meeting being made or
 * moved right now: the messages that wait for its link (notifications' dispatch) test this.
 */
export function meetingBeingMade(consultationId: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM meeting m WHERE m.consultation_id = ${consultationId} AND m.status = ${MeetingStatus.PENDING}
      AND m.action IN (${MeetingAction.CREATE}, ${MeetingAction.UPDATE}))`;
}
