import { Migration } from '@mikro-orm/migrations';

export class Migration20261201145107_invoices_finance extends Migration {

  override name = 'Migration20261201145107_invoices_finance';

  override up(): void | Promise<void> {
    this.addSql(`create table "credit_note" ("id" uuid not null, "number" varchar(32) not null, "organization_id" uuid not null, "invoice_id" uuid not null, "purchase_id" uuid null, "consultation_id" uuid null, "reason" text null, "issued_at" timestamptz not null, "lines" jsonb not null, "total_amount" int not null, "total_currency" varchar(3) not null, "seller_legal_name" varchar(200) null, "seller_address" text null, "seller_tax_id" varchar(50) null, "seller_email" varchar(254) null, "buyer_legal_name" varchar(200) null, "buyer_address" text null, "buyer_tax_id" varchar(50) null, "buyer_email" varchar(254) null, "refund_reference" varchar(255) null, "refund_method" varchar(100) null, "download_key" varchar(64) not null default replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "credit_note" add constraint "credit_note_number_unique" unique ("number");`);
    this.addSql(`create index "credit_note_invoice_id_index" on "credit_note" ("invoice_id");`);
    this.addSql(`alter table "credit_note" add constraint "credit_note_purchase_id_unique" unique ("purchase_id");`);
    this.addSql(`alter table "credit_note" add constraint "credit_note_consultation_id_unique" unique ("consultation_id");`);
    this.addSql(`create index "credit_note_organization_id_issued_at_index" on "credit_note" ("organization_id", "issued_at");`);

    this.addSql(`create table "billing_details" ("id" uuid not null, "organization_id" uuid not null, "legal_name" varchar(200) not null, "address" text not null, "tax_id" varchar(50) null, "email" varchar(254) null, "updated_by_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "billing_details" add constraint "billing_details_organization_id_unique" unique ("organization_id");`);


    this.addSql(`alter table "invoice" add "seller_legal_name" varchar(200) null, add "seller_address" text null, add "seller_tax_id" varchar(50) null, add "seller_email" varchar(254) null, add "buyer_legal_name" varchar(200) null, add "buyer_address" text null, add "buyer_tax_id" varchar(50) null, add "buyer_email" varchar(254) null, add "paid_at" timestamptz null, add "payment_method" varchar(100) null, add "payment_reference" varchar(255) null, add "download_key" varchar(64) not null default replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');`);
    this.addSql(`create or replace function "invoice_invoice_issued_unchanged_fn"() returns trigger as \$\$ begin IF (NEW.number, NEW.billed_to, NEW.issued_at, NEW.lines, NEW.total_amount, NEW.total_currency, NEW.seller_legal_name, NEW.seller_address, NEW.seller_tax_id, NEW.seller_email, NEW.buyer_legal_name, NEW.buyer_address, NEW.buyer_tax_id, NEW.buyer_email, NEW.paid_at, NEW.payment_method, NEW.payment_reference) IS DISTINCT FROM (OLD.number, OLD.billed_to, OLD.issued_at, OLD.lines, OLD.total_amount, OLD.total_currency, OLD.seller_legal_name, OLD.seller_address, OLD.seller_tax_id, OLD.seller_email, OLD.buyer_legal_name, OLD.buyer_address, OLD.buyer_tax_id, OLD.buyer_email, OLD.paid_at, OLD.payment_method, OLD.payment_reference) THEN RAISE EXCEPTION '% % was issued and cannot change: issue a credit note instead', 'invoice', OLD.number USING ERRCODE = 'restrict_violation'; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "invoice_issued_unchanged" BEFORE UPDATE on "invoice" for each ROW execute function "invoice_invoice_issued_unchanged_fn"();`);

    this.addSql(`alter table "credit_note" add constraint "credit_note_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "credit_note" add constraint "credit_note_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on delete cascade;`);
    this.addSql(`alter table "credit_note" add constraint "credit_note_purchase_id_foreign" foreign key ("purchase_id") references "purchase" ("id") on delete set null;`);
    this.addSql(`create or replace function "credit_note_credit_note_issued_unchanged_fn"() returns trigger as \$\$ begin IF (NEW.number, NEW.invoice_id, NEW.issued_at, NEW.lines, NEW.total_amount, NEW.total_currency, NEW.seller_legal_name, NEW.seller_address, NEW.seller_tax_id, NEW.seller_email, NEW.buyer_legal_name, NEW.buyer_address, NEW.buyer_tax_id, NEW.buyer_email, NEW.refund_reference, NEW.refund_method) IS DISTINCT FROM (OLD.number, OLD.invoice_id, OLD.issued_at, OLD.lines, OLD.total_amount, OLD.total_currency, OLD.seller_legal_name, OLD.seller_address, OLD.seller_tax_id, OLD.seller_email, OLD.buyer_legal_name, OLD.buyer_address, OLD.buyer_tax_id, OLD.buyer_email, OLD.refund_reference, OLD.refund_method) THEN RAISE EXCEPTION '% % was issued and cannot change: issue a credit note instead', 'credit note', OLD.number USING ERRCODE = 'restrict_violation'; END IF; RETURN NEW; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "credit_note_issued_unchanged" BEFORE UPDATE on "credit_note" for each ROW execute function "credit_note_credit_note_issued_unchanged_fn"();`);

    this.addSql(`alter table "billing_details" add constraint "billing_details_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "billing_details" add constraint "billing_details_updated_by_id_foreign" foreign key ("updated_by_id") references "app_user" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "credit_note_issued_unchanged" on "credit_note";`);
    this.addSql(`drop function if exists "credit_note_credit_note_issued_unchanged_fn"();`);
    this.addSql(`drop table if exists "credit_note" cascade;`);
    this.addSql(`drop table if exists "billing_details" cascade;`);


    this.addSql(`drop trigger if exists "invoice_issued_unchanged" on "invoice";`);
    this.addSql(`drop function if exists "invoice_invoice_issued_unchanged_fn"();`);
    this.addSql(`alter table "invoice" drop column "seller_legal_name", drop column "seller_address", drop column "seller_tax_id", drop column "seller_email", drop column "buyer_legal_name", drop column "buyer_address", drop column "buyer_tax_id", drop column "buyer_email", drop column "paid_at", drop column "payment_method", drop column "payment_reference", drop column "download_key";`);
  }

}
