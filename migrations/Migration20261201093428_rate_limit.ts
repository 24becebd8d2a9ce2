import { Migration } from '@mikro-orm/migrations';

export class Migration20261201093428_rate_limit extends Migration {

  override name = 'Migration20261201093428_rate_limit';

  override up(): void | Promise<void> {
    this.addSql(`create table "rate_limit" ("key" varchar(300) not null, "until" timestamptz not null, primary key ("key"));`);

  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limit" cascade;`);

  }

}
