import { Migration } from '@mikro-orm/migrations';

export class Migration20261201201638_consultant_meeting_providers extends Migration {

  override name = 'Migration20261201201638_consultant_meeting_providers';

  override up(): void | Promise<void> {
    // Empty: the consultant offers the platform's default (MEETING_PROVIDER), as every booking got before.
    this.addSql(`alter table "consultant_profile" add "meeting_providers" text[] not null default '{}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "consultant_profile" drop column "meeting_providers";`);
  }

}
