import { Migration } from '@mikro-orm/migrations';

export class Migration20261201124540_notifications extends Migration {

  override name = 'Migration20261201124540_notifications';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification_delivery" ("id" uuid not null, "subject_type" text not null, "subject_id" uuid not null, "kind" text not null, "channel" text not null, "side" text not null, "recipient_key" varchar(320) not null, "recipient_user_id" uuid null, "recipient_email" varchar(254) null, "occurrence" varchar(100) not null default '', "organization_id" uuid null, "payload" jsonb null, "status" text not null default 'PENDING', "due_at" timestamptz not null, "next_attempt_at" timestamptz not null, "attempts" int not null default 0, "lease_until" timestamptz null, "last_error" text null, "message_id" varchar(200) not null, "sent_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "notification_delivery_subject" on "notification_delivery" ("subject_type", "subject_id");`);
    this.addSql(`create index "notification_delivery_due" on "notification_delivery" ("status", "next_attempt_at");`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_once" unique ("subject_type", "subject_id", "kind", "channel", "recipient_key", "occurrence");`);


    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_subject_type_check" check ("subject_type" in ('CONSULTATION', 'USER', 'INVITATION', 'SUBSCRIPTION', 'ORGANIZATION'));`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'REMINDER_24H', 'REMINDER_1H', 'SESSION_STARTED', 'SESSION_COMPLETED', 'CONSULTATION_CANCELLED', 'CONSULTATION_RESCHEDULED', 'RESCHEDULE_REQUESTED', 'FEEDBACK_REQUEST', 'HOLD_EXPIRED', 'VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION'));`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_channel_check" check ("channel" in ('EMAIL', 'IN_APP'));`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_side_check" check ("side" in ('CLIENT', 'CONSULTANT', 'ATTENDEE', 'USER'));`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_status_check" check ("status" in ('PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED', 'SKIPPED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification_delivery" cascade;`);

  }

}
