import { Migration } from '@mikro-orm/migrations';

export class Migration20261201125241_in_app_notifications extends Migration {

  override name = 'Migration20261201125241_in_app_notifications';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification_preference" ("user_id" uuid not null, "email_reminders" boolean not null default true, "email_updates" boolean not null default true, "in_app_reminders" boolean not null default true, "in_app_updates" boolean not null default true, "updated_at" timestamptz not null, primary key ("user_id"));`);

    this.addSql(`create table "notification" ("id" uuid not null, "user_id" uuid not null, "kind" text not null, "title" varchar(200) not null, "body" text not null, "link" text null, "subject_type" text not null, "subject_id" uuid not null, "delivery_id" uuid not null, "read_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "notification" add constraint "notification_delivery_id_unique" unique ("delivery_id");`);
    this.addSql(`create index "notification_inbox" on "notification" ("user_id", "created_at", "id");`);


    this.addSql(`alter table "notification_preference" add constraint "notification_preference_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'REMINDER_24H', 'REMINDER_1H', 'SESSION_STARTED', 'SESSION_COMPLETED', 'CONSULTATION_CANCELLED', 'CONSULTATION_RESCHEDULED', 'RESCHEDULE_REQUESTED', 'FEEDBACK_REQUEST', 'HOLD_EXPIRED', 'VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION'));`);
    this.addSql(`alter table "notification" add constraint "notification_subject_type_check" check ("subject_type" in ('CONSULTATION', 'USER', 'INVITATION', 'SUBSCRIPTION', 'ORGANIZATION'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "notification_preference" cascade;`);
    this.addSql(`drop table if exists "notification" cascade;`);

  }

}
