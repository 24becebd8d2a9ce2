import { sql, type Sql } from '../platform/sql.js';
import type { MessageKind, SubjectType } from './notification.enums.js';
import type { Preferences } from './preferences.rules.js';

export interface NewNotification {
  id: string;
  userId: string;
  kind: MessageKind;
  title: string;
  body: string;
  link: string | null;
  subjectType: SubjectType;
  subjectId: string;
  deliveryId: string;
  at: Date;
}

/** Writes the notification of an IN_APP delivery once: a repeated dispatch returns no row. */
export function insertNotification(n: NewNotification): Sql {
  return sql`INSERT INTO notification (id, user_id, kind, title, body, link, subject_type, subject_id, delivery_id, created_at)
      VALUES (${n.id}::uuid, ${n.userId}::uuid, ${n.kind}, ${n.title}, ${n.body}, ${n.link}, ${n.subjectType}, ${n.subjectId}::uuid, ${n.deliveryId}::uuid, ${n.at}::timestamptz)
      ON CONFLICT (delivery_id) DO NOTHING
      RETURNING id`;
}

/** Marks one of the user's notifications read, keeping the first reading's time; no row when it is not theirs. */
export function markRead(userId: string, id: string, at: Date): Sql {
  return sql`UPDATE notification SET read_at = coalesce(read_at, ${at}::timestamptz) WHERE id = ${id}::uuid AND user_id = ${userId}::uuid RETURNING id`;
}

export function markAllRead(userId: string, at: Date): Sql {
  return sql`UPDATE notification SET read_at = ${at}::timestamptz WHERE user_id = ${userId}::uuid AND read_at IS NULL`;
}

export function countUnread(userId: string): Sql {
  return sql`SELECT count(*)::int AS count FROM notification WHERE user_id = ${userId}::uuid AND read_at IS NULL`;
}

/**
 * Sets the switches given (null: leave as is) in one statement, so two changes at once of
 * different switches both stay; the first change creates the row from the defaults.
 */
export function upsertPreferences(userId: string, change: { [K in keyof Preferences]: boolean | null }, at: Date): Sql {
  return sql`INSERT INTO notification_preference (user_id, email_reminders, email_updates, in_app_reminders, in_app_updates, updated_at)
      VALUES (${userId}::uuid, coalesce(${change.emailReminders}::boolean, true), coalesce(${change.emailUpdates}::boolean, true),
              coalesce(${change.inAppReminders}::boolean, true), coalesce(${change.inAppUpdates}::boolean, true), ${at}::timestamptz)
      ON CONFLICT (user_id) DO UPDATE SET
        email_reminders = coalesce(${change.emailReminders}::boolean, notification_preference.email_reminders),
        email_updates = coalesce(${change.emailUpdates}::boolean, notification_preference.email_updates),
        in_app_reminders = coalesce(${change.inAppReminders}::boolean, notification_preference.in_app_reminders),
        in_app_updates = coalesce(${change.inAppUpdates}::boolean, notification_preference.in_app_updates),
        updated_at = excluded.updated_at
      RETURNING email_reminders AS "emailReminders", email_updates AS "emailUpdates", in_app_reminders AS "inAppReminders", in_app_updates AS "inAppUpdates"`;
}

export function selectPreferences(userId: string): Sql {
  return sql`SELECT email_reminders AS "emailReminders", email_updates AS "emailUpdates", in_app_reminders AS "inAppReminders", in_app_updates AS "inAppUpdates"
      FROM notification_preference WHERE user_id = ${userId}::uuid`;
}
