import type { ModuleManifest } from '../platform/module.js';
import { BillingDetails } from './billing-details.entity.js';
import { BillingDetailsResolver, CreditNotesResolver, InvoiceCreditNotesResolver, OrganizationBillingResolver, PurchaseCreditNoteResolver } from './billing.resolver.js';
import type { BookingFeeSettlement } from './booking-fee.js';
import { CreditNote } from './credit-note.entity.js';
import { devPayRoutes } from './dev-pay.route.js';
import { invoiceRoutes } from './invoice.route.js';
import { BillingCustomer, BillingPrice, BillingSubscription, Invoice, Purchase, RevenueEntry, StripeEvent, SubscriptionGrant } from './payment.entity.js';
import { renewalRemindersJob } from './payments.jobs.js';
import { InvoicesResolver, PaymentsResolver, SubscriptionsResolver } from './payments.resolver.js';
import { revenueEventHandlers } from './revenue.handlers.js';
import { stripeWebhookRoutes } from './webhook.route.js';
import { paymentInvariants } from './invariants.sql.js';

/** What payments needs from the modules above it, handed over at start-up (src/modules.ts). */
export interface PaymentsPorts {
  /** A paid booking fee: consultations settles it. */
  settleBookingFee: BookingFeeSettlement;
}

/** Stripe: purchases, subscriptions, invoices, revenue; the webhook, invoice PDFs and the local pay page. */
export function paymentsModule(ports: PaymentsPorts): ModuleManifest {
  return {
    name: 'payments',
    entities: [BillingCustomer, Purchase, StripeEvent, BillingSubscription, SubscriptionGrant, BillingPrice, Invoice, RevenueEntry, BillingDetails, CreditNote],
    resolvers: [PaymentsResolver, SubscriptionsResolver, InvoicesResolver, BillingDetailsResolver, OrganizationBillingResolver, CreditNotesResolver, InvoiceCreditNotesResolver, PurchaseCreditNoteResolver],
    jobs: [renewalRemindersJob],
    eventHandlers: revenueEventHandlers,
    routes: [stripeWebhookRoutes(ports.settleBookingFee), invoiceRoutes, devPayRoutes],
    seeders: [],
    invariants: paymentInvariants,
  };
}
