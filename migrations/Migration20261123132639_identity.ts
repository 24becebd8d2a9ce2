import { Migration } from '@mikro-orm/migrations';

export class Migration20261123132639_identity extends Migration {

  override name = 'Migration20261123132639_identity';

  override up(): void | Promise<void> {
    this.addSql(`create table "auth_attempt" ("id" bigserial primary key, "key" varchar(300) not null, "at" timestamptz not null);`);
    this.addSql(`create index "auth_attempt_key_at_index" on "auth_attempt" ("key", "at");`);

    this.addSql(`create table "code_sequence" ("name" varchar(200) not null, "value" int not null, primary key ("name"));`);

    this.addSql(`create table "organization" ("id" uuid not null, "name" varchar(200) not null, "type" text not null, "created_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`create table "app_user" ("id" uuid not null, "email" varchar(254) not null, "password_hash" varchar(200) not null, "role" text not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "title" varchar(100) null, "phone" varchar(30) null, "time_zone" varchar(64) not null default 'UTC', "email_verified_at" timestamptz null, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(`create table "auth_session" ("id" uuid not null, "user_id" uuid not null, "organization_id" uuid null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(40) null, primary key ("id"));`);
    this.addSql(`create index "auth_session_user_id_index" on "auth_session" ("user_id");`);

    this.addSql(`create table "refresh_token" ("id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "refresh_token_session_id_index" on "refresh_token" ("session_id");`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "one_time_token" ("id" uuid not null, "user_id" uuid not null, "purpose" text not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "one_time_token_user_id_index" on "one_time_token" ("user_id");`);
    this.addSql(`alter table "one_time_token" add constraint "one_time_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "membership" ("id" uuid not null, "organization_id" uuid not null, "user_id" uuid not null, "role" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "membership_user_id_index" on "membership" ("user_id");`);
    this.addSql(`alter table "membership" add constraint "membership_organization_id_user_id_unique" unique ("organization_id", "user_id");`);

    this.addSql(`create table "invitation" ("id" uuid not null, "organization_id" uuid not null, "email" varchar(254) not null, "role" text not null, "invited_by_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "invitation_email_index" on "invitation" ("email");`);
    this.addSql(`alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "consultant_profile" ("id" uuid not null, "user_id" uuid not null, "code" varchar(60) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "consultant_profile" add constraint "consultant_profile_user_id_unique" unique ("user_id");`);
    this.addSql(`alter table "consultant_profile" add constraint "consultant_profile_code_unique" unique ("code");`);

    this.addSql(`create table "client_profile" ("id" uuid not null, "user_id" uuid not null, "organization_id" uuid not null, "code" varchar(60) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "client_profile" add constraint "client_profile_user_id_unique" unique ("user_id");`);
    this.addSql(`alter table "client_profile" add constraint "client_profile_code_unique" unique ("code");`);

    this.addSql(`alter table "organization" add constraint "organization_type_check" check ("type" in ('COLLEGE', 'COMPANY', 'ENTERPRISE', 'INDIVIDUAL'));`);

    this.addSql(`alter table "app_user" add constraint "app_user_role_check" check ("role" in ('CLIENT', 'CONSULTANT', 'ADMIN'));`);

    this.addSql(`alter table "auth_session" add constraint "auth_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "auth_session" add constraint "auth_session_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete set null;`);

    this.addSql(`alter table "refresh_token" add constraint "refresh_token_session_id_foreign" foreign key ("session_id") references "auth_session" ("id") on delete cascade;`);

    this.addSql(`alter table "one_time_token" add constraint "one_time_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "one_time_token" add constraint "one_time_token_purpose_check" check ("purpose" in ('VERIFY_EMAIL', 'PASSWORD_RESET'));`);

    this.addSql(`alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_role_check" check ("role" in ('OWNER', 'MEMBER'));`);

    this.addSql(`alter table "invitation" add constraint "invitation_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "invitation" add constraint "invitation_invited_by_id_foreign" foreign key ("invited_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "invitation" add constraint "invitation_role_check" check ("role" in ('OWNER', 'MEMBER'));`);

    this.addSql(`alter table "consultant_profile" add constraint "consultant_profile_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);

    this.addSql(`alter table "client_profile" add constraint "client_profile_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`);
    this.addSql(`alter table "client_profile" add constraint "client_profile_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "auth_session" drop constraint "auth_session_organization_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_organization_id_foreign";`);
    this.addSql(`alter table "invitation" drop constraint "invitation_organization_id_foreign";`);
    this.addSql(`alter table "client_profile" drop constraint "client_profile_organization_id_foreign";`);
    this.addSql(`alter table "auth_session" drop constraint "auth_session_user_id_foreign";`);
    this.addSql(`alter table "one_time_token" drop constraint "one_time_token_user_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_user_id_foreign";`);
    this.addSql(`alter table "invitation" drop constraint "invitation_invited_by_id_foreign";`);
    this.addSql(`alter table "consultant_profile" drop constraint "consultant_profile_user_id_foreign";`);
    this.addSql(`alter table "client_profile" drop constraint "client_profile_user_id_foreign";`);
    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_session_id_foreign";`);

    this.addSql(`drop table if exists "auth_attempt" cascade;`);
    this.addSql(`drop table if exists "code_sequence" cascade;`);
    this.addSql(`drop table if exists "organization" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "auth_session" cascade;`);
    this.addSql(`drop table if exists "refresh_token" cascade;`);
    this.addSql(`drop table if exists "one_time_token" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);
    this.addSql(`drop table if exists "invitation" cascade;`);
    this.addSql(`drop table if exists "consultant_profile" cascade;`);
    this.addSql(`drop table if exists "client_profile" cascade;`);
  }

}
