import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Package } from '../catalog/package.entity.js';
import { CreditLot } from '../credits/credit-lot.entity.js';
import { requireCaller, requireOrgOwner, requireRole, requireVerified } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { pageSize, type Connection } from '../platform/pagination.js';
import { Money } from '../platform/money.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { listInvoices } from './invoice.service.js';
import { BillingSubscription, Invoice, Purchase, PurchaseStatus, SubscriptionStatus } from './payment.entity.js';
import { InvoiceConnection, PurchaseConnection, PurchasePackageInput } from './payments.types.js';
import { PurchaseService } from './purchase.service.js';
import { SubscriptionService } from './subscription.service.js';
import { connectionComplexity } from '../platform/graphql-limits.js';

@Resolver(() => Purchase)
export class PaymentsResolver {
  @Mutation(() => Purchase, { description: 'Buy a package (organization owners). Credits arrive when Stripe confirms the payment.' })
  purchasePackage(@Arg('input', () => PurchasePackageInput) input: PurchasePackageInput, @Ctx() ctx: RequestContext): Promise<Purchase> {
    requireVerified(ctx);
    return service(ctx).purchase(requireOrgOwner(ctx), input);
  }

  @Mutation(() => Purchase, { description: 'Admins: refund through Stripe and revoke the unused credits of the purchase.' })
  refundPurchase(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() ctx: RequestContext): Promise<Purchase> {
    return service(ctx).refund(requireRole(ctx, 'ADMIN'), id, reason);
  }

  @Query(() => Purchase, { nullable: true, description: 'One purchase of the caller’s organization (admins: any).' })
  purchase(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Purchase> {
    return service(ctx).get(requireCaller(ctx), id);
  }

  @Query(() => PurchaseConnection, { description: 'Purchases of the caller’s organization, newest first (admins: all, or organizationId’s).', complexity: connectionComplexity })
  purchases(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Purchase>> {
    return service(ctx).list(requireCaller(ctx), organizationId, pageSize(first), after);
  }

  @FieldResolver(() => Package)
  package(@Root() purchase: Purchase, @Ctx() ctx: RequestContext): Promise<Package> {
    return ctx.em.findOneOrFail(Package, purchase.package.id);
  }

  @FieldResolver(() => CreditLot, { nullable: true, description: 'The credits it granted (after Stripe confirmed the payment).' })
  creditLot(@Root() purchase: Purchase, @Ctx() ctx: RequestContext): Promise<CreditLot | null> {
    return purchase.creditLot ? ctx.em.findOne(CreditLot, purchase.creditLot.id, ACROSS_TENANTS) : Promise.resolve(null);
  }

  @FieldResolver(() => Invoice, { nullable: true, description: 'Issued when the payment succeeded.' })
  invoice(@Root() purchase: Purchase, @Ctx() ctx: RequestContext): Promise<Invoice | null> {
    return ctx.em.findOne(Invoice, { purchase: purchase.id }, ACROSS_TENANTS);
  }

  @FieldResolver(() => String, { nullable: true, description: 'For Stripe.js to confirm the payment: the buying organization, while PENDING.' })
  clientSecret(@Root() purchase: Purchase, @Ctx() ctx: RequestContext): string | null {
    const mine = ctx.caller?.role === 'CLIENT' && ctx.caller.organizationId === purchase.organization.id;
    return mine && purchase.status === PurchaseStatus.PENDING ? purchase.clientSecret : null;
  }
}

function service(ctx: RequestContext): PurchaseService {
  return new PurchaseService(ctx.em, ctx.services.payments, ctx.services.events);
}

@Resolver(() => BillingSubscription)
export class SubscriptionsResolver {
  @Mutation(() => BillingSubscription, {
    description: 'Subscribe to a SUBSCRIPTION package (owners). Each paid period grants its credits; without paymentMethodId, pay the first invoice with clientSecret.',
  })
  startSubscription(
    @Arg('packageId', () => ID) packageId: string,
    @Arg('paymentMethodId', () => String, { nullable: true }) paymentMethodId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BillingSubscription> {
    requireVerified(ctx);
    return subscriptions(ctx).start(requireOrgOwner(ctx), packageId, paymentMethodId);
  }

  @Mutation(() => BillingSubscription, { description: 'Owners (or admins): at the period end by default, or now; credits already granted stay.' })
  cancelSubscription(
    @Arg('id', () => ID) id: string,
    @Arg('atPeriodEnd', () => Boolean, { defaultValue: true }) atPeriodEnd: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<BillingSubscription> {
    return subscriptions(ctx).cancel(requireCaller(ctx), id, atPeriodEnd);
  }

  @Query(() => [BillingSubscription], { description: 'The organization’s subscriptions, newest first (admins: all).' })
  subscriptions(@Ctx() ctx: RequestContext): Promise<BillingSubscription[]> {
    return subscriptions(ctx).list(requireCaller(ctx));
  }

  @FieldResolver(() => Package)
  package(@Root() row: BillingSubscription, @Ctx() ctx: RequestContext): Promise<Package> {
    return ctx.em.findOneOrFail(Package, row.package.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'For Stripe.js to pay the first invoice: the subscribing organization, while INCOMPLETE.' })
  clientSecret(@Root() row: BillingSubscription, @Ctx() ctx: RequestContext): string | null {
    const mine = ctx.caller?.role === 'CLIENT' && ctx.caller.organizationId === row.organization.id;
    return mine && row.status === SubscriptionStatus.INCOMPLETE ? row.clientSecret : null;
  }
}

function subscriptions(ctx: RequestContext): SubscriptionService {
  return new SubscriptionService(ctx.em, ctx.services.payments);
}

@Resolver(() => Invoice)
export class InvoicesResolver {
  @Query(() => InvoiceConnection, { description: 'Invoices of the caller’s organization, newest first (admins: all, or organizationId’s).', complexity: connectionComplexity })
  async invoices(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<Invoice>> {
    return listInvoices(ctx.em, requireCaller(ctx), organizationId, pageSize(first), after);
  }

  @FieldResolver(() => String, { description: 'GET it with the same Authorization header.' })
  pdfUrl(@Root() invoice: Invoice, @Ctx() ctx: RequestContext): string {
    return `${ctx.services.config.publicUrl}/invoices/${invoice.id}.pdf`;
  }

  @FieldResolver(() => Money, { nullable: true, description: 'The platform’s 15 % share: admins only (null for others).' })
  platformFee(@Root() invoice: Invoice, @Ctx() ctx: RequestContext): Money | null {
    return ctx.caller?.role === 'ADMIN' ? invoice.platformFee : null;
  }
}
