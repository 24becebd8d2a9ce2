import { Migration } from '@mikro-orm/migrations';

export class Migration20261123161010_payments extends Migration {

  override name = 'Migration20261123161010_payments';

  override up(): void | Promise<void> {
    this.addSql(`create table "billing_customer" ("id" uuid not null, "organization_id" uuid not null, "stripe_customer_id" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "billing_customer" add constraint "billing_customer_organization_id_unique" unique ("organization_id");`);
    this.addSql(`alter table "billing_customer" add constraint "billing_customer_stripe_customer_id_unique" unique ("stripe_customer_id");`);

    this.addSql(`create table "stripe_event" ("id" varchar(255) not null, "type" varchar(100) not null, "outcome" varchar(20) not null, "processed_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "purchase" ("id" uuid not null, "organization_id" uuid not null, "package_id" uuid not null, "buyer_id" uuid not null, "status" text not null, "amount_amount" int not null, "amount_currency" varchar(3) not null, "stripe_payment_intent_id" varchar(255) null, "client_secret" varchar(255) null, "idempotency_key" varchar(200) null, "request_hash" varchar(64) null, "credit_lot_id" uuid null, "failure_message" text null, "refunded_at" timestamptz null, "refund_reason" text null, "stripe_refund_id" varchar(255) null, "revoked_units" int null, "kept_units" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "purchase" add constraint "purchase_stripe_payment_intent_id_unique" unique ("stripe_payment_intent_id");`);
    this.addSql(`alter table "purchase" add constraint "purchase_credit_lot_id_unique" unique ("credit_lot_id");`);
    this.addSql(`create index "purchase_organization_id_package_id_status_index" on "purchase" ("organization_id", "package_id", "status");`);
    this.addSql(`alter table "purchase" add constraint "purchase_idempotency_key_unique" unique ("buyer_id", "idempotency_key");`);


    this.addSql(`alter table "billing_customer" add constraint "billing_customer_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);

    this.addSql(`alter table "purchase" add constraint "purchase_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "purchase" add constraint "purchase_package_id_foreign" foreign key ("package_id") references "package" ("id");`);
    this.addSql(`alter table "purchase" add constraint "purchase_buyer_id_foreign" foreign key ("buyer_id") references "app_user" ("id");`);
    this.addSql(`alter table "purchase" add constraint "purchase_credit_lot_id_foreign" foreign key ("credit_lot_id") references "credit_lot" ("id") on delete set null;`);
    this.addSql(`alter table "purchase" add constraint "purchase_status_check" check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED', 'REFUNDED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "billing_customer" cascade;`);
    this.addSql(`drop table if exists "stripe_event" cascade;`);
    this.addSql(`drop table if exists "purchase" cascade;`);

  }

}
