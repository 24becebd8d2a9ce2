import { Migration } from '@mikro-orm/migrations';

export class Migration20261123141550_credits extends Migration {

  override name = 'Migration20261123141550_credits';

  override up(): void | Promise<void> {
    this.addSql(`create table "credit_lot" ("id" uuid not null, "organization_id" uuid not null, "package_id" uuid null, "kind" text not null, "source" text not null, "priority" int not null, "session_minutes" int not null, "allowed_block_minutes" int[] not null, "granted" int not null, "adjusted" int not null default 0, "available" int not null, "reserved" int not null default 0, "consumed" int not null default 0, "expired" int not null default 0, "revoked" int not null default 0, "expires_at" timestamptz not null, "granted_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "credit_lot_organization_id_expires_at_index" on "credit_lot" ("organization_id", "expires_at");`);
    this.addSql(`create unique index "credit_lot_one_free_trial" on "credit_lot" ("organization_id") where "source" = 'FREE_TRIAL';`);

    this.addSql(`create table "member_credit_cap" ("id" uuid not null, "organization_id" uuid not null, "member_id" uuid not null, "monthly_sessions" int null, "monthly_minutes" int null, "total_sessions" int null, "total_minutes" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "member_credit_cap" add constraint "member_credit_cap_organization_id_member_id_unique" unique ("organization_id", "member_id");`);

    this.addSql(`create table "credit_ledger_entry" ("id" bigserial primary key, "organization_id" uuid not null, "lot_id" uuid not null, "type" text not null, "units" int not null, "consultation_id" uuid null, "member_id" uuid null, "session_start" timestamptz null, "reference" varchar(200) null, "actor_id" uuid null, "reason" text null, "created_at" timestamptz not null);`);
    this.addSql(`create index "credit_ledger_entry_organization_id_member_id_index" on "credit_ledger_entry" ("organization_id", "member_id");`);
    this.addSql(`create index "credit_ledger_entry_consultation_id_index" on "credit_ledger_entry" ("consultation_id");`);
    this.addSql(`create index "credit_ledger_entry_organization_id_id_index" on "credit_ledger_entry" ("organization_id", "id");`);

    this.addSql(`alter table "credit_lot" add constraint "credit_lot_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_package_id_foreign" foreign key ("package_id") references "package" ("id") on delete set null;`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_balance_check" check (granted > 0 AND available >= 0 AND reserved >= 0 AND consumed >= 0 AND expired >= 0 AND revoked >= 0 AND granted + adjusted = available + reserved + consumed + expired + revoked);`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_kind_check" check ("kind" in ('SESSION', 'TIME'));`);
    this.addSql(`alter table "credit_lot" add constraint "credit_lot_source_check" check ("source" in ('PURCHASE', 'SUBSCRIPTION', 'FREE_TRIAL', 'PROMOTIONAL', 'ADJUSTMENT'));`);

    this.addSql(`alter table "member_credit_cap" add constraint "member_credit_cap_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "member_credit_cap" add constraint "member_credit_cap_member_id_foreign" foreign key ("member_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "member_credit_cap" add constraint "member_credit_cap_positive_check" check ((monthly_sessions IS NULL OR monthly_sessions >= 0) AND (monthly_minutes IS NULL OR monthly_minutes >= 0) AND (total_sessions IS NULL OR total_sessions >= 0) AND (total_minutes IS NULL OR total_minutes >= 0));`);

    this.addSql(`alter table "credit_ledger_entry" add constraint "credit_ledger_entry_organization_id_foreign" foreign key ("organization_id") references "organization" ("id");`);
    this.addSql(`alter table "credit_ledger_entry" add constraint "credit_ledger_entry_lot_id_foreign" foreign key ("lot_id") references "credit_lot" ("id");`);
    this.addSql(`alter table "credit_ledger_entry" add constraint "credit_ledger_entry_member_id_foreign" foreign key ("member_id") references "app_user" ("id") on delete no action;`);
    this.addSql(`alter table "credit_ledger_entry" add constraint "credit_ledger_entry_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on delete no action;`);
    this.addSql(`alter table "credit_ledger_entry" add constraint "credit_ledger_entry_units_check" check ((type = 'ADJUST' AND units <> 0) OR (type <> 'ADJUST' AND units > 0));`);
    this.addSql(`alter table "credit_ledger_entry" add constraint "credit_ledger_entry_type_check" check ("type" in ('GRANT', 'RESERVE', 'RELEASE', 'CONSUME', 'EXPIRE', 'REVOKE', 'ADJUST'));`);
    this.addSql(`create or replace function "credit_ledger_entry_credit_ledger_entry_append_only_fn"() returns trigger as \$\$ begin RAISE EXCEPTION 'credit_ledger_entry is append-only: add a new entry instead' USING ERRCODE = 'restrict_violation'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "credit_ledger_entry_append_only" BEFORE UPDATE OR DELETE on "credit_ledger_entry" for each ROW execute function "credit_ledger_entry_credit_ledger_entry_append_only_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "credit_ledger_entry" drop constraint "credit_ledger_entry_lot_id_foreign";`);

    this.addSql(`drop table if exists "credit_lot" cascade;`);
    this.addSql(`drop table if exists "member_credit_cap" cascade;`);
    this.addSql(`drop trigger if exists "credit_ledger_entry_append_only" on "credit_ledger_entry";`);
    this.addSql(`drop function if exists "credit_ledger_entry_credit_ledger_entry_append_only_fn"();`);
    this.addSql(`drop table if exists "credit_ledger_entry" cascade;`);
  }

}
