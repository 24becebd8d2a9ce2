import { sql, type Sql } from '../platform/sql.js';
import { DeliveryStatus } from './notification.enums.js';

/**
 * Claims up to `limit` deliveries due at `now` (dispatch.rules.ts's claimable: PENDING whose
 * moment came, or SENDING whose lease ran out) for this sender until `leaseUntil`. One statement,
 * so one short transaction: SKIP LOCKED lets concurrent senders claim disjoint rows, and the
 * claim counts as an attempt — `attempts` after the claim is the claim's token (markSent etc.
 * change the row only while it is still that claim's).
 */
export function claimDue(now: Date, leaseUntil: Date, limit: number): Sql {
  return sql`UPDATE notification_delivery d
      SET status = ${DeliveryStatus.SENDING}, lease_until = ${leaseUntil}, attempts = d.attempts + 1, updated_at = ${now}
      WHERE d.id IN (
        SELECT id FROM notification_delivery
         WHERE (status = ${DeliveryStatus.PENDING} AND next_attempt_at <= ${now})
            OR (status = ${DeliveryStatus.SENDING} AND lease_until <= ${now})
         ORDER BY next_attempt_at
         LIMIT ${limit}
         FOR UPDATE SKIP LOCKED)
      RETURNING d.*`;
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
export function pendingDue(now: Date): Sql {
  return sql`SELECT count(*)::int AS count, min(next_attempt_at) AS oldest FROM notification_delivery
      WHERE (status = ${DeliveryStatus.PENDING} AND next_attempt_at <= ${now}) OR (status = ${DeliveryStatus.SENDING} AND lease_until <= ${now})`;
}

/** The next moment a delivery falls due after `now` (a waiting retry or reminder, or a claim's lease running out), if any. */
export function nextDue(now: Date): Sql {
  return sql`SELECT least(
        (SELECT min(next_attempt_at) FROM notification_delivery WHERE status = ${DeliveryStatus.PENDING} AND next_attempt_at > ${now}),
        (SELECT min(lease_until) FROM notification_delivery WHERE status = ${DeliveryStatus.SENDING} AND lease_until > ${now})) AS at`;
}

/** An account's address, for a delivery decided with the user alone. */
export function userEmail(userId: string): Sql {
  return sql`SELECT email FROM app_user WHERE id = ${userId}::uuid`;
}
