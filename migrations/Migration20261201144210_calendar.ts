import { Migration } from '@mikro-orm/migrations';

export class Migration20261201144210_calendar extends Migration {

  override name = 'Migration20261201144210_calendar';

  override up(): void | Promise<void> {
    this.addSql(`create table "calendar_feed" ("user_id" uuid not null, "nonce" varchar(32) not null, "secret_hash" varchar(64) not null, "created_at" timestamptz not null, "rotated_at" timestamptz not null, primary key ("user_id"));`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(`alter table "consultation" add "calendar_sequence" int not null default 0;`);
    this.addSql(`create or replace function "consultation_consultation_calendar_sequence_fn"() returns trigger as \$\$ begin IF (NEW.start_at, NEW.end_at, NEW.status, NEW.attendees::text, NEW.purpose, NEW.consultant_id) IS DISTINCT FROM (OLD.start_at, OLD.end_at, OLD.status, OLD.attendees::text, OLD.purpose, OLD.consultant_id) THEN NEW.calendar_sequence := OLD.calendar_sequence + 1; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "consultation_calendar_sequence" BEFORE UPDATE on "consultation" for each ROW execute function "consultation_consultation_calendar_sequence_fn"();`);

    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_feed" cascade;`);

    this.addSql(`drop trigger if exists "consultation_calendar_sequence" on "consultation";`);
    this.addSql(`drop function if exists "consultation_consultation_calendar_sequence_fn"();`);
    this.addSql(`alter table "consultation" drop column "calendar_sequence";`);
  }

}
