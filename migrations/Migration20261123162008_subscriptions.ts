import { Migration } from '@mikro-orm/migrations';

export class Migration20261123162008_subscriptions extends Migration {

  override name = 'Migration20261123162008_subscriptions';

  override up(): void | Promise<void> {
    this.addSql(`create table "billing_price" ("id" uuid not null, "package_id" uuid not null, "amount" int not null, "currency" varchar(3) not null, "interval_months" int not null, "stripe_price_id" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "billing_price" add constraint "billing_price_stripe_price_id_unique" unique ("stripe_price_id");`);
    this.addSql(`alter table "billing_price" add constraint "billing_price_package_id_amount_currency_interval_months_unique" unique ("package_id", "amount", "currency", "interval_months");`);

    this.addSql(`create table "billing_subscription" ("id" uuid not null, "organization_id" uuid not null, "package_id" uuid not null, "buyer_id" uuid not null, "status" text not null, "amount_amount" int not null, "amount_currency" varchar(3) not null, "stripe_subscription_id" varchar(255) null, "client_secret" varchar(255) null, "current_period_start" timestamptz null, "current_period_end" timestamptz null, "cancel_at_period_end" boolean not null default false, "canceled_at" timestamptz null, "renewal_reminder_for" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "billing_subscription" add constraint "billing_subscription_stripe_subscription_id_unique" unique ("stripe_subscription_id");`);
    this.addSql(`create index "billing_subscription_organization_id_package_id_index" on "billing_subscription" ("organization_id", "package_id");`);

    this.addSql(`create table "subscription_grant" ("id" uuid not null, "organization_id" uuid not null, "subscription_id" uuid not null, "stripe_invoice_id" varchar(255) not null, "credit_lot_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "subscription_grant" add constraint "subscription_grant_stripe_invoice_id_unique" unique ("stripe_invoice_id");`);
    this.addSql(`alter table "subscription_grant" add constraint "subscription_grant_credit_lot_id_unique" unique ("credit_lot_id");`);


    this.addSql(`alter table "billing_price" add constraint "billing_price_package_id_foreign" foreign key ("package_id") references "package" ("id");`);

    this.addSql(`alter table "billing_subscription" add constraint "billing_subscription_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "billing_subscription" add constraint "billing_subscription_package_id_foreign" foreign key ("package_id") references "package" ("id");`);
    this.addSql(`alter table "billing_subscription" add constraint "billing_subscription_buyer_id_foreign" foreign key ("buyer_id") references "app_user" ("id");`);
    this.addSql(`alter table "billing_subscription" add constraint "billing_subscription_status_check" check ("status" in ('INCOMPLETE', 'ACTIVE', 'PAST_DUE', 'UNPAID', 'CANCELED', 'INCOMPLETE_EXPIRED', 'TRIALING', 'PAUSED'));`);

    this.addSql(`alter table "subscription_grant" add constraint "subscription_grant_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "subscription_grant" add constraint "subscription_grant_subscription_id_foreign" foreign key ("subscription_id") references "billing_subscription" ("id") on delete cascade;`);
    this.addSql(`alter table "subscription_grant" add constraint "subscription_grant_credit_lot_id_foreign" foreign key ("credit_lot_id") references "credit_lot" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "subscription_grant" drop constraint "subscription_grant_subscription_id_foreign";`);

    this.addSql(`drop table if exists "billing_price" cascade;`);
    this.addSql(`drop table if exists "billing_subscription" cascade;`);
    this.addSql(`drop table if exists "subscription_grant" cascade;`);

  }

}
