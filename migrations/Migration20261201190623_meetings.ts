import { Migration } from '@mikro-orm/migrations';

export class Migration20261201190623_meetings extends Migration {

  override name = 'Migration20261201190623_meetings';

  override up(): void | Promise<void> {
    this.addSql(`create table "meeting" ("consultation_id" uuid not null, "provider" varchar(20) not null, "status" text not null default 'PENDING', "action" text null, "external_id" text null, "join_url" text null, "passcode" text null, "dial_in" text null, "host_url" text null, "recording_url" text null, "attempts" int not null default 0, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("consultation_id"));`);
    this.addSql(`create index "meeting_due" on "meeting" ("action", "next_attempt_at");`);
    this.addSql(`alter table "meeting" add constraint "meeting_consultation_id_foreign" foreign key ("consultation_id") references "consultation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting" add constraint "meeting_status_check" check ("status" in ('PENDING', 'READY', 'FAILED', 'DELETED'));`);
    this.addSql(`alter table "meeting" add constraint "meeting_action_check" check ("action" in ('CREATE', 'UPDATE', 'DELETE'));`);

    // The old ZOOM default never made a link (and Zoom, Teams, Meet are not built yet): sessions
    // still ahead move to the key-free default and get a meeting, which the job then makes.
    this.addSql(`alter table "consultation" alter column "meeting_provider" set default 'JITSI';`);
    this.addSql(`update "consultation" set "meeting_provider" = 'JITSI' where "meeting_provider" in ('ZOOM', 'TEAMS', 'GOOGLE_MEET') and "status" in ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS');`);
    this.addSql(`insert into "meeting" ("consultation_id", "provider", "status", "action", "next_attempt_at", "created_at", "updated_at")
      select "id", "meeting_provider", 'PENDING', case when "status" = 'PENDING_PAYMENT' then null else 'CREATE' end, now(), now(), now()
        from "consultation" where "status" in ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "meeting" cascade;`);
    this.addSql(`alter table "consultation" alter column "meeting_provider" set default 'ZOOM';`);
  }

}
