import { sql, type Sql } from '../platform/sql.js';
import { DeliveryStatus, type DeliveryChannel, type MessageKind, type RecipientSide, type SubjectType } from './notification.enums.js';

/** The channel a dispatcher LISTENs on; an outbox write notifies it, delivered at commit. */
export const OUTBOX_CHANNEL = 'notification_outbox';

const MESSAGE_ID_HOST = 'serenity.notifications';

/** A delivery's Message-ID, fixed when it is decided (a resend after a crash carries the same one). */
export function messageIdOf(deliveryId: string): string {
  return `<${deliveryId}@${MESSAGE_ID_HOST}>`;
}

/** messageIdOf in SQL, for a statement that makes the delivery's id itself (`idColumn`). */
export function messageIdSql(idColumn: Sql): Sql {
  return sql`'<' || ${idColumn} || ${`@${MESSAGE_ID_HOST}>`}`;
}

/** A message decided in a domain transaction (outbox.ts's enqueue). */
export interface OutboxRow {
  id: string;
  subjectType: SubjectType;
  subjectId: string;
  kind: MessageKind;
  channel: DeliveryChannel;
  side: RecipientSide;
  recipientKey: string;
  recipientUserId: string | null;
  recipientEmail: string | null;
  occurrence: string;
  organizationId: string | null;
  payload: Record<string, unknown> | null;
  dueAt: Date;
  messageId: string;
  at: Date;
}

/** Stores messages, each once (I11: a message decided again writes nothing), and wakes the dispatchers at commit. */
export function insertDeliveries(rows: readonly OutboxRow[]): Sql {
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.id}::uuid, ${r.subjectType}, ${r.subjectId}::uuid, ${r.kind}, ${r.channel}, ${r.side}, ${r.recipientKey}, ${r.recipientUserId}::uuid, ${r.recipientEmail}, ${r.occurrence},
             ${r.organizationId}::uuid, ${r.payload ? JSON.stringify(r.payload) : null}::jsonb, ${DeliveryStatus.PENDING}, ${r.dueAt}::timestamptz, ${r.dueAt}::timestamptz, 0, ${r.messageId}, ${r.at}::timestamptz, ${r.at}::timestamptz)`,
    ),
  );
  return sql`WITH added AS (
       INSERT INTO notification_delivery (id, subject_type, subject_id, kind, channel, side, recipient_key, recipient_user_id, recipient_email, occurrence,
                                          organization_id, payload, status, due_at, next_attempt_at, attempts, message_id, created_at, updated_at)
       VALUES ${values}
       ON CONFLICT ON CONSTRAINT notification_delivery_once DO NOTHING
       RETURNING 1
     )
     SELECT count(*)::int AS added, pg_notify(${OUTBOX_CHANNEL}, '') IS NULL AS notified FROM added`;
}

/**
 * Withdraws a subject's messages that have not gone yet (PENDING): all of them, or those of
 * `kinds`, except those of `keepOccurrence` (a reschedule keeps the new time's reminders).
 */
export function cancelPending(subjectType: SubjectType, subjectId: string, options: { kinds?: readonly MessageKind[]; keepOccurrence?: string; at: Date }): Sql {
  const kinds = options.kinds?.length ? sql` AND kind IN (${[...options.kinds]})` : sql.empty;
  const keep = options.keepOccurrence !== undefined ? sql` AND occurrence <> ${options.keepOccurrence}` : sql.empty;
  return sql`UPDATE notification_delivery SET status = ${DeliveryStatus.CANCELLED}, updated_at = ${options.at}
      WHERE subject_type = ${subjectType} AND subject_id = ${subjectId}::uuid AND status = ${DeliveryStatus.PENDING}${kinds}${keep}`;
}
