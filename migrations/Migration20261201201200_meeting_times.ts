import { Migration } from '@mikro-orm/migrations';

export class Migration20261201201200_meeting_times extends Migration {

  override name = 'Migration20261201201200_meeting_times';

  override up(): void | Promise<void> {

    this.addSql(`alter table "meeting" add "started_at" timestamptz null, add "ended_at" timestamptz null;`);
    this.addSql(`create index "meeting_external" on "meeting" ("provider", "external_id");`);
  }

  override down(): void | Promise<void> {

    this.addSql(`drop index "meeting_external";`);
    this.addSql(`alter table "meeting" drop column "started_at", drop column "ended_at";`);
  }

}
