import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type Stripe from 'stripe';
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import type { Config } from '../config.js';
import type { DomainEvents } from '../platform/events.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import type { Logger } from '../platform/logger.js';
import type { BookingFeeSettlement } from './booking-fee.js';
import { BillingSubscription, Purchase, PurchaseStatus } from './payment.entity.js';
import { issueInvoice } from './invoice.service.js';
import { applyRefund, grantPackage } from './purchase.service.js';
import { grantPeriod, mirror } from './subscription.service.js';
import type { Payments } from './stripe.js';
import { invoicePaymentIntentId, paymentFacts, type PaymentFacts } from './payment-details.js';


export type WebhookOutcome = 'PROCESSED' | 'IGNORED' | 'DUPLICATE';

/**
 * Applies verified Stripe events exactly once: the event's row (unique id, I9) and its effects
 * commit together, so a redelivery — concurrent or after a crash — finds the row and does
 * nothing, and a failure leaves neither. Where delivery order matters the object is read
 * again from Stripe instead of trusting the event's copy.
 */
export class WebhookService {
  /** Test-only: called inside the event's transaction after its effects, before the commit (the crash test pauses here). */
  static beforeCommit: ((event: Stripe.Event) => Promise<void>) | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly payments: Payments,
    private readonly logger: Logger,
    private readonly events: DomainEvents,
    private readonly config: Config,
    /** A paid booking fee (consultations settles it; see BookingFeeSettlement). */
    private readonly settleBookingFee: BookingFeeSettlement,
  ) {}

  async process(event: Stripe.Event, now = new Date()): Promise<WebhookOutcome> {
    return this.em.transactional(async (em) => {
      // Claims the event: a concurrent delivery waits here for this transaction, then finds the row.
      const claimed = await em
        .getConnection()
        .execute<{ id: string }[]>(
          "INSERT INTO stripe_event (id, type, outcome, processed_at) VALUES (?, ?, 'PROCESSING', ?) ON CONFLICT (id) DO NOTHING RETURNING id",
          [event.id, event.type, now],
          'all',
          em.getTransactionContext(),
        );
      if (claimed.length === 0) return 'DUPLICATE';
      const outcome = await this.apply(em, event, now);
      await em.getConnection().execute('UPDATE stripe_event SET outcome = ? WHERE id = ?', [outcome, event.id], 'run', em.getTransactionContext());
      if (WebhookService.beforeCommit) await WebhookService.beforeCommit(event);
      return outcome;
    });
  }

  private async apply(em: EntityManager, event: Stripe.Event, now: Date): Promise<Exclude<WebhookOutcome, 'DUPLICATE'>> {
    if (event.type === 'payment_intent.succeeded') {
      // A package purchase (its metadata names it), or else perhaps a booking fee.
      const intent = event.data.object;
      if (intent.metadata?.purchaseId) return this.succeeded(em, intent, now);
      const fee = await this.settleBookingFee(em, intent, now, { payments: this.payments, events: this.events, config: this.config });
      return fee ?? this.succeeded(em, intent, now);
    }
    if (event.type === 'payment_intent.payment_failed') {
      // A failed attempt may be reported after a later success: ask Stripe how it stands now.
      const current = await this.payments.stripe.paymentIntents.retrieve(event.data.object.id);
      if (current.status === 'succeeded') return this.succeeded(em, current, now);
      return this.failed(em, current);
    }
    if (event.type === 'charge.refunded') {
      const charge = await this.payments.stripe.charges.retrieve(event.data.object.id, { expand: ['refunds'] });
      return this.refunded(em, charge, now);
    }
    if (event.type === 'invoice.paid') return this.invoicePaid(em, event.data.object, now);
    if (event.type === 'invoice.payment_failed') return this.renewalFailed(em, event.data.object, now);
    if (event.type === 'customer.subscription.updated' || event.type === 'customer.subscription.deleted' || event.type === 'customer.subscription.created') {
      return this.refreshSubscription(em, event.data.object.id, event.data.object);
    }
    this.logger.info({ eventId: event.id, type: event.type }, 'Stripe event acknowledged without handling');
    return 'IGNORED';
  }

  /** A paid subscription invoice: that period's credits, once; the status as Stripe has it now. */
  private async invoicePaid(em: EntityManager, invoice: Stripe.Invoice, now: Date): Promise<'PROCESSED' | 'IGNORED'> {
    const stripeId = subscriptionIdOf(invoice);
    const row = await this.subscriptionRow(em, stripeId, invoice.parent?.subscription_details?.metadata?.subscriptionId);
    if (!row) return 'IGNORED';
    const granted = await grantPeriod(em, this.events, row, invoice.id, now);
    if (granted) {
      const pkg = await em.findOneOrFail(Package, row.package.id);
      const line = invoice.lines?.data?.[0]?.period;
      const period = line ? ` ${new Date(line.start * 1000).toISOString().slice(0, 10)} – ${new Date(line.end * 1000).toISOString().slice(0, 10)}` : '';
      const amount = invoice.amount_paid;
      const intentId = invoice.id ? await invoicePaymentIntentId(this.payments, invoice.id) : null;
      await issueInvoice(em, this.events, {
        organizationId: row.organization.id,
        subscription: row,
        stripeInvoiceId: invoice.id,
        currency: invoice.currency.toUpperCase(),
        lines: [{ description: `${pkg.name} (${creditsLabel(pkg)})${period}`, quantity: 1, unitAmount: amount, amount }],
        issuedAt: now,
        seller: this.config.seller,
        payment: await this.paymentOf(intentId, now),
      });
    }
    if (stripeId) {
      mirror(row, await this.payments.stripe.subscriptions.retrieve(stripeId));
      row.stripeSubscriptionId ??= stripeId;
    }
    await em.flush();
    return granted ? 'PROCESSED' : 'IGNORED';
  }

  /** A renewal's payment failed: the status as Stripe has it now, and subscription.payment-failed for the organization (once per Stripe event). */
  private async renewalFailed(em: EntityManager, invoice: Stripe.Invoice, now: Date): Promise<'PROCESSED' | 'IGNORED'> {
    const stripeId = subscriptionIdOf(invoice);
    const outcome = await this.refreshSubscription(em, stripeId);
    if (outcome !== 'PROCESSED') return outcome;
    const row = await em.findOneOrFail(BillingSubscription, { stripeSubscriptionId: stripeId }, ACROSS_TENANTS);
    await this.events.emit('subscription.payment-failed', { subscriptionId: row.id, organizationId: row.organization.id, status: row.status, stripeInvoiceId: invoice.id ?? null, at: now }, em);
    return 'PROCESSED';
  }

  /** Status changes (renewal failed, cancelled, updated): re-read from Stripe, whatever order events came in. */
  private async refreshSubscription(em: EntityManager, stripeId: string | null, fallback?: Stripe.Subscription): Promise<'PROCESSED' | 'IGNORED'> {
    if (!stripeId) return 'IGNORED';
    const row = await this.subscriptionRow(em, stripeId, fallback?.metadata?.subscriptionId);
    if (!row) return 'IGNORED';
    let current: Stripe.Subscription;
    try {
      current = await this.payments.stripe.subscriptions.retrieve(stripeId);
    } catch (error) {
      if (!fallback) throw error;
      current = fallback;
    }
    mirror(row, current);
    row.stripeSubscriptionId ??= stripeId;
    await em.flush();
    return 'PROCESSED';
  }

  private async subscriptionRow(em: EntityManager, stripeId: string | null, ourId: string | undefined): Promise<BillingSubscription | null> {
    const options = { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE };
    const byStripe = stripeId ? await em.findOne(BillingSubscription, { stripeSubscriptionId: stripeId }, options) : null;
    if (byStripe) return byStripe;
    // Stripe's events can beat our own write of the subscription id: its metadata names ours.
    if (ourId && /^[0-9a-f-]{36}$/i.test(ourId)) return em.findOne(BillingSubscription, ourId, options);
    return null;
  }

  /** The payment went through: the purchase's credits, once (the lot link is unique, the row locked). */
  private async succeeded(em: EntityManager, intent: Stripe.PaymentIntent, now: Date): Promise<'PROCESSED' | 'IGNORED'> {
    const purchase = await this.purchaseOf(em, intent);
    if (!purchase) return 'IGNORED';
    if (purchase.creditLot || purchase.status === PurchaseStatus.REFUNDED) return 'IGNORED';
    const pkg = await em.findOneOrFail(Package, purchase.package.id);
    purchase.creditLot = await grantPackage(em, this.events, purchase, pkg, now, intent.id);
    purchase.status = PurchaseStatus.SUCCEEDED;
    purchase.failureMessage = null;
    purchase.stripePaymentIntentId ??= intent.id;
    await em.flush();
    await issueInvoice(em, this.events, {
      organizationId: purchase.organization.id,
      purchase,
      stripePaymentIntentId: intent.id,
      currency: purchase.amount.currency,
      lines: [{ description: `${pkg.name} (${creditsLabel(pkg)})`, quantity: 1, unitAmount: purchase.amount.amount, amount: purchase.amount.amount }],
      issuedAt: now,
      seller: this.config.seller,
      payment: await this.paymentOf(intent.id, now),
    });
    return 'PROCESSED';
  }

  /** What the invoice prints of the payment, read from Stripe only once an invoice is being issued. */
  private async paymentOf(intentId: string | null, now: Date): Promise<PaymentFacts | null> {
    return intentId ? paymentFacts(this.payments, intentId, now) : null;
  }

  private async failed(em: EntityManager, intent: Stripe.PaymentIntent): Promise<'PROCESSED' | 'IGNORED'> {
    const purchase = await this.purchaseOf(em, intent);
    if (!purchase || purchase.status !== PurchaseStatus.PENDING) return 'IGNORED';
    purchase.status = PurchaseStatus.FAILED;
    purchase.failureMessage = intent.last_payment_error?.message ?? 'The payment failed.';
    await em.flush();
    return 'PROCESSED';
  }

  /** A refund made anywhere (our refundPurchase, or the Stripe dashboard): a full one revokes the unused credits. */
  private async refunded(em: EntityManager, charge: Stripe.Charge, now: Date): Promise<'PROCESSED' | 'IGNORED'> {
    const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    if (!intentId) return 'IGNORED';
    const purchase = await em.findOne(Purchase, { stripePaymentIntentId: intentId }, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!purchase || purchase.status === PurchaseStatus.REFUNDED) return 'IGNORED';
    if (!charge.refunded) {
      this.logger.warn({ purchaseId: purchase.id, amountRefunded: charge.amount_refunded }, 'partial refund: credits left as they are');
      return 'IGNORED';
    }
    // The newest refund is the one that completed it (its id goes on the credit note).
    const refundId = charge.refunds?.data?.[0]?.id ?? null;
    await applyRefund(em, this.events, purchase.id, { refundId, reason: 'Refunded in Stripe', actorId: null, now });
    return 'PROCESSED';
  }

  private async purchaseOf(em: EntityManager, intent: Stripe.PaymentIntent): Promise<Purchase | null> {
    const byIntent = await em.findOne(Purchase, { stripePaymentIntentId: intent.id }, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
    if (byIntent) return byIntent;
    // The webhook can beat our own write of the intent id: the metadata names the purchase.
    const purchaseId = intent.metadata?.purchaseId;
    if (!purchaseId || !/^[0-9a-f-]{36}$/i.test(purchaseId)) {
      this.logger.warn({ paymentIntentId: intent.id }, 'PaymentIntent of no purchase of ours');
      return null;
    }
    return em.findOne(Purchase, purchaseId, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
  }
}

function subscriptionIdOf(invoice: Stripe.Invoice): string | null {
  const id = invoice.parent?.subscription_details?.subscription;
  return typeof id === 'string' ? id : (id?.id ?? null);
}

function creditsLabel(pkg: Package): string {
  return pkg.lotKind === CreditLotKind.TIME ? `${pkg.credits} hours` : `${pkg.credits} session${pkg.credits === 1 ? '' : 's'} of ${pkg.sessionMinutes} minutes`;
}
