import { Migration } from '@mikro-orm/migrations';

export class Migration20261123153309_consultations extends Migration {

  override name = 'Migration20261123153309_consultations';

  override up(): void | Promise<void> {
    // I1: the database itself keeps one consultant's holding consultations from overlapping.
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(`create sequence if not exists "consultation_code_seq";`);
    this.addSql(`create table "consultation" ("id" uuid not null, "code" varchar(60) not null, "organization_id" uuid not null, "client_id" uuid not null, "booked_by_id" uuid not null, "consultant_id" uuid not null, "status" text not null, "start_at" timestamptz not null, "end_at" timestamptz not null, "duration_minutes" int not null, "buffer_minutes" int not null, "held_until" timestamptz not null, "hold_expires_at" timestamptz null, "purpose" text not null, "notes" text null, "meeting_provider" text not null default 'ZOOM', "skills" text[] not null default '{}', "attendees" jsonb not null default '[]', "idempotency_key" varchar(200) null, "request_hash" varchar(64) null, "assignment" jsonb null, "used_free_trial" boolean not null default false, "credit_state" text not null default 'HELD', "actual_start" timestamptz null, "actual_end" timestamptz null, "actual_duration_minutes" int null, "outcomes" jsonb null, "deliverables" jsonb not null default '[]', "action_items" jsonb not null default '[]', "next_steps" text null, "internal_notes" text null, "cancelled_at" timestamptz null, "cancelled_by_id" uuid null, "cancellation_reason" text null, "no_show_party" text null, "reschedule_count" int not null default 0, "reschedule_request" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "consultation" add constraint "consultation_code_unique" unique ("code");`);
    this.addSql(`create index "consultation_organization_id_client_id_start_at_index" on "consultation" ("organization_id", "client_id", "start_at");`);
    this.addSql(`create index "consultation_consultant_id_start_at_index" on "consultation" ("consultant_id", "start_at");`);
    this.addSql(`alter table "consultation" add constraint "consultation_idempotency_key_unique" unique ("booked_by_id", "idempotency_key");`);

    this.addSql(`create table "consultation_status_change" ("id" uuid not null, "consultation_id" uuid not null, "organization_id" uuid not null, "event" text not null, "from_status" text null, "to_status" text not null, "actor_id" uuid null, "actor_role" varchar(20) not null, "reason" text null, "details" jsonb null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "consultation_status_change_consultation_id_at_index" on "consultation_status_change" ("consultation_id", "at");`);

    this.addSql(`create table "consultation_feedback" ("id" uuid not null, "consultation_id" uuid not null, "organization_id" uuid not null, "consultant_id" uuid not null, "author_id" uuid not null, "overall" smallint not null, "expertise" smallint not null, "communication" smallint not null, "helpfulness" smallint not null, "would_recommend" boolean not null, "strengths" text null, "improvements" text null, "testimonial" text null, "public_testimonial" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "consultation_feedback" add constraint "consultation_feedback_consultation_id_unique" unique ("consultation_id");`);

    this.addSql(`alter table "consultant_profile" add "rating_count" int not null default 0, add "rating_overall_sum" int not null default 0, add "rating_expertise_sum" int not null default 0, add "rating_communication_sum" int not null default 0, add "rating_helpfulness_sum" int not null default 0, add "recommend_count" int not null default 0, add "completed_sessions" int not null default 0, add "completed_minutes" int not null default 0;`);

    this.addSql(`alter table "consultation" add constraint "consultation_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "consultation" add constraint "consultation_client_id_foreign" foreign key ("client_id") references "app_user" ("id");`);
    this.addSql(`alter table "consultation" add constraint "consultation_booked_by_id_foreign" foreign key ("booked_by_id") references "app_user" ("id");`);
    this.addSql(`alter table "consultation" add constraint "consultation_consultant_id_foreign" foreign key ("consultant_id") references "consultant_profile" ("id");`);
    this.addSql(`alter table "consultation" add constraint "consultation_cancelled_by_id_foreign" foreign key ("cancelled_by_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "consultation" add constraint "consultation_duration_check" check (duration_minutes >= 15 AND duration_minutes <= 480 AND buffer_minutes >= 0 AND buffer_minutes <= 240);`);
    this.addSql(`alter table "consultation" add constraint "consultation_times_check" check (end_at = start_at + duration_minutes * interval '1 minute' AND held_until = end_at + buffer_minutes * interval '1 minute');`);
    this.addSql(`alter table "consultation" add constraint "consultation_status_check" check ("status" in ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'));`);
    this.addSql(`alter table "consultation" add constraint "consultation_meeting_provider_check" check ("meeting_provider" in ('ZOOM', 'TEAMS', 'GOOGLE_MEET', 'PHONE', 'JITSI'));`);
    this.addSql(`alter table "consultation" add constraint "consultation_credit_state_check" check ("credit_state" in ('HELD', 'CONSUMED', 'RELEASED'));`);
    this.addSql(`alter table "consultation" add constraint "consultation_no_show_party_check" check ("no_show_party" in ('CLIENT', 'CONSULTANT'));`);

    this.addSql(`alter table "consultation" add constraint "consultation_no_overlap" exclude using gist ("consultant_id" with =, tstzrange("start_at", "held_until", '[)') with &&) where ("status" in ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS'));`);

    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_consultation_id_foreign" foreign key ("consultation_id") references "consultation" ("id") on delete cascade;`);
    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on delete set null;`);
    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_event_check" check ("event" in ('BOOKED', 'CONFIRMED', 'RESCHEDULED', 'RESCHEDULE_REQUESTED', 'CANCELLED', 'STARTED', 'COMPLETED', 'NO_SHOW', 'EXPIRED'));`);
    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_from_status_check" check ("from_status" in ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'));`);
    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_to_status_check" check ("to_status" in ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'));`);

    this.addSql(`alter table "consultation_feedback" add constraint "consultation_feedback_consultation_id_foreign" foreign key ("consultation_id") references "consultation" ("id") on delete cascade;`);
    this.addSql(`alter table "consultation_feedback" add constraint "consultation_feedback_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on delete cascade;`);
    this.addSql(`alter table "consultation_feedback" add constraint "consultation_feedback_consultant_id_foreign" foreign key ("consultant_id") references "consultant_profile" ("id");`);
    this.addSql(`alter table "consultation_feedback" add constraint "consultation_feedback_author_id_foreign" foreign key ("author_id") references "app_user" ("id");`);
    this.addSql(`alter table "consultation_feedback" add constraint "consultation_feedback_ratings_check" check (overall BETWEEN 1 AND 5 AND expertise BETWEEN 1 AND 5 AND communication BETWEEN 1 AND 5 AND helpfulness BETWEEN 1 AND 5);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "consultation_status_change" drop constraint "consultation_status_change_consultation_id_foreign";`);
    this.addSql(`alter table "consultation_feedback" drop constraint "consultation_feedback_consultation_id_foreign";`);

    this.addSql(`drop table if exists "consultation" cascade;`);
    this.addSql(`drop table if exists "consultation_status_change" cascade;`);
    this.addSql(`drop table if exists "consultation_feedback" cascade;`);
    this.addSql(`drop sequence if exists "consultation_code_seq";`);

    this.addSql(`alter table "consultant_profile" drop column "rating_count", drop column "rating_overall_sum", drop column "rating_expertise_sum", drop column "rating_communication_sum", drop column "rating_helpfulness_sum", drop column "recommend_count", drop column "completed_sessions", drop column "completed_minutes";`);
  }

}
