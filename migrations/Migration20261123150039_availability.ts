import { Migration } from '@mikro-orm/migrations';

export class Migration20261123150039_availability extends Migration {

  override name = 'Migration20261123150039_availability';

  override up(): void | Promise<void> {
    this.addSql(`create table "availability_schedule" ("id" uuid not null, "consultant_id" uuid not null, "time_zone" varchar(64) not null, "weekly" jsonb not null, "slot_step_minutes" int not null, "buffer_minutes" int not null, "max_sessions_per_day" int null, "min_notice_minutes" int not null, "horizon_days" int not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "availability_schedule" add constraint "availability_schedule_consultant_id_unique" unique ("consultant_id");`);

    this.addSql(`create table "availability_exception" ("id" uuid not null, "consultant_id" uuid not null, "from_date" date not null, "to_date" date not null, "kind" text not null, "intervals" jsonb null, "reason" varchar(500) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "availability_exception_consultant_id_to_date_index" on "availability_exception" ("consultant_id", "to_date");`);

    this.addSql(`alter table "availability_schedule" add constraint "availability_schedule_consultant_id_foreign" foreign key ("consultant_id") references "consultant_profile" ("id") on delete cascade;`);
    this.addSql(`alter table "availability_schedule" add constraint "availability_schedule_rules_check" check (slot_step_minutes BETWEEN 5 AND 240 AND buffer_minutes BETWEEN 0 AND 240 AND min_notice_minutes >= 0 AND horizon_days BETWEEN 1 AND 730 AND (max_sessions_per_day IS NULL OR max_sessions_per_day >= 1));`);

    this.addSql(`alter table "availability_exception" add constraint "availability_exception_consultant_id_foreign" foreign key ("consultant_id") references "consultant_profile" ("id") on delete cascade;`);
    this.addSql(`alter table "availability_exception" add constraint "availability_exception_range_check" check (from_date <= to_date);`);
    this.addSql(`alter table "availability_exception" add constraint "availability_exception_kind_check" check ("kind" in ('TIME_OFF', 'EXTRA_HOURS'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "availability_schedule" cascade;`);
    this.addSql(`drop table if exists "availability_exception" cascade;`);
  }

}
