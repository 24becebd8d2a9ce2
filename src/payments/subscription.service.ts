import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { BillingCycle, Package, PackageType } from '../catalog/package.entity.js';
import { CreditSource } from '../credits/credits.enums.js';
import { Organization } from '../identity/organization.entity.js';
import { organizationScope, type Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import type { DomainEvents } from '../platform/events.js';
import { requireUuid } from '../platform/ids.js';
import { advisoryLock } from '../platform/locks.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { DAY_MS } from '../platform/time.js';
import { BillingPrice, BillingSubscription, LIVE_SUBSCRIPTION_STATUSES, SubscriptionGrant, SubscriptionStatus } from './payment.entity.js';
import { grantPackageCredits, PurchaseService } from './purchase.service.js';
import { requirePayments, stripeFailure, type Payments } from './stripe.js';

const PAYMENT_METHOD = /^pm_\w{1,200}$/;
const INTERVAL_MONTHS: Record<BillingCycle, number> = { QUARTERLY: 3, ANNUAL: 12 };
/** Clients hear of a renewal this long before it. */
export const RENEWAL_NOTICE_DAYS = 7;

/**
 * Subscriptions to SUBSCRIPTION packages. Stripe bills each period; every paid invoice grants
 * that period's credits once (invoice.paid, WebhookService); the status is mirrored from Stripe.
 */
export class SubscriptionService {
  constructor(
    private readonly em: EntityManager,
    private readonly payments: Payments | null,
  ) {}

  async start(caller: Caller & { organizationId: string }, packageId: string, paymentMethodId: string | null | undefined, now = new Date()): Promise<BillingSubscription> {
    const pkg = await this.em.findOne(Package, /^PKG-/i.test(packageId) ? { code: packageId.toUpperCase() } : { id: requireUuid(packageId, 'Package') });
    if (!pkg) throw errors.notFound('Package', packageId);
    if (pkg.type !== PackageType.SUBSCRIPTION || !pkg.billingCycle) throw errors.badInput(`${pkg.name} is not a subscription: buy it with purchasePackage.`, 'packageId');
    if (!pkg.active) throw errors.conflict(`${pkg.name} is archived and no longer sold.`, { reason: 'ARCHIVED' });
    const method = paymentMethodId?.trim() || null;
    if (method && !PAYMENT_METHOD.test(method)) throw errors.badInput('paymentMethodId must be a Stripe PaymentMethod id (pm_…).', 'paymentMethodId');
    const payments = requirePayments(this.payments);

    const row = await this.em.transactional(async (em) => {
      await advisoryLock(em, `subscription:${caller.organizationId}:${pkg.id}`);
      const live = await em.findOne(BillingSubscription, { organization: caller.organizationId, package: pkg.id, status: { $in: [...LIVE_SUBSCRIPTION_STATUSES] } }, ACROSS_TENANTS);
      if (live) throw errors.conflict(`Your organization already has ${pkg.name} (${live.status.toLowerCase()}): cancel it first, or pay its open invoice.`, { reason: 'ALREADY_SUBSCRIBED' });
      const created = em.create(BillingSubscription, {
        organization: em.getReference(Organization, caller.organizationId),
        package: pkg,
        buyer: caller.userId,
        status: SubscriptionStatus.INCOMPLETE,
        amount: { amount: pkg.price.amount, currency: pkg.price.currency },
        createdAt: now,
      });
      await em.flush();
      return created;
    });

    let subscription: Stripe.Subscription;
    try {
      const customer = await new PurchaseService(this.em, payments).customerFor(caller.organizationId, payments);
      const price = await this.priceFor(pkg, payments);
      subscription = await payments.stripe.subscriptions.create(
        {
          customer,
          items: [{ price }],
          metadata: { subscriptionId: row.id, organizationId: caller.organizationId, packageId: pkg.id },
          expand: ['latest_invoice.confirmation_secret'],
          // With a payment method the first period is charged now (a decline fails the call);
          // without one the first invoice waits for Stripe.js to confirm its client secret.
          ...(method ? { default_payment_method: method, payment_behavior: 'error_if_incomplete' as const } : { payment_behavior: 'default_incomplete' as const }),
        },
        { idempotencyKey: `serenity-subscription-${row.id}` },
      );
    } catch (error) {
      await this.em.fork().transactional(async (em) => {
        const failed = await em.findOneOrFail(BillingSubscription, row.id, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
        if (failed.status === SubscriptionStatus.INCOMPLETE && !failed.stripeSubscriptionId) failed.status = SubscriptionStatus.INCOMPLETE_EXPIRED;
      });
      throw stripeFailure(error);
    }
    return this.em.fork().transactional(async (em) => {
      const stored = await em.findOneOrFail(BillingSubscription, row.id, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
      stored.stripeSubscriptionId = subscription.id;
      const invoice = typeof subscription.latest_invoice === 'object' ? subscription.latest_invoice : null;
      stored.clientSecret = invoice?.confirmation_secret?.client_secret ?? null;
      mirror(stored, subscription);
      return stored;
    });
  }

  async cancel(caller: Caller, id: string, atPeriodEnd: boolean, now = new Date()): Promise<BillingSubscription> {
    const row = await this.get(caller, id);
    if (caller.role === 'CLIENT' && caller.orgRole !== 'OWNER') throw errors.forbidden('Only an owner of the organization cancels its subscriptions.');
    if (row.status === SubscriptionStatus.CANCELED || row.status === SubscriptionStatus.INCOMPLETE_EXPIRED) throw errors.conflict('This subscription has already ended.');
    if (!row.stripeSubscriptionId) throw errors.conflict('This subscription never started at Stripe.');
    const payments = requirePayments(this.payments);
    let subscription: Stripe.Subscription;
    try {
      subscription = atPeriodEnd
        ? await payments.stripe.subscriptions.update(row.stripeSubscriptionId, { cancel_at_period_end: true }, { idempotencyKey: `serenity-cancel-end-${row.id}` })
        : await payments.stripe.subscriptions.cancel(row.stripeSubscriptionId, {}, { idempotencyKey: `serenity-cancel-now-${row.id}` });
    } catch (error) {
      throw stripeFailure(error);
    }
    return this.em.fork().transactional(async (em) => {
      const stored = await em.findOneOrFail(BillingSubscription, row.id, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
      mirror(stored, subscription);
      if (!atPeriodEnd) stored.canceledAt ??= now;
      return stored;
    });
  }

  async get(caller: Caller, id: string): Promise<BillingSubscription> {
    const row = await this.em.findOne(BillingSubscription, { id: requireUuid(id, 'Subscription'), ...organizationScope(caller, 'Subscriptions') }, ACROSS_TENANTS);
    if (!row) throw errors.notFound('Subscription', id);
    return row;
  }

  async list(caller: Caller): Promise<BillingSubscription[]> {
    const scope = organizationScope(caller, 'Subscriptions');
    // An organization has a handful; across all of them admins get the newest 500.
    return this.em.find(BillingSubscription, scope, { ...ACROSS_TENANTS, orderBy: { createdAt: 'desc', id: 'desc' }, ...(scope.organization ? {} : { limit: 500 }) });
  }

  /** The Stripe price of a package's current amount and cycle, created once and remembered. */
  private async priceFor(pkg: Package, payments: Payments): Promise<string> {
    const months = INTERVAL_MONTHS[pkg.billingCycle!];
    const key = { package: pkg.id, amount: pkg.price.amount, currency: pkg.price.currency, intervalMonths: months };
    const known = await this.em.fork().findOne(BillingPrice, key);
    if (known) return known.stripePriceId;
    const price = await payments.stripe.prices.create(
      {
        unit_amount: pkg.price.amount,
        currency: pkg.price.currency.toLowerCase(),
        recurring: { interval: 'month', interval_count: months },
        product_data: { name: pkg.name, metadata: { packageId: pkg.id, code: pkg.code } },
        metadata: { packageId: pkg.id },
      },
      { idempotencyKey: `serenity-price-${pkg.id}-${pkg.price.amount}-${pkg.price.currency}-${months}` },
    );
    await this.em
      .getConnection()
      .execute(
        'INSERT INTO billing_price (id, package_id, amount, currency, interval_months, stripe_price_id, created_at) VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT DO NOTHING',
        [randomUUID(), pkg.id, pkg.price.amount, pkg.price.currency, months, price.id],
      );
    return (await this.em.fork().findOneOrFail(BillingPrice, key)).stripePriceId;
  }
}

/** Copies Stripe's view of a subscription onto ours (status, period, cancellation). */
export function mirror(row: BillingSubscription, subscription: Stripe.Subscription): void {
  const item = subscription.items?.data?.[0];
  const loose = subscription as Stripe.Subscription & { current_period_start?: number; current_period_end?: number };
  const start = item?.current_period_start ?? loose.current_period_start;
  const end = item?.current_period_end ?? loose.current_period_end;
  row.status = (subscription.status.toUpperCase() as SubscriptionStatus) ?? row.status;
  if (start) row.currentPeriodStart = new Date(start * 1000);
  if (end) row.currentPeriodEnd = new Date(end * 1000);
  row.cancelAtPeriodEnd = subscription.cancel_at_period_end;
  row.canceledAt = subscription.canceled_at ? new Date(subscription.canceled_at * 1000) : row.canceledAt;
  if (row.status !== SubscriptionStatus.INCOMPLETE) row.clientSecret = null;
}

/** A paid period's credits, once per Stripe invoice (the grant row is unique on it). */
export async function grantPeriod(em: EntityManager, events: DomainEvents, row: BillingSubscription, invoiceId: string, now: Date): Promise<boolean> {
  if (await em.findOne(SubscriptionGrant, { stripeInvoiceId: invoiceId }, ACROSS_TENANTS)) return false;
  const pkg = await em.findOneOrFail(Package, row.package.id);
  const lot = await grantPackageCredits(em, events, pkg, {
    organizationId: row.organization.id,
    source: CreditSource.SUBSCRIPTION,
    actorId: null,
    reference: invoiceId,
    reason: `${pkg.name}: paid period`,
    now,
  });
  em.create(SubscriptionGrant, { organization: row.organization, subscription: row, stripeInvoiceId: invoiceId, creditLot: lot, createdAt: now });
  await em.flush();
  return true;
}

/**
 * The 7-day renewal reminders (the notification work sends them): once per period, for
 * active subscriptions that will renew.
 */
export async function remindRenewals(em: EntityManager, events: DomainEvents, now = new Date()): Promise<number> {
  return em.transactional(async (tx) => {
    const due = await tx.find(
      BillingSubscription,
      {
        status: SubscriptionStatus.ACTIVE,
        cancelAtPeriodEnd: false,
        currentPeriodEnd: { $gt: now, $lte: new Date(now.getTime() + RENEWAL_NOTICE_DAYS * DAY_MS) },
      },
      { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    let sent = 0;
    for (const row of due) {
      if (row.renewalReminderFor?.getTime() === row.currentPeriodEnd!.getTime()) continue;
      row.renewalReminderFor = row.currentPeriodEnd;
      await events.emit('subscription.renewal-upcoming', { subscriptionId: row.id, organizationId: row.organization.id, renewsAt: row.currentPeriodEnd! }, tx);
      sent++;
    }
    await tx.flush();
    return sent;
  });
}
