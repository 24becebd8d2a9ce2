/** Products, prices, subscriptions and their invoices (each paid by a PaymentIntent). */
import type Stripe from 'stripe';
import { resolvePaymentMethod } from './cards.js';
import type { InvoiceStatusOps } from './invoice-status.js';
import { GENERIC_DECLINE, type PaymentOps } from './payments.js';
import type { SimState } from './state.js';
import { addInterval, ApiError, clone, flag, integer, invalid, list, metadata, missingParam, newId, now, text, type Obj } from './util.js';

export type BillingOps = ReturnType<typeof billingOps>;

export function billingOps(s: SimState, payments: PaymentOps, { subscriptionOf, invoicePaid, invoiceFailed }: InvoiceStatusOps) {
  const { customers, products, prices, subscriptions, invoices, paymentIntents, invoicePaymentIntent, paymentIntentInvoice } = s;
  const { createPaymentIntent, succeedPaymentIntent, failPaymentIntent } = payments;
  const find = s.find.bind(s);
  const emit = s.emit.bind(s);

  function createPrice(p: Obj): Obj {
    let product = text(p.product);
    if (product) find(products, 'product', product, 'product');
    else if (p.product_data) product = createProduct(p.product_data).id;
    else throw missingParam('product');
    const currency = text(p.currency)?.toLowerCase();
    if (!currency) throw missingParam('currency');
    const unitAmount = integer(p, 'unit_amount', true)!;
    const interval = text(p.recurring?.interval);
    if (p.recurring && !['day', 'week', 'month', 'year'].includes(interval ?? '')) throw invalid(`Invalid recurring[interval]: ${interval}`, { param: 'recurring[interval]' });
    const id = newId('price');
    const price = {
      id, object: 'price', active: true, billing_scheme: 'per_unit', created: now(), currency, custom_unit_amount: null, livemode: false,
      lookup_key: text(p.lookup_key), metadata: metadata(p.metadata), nickname: text(p.nickname), product,
      recurring: interval
        ? { interval, interval_count: integer(p.recurring, 'interval_count') ?? 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
        : null,
      tax_behavior: 'unspecified', tiers_mode: null, transform_quantity: null, type: interval ? 'recurring' : 'one_time',
      unit_amount: unitAmount, unit_amount_decimal: String(unitAmount),
    };
    prices.set(id, price);
    return price;
  }

  function createProduct(p: Obj): Obj {
    const name = text(p.name);
    if (!name) throw missingParam('name');
    const id = text(p.id) ?? newId('prod');
    const product = {
      id, object: 'product', active: true, created: now(), default_price: null, description: text(p.description), images: [],
      livemode: false, marketing_features: [], metadata: metadata(p.metadata), name, package_dimensions: null, shippable: null,
      statement_descriptor: null, tax_code: null, type: 'service', unit_label: null, updated: now(), url: null,
    };
    products.set(id, product);
    return product;
  }

  /** The current period on the subscription and on each item (where recent API versions keep it). */
  function setPeriod(sub: Obj, start: number) {
    const { interval, interval_count } = sub.items.data[0].price.recurring;
    const end = addInterval(start, interval, interval_count);
    Object.assign(sub, { current_period_start: start, current_period_end: end });
    for (const item of sub.items.data) Object.assign(item, { current_period_start: start, current_period_end: end });
    if (sub.cancel_at_period_end) sub.cancel_at = end;
  }

  function subscriptionItem(subscription: string, price: Obj, quantity: number): Obj {
    const plan = {
      id: price.id, object: 'plan', active: true, amount: price.unit_amount, amount_decimal: price.unit_amount_decimal, billing_scheme: 'per_unit',
      created: price.created, currency: price.currency, interval: price.recurring.interval, interval_count: price.recurring.interval_count,
      livemode: false, metadata: {}, meter: null, nickname: null, product: price.product, tiers_mode: null, transform_usage: null,
      trial_period_days: null, usage_type: 'licensed',
    };
    return {
      id: newId('si'), object: 'subscription_item', billing_thresholds: null, created: now(), current_period_end: 0, current_period_start: 0,
      discounts: [], metadata: {}, plan, price: clone(price), quantity, subscription, tax_rates: [],
    };
  }

  /** A finalized invoice for the current period, with the PaymentIntent that will pay it. */
  function openInvoice(sub: Obj, reason: 'subscription_create' | 'subscription_cycle', periodStart: number, periodEnd: number): Obj {
    const id = newId('in');
    const customer = customers.get(sub.customer);
    const lines = sub.items.data.map((item: Obj) => ({
      id: newId('il'), object: 'line_item', amount: item.price.unit_amount * item.quantity, currency: sub.currency,
      description: `${item.quantity} × ${products.get(item.price.product)?.name ?? 'Product'}`, discount_amounts: [], discountable: true,
      discounts: [], invoice: id, livemode: false, metadata: {},
      parent: {
        type: 'subscription_item_details', invoice_item_details: null,
        subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: sub.id, subscription_item: item.id },
      },
      period: { start: sub.current_period_start, end: sub.current_period_end }, pretax_credit_amounts: [],
      pricing: { type: 'price_details', price_details: { price: item.price.id, product: item.price.product }, unit_amount_decimal: item.price.unit_amount_decimal },
      quantity: item.quantity, subscription: sub.id, subtotal: item.price.unit_amount * item.quantity, taxes: [],
    }));
    const total = lines.reduce((sum: number, line: Obj) => sum + Number(line.amount), 0);
    const invoice = {
      id, object: 'invoice', account_country: 'US', account_name: 'Stripe Simulator', account_tax_ids: null, amount_due: total,
      amount_overpaid: 0, amount_paid: 0, amount_remaining: total, amount_shipping: 0, application: null, attempt_count: 0, attempted: false,
      auto_advance: true, automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
      automatically_finalizes_at: null, billing_reason: reason, collection_method: 'charge_automatically', created: now(),
      currency: sub.currency, custom_fields: null, customer: sub.customer, customer_account: null, customer_address: null,
      customer_email: customer?.email ?? null, customer_name: customer?.name ?? null, customer_phone: null, customer_shipping: null,
      customer_tax_exempt: 'none', customer_tax_ids: [], default_payment_method: null, default_source: null, default_tax_rates: [],
      description: null, discounts: [], due_date: null, effective_at: now(), ending_balance: 0, footer: null, from_invoice: null,
      hosted_invoice_url: `https://invoice.stripe.com/i/simulated/${id}`, invoice_pdf: `https://pay.stripe.com/invoice/simulated/${id}/pdf`,
      issuer: { type: 'self' }, last_finalization_error: null, latest_revision: null, lines: list(`/v1/invoices/${id}/lines`, lines),
      livemode: false, metadata: {}, next_payment_attempt: null, number: `SIM-${String(++s.invoiceCount).padStart(4, '0')}`,
      on_behalf_of: null,
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: clone(sub.metadata), subscription: sub.id } },
      payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
      period_end: periodEnd, period_start: periodStart, post_payment_credit_notes_amount: 0, pre_payment_credit_notes_amount: 0,
      receipt_number: null, rendering: null, shipping_cost: null, shipping_details: null, starting_balance: 0, statement_descriptor: null,
      status: 'open', status_transitions: { finalized_at: now(), marked_uncollectible_at: null, paid_at: null, voided_at: null },
      subtotal: total, subtotal_excluding_tax: total, test_clock: null, total, total_discount_amounts: [], total_excluding_tax: total,
      total_pretax_credit_amounts: [], total_taxes: [], webhooks_delivered_at: now(),
    };
    invoices.set(id, invoice);
    const pi = createPaymentIntent({
      amount: total, currency: sub.currency, customer: sub.customer, payment_method: sub.default_payment_method ?? '',
      description: reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
    });
    invoicePaymentIntent.set(id, pi.id);
    paymentIntentInvoice.set(pi.id, id);
    sub.latest_invoice = id;
    emit('invoice.finalized', invoice);
    return invoice;
  }

  /** The subscription's open invoice, or else a renewal: next period, a new open invoice. */
  function dueInvoice(sub: Obj): Obj {
    if (sub.status === 'canceled') throw invalid(`Subscription ${sub.id} is canceled.`);
    const latest = invoices.get(sub.latest_invoice ?? '');
    if (latest?.status === 'open') return latest;
    const previous = { current_period_start: sub.current_period_start, current_period_end: sub.current_period_end };
    setPeriod(sub, sub.current_period_end);
    const invoice = openInvoice(sub, 'subscription_cycle', previous.current_period_start, previous.current_period_end);
    emit('customer.subscription.updated', sub, { ...previous, latest_invoice: latest?.id ?? null });
    return invoice;
  }

  function createSubscription(p: Obj): Obj {
    const customerId = text(p.customer);
    if (!customerId) throw missingParam('customer');
    const customer = find(customers, 'customer', customerId, 'customer');
    const items = Array.isArray(p.items) ? (p.items as Obj[]) : [];
    if (items.length === 0) throw missingParam('items');
    const itemPrices = items.map((item, i) => {
      const price = find(prices, 'price', text(item.price) ?? '', `items[${i}][price]`);
      if (!price.recurring) throw invalid('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', { param: `items[${i}][price]` });
      return price;
    });
    const pm = text(p.default_payment_method) ?? customer.invoice_settings.default_payment_method;
    const behavior = text(p.payment_behavior) ?? 'allow_incomplete';
    const outcome = pm ? resolvePaymentMethod(s.paymentMethods, pm, 'default_payment_method').simulated_outcome : undefined;
    // A card that needs authentication cannot pay off-session here: the invoice waits, as if declined.
    const declined = outcome && outcome.kind !== 'succeed' ? (outcome.kind === 'decline' ? outcome.decline : GENERIC_DECLINE) : undefined;
    if (declined && behavior === 'error_if_incomplete') throw new ApiError(402, { type: 'card_error', code: declined.code, decline_code: declined.declineCode, message: declined.message });
    const id = newId('sub');
    const created = now();
    const sub: Obj = {
      id, object: 'subscription', application: null, application_fee_percent: null,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null }, billing_cycle_anchor: created, billing_cycle_anchor_config: null,
      billing_mode: { type: 'flexible', flexible: { proration_discounts: 'included' }, updated_at: created }, billing_schedules: [],
      billing_thresholds: null, cancel_at: null, cancel_at_period_end: false, canceled_at: null,
      cancellation_details: { comment: null, feedback: null, reason: null }, collection_method: 'charge_automatically', created,
      currency: itemPrices[0].currency, current_period_end: 0, current_period_start: 0, customer: customerId, customer_account: null,
      days_until_due: null, default_payment_method: pm, default_source: null, default_tax_rates: [], description: text(p.description),
      discounts: [], ended_at: null, invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
      items: list(`/v1/subscription_items?subscription=${id}`, items.map((item, i) => subscriptionItem(id, itemPrices[i], integer(item, 'quantity') ?? 1))),
      latest_invoice: null, livemode: false, managed_payments: null, metadata: metadata(p.metadata), next_pending_invoice_item_invoice: null,
      on_behalf_of: null, pause_collection: null,
      payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
      pending_invoice_item_interval: null, pending_setup_intent: null, pending_update: null, schedule: null, start_date: created,
      status: pm && !declined && behavior !== 'default_incomplete' ? 'active' : 'incomplete', test_clock: null, transfer_data: null,
      trial_end: null, trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } }, trial_start: null,
    };
    setPeriod(sub, created);
    subscriptions.set(id, sub);
    const invoice = openInvoice(sub, 'subscription_create', created, created);
    emit('customer.subscription.created', sub);
    const pi = paymentIntents.get(invoicePaymentIntent.get(invoice.id)!);
    if (sub.status === 'active') succeedPaymentIntent(pi);
    else if (declined && behavior !== 'default_incomplete') failPaymentIntent(pi, declined);
    return sub;
  }

  function updateSubscription(sub: Obj, p: Obj): Obj {
    if (sub.status === 'canceled' && Object.keys(p).some((key) => !['metadata', 'cancellation_details', 'expand'].includes(key))) {
      throw invalid('A canceled subscription can only update its cancellation_details and metadata.');
    }
    const previous: Obj = {};
    const set = (key: string, value: unknown) => {
      if (JSON.stringify(sub[key]) === JSON.stringify(value)) return;
      previous[key] = clone(sub[key]);
      sub[key] = value;
    };
    if (p.cancel_at_period_end !== undefined) {
      const cancelling = flag(p.cancel_at_period_end);
      set('cancel_at_period_end', cancelling);
      set('cancel_at', cancelling ? sub.current_period_end : null);
      set('canceled_at', cancelling ? now() : null);
      set('cancellation_details', { ...sub.cancellation_details, reason: cancelling ? 'cancellation_requested' : null });
    }
    if (p.cancellation_details) set('cancellation_details', { ...sub.cancellation_details, ...p.cancellation_details });
    if (p.metadata !== undefined) set('metadata', metadata(p.metadata, sub.metadata));
    if (p.default_payment_method !== undefined) set('default_payment_method', text(p.default_payment_method));
    if (p.description !== undefined) set('description', text(p.description));
    for (const [i, change] of (Array.isArray(p.items) ? (p.items as Obj[]) : []).entries()) {
      const item = sub.items.data.find((candidate: Obj) => candidate.id === change.id);
      if (!item) throw invalid(`Invalid subscription item: ${String(change.id)}. Only updating existing items by id is supported by the simulator.`, { param: `items[${i}][id]` });
      const before = clone(sub.items);
      if (change.price) Object.assign(item, subscriptionItem(sub.id, find(prices, 'price', String(change.price), `items[${i}][price]`), item.quantity), { id: item.id, created: item.created });
      if (change.quantity) item.quantity = integer(change, 'quantity');
      setPeriod(sub, sub.current_period_start);
      previous.items ??= before;
    }
    if (Object.keys(previous).length > 0) emit('customer.subscription.updated', sub, previous);
    return sub;
  }

  function cancelSubscription(sub: Obj, p: Obj): Stripe.Event {
    Object.assign(sub, {
      status: 'canceled', canceled_at: sub.canceled_at ?? now(), ended_at: now(),
      cancellation_details: { ...sub.cancellation_details, reason: sub.cancellation_details.reason ?? 'cancellation_requested', ...(p.cancellation_details ?? {}) },
    });
    return emit('customer.subscription.deleted', sub);
  }


  return { createPrice, createProduct, createSubscription, updateSubscription, cancelSubscription, dueInvoice, subscriptionOf, invoicePaid, invoiceFailed };
}
