import { Migration } from '@mikro-orm/migrations';

export class Migration20261201203100_meeting_link_message extends Migration {

  override name = 'Migration20261201203100_meeting_link_message';

  override up(): void | Promise<void> {
    // MEETING_FAILED came in Migration20261201202957_meeting_failed_message (merged alongside): kept in both lists.
    this.addSql(`alter table "notification_delivery" drop constraint "notification_delivery_kind_check";`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'REMINDER_24H', 'REMINDER_1H', 'SESSION_STARTED', 'SESSION_COMPLETED', 'CONSULTATION_CANCELLED', 'CONSULTATION_RESCHEDULED', 'RESCHEDULE_REQUESTED', 'FEEDBACK_REQUEST', 'HOLD_EXPIRED', 'VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION', 'FREE_TRIAL_GRANTED', 'LOW_CREDIT', 'CREDITS_EXPIRING_7D', 'CREDITS_EXPIRING_1D', 'CREDITS_EXPIRED', 'PAYMENT_CONFIRMED', 'REFUND_PROCESSED', 'SUBSCRIPTION_RENEWAL_UPCOMING', 'SUBSCRIPTION_PAYMENT_FAILED', 'MEETING_FAILED', 'MEETING_LINK'));`);
    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'REMINDER_24H', 'REMINDER_1H', 'SESSION_STARTED', 'SESSION_COMPLETED', 'CONSULTATION_CANCELLED', 'CONSULTATION_RESCHEDULED', 'RESCHEDULE_REQUESTED', 'FEEDBACK_REQUEST', 'HOLD_EXPIRED', 'VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION', 'FREE_TRIAL_GRANTED', 'LOW_CREDIT', 'CREDITS_EXPIRING_7D', 'CREDITS_EXPIRING_1D', 'CREDITS_EXPIRED', 'PAYMENT_CONFIRMED', 'REFUND_PROCESSED', 'SUBSCRIPTION_RENEWAL_UPCOMING', 'SUBSCRIPTION_PAYMENT_FAILED', 'MEETING_FAILED', 'MEETING_LINK'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notification_delivery" drop constraint "notification_delivery_kind_check";`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'REMINDER_24H', 'REMINDER_1H', 'SESSION_STARTED', 'SESSION_COMPLETED', 'CONSULTATION_CANCELLED', 'CONSULTATION_RESCHEDULED', 'RESCHEDULE_REQUESTED', 'FEEDBACK_REQUEST', 'HOLD_EXPIRED', 'VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION', 'FREE_TRIAL_GRANTED', 'LOW_CREDIT', 'CREDITS_EXPIRING_7D', 'CREDITS_EXPIRING_1D', 'CREDITS_EXPIRED', 'PAYMENT_CONFIRMED', 'REFUND_PROCESSED', 'SUBSCRIPTION_RENEWAL_UPCOMING', 'SUBSCRIPTION_PAYMENT_FAILED', 'MEETING_FAILED'));`);
    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'REMINDER_24H', 'REMINDER_1H', 'SESSION_STARTED', 'SESSION_COMPLETED', 'CONSULTATION_CANCELLED', 'CONSULTATION_RESCHEDULED', 'RESCHEDULE_REQUESTED', 'FEEDBACK_REQUEST', 'HOLD_EXPIRED', 'VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION', 'FREE_TRIAL_GRANTED', 'LOW_CREDIT', 'CREDITS_EXPIRING_7D', 'CREDITS_EXPIRING_1D', 'CREDITS_EXPIRED', 'PAYMENT_CONFIRMED', 'REFUND_PROCESSED', 'SUBSCRIPTION_RENEWAL_UPCOMING', 'SUBSCRIPTION_PAYMENT_FAILED', 'MEETING_FAILED'));`);
  }

}
