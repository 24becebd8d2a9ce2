import { allOf, constraintMissing, type InvariantCheck } from '../platform/invariants.js';
import { sql } from '../platform/sql.js';
import { DeliveryStatus } from './notification.enums.js';

/** The outbox's invariant (I11): one delivery per message and recipient, a sent one with its time. */
export const notificationInvariants: readonly InvariantCheck[] = [
  {
    id: 'I11',
    title: 'one delivery per message and recipient',
    statement: 'one delivery per (subject, kind, channel, recipient, occurrence), one in-app notification per delivery, unique constraints present; a SENT one has sent_at',
    violations: allOf(
      constraintMissing('notification_delivery', 'notification_delivery_once', 'u'),
      constraintMissing('notification', 'notification_delivery_id_unique', 'u'),
      sql`SELECT subject_type || ' ' || subject_id::text || ' ' || kind || ' ' || channel || ' to ' || recipient_key || coalesce(' ' || nullif(occurrence, ''), '') || ': ' || count(*) || ' deliveries' AS id
            FROM notification_delivery GROUP BY subject_type, subject_id, kind, channel, recipient_key, occurrence HAVING count(*) > 1`,
      sql`SELECT 'notification ' || delivery_id::text || ': ' || count(*) AS id FROM notification GROUP BY delivery_id HAVING count(*) > 1`,
      sql`SELECT id::text || ' SENT without sent_at' AS id FROM notification_delivery WHERE status = ${DeliveryStatus.SENT} AND sent_at IS NULL`,
    ),
  },
];
