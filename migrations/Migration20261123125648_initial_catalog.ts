import { Migration } from '@mikro-orm/migrations';

export class Migration20261123125648_initial_catalog extends Migration {

  override name = 'Migration20261123125648_initial_catalog';

  override up(): void | Promise<void> {
    this.addSql(`create table "package" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(200) not null, "type" text not null, "lot_kind" text not null, "description" text not null, "features" text[] not null, "target_audience" text[] not null, "credits" int not null, "session_minutes" int not null, "allowed_block_minutes" int[] not null, "validity_days" int not null, "price_amount" int not null, "price_currency" varchar(3) not null, "billing_cycle" text null, "badge" varchar(40) null, "display_order" int not null, "max_purchases_per_client" int null, "priority" int not null, "late_cancel_consumes" boolean not null, "purchasable" boolean not null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "package" add constraint "package_code_unique" unique ("code");`);

    this.addSql(`alter table "package" add constraint "package_amounts_check" check (credits > 0 AND session_minutes > 0 AND validity_days > 0 AND price_amount >= 0);`);
    this.addSql(`alter table "package" add constraint "package_type_check" check ("type" in ('FREE_TRIAL', 'CONSULTATION_BUNDLE', 'SUBSCRIPTION', 'PAY_PER_USE'));`);
    this.addSql(`alter table "package" add constraint "package_lot_kind_check" check ("lot_kind" in ('SESSION', 'TIME'));`);
    this.addSql(`alter table "package" add constraint "package_billing_cycle_check" check ("billing_cycle" in ('QUARTERLY', 'ANNUAL'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "package" cascade;`);
  }

}
