import { meetingBeingMade } from '../meetings/index.js';
import { sql, type Sql } from '../platform/sql.js';
import { WAITS_FOR_MEETING } from './dispatch.rules.js';
import { DeliveryStatus, SubjectType } from './notification.enums.js';

/**
 * dispatch.rules.ts's heldForMeeting, of the row `d` at `now`: a message that waits for its
 * consultation's meeting link while it is being made, up to `waitMs` after its moment.
 */
function heldForMeeting(now: Date, waitMs: number): Sql {
  if (waitMs <= 0) return sql`false`;
  return sql`(d.subject_type = ${SubjectType.CONSULTATION} AND d.kind IN (${sql.join(WAITS_FOR_MEETING.map((k) => sql`${k}`))})
      AND d.due_at + ${waitMs}::int * interval '1 millisecond' > ${now}::timestamptz AND ${meetingBeingMade(sql.raw('d.subject_id'))})`;
}

/** Due at `now`: PENDING whose moment came and not held for its meeting, or SENDING whose lease ran out. */
function dueAt(now: Date, waitMs: number): Sql {
  return sql`((d.status = ${DeliveryStatus.PENDING} AND d.next_attempt_at <= ${now} AND NOT ${heldForMeeting(now, waitMs)})
      OR (d.status = ${DeliveryStatus.SENDING} AND d.lease_until <= ${now}))`;
}

/**
 * Claims up to `limit` deliveries due at `now` (dispatch.rules.ts's claimable: PENDING whose
 * moment came, or SENDING whose lease ran out) for this sender until `leaseUntil`. One statement,
 * so one short transaction: SKIP LOCKED lets concurrent senders claim disjoint rows, and the
 * claim counts as an attempt — `attempts` after the claim is the claim's token (markSent etc.
 * change the row only while it is still that claim's). A message held for its meeting
 * (`meetingWaitMs`, dispatch.rules.ts's heldForMeeting) is left for later.
 */
export function claimDue(now: Date, leaseUntil: Date, limit: number, meetingWaitMs = 0): Sql {
  return sql`UPDATE notification_delivery
      SET status = ${DeliveryStatus.SENDING}, lease_until = ${leaseUntil}, attempts = notification_delivery.attempts + 1, updated_at = ${now}
      WHERE notification_delivery.id IN (
        SELECT d.id FROM notification_delivery d
         WHERE ${dueAt(now, meetingWaitMs)}
         ORDER BY d.next_attempt_at
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED)
      RETURNING notification_delivery.*`;
}

/** A claim's row: only while this claim (its attempt) still holds it. */
function claimed(id: string, attempts: number): Sql {
  return sql`id = ${id}::uuid AND status = ${DeliveryStatus.SENDING} AND attempts = ${attempts}`;
}

export function markSent(id: string, attempts: number, now: Date): Sql {
  return sql`UPDATE notification_delivery SET status = ${DeliveryStatus.SENT}, sent_at = ${now}, lease_until = NULL, updated_at = ${now} WHERE ${claimed(id, attempts)}`;
}

export function markSkipped(id: string, attempts: number, reason: string, now: Date): Sql {
  return sql`UPDATE notification_delivery SET status = ${DeliveryStatus.SKIPPED}, last_error = ${reason}, lease_until = NULL, updated_at = ${now} WHERE ${claimed(id, attempts)}`;
}

export function markRetry(id: string, attempts: number, error: string, nextAttemptAt: Date, now: Date): Sql {
  return sql`UPDATE notification_delivery SET status = ${DeliveryStatus.PENDING}, next_attempt_at = ${nextAttemptAt}, last_error = ${error}, lease_until = NULL, updated_at = ${now} WHERE ${claimed(id, attempts)}`;
}

export function markFailed(id: string, attempts: number, error: string, now: Date): Sql {
  return sql`UPDATE notification_delivery SET status = ${DeliveryStatus.FAILED}, last_error = ${error}, lease_until = NULL, updated_at = ${now} WHERE ${claimed(id, attempts)}`;
}

/** How many deliveries wait past their moment at `now`, and since when the oldest does. */
export function pendingDue(now: Date, meetingWaitMs = 0): Sql {
  return sql`SELECT count(*)::int AS count, min(d.next_attempt_at) AS oldest FROM notification_delivery d WHERE ${dueAt(now, meetingWaitMs)}`;
}

/** The next moment a delivery falls due after `now` (a waiting retry or reminder, a claim's lease running out, a wait for a meeting ending), if any. */
export function nextDue(now: Date, meetingWaitMs = 0): Sql {
  return sql`SELECT least(
        (SELECT min(next_attempt_at) FROM notification_delivery WHERE status = ${DeliveryStatus.PENDING} AND next_attempt_at > ${now}),
        (SELECT min(lease_until) FROM notification_delivery WHERE status = ${DeliveryStatus.SENDING} AND lease_until > ${now}),
        -- A message held for its meeting goes at the end of its wait (or sooner, woken when the meeting is settled).
        (SELECT min(d.due_at + ${meetingWaitMs}::int * interval '1 millisecond') FROM notification_delivery d
          WHERE d.status = ${DeliveryStatus.PENDING} AND d.next_attempt_at <= ${now} AND ${heldForMeeting(now, meetingWaitMs)})) AS at`;
}

/** An account's address, for a delivery decided with the user alone. */
export function userEmail(userId: string): Sql {
  return sql`SELECT email FROM app_user WHERE id = ${userId}::uuid`;
}
