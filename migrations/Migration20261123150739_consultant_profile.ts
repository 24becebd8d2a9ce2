import { Migration } from '@mikro-orm/migrations';

export class Migration20261123150739_consultant_profile extends Migration {

  override name = 'Migration20261123150739_consultant_profile';

  override up(): void | Promise<void> {
    this.addSql(`alter table "consultant_profile" add "bio" text null, add "languages" text[] not null default '{}', add "skills" jsonb not null default '[]', add "certifications" jsonb not null default '[]', add "hourly_rate_amount" int null, add "hourly_rate_currency" varchar(3) null, add "availability_status" text not null default 'AVAILABLE';`);
    this.addSql(`alter table "consultant_profile" add constraint "consultant_profile_availability_status_check" check ("availability_status" in ('AVAILABLE', 'PARTIALLY_AVAILABLE', 'UNAVAILABLE', 'ON_LEAVE'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "consultant_profile" drop constraint "consultant_profile_availability_status_check";`);
    this.addSql(`alter table "consultant_profile" drop column "bio", drop column "languages", drop column "skills", drop column "certifications", drop column "hourly_rate_amount", drop column "hourly_rate_currency", drop column "availability_status";`);
  }

}
