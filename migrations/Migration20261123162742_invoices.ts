import { Migration } from '@mikro-orm/migrations';

export class Migration20261123162742_invoices extends Migration {

  override name = 'Migration20261123162742_invoices';

  override up(): void | Promise<void> {
    this.addSql(`create table "revenue_entry" ("id" uuid not null, "organization_id" uuid not null, "consultation_id" uuid not null, "consultant_id" uuid not null, "kind" text not null, "lot_id" uuid null, "units" int not null, "value_amount" int not null, "value_currency" varchar(3) not null, "platform_fee_amount" int not null, "platform_fee_currency" varchar(3) not null, "consultant_earnings_amount" int not null, "consultant_earnings_currency" varchar(3) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "revenue_entry_consultant_id_created_at_index" on "revenue_entry" ("consultant_id", "created_at");`);
    this.addSql(`alter table "revenue_entry" add constraint "revenue_entry_consultation_id_lot_id_kind_unique" unique ("consultation_id", "lot_id", "kind");`);

    this.addSql(`create table "invoice" ("id" uuid not null, "number" varchar(32) not null, "organization_id" uuid not null, "purchase_id" uuid null, "subscription_id" uuid null, "stripe_invoice_id" varchar(255) null, "stripe_payment_intent_id" varchar(255) null, "billed_to" varchar(200) not null, "issued_at" timestamptz not null, "lines" jsonb not null, "total_amount" int not null, "total_currency" varchar(3) not null, "platform_fee_amount" int not null, "platform_fee_currency" varchar(3) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "invoice" add constraint "invoice_number_unique" unique ("number");`);
    this.addSql(`alter table "invoice" add constraint "invoice_purchase_id_unique" unique ("purchase_id");`);
    this.addSql(`alter table "invoice" add constraint "invoice_stripe_invoice_id_unique" unique ("stripe_invoice_id");`);
    this.addSql(`alter table "invoice" add constraint "invoice_stripe_payment_intent_id_unique" unique ("stripe_payment_intent_id");`);
    this.addSql(`create index "invoice_organization_id_issued_at_index" on "invoice" ("organization_id", "issued_at");`);


    this.addSql(`alter table "revenue_entry" add constraint "revenue_entry_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "revenue_entry" add constraint "revenue_entry_consultant_id_foreign" foreign key ("consultant_id") references "consultant_profile" ("id");`);
    this.addSql(`alter table "revenue_entry" add constraint "revenue_entry_kind_check" check ("kind" in ('CREDIT', 'BOOKING_FEE'));`);

    this.addSql(`alter table "invoice" add constraint "invoice_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "invoice" add constraint "invoice_purchase_id_foreign" foreign key ("purchase_id") references "purchase" ("id") on delete set null;`);
    this.addSql(`alter table "invoice" add constraint "invoice_subscription_id_foreign" foreign key ("subscription_id") references "billing_subscription" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "revenue_entry" cascade;`);
    this.addSql(`drop table if exists "invoice" cascade;`);

  }

}
