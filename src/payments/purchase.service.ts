import { createHash, randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { CreditLotKind, Package, PackageType } from '../catalog/package.entity.js';
import { CreditSource } from '../credits/credits.enums.js';
import { CreditsService } from '../credits/credits.service.js';
import { Organization } from '../identity/organization.entity.js';
import { organizationScope, type Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import type { DomainEvents } from '../platform/events.js';
import { requireUuid } from '../platform/ids.js';
import { advisoryLock } from '../platform/locks.js';
import { keysetPage, type Connection } from '../platform/pagination.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { DAY_MS } from '../platform/time.js';
import { issueCreditNote } from './credit-note.service.js';
import { BillingCustomer, Invoice, Purchase, PurchaseStatus } from './payment.entity.js';
import { requirePayments, stripeFailure, type Payments } from './stripe.js';

export interface PurchaseData {
  packageId: string;
  paymentMethodId?: string | null;
  idempotencyKey?: string | null;
}

const MAX_KEY = 200;
const PAYMENT_METHOD = /^pm_\w{1,200}$/;

/**
 * Package purchases. A purchase is written PENDING before Stripe is asked (so a crash leaves a
 * trace, never a charge without a row); its credits come only from the signed webhook
 * (WebhookService), exactly once.
 */
export class PurchaseService {
  constructor(
    private readonly em: EntityManager,
    private readonly payments: Payments | null,
    /** Refunds emit purchase.refunded, a free package's grant credits.changed. */
    private readonly events: DomainEvents | null = null,
  ) {}

  async purchase(caller: Caller & { organizationId: string }, data: PurchaseData, now = new Date()): Promise<Purchase> {
    const pkg = await this.purchasablePackage(data.packageId);
    const paymentMethodId = data.paymentMethodId?.trim() || null;
    if (paymentMethodId && !PAYMENT_METHOD.test(paymentMethodId)) throw errors.badInput('paymentMethodId must be a Stripe PaymentMethod id (pm_…).', 'input.paymentMethodId');
    const key = data.idempotencyKey ?? null;
    if (key !== null && (key.length < 1 || key.length > MAX_KEY)) throw errors.badInput(`idempotencyKey must be 1–${MAX_KEY} characters.`, 'input.idempotencyKey');
    const free = pkg.price.amount === 0;
    const payments = free ? null : requirePayments(this.payments);
    const hash = createHash('sha256').update(JSON.stringify([pkg.id, paymentMethodId])).digest('hex');

    // 1. The purchase row (or the earlier one of this key), under locks that make the
    //    per-client limit and the key's uniqueness hold against concurrent requests.
    const { purchase, earlier } = await this.em.transactional(async (em) => {
      if (key) {
        await advisoryLock(em, `purchase-key:${caller.userId}:${key}`);
        const found = await em.findOne(Purchase, { buyer: caller.userId, idempotencyKey: key }, ACROSS_TENANTS);
        if (found) {
          if (found.requestHash !== hash) throw errors.conflict('This idempotencyKey was already used for a different purchase: use a new key.', { field: 'input.idempotencyKey' });
          return { purchase: found, earlier: true };
        }
      }
      await advisoryLock(em, `purchase-limit:${caller.organizationId}:${pkg.id}`);
      if (pkg.maxPurchasesPerClient !== null) {
        const count = await em.count(Purchase, { organization: caller.organizationId, package: pkg.id, status: { $in: [PurchaseStatus.PENDING, PurchaseStatus.SUCCEEDED] } }, ACROSS_TENANTS);
        if (count >= pkg.maxPurchasesPerClient) {
          throw errors.conflict(
            `${pkg.name} can be bought at most ${pkg.maxPurchasesPerClient} time${pkg.maxPurchasesPerClient === 1 ? '' : 's'} per organization (pending purchases count).`,
            { reason: 'PURCHASE_LIMIT' },
          );
        }
      }
      const created = em.create(Purchase, {
        organization: em.getReference(Organization, caller.organizationId),
        package: pkg,
        buyer: caller.userId,
        status: free ? PurchaseStatus.SUCCEEDED : PurchaseStatus.PENDING,
        amount: { amount: pkg.price.amount, currency: pkg.price.currency },
        idempotencyKey: key,
        requestHash: key ? hash : null,
        createdAt: now,
      });
      await em.flush();
      // A free package needs no payment: its credits come with the purchase.
      if (free) created.creditLot = await grantPackage(em, this.requireEvents(), created, pkg, now, null);
      await em.flush();
      return { purchase: created, earlier: false };
    });
    // An earlier attempt of this key that committed its row but never attached a PaymentIntent
    // (its process died in between) is carried on here: returned as is, nobody could pay it.
    if (free || purchase.stripePaymentIntentId || (earlier && purchase.status !== PurchaseStatus.PENDING)) return purchase;

    // 2. Stripe: the customer, then the PaymentIntent under an idempotency key tied to this
    //    purchase, so a retry after a timeout cannot charge twice.
    try {
      const customerId = await this.customerFor(caller.organizationId, payments!);
      const intent = await payments!.stripe.paymentIntents.create(
        {
          amount: pkg.price.amount,
          currency: pkg.price.currency.toLowerCase(),
          customer: customerId,
          description: pkg.name,
          metadata: { purchaseId: purchase.id, organizationId: caller.organizationId, packageId: pkg.id },
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          ...(paymentMethodId ? { payment_method: paymentMethodId, confirm: true } : {}),
        },
        { idempotencyKey: `serenity-purchase-${purchase.id}` },
      );
      return await this.attachIntent(purchase.id, intent);
    } catch (error) {
      const failure = stripeFailure(error);
      const declined = (error as { payment_intent?: Stripe.PaymentIntent }).payment_intent;
      // A retry that could not reach Stripe (or met the first attempt still running there) leaves
      // the purchase PENDING for the next retry: only a refused card fails it.
      if (earlier && !declined) throw failure;
      await this.em.fork().transactional(async (em) => {
        const row = await em.findOneOrFail(Purchase, purchase.id, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
        if (row.status !== PurchaseStatus.PENDING) return;
        row.status = PurchaseStatus.FAILED;
        row.failureMessage = failure instanceof Error ? failure.message : 'The payment could not be started.';
        if (declined?.id && !row.stripePaymentIntentId) row.stripePaymentIntentId = declined.id;
      });
      throw failure;
    }
  }

  /** Admin refund through Stripe; the unused credits of the purchase's lot are revoked at once. */
  async refund(admin: Caller, id: string, reason: string | null | undefined, now = new Date()): Promise<Purchase> {
    const why = reason?.trim() || null;
    if (why && why.length > 500) throw errors.badInput('reason must be at most 500 characters.', 'reason');
    const purchase = await this.em.findOne(Purchase, requireUuid(id, 'Purchase'), ACROSS_TENANTS);
    if (!purchase) throw errors.notFound('Purchase', id);
    if (purchase.status === PurchaseStatus.REFUNDED) throw errors.conflict('This purchase was already refunded.');
    if (purchase.status !== PurchaseStatus.SUCCEEDED) throw errors.conflict(`Only a succeeded purchase can be refunded; this one is ${purchase.status}.`);
    let refundId: string | null = null;
    if (purchase.amount.amount > 0) {
      const payments = requirePayments(this.payments);
      if (!purchase.stripePaymentIntentId) throw errors.conflict('This purchase has no Stripe payment to refund.');
      try {
        const refund = await payments.stripe.refunds.create(
          { payment_intent: purchase.stripePaymentIntentId, reason: 'requested_by_customer', metadata: { purchaseId: purchase.id } },
          { idempotencyKey: `serenity-refund-${purchase.id}` },
        );
        refundId = refund.id;
      } catch (error) {
        throw stripeFailure(error);
      }
    }
    const events = this.events;
    if (!events) throw new Error('PurchaseService.refund needs the domain events (construct it with them).');
    return this.em.fork().transactional(async (em) => applyRefund(em, events, purchase.id, { refundId, reason: why, actorId: admin.userId, now }));
  }

  async get(caller: Caller, id: string): Promise<Purchase> {
    const purchase = await this.em.findOne(Purchase, { id: requireUuid(id, 'Purchase'), ...organizationScope(caller, 'Purchases') }, ACROSS_TENANTS);
    if (!purchase) throw errors.notFound('Purchase', id);
    return purchase;
  }

  /** Purchases of the caller's organization (admins: all, or one organization's), newest first. */
  async list(caller: Caller, organizationId: string | null | undefined, size: number, after: string | null | undefined): Promise<Connection<Purchase>> {
    const where = organizationScope(caller, 'Purchases', organizationId);
    return keysetPage(this.em, Purchase, where, { field: 'createdAt', direction: 'desc' }, size, after, ACROSS_TENANTS);
  }

  private async purchasablePackage(idOrCode: string): Promise<Package> {
    const pkg = await this.em.findOne(Package, /^PKG-/i.test(idOrCode) ? { code: idOrCode.toUpperCase() } : { id: requireUuid(idOrCode, 'Package') });
    if (!pkg) throw errors.notFound('Package', idOrCode);
    if (!pkg.active) throw errors.conflict(`${pkg.name} is archived and no longer sold.`, { reason: 'ARCHIVED' });
    if (!pkg.purchasable) throw errors.badInput(`${pkg.name} is granted, not sold.`, 'input.packageId');
    if (pkg.type === PackageType.SUBSCRIPTION) throw errors.badInput(`${pkg.name} is a subscription: start it with startSubscription.`, 'input.packageId');
    return pkg;
  }

  private async attachIntent(purchaseId: string, intent: Stripe.PaymentIntent): Promise<Purchase> {
    return this.em.fork().transactional(async (em) => {
      const row = await em.findOneOrFail(Purchase, purchaseId, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
      row.stripePaymentIntentId = intent.id;
      row.clientSecret = intent.client_secret;
      return row;
    });
  }

  /** The organization's Stripe customer, created once (an idempotency key and a unique row keep it one). */
  private requireEvents(): DomainEvents {
    if (!this.events) throw new Error('PurchaseService needs the domain events to grant or revoke credits.');
    return this.events;
  }

  async customerFor(organizationId: string, payments: Payments): Promise<string> {
    const em = this.em.fork();
    const existing = await em.findOne(BillingCustomer, { organization: organizationId }, ACROSS_TENANTS);
    if (existing) return existing.stripeCustomerId;
    const org = await em.findOneOrFail(Organization, organizationId, ACROSS_TENANTS);
    const customer = await payments.stripe.customers.create({ name: org.name, metadata: { organizationId } }, { idempotencyKey: `serenity-customer-${organizationId}` });
    // The idempotency key gave racing requests the same customer; the first row stays.
    await em
      .getConnection()
      .execute('INSERT INTO billing_customer (id, organization_id, stripe_customer_id, created_at) VALUES (?, ?, ?, now()) ON CONFLICT DO NOTHING', [randomUUID(), organizationId, customer.id]);
    return (await this.em.fork().findOneOrFail(BillingCustomer, { organization: organizationId }, ACROSS_TENANTS)).stripeCustomerId;
  }
}

/** The credit lot a paid (or free) purchase grants: the package's credits, valid from now. */
export async function grantPackage(em: EntityManager, events: DomainEvents, purchase: Purchase, pkg: Package, now: Date, reference: string | null) {
  return grantPackageCredits(em, events, pkg, {
    organizationId: purchase.organization.id,
    source: CreditSource.PURCHASE,
    actorId: purchase.buyer.id,
    reference: reference ?? `purchase:${purchase.id}`,
    reason: `Purchase of ${pkg.name}`,
    now,
  });
}

/** A lot of a package's credits (a purchase, or a subscription period), valid for its validityDays from now. */
export async function grantPackageCredits(
  em: EntityManager,
  events: DomainEvents,
  pkg: Package,
  grant: { organizationId: string; source: CreditSource; actorId: string | null; reference: string; reason: string; now: Date },
) {
  return new CreditsService(em, events).grant({
    organizationId: grant.organizationId,
    source: grant.source,
    kind: pkg.lotKind,
    // TIME packages count hours in the catalog and minutes in lots.
    units: pkg.lotKind === CreditLotKind.TIME ? pkg.credits * 60 : pkg.credits,
    sessionMinutes: pkg.sessionMinutes,
    allowedBlockMinutes: pkg.allowedBlockMinutes,
    expiresAt: new Date(grant.now.getTime() + pkg.validityDays * DAY_MS),
    packageId: pkg.id,
    actorId: grant.actorId,
    reference: grant.reference,
    reason: grant.reason,
    grantedAt: grant.now,
  });
}

/** A refund's effects, once: unused credits revoked, the purchase REFUNDED, its invoice credited by a credit note. */
export async function applyRefund(
  em: EntityManager,
  events: DomainEvents,
  purchaseId: string,
  options: { refundId: string | null; reason: string | null; actorId: string | null; now: Date },
): Promise<Purchase> {
  const purchase = await em.findOneOrFail(Purchase, purchaseId, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
  if (purchase.status === PurchaseStatus.REFUNDED) return purchase;
  let revoked = 0;
  let kept = 0;
  if (purchase.creditLot) {
    ({ revoked, kept } = await new CreditsService(em, events).revokeUnused(purchase.creditLot.id, {
      actorId: options.actorId,
      reason: options.reason ? `Refund: ${options.reason}` : 'Refund',
      reference: options.refundId,
    }));
  }
  Object.assign(purchase, {
    status: PurchaseStatus.REFUNDED,
    refundedAt: options.now,
    refundReason: options.reason,
    stripeRefundId: options.refundId ?? purchase.stripeRefundId,
    revokedUnits: revoked,
    keptUnits: kept,
  });
  await em.flush();
  const invoice = await em.findOne(Invoice, { purchase: purchase.id }, ACROSS_TENANTS);
  if (invoice) await issueCreditNote(em, { invoice, purchase, reason: options.reason, refundReference: purchase.stripeRefundId, issuedAt: options.now });
  await events.emit('purchase.refunded', { purchaseId: purchase.id, organizationId: purchase.organization.id, at: options.now }, em);
  return purchase;
}
