import { Migration } from '@mikro-orm/migrations';

export class Migration20261201203000_meeting_link_sequence extends Migration {

  override name = 'Migration20261201203000_meeting_link_sequence';

  override up(): void | Promise<void> {
    // Raised with every new join URL: an invitation's SEQUENCE is the consultation's calendar
    // sequence plus this, so the invite that brings a link outranks the one sent without it.
    this.addSql(`alter table "meeting" add "link_sequence" int not null default 0, add "link_changed_at" timestamptz null;`);
    this.addSql(`update "meeting" set "link_sequence" = 1, "link_changed_at" = "updated_at" where "join_url" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "meeting" drop column "link_sequence", drop column "link_changed_at";`);
  }

}
