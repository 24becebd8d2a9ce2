import { Migration } from '@mikro-orm/migrations';

export class Migration20261123165146_booking_fee extends Migration {

  override name = 'Migration20261123165146_booking_fee';

  override up(): void | Promise<void> {
    this.addSql(`alter table "consultant_profile" add "booking_fee_amount" int null, add "booking_fee_currency" varchar(3) null;`);

    this.addSql(`alter table "consultation" add "payment_method" text not null default 'CREDITS', add "fee_amount" int null, add "fee_currency" varchar(3) null, add "stripe_payment_intent_id" varchar(255) null, add "fee_client_secret" varchar(255) null, add "fee_refunded_at" timestamptz null;`);
    this.addSql(`alter table "consultation" add constraint "consultation_stripe_payment_intent_id_unique" unique ("stripe_payment_intent_id");`);
    this.addSql(`alter table "consultation" add constraint "consultation_payment_method_check" check ("payment_method" in ('CREDITS', 'BOOKING_FEE'));`);

    this.addSql(`alter table "consultation_status_change" drop constraint "consultation_status_change_event_check";`);
    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_event_check" check ("event" in ('BOOKED', 'PAID', 'CONFIRMED', 'RESCHEDULED', 'RESCHEDULE_REQUESTED', 'CANCELLED', 'STARTED', 'COMPLETED', 'NO_SHOW', 'EXPIRED'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "consultant_profile" drop column "booking_fee_amount", drop column "booking_fee_currency";`);

    this.addSql(`alter table "consultation" drop constraint "consultation_stripe_payment_intent_id_unique";`);
    this.addSql(`alter table "consultation" drop constraint "consultation_payment_method_check";`);
    this.addSql(`alter table "consultation" drop column "payment_method", drop column "fee_amount", drop column "fee_currency", drop column "stripe_payment_intent_id", drop column "fee_client_secret", drop column "fee_refunded_at";`);

    this.addSql(`alter table "consultation_status_change" drop constraint "consultation_status_change_event_check";`);
    this.addSql(`alter table "consultation_status_change" add constraint "consultation_status_change_event_check" check ("event" in ('BOOKED', 'CONFIRMED', 'RESCHEDULED', 'RESCHEDULE_REQUESTED', 'CANCELLED', 'STARTED', 'COMPLETED', 'NO_SHOW', 'EXPIRED'));`);
  }

}
