import { Migration } from '@mikro-orm/migrations';

export class Migration20261201144257_low_credit_alert extends Migration {

  override name = 'Migration20261201144257_low_credit_alert';

  override up(): void | Promise<void> {
    this.addSql(`create table "low_credit_alert" ("organization_id" uuid not null, "kind" varchar(16) not null, "armed" boolean not null default true, "crossings" int not null default 0, "updated_at" timestamptz not null, primary key ("organization_id", "kind"));`);


    this.addSql(`alter table "low_credit_alert" add constraint "low_credit_alert_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "low_credit_alert" cascade;`);

  }

}
