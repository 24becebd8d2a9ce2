import { Migration } from '@mikro-orm/migrations';

export class Migration20261201092809_late_reschedule extends Migration {

  override name = 'Migration20261201092809_late_reschedule';

  override up(): void | Promise<void> {
    this.addSql(`alter table "consultation" add "late_rescheduled_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "consultation" drop column "late_rescheduled_at";`);
  }

}
