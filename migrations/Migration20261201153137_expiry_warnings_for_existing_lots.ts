import { Migration } from '@mikro-orm/migrations';

/**
 * Lots granted before the credit messages existed got no expiry warnings (they are decided at
 * grant): this writes them once, as the grant would have — CREDITS_EXPIRING_7D and _1D for each
 * unexpired lot with credits free, each only if its moment is still ahead, an EMAIL and an
 * IN_APP delivery for each owner of the lot's organization. The outbox's unique constraint keeps
 * it from writing a warning twice (a rerun, a lot granted since). Sent when due by the
 * dispatcher, which checks again then that the lot still has credits free.
 */
export const EXPIRY_WARNINGS_FOR_EXISTING_LOTS = `
  WITH planned AS (
    SELECT gen_random_uuid() AS id, l.id AS lot_id, l.organization_id, w.kind, ch.channel, m.user_id, l.expires_at - w.ahead AS due_at, l.expires_at
      FROM credit_lot l
      CROSS JOIN (VALUES ('CREDITS_EXPIRING_7D', interval '7 days'), ('CREDITS_EXPIRING_1D', interval '1 day')) w (kind, ahead)
      JOIN membership m ON m.organization_id = l.organization_id AND m.role = 'OWNER'
      CROSS JOIN (VALUES ('EMAIL'), ('IN_APP')) ch (channel)
     WHERE l.available > 0 AND l.expires_at - w.ahead > now()
  )
  INSERT INTO notification_delivery (id, subject_type, subject_id, kind, channel, side, recipient_key, recipient_user_id, recipient_email, occurrence,
                                     organization_id, payload, status, due_at, next_attempt_at, attempts, message_id, created_at, updated_at)
  SELECT p.id, 'CREDIT_LOT', p.lot_id, p.kind, p.channel, 'CLIENT', 'user:' || p.user_id, p.user_id, NULL, '',
         p.organization_id, jsonb_build_object('expiresAt', to_char(p.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
         'PENDING', p.due_at, p.due_at, 0, '<' || p.id || '@serenity.notifications>', now(), now()
    FROM planned p
  ON CONFLICT ON CONSTRAINT notification_delivery_once DO NOTHING`;

export class Migration20261201153137_expiry_warnings_for_existing_lots extends Migration {

  override name = 'Migration20261201153137_expiry_warnings_for_existing_lots';

  override up(): void | Promise<void> {
    this.addSql(EXPIRY_WARNINGS_FOR_EXISTING_LOTS);
  }

  override down(): void | Promise<void> {
    // The warnings it wrote are ordinary deliveries by now (some sent): nothing to undo.
  }

}
