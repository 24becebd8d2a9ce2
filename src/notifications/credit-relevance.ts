import type { EntityManager } from '@mikro-orm/postgresql';
import { readBalance } from '../credits/balance.js';
import { CreditLot } from '../credits/credit-lot.entity.js';
import { BillingSubscription, SubscriptionStatus } from '../payments/payment.entity.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { aboveLine, amountOf, expiryWarningRelevant } from './credit-rules.js';
import type { NotificationDelivery } from './delivery.entity.js';
import { MessageKind } from './notification.enums.js';
import type { SubjectRelevance } from './relevance.js';

type Due = Pick<NotificationDelivery, 'subjectId' | 'kind' | 'occurrence' | 'payload'>;

/** A lot's expiry warning goes only while the lot still has credits free and has not expired (credit-rules.ts); its other messages go. */
export const creditLotMessageRelevant: SubjectRelevance = async (em: EntityManager, delivery: Due, now: Date) => {
  if (delivery.kind !== MessageKind.CREDITS_EXPIRING_7D && delivery.kind !== MessageKind.CREDITS_EXPIRING_1D) return true;
  const lot = await em.findOne(CreditLot, { id: delivery.subjectId }, { ...ACROSS_TENANTS, fields: ['available', 'expiresAt'] });
  return expiryWarningRelevant(delivery.kind, lot, now);
};

/** Low credit goes only while that balance is still under its line (a purchase that landed first makes it moot). */
export const organizationMessageRelevant: SubjectRelevance = async (em: EntityManager, delivery: Due, now: Date) => {
  if (delivery.kind !== MessageKind.LOW_CREDIT) return true;
  const kind = delivery.payload?.balanceKind === 'TIME' ? 'TIME' : 'SESSION';
  return !aboveLine(kind, amountOf(await readBalance(em, delivery.subjectId, now), kind));
};

/**
 * A renewal reminder goes while the subscription will still renew at that moment (active, not
 * set to end); a failed payment's notice while the subscription is still unpaid.
 */
export const subscriptionMessageRelevant: SubjectRelevance = async (em: EntityManager, delivery: Due, now: Date) => {
  const row = await em.findOne(BillingSubscription, { id: delivery.subjectId }, ACROSS_TENANTS);
  if (!row) return false;
  if (delivery.kind === MessageKind.SUBSCRIPTION_RENEWAL_UPCOMING) {
    const renewsAt = Date.parse(delivery.occurrence);
    return row.status === SubscriptionStatus.ACTIVE && !row.cancelAtPeriodEnd && row.currentPeriodEnd?.getTime() === renewsAt && renewsAt > now.getTime();
  }
  if (delivery.kind === MessageKind.SUBSCRIPTION_PAYMENT_FAILED) return row.status !== SubscriptionStatus.ACTIVE && row.status !== SubscriptionStatus.TRIALING;
  return true;
};
