/**
 * A local HTTP test double of the Stripe API, spoken to by the real `stripe` SDK:
 *
 *   const double = await startStripeDouble();
 *   const stripe = new Stripe(double.secretKey, { host: double.host, port: double.port, protocol: 'http' });
 *
 * It keeps customers, PaymentIntents, charges, refunds, products, prices, subscriptions and invoices
 * in memory, answers in the shapes of the API version the SDK pins (Stripe.API_VERSION), replays
 * idempotent requests, and lets a test drive the world as Stripe would (a payment succeeds, a
 * renewal fails, …), each time returning the event Stripe would send, ready to sign and deliver.
 * It covers what this project uses, not the whole API: anything else answers 404.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Obj = Record<string, any>;
type EventType = 'customer.subscription.updated' | 'customer.subscription.deleted';

export interface StripeDouble {
  /** http://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  protocol: 'http';
  /** 'sk_test_double_…': requests with another Bearer key get 401 (StripeAuthenticationError). */
  secretKey: string;
  /** 'whsec_…': what sign() and deliver() sign with. */
  webhookSecret: string;
  /** A real SDK client pointed at the double (no retries), for tests to inspect and drive. */
  stripe: Stripe;
  /** Every request received; body is the parsed form body (POST) or query string (GET, DELETE). */
  requests: Array<{ method: string; path: string; idempotencyKey: string | null; body: Record<string, unknown> }>;
  /** Every event the double would have sent so far, oldest first (API calls and the drivers below). */
  events: Stripe.Event[];
  customers: Map<string, any>;
  paymentIntents: Map<string, any>;
  charges: Map<string, any>;
  refunds: Map<string, any>;
  products: Map<string, any>;
  prices: Map<string, any>;
  subscriptions: Map<string, any>;
  invoices: Map<string, any>;
  /** Status 'succeeded' with a new charge (latest_charge); pays the invoice it belongs to, if any. */
  succeedPaymentIntent(id: string): Stripe.Event;
  /** Status 'requires_payment_method' with last_payment_error { code: 'card_declined', message }. */
  failPaymentIntent(id: string, message?: string): Stripe.Event;
  /** A refund as if made in the Dashboard (default: what is left); event charge.refunded (the charge). */
  refundCharge(paymentIntentId: string, amount?: number): Stripe.Event;
  /** Pays the subscription's open invoice, or else renews it: next period, a paid invoice. Event invoice.paid. */
  payInvoice(subscriptionId: string): Stripe.Event;
  /** Fails the open invoice again, or else renews into an open invoice; status 'past_due'. Event invoice.payment_failed. */
  failInvoice(subscriptionId: string): Stripe.Event;
  /** The subscription as it stands after `changes` (shallow); 'deleted' also cancels it if still live. */
  subscriptionEvent(subscriptionId: string, type: EventType, changes?: Record<string, unknown>): Stripe.Event;
  /** A webhook delivery: the JSON payload and its Stripe-Signature header. */
  sign(event: Stripe.Event, options?: { secret?: string; timestamp?: number }): { payload: string; header: string };
  /** POSTs the signed event to a webhook URL; returns the status and text of the answer. */
  deliver(webhookUrl: string, event: Stripe.Event, options?: { secret?: string; timestamp?: number }): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

class ApiError extends Error {
  readonly status: number;
  readonly body: { error: Obj };
  constructor(status: number, error: Obj) {
    super(String(error.message));
    this.status = status;
    this.body = { error };
  }
}

const invalid = (message: string, extra: Obj = {}) => new ApiError(400, { type: 'invalid_request_error', message, ...extra });
const missingParam = (param: string) => invalid(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
const noSuch = (kind: string, id: string, param = 'id') =>
  new ApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param,
    message: `No such ${kind}: '${id}'`,
    doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
  });
const unexpectedState = (message: string) => invalid(message, { code: 'payment_intent_unexpected_state' });

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const token = (length: number) => [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % 62]).join('');
const newId = (prefix: string) => `${prefix}_${token(24)}`;
const now = () => Math.floor(Date.now() / 1000);
const clone = <T>(value: T): T => structuredClone(value);
const list = (url: string, data: Obj[]) => ({ object: 'list', data, has_more: false, total_count: data.length, url });

/** Parses Stripe's form encoding (`metadata[a]=1&items[0][price]=p&expand[]=x`) into objects and arrays. */
export function parseStripeForm(text: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[');
    let node = root;
    path.forEach((segment, i) => {
      const name = segment === '' ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) node[name] = value;
      else node = typeof node[name] === 'object' ? node[name] : (node[name] = {});
    });
  }
  const arrays = (value: unknown, key: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value).map(([k, v]) => [k, arrays(v, k)] as const);
    const indexed = key !== 'metadata' && entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k));
    return indexed ? entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v) : Object.fromEntries(entries);
  };
  return arrays(root, '') as Obj;
}

const text = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : typeof value === 'string' ? value : JSON.stringify(value);
const flag = (value: unknown) => value === true || value === 'true';
function integer(params: Obj, name: string, required = false): number | null {
  const raw = params[name];
  if (raw === undefined || raw === '') {
    if (required) throw missingParam(name);
    return null;
  }
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalid(`Invalid integer: ${raw}`, { param: name });
  return value;
}
/** Stripe's metadata updates: keys merge, '' unsets a key, metadata='' unsets them all. */
function metadata(patch: unknown, base: Obj = {}): Obj {
  if (patch === '') return {};
  const out = { ...base };
  for (const [key, value] of Object.entries((patch ?? {}) as Obj)) {
    if (value === '') delete out[key];
    else out[key] = String(value);
  }
  return out;
}
function addInterval(from: number, interval: string, count: number): number {
  const date = new Date(from * 1000);
  if (interval === 'day') date.setUTCDate(date.getUTCDate() + count);
  else if (interval === 'week') date.setUTCDate(date.getUTCDate() + 7 * count);
  else if (interval === 'month') date.setUTCMonth(date.getUTCMonth() + count);
  else date.setUTCFullYear(date.getUTCFullYear() + count);
  return Math.floor(date.getTime() / 1000);
}

/** Stripe's test payment methods that decline: [decline_code, message]. Any other pm_… succeeds. */
const DECLINES: Record<string, [string, string]> = {
  pm_card_chargeDeclined: ['generic_decline', 'Your card was declined.'],
  pm_card_chargeDeclinedInsufficientFunds: ['insufficient_funds', 'Your card has insufficient funds.'],
};
const paymentMethod = (id: string) => ({
  id,
  object: 'payment_method',
  type: 'card',
  billing_details: { address: null, email: null, name: null, phone: null },
  card: { brand: 'visa', country: 'US', exp_month: 12, exp_year: 2034, funding: 'credit', last4: DECLINES[id] ? '0002' : '4242' },
  created: now(),
  customer: null,
  livemode: false,
  metadata: {},
});

/** Confirming with automatic payment methods that may redirect needs somewhere to come back to. */
function requireReturnUrl(automatic: Obj | null | undefined, returnUrl: unknown) {
  if (!flag(automatic?.enabled) || automatic?.allow_redirects === 'never' || text(returnUrl)) return;
  throw invalid(
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
  );
}

export async function startStripeDouble(): Promise<StripeDouble> {
  const secretKey = `sk_test_double_${token(24)}`;
  const webhookSecret = `whsec_${token(32)}`;
  const requests: StripeDouble['requests'] = [];
  const events: Stripe.Event[] = [];
  const customers = new Map<string, any>();
  const paymentIntents = new Map<string, any>();
  const charges = new Map<string, any>();
  const refunds = new Map<string, any>();
  const products = new Map<string, any>();
  const prices = new Map<string, any>();
  const subscriptions = new Map<string, any>();
  const invoices = new Map<string, any>();
  const byPrefix: Record<string, Map<string, any> | undefined> = {
    cus: customers, pi: paymentIntents, ch: charges, re: refunds, prod: products, price: prices, sub: subscriptions, in: invoices,
  };
  const invoicePaymentIntent = new Map<string, string>(); // invoice → the PaymentIntent that pays it
  const paymentIntentInvoice = new Map<string, string>(); // and back
  const idempotent = new Map<string, { method: string; path: string; raw: string; status: number; text: string }>();
  let request: { id: string; idempotency_key: string | null } | null = null; // the API request being served
  let invoiceCount = 0;

  const find = (map: Map<string, any>, kind: string, id: string, param = 'id') => {
    const found = map.get(id);
    if (!found) throw noSuch(kind, id, param);
    return found;
  };
  const emit = (type: string, object: Obj, previous?: Obj): Stripe.Event => {
    const data = previous ? { object: clone(object), previous_attributes: previous } : { object: clone(object) };
    const event = {
      id: newId('evt'), object: 'event', api_version: Stripe.API_VERSION, created: now(), data, livemode: false,
      pending_webhooks: 1, request: request ?? { id: null, idempotency_key: null }, type,
    } as unknown as Stripe.Event;
    events.push(event);
    return event;
  };

  // ---- Payments -------------------------------------------------------------------------------
  function createPaymentIntent(p: Obj): Obj {
    const amount = integer(p, 'amount', true)!;
    if (amount < 1) throw invalid('This value must be greater than or equal to 1.', { param: 'amount' });
    const currency = text(p.currency)?.toLowerCase();
    if (!currency) throw missingParam('currency');
    const customer = text(p.customer);
    if (customer) find(customers, 'customer', customer, 'customer');
    const id = newId('pi');
    const pm = text(p.payment_method);
    const pi = {
      id, object: 'payment_intent', amount, amount_capturable: 0, amount_details: { tip: {} }, amount_received: 0,
      application: null, application_fee_amount: null,
      automatic_payment_methods: p.automatic_payment_methods
        ? { allow_redirects: text(p.automatic_payment_methods.allow_redirects) ?? 'always', enabled: flag(p.automatic_payment_methods.enabled) }
        : null,
      canceled_at: null, cancellation_reason: null, capture_method: 'automatic_async', client_secret: `${id}_secret_${token(25)}`,
      confirmation_method: 'automatic', created: now(), currency, customer, customer_account: null, description: text(p.description),
      excluded_payment_method_types: null, last_payment_error: null, latest_charge: null, livemode: false, metadata: metadata(p.metadata),
      next_action: null, on_behalf_of: null, payment_method: pm, payment_method_configuration_details: null,
      payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
      payment_method_types: ['card'], processing: null, receipt_email: text(p.receipt_email), review: null, setup_future_usage: null,
      shipping: null, source: null, statement_descriptor: null, statement_descriptor_suffix: null,
      status: pm ? 'requires_confirmation' : 'requires_payment_method', transfer_data: null, transfer_group: null,
    };
    paymentIntents.set(id, pi);
    emit('payment_intent.created', pi);
    return pi;
  }

  function newCharge(pi: Obj, failure?: { declineCode: string; message: string }): Obj {
    const id = newId('ch');
    const charge = {
      id, object: 'charge', amount: pi.amount, amount_captured: failure ? 0 : pi.amount, amount_refunded: 0, application: null,
      application_fee: null, application_fee_amount: null, balance_transaction: failure ? null : newId('txn'),
      billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
      calculated_statement_descriptor: 'STRIPE DOUBLE', captured: !failure, created: now(), currency: pi.currency, customer: pi.customer,
      description: pi.description, disputed: false, failure_balance_transaction: null, failure_code: failure ? 'card_declined' : null,
      failure_message: failure?.message ?? null, fraud_details: {}, livemode: false, metadata: clone(pi.metadata), on_behalf_of: null,
      outcome: failure
        ? { network_status: 'declined_by_network', reason: failure.declineCode, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
        : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
      paid: !failure, payment_intent: pi.id, payment_method: pi.payment_method,
      payment_method_details: { type: 'card', card: paymentMethod(String(pi.payment_method)).card },
      receipt_email: pi.receipt_email, receipt_number: null, receipt_url: failure ? null : `https://pay.stripe.com/receipts/double/${id}`,
      refunded: false, review: null, shipping: null, source: null, source_transfer: null, statement_descriptor: null,
      statement_descriptor_suffix: null, status: failure ? 'failed' : 'succeeded', transfer_data: null, transfer_group: null,
    };
    charges.set(id, charge);
    return charge;
  }

  /** The payment goes through; the invoice it pays (if any) is left to the caller. */
  function settle(pi: Obj): Stripe.Event {
    if (pi.status === 'canceled') throw unexpectedState(`PaymentIntent ${pi.id} is canceled.`);
    pi.payment_method ??= 'pm_card_visa';
    Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, last_payment_error: null, latest_charge: newCharge(pi).id });
    return emit('payment_intent.succeeded', pi);
  }

  function decline(pi: Obj, declineCode: string, message: string): Stripe.Event {
    pi.payment_method ??= 'pm_card_chargeDeclined';
    const charge = newCharge(pi, { declineCode, message });
    pi.last_payment_error = {
      type: 'card_error', code: 'card_declined', decline_code: declineCode, message, charge: charge.id,
      doc_url: 'https://stripe.com/docs/error-codes/card-declined', payment_method: paymentMethod(pi.payment_method),
    };
    Object.assign(pi, { status: 'requires_payment_method', payment_method: null, latest_charge: charge.id });
    return emit('payment_intent.payment_failed', pi);
  }

  function succeedPaymentIntent(pi: Obj): Stripe.Event {
    if (pi.status === 'succeeded') return emit('payment_intent.succeeded', pi);
    const event = settle(pi);
    const invoice = invoices.get(paymentIntentInvoice.get(pi.id) ?? '');
    if (invoice && invoice.status === 'open') invoicePaid(invoice);
    return event;
  }

  function failPaymentIntent(pi: Obj, declineCode: string, message: string): Stripe.Event {
    if (pi.status === 'succeeded' || pi.status === 'canceled') throw unexpectedState(`PaymentIntent ${pi.id} is ${pi.status}.`);
    const event = decline(pi, declineCode, message);
    const invoice = invoices.get(paymentIntentInvoice.get(pi.id) ?? '');
    if (invoice && invoice.status === 'open') invoiceFailed(invoice);
    return event;
  }

  function confirm(pi: Obj, p: Obj): Obj {
    if (pi.status === 'succeeded') throw unexpectedState('You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.');
    if (pi.status === 'canceled') throw unexpectedState('You cannot confirm this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.');
    const pm = text(p.payment_method) ?? pi.payment_method;
    if (!pm) throw unexpectedState("You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.");
    if (!String(pm).startsWith('pm_')) throw noSuch('PaymentMethod', String(pm), 'payment_method');
    requireReturnUrl(pi.automatic_payment_methods, p.return_url);
    pi.payment_method = pm;
    const declined = DECLINES[pm];
    if (!declined) {
      succeedPaymentIntent(pi);
      return pi;
    }
    failPaymentIntent(pi, ...declined);
    throw new ApiError(402, { ...clone(pi.last_payment_error), payment_intent: clone(pi) });
  }

  function cancel(pi: Obj, p: Obj): Obj {
    if (pi.status === 'succeeded' || pi.status === 'canceled') {
      throw unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`);
    }
    Object.assign(pi, { status: 'canceled', canceled_at: now(), cancellation_reason: text(p.cancellation_reason) ?? 'requested_by_customer' });
    emit('payment_intent.canceled', pi);
    return pi;
  }

  function refund(pi: Obj, p: Obj): { refund: Obj; event: Stripe.Event } {
    const charge = charges.get(pi.latest_charge ?? '');
    if (pi.status !== 'succeeded' || !charge) throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
    const left = charge.amount - charge.amount_refunded;
    if (left === 0) throw invalid(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const amount = integer(p, 'amount') ?? left;
    if (amount < 1) throw invalid('Invalid positive integer', { param: 'amount' });
    const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
    if (amount > left) throw invalid(`Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(left)})`, { code: 'amount_too_large', param: 'amount' });
    const id = newId('re');
    const created = {
      id, object: 'refund', amount, balance_transaction: newId('txn'), charge: charge.id, created: now(), currency: charge.currency,
      customer: charge.customer, customer_account: null, destination_details: { type: 'card', card: { type: 'refund', reference_status: 'pending' } },
      metadata: metadata(p.metadata), payment_intent: pi.id, payment_method: charge.payment_method, reason: text(p.reason),
      receipt_number: null, source_transfer_reversal: null, status: 'succeeded', transfer_reversal: null,
    };
    refunds.set(id, created);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    emit('refund.created', created);
    return { refund: created, event: emit('charge.refunded', charge, previous) };
  }

  // ---- Billing --------------------------------------------------------------------------------
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
      id, object: 'invoice', account_country: 'US', account_name: 'Stripe Double', account_tax_ids: null, amount_due: total,
      amount_overpaid: 0, amount_paid: 0, amount_remaining: total, amount_shipping: 0, application: null, attempt_count: 0, attempted: false,
      auto_advance: true, automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
      automatically_finalizes_at: null, billing_reason: reason, collection_method: 'charge_automatically', created: now(),
      currency: sub.currency, custom_fields: null, customer: sub.customer, customer_account: null, customer_address: null,
      customer_email: customer?.email ?? null, customer_name: customer?.name ?? null, customer_phone: null, customer_shipping: null,
      customer_tax_exempt: 'none', customer_tax_ids: [], default_payment_method: null, default_source: null, default_tax_rates: [],
      description: null, discounts: [], due_date: null, effective_at: now(), ending_balance: 0, footer: null, from_invoice: null,
      hosted_invoice_url: `https://invoice.stripe.com/i/double/${id}`, invoice_pdf: `https://pay.stripe.com/invoice/double/${id}/pdf`,
      issuer: { type: 'self' }, last_finalization_error: null, latest_revision: null, lines: list(`/v1/invoices/${id}/lines`, lines),
      livemode: false, metadata: {}, next_payment_attempt: null, number: `DOUBLE-${String(++invoiceCount).padStart(4, '0')}`,
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

  const subscriptionOf = (invoice: Obj) => subscriptions.get(invoice.parent?.subscription_details?.subscription ?? '');
  function setStatus(sub: Obj, status: string) {
    if (sub.status === status) return;
    const previous = { status: sub.status };
    sub.status = status;
    emit('customer.subscription.updated', sub, previous);
  }

  function invoicePaid(invoice: Obj): Stripe.Event {
    Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0, attempted: true, next_payment_attempt: null });
    invoice.attempt_count += 1;
    invoice.status_transitions.paid_at = now();
    const sub = subscriptionOf(invoice);
    if (sub && sub.status !== 'canceled') setStatus(sub, 'active');
    emit('invoice.payment_succeeded', invoice);
    return emit('invoice.paid', invoice);
  }

  function invoiceFailed(invoice: Obj): Stripe.Event {
    Object.assign(invoice, { attempted: true, next_payment_attempt: now() + 3 * 86_400 });
    invoice.attempt_count += 1;
    const sub = subscriptionOf(invoice);
    if (sub && sub.status !== 'canceled' && sub.status !== 'incomplete') setStatus(sub, 'past_due');
    return emit('invoice.payment_failed', invoice);
  }

  /** The subscription's open invoice, or else a renewal: next period, a new open invoice. */
  function dueInvoice(sub: Obj): Obj {
    if (sub.status === 'canceled') throw new Error(`stripe double: subscription ${sub.id} is canceled`);
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
    const declined = pm ? DECLINES[pm] : undefined;
    if (declined && behavior === 'error_if_incomplete') throw new ApiError(402, { type: 'card_error', code: 'card_declined', decline_code: declined[0], message: declined[1] });
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
    else if (declined && behavior !== 'default_incomplete') failPaymentIntent(pi, ...declined);
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
      if (!item) throw invalid(`Invalid subscription item: ${String(change.id)}. Only updating existing items by id is supported by the double.`, { param: `items[${i}][id]` });
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

  // ---- HTTP -----------------------------------------------------------------------------------
  function lookup(id: string): Obj | undefined {
    if (id.startsWith('pm_')) return paymentMethod(id);
    return clone(byPrefix[id.slice(0, id.indexOf('_'))]?.get(id));
  }
  /** Fields Stripe leaves out unless expanded; `payment_intent` on an invoice is kept for older code. */
  function includable(node: Obj, field: string): unknown {
    const pi = node.object === 'invoice' ? paymentIntents.get(invoicePaymentIntent.get(node.id) ?? '') : undefined;
    if (node.object === 'invoice' && field === 'confirmation_secret') return pi ? { client_secret: pi.client_secret, type: 'payment_intent' } : null;
    if (node.object === 'invoice' && field === 'payment_intent') return pi ? clone(pi) : null;
    if (node.object === 'invoice' && field === 'payments') {
      const payment = {
        id: `inpay_${node.id.slice(3)}`, object: 'invoice_payment', amount_paid: node.amount_paid, amount_requested: node.amount_due,
        created: node.created, currency: node.currency, invoice: node.id, is_default: true, livemode: false,
        payment: { type: 'payment_intent', payment_intent: pi?.id }, status: node.status === 'paid' ? 'paid' : 'open',
        status_transitions: { canceled_at: null, paid_at: node.status_transitions.paid_at },
      };
      return list(`/v1/invoice_payments?invoice=${node.id}`, pi ? [payment] : []);
    }
    if (node.object === 'charge' && field === 'refunds') return list(`/v1/charges/${node.id}/refunds`, [...refunds.values()].filter((r) => r.charge === node.id).map(clone));
    throw invalid(`This property cannot be expanded (${field}).`, { param: 'expand' });
  }
  function expandInto(node: unknown, path: string[]) {
    const [field, ...rest] = path;
    if (typeof node !== 'object' || node === null || field === undefined) return;
    const object = node as Obj;
    if (object.object === 'list' && field === 'data') {
      for (const entry of object.data) expandInto(entry, rest);
      return;
    }
    let value = object[field];
    if (typeof value === 'string') value = lookup(value) ?? value;
    else if (value === undefined) value = includable(object, field);
    object[field] = value;
    expandInto(value, rest);
  }
  const expanded = (object: Obj, expand: unknown) => {
    const out = clone(object);
    for (const path of [expand ?? []].flat() as string[]) expandInto(out, path.split('.'));
    return out;
  };

  function listed(map: Map<string, any>, path: string, p: Obj): Obj {
    const filters = ['customer', 'subscription', 'payment_intent', 'charge', 'email', 'status'].filter((key) => p[key] !== undefined);
    const value = (object: Obj, key: string) => (key === 'subscription' && object.object === 'invoice' ? subscriptionOf(object)?.id : object[key]);
    const data = [...map.values()].reverse().filter((object) =>
      filters.every((key) => (key === 'status' && p.status === 'all') || value(object, key) === p[key]) &&
      (p.status !== undefined || object.object !== 'subscription' || object.status !== 'canceled'),
    );
    const limit = integer(p, 'limit') ?? 10;
    const before = data.findIndex((object) => object.id === p.ending_before);
    const start = before >= 0 ? Math.max(0, before - limit) : data.findIndex((object) => object.id === p.starting_after) + 1;
    const end = before >= 0 ? before : start + limit;
    return { ...list(path, data.slice(start, end)), has_more: before >= 0 ? start > 0 : data.length > end };
  }

  function route(method: string, path: string, p: Obj): Obj {
    const match = /^\/v1\/([a-z_]+)(?:\/([^/]+))?(?:\/([a-z_]+))?$/.exec(path);
    const [, collection = '', id = '', action = ''] = match ?? [];
    const customer = () => find(customers, 'customer', id);
    const pi = () => find(paymentIntents, 'payment_intent', id);
    const sub = () => find(subscriptions, 'subscription', id);
    switch (`${method} ${collection}${id && '/:id'}${action && `/${action}`}`) {
      case 'POST customers': {
        const created = {
          id: newId('cus'), object: 'customer', address: null, balance: 0, created: now(), currency: null, default_source: null,
          delinquent: false, description: text(p.description), discount: null, email: text(p.email), invoice_prefix: token(8).toUpperCase(),
          invoice_settings: { custom_fields: null, default_payment_method: text(p.invoice_settings?.default_payment_method), footer: null, rendering_options: null },
          livemode: false, metadata: metadata(p.metadata), name: text(p.name), phone: text(p.phone), preferred_locales: [], shipping: null,
          tax_exempt: 'none', test_clock: null,
        };
        customers.set(created.id, created);
        emit('customer.created', created);
        return created;
      }
      case 'GET customers': return listed(customers, '/v1/customers', p);
      case 'GET customers/:id': return customer();
      case 'POST customers/:id': {
        const found = customer();
        for (const key of ['name', 'email', 'description', 'phone'] as const) if (p[key] !== undefined) found[key] = text(p[key]);
        if (p.metadata !== undefined) found.metadata = metadata(p.metadata, found.metadata);
        if (p.invoice_settings?.default_payment_method !== undefined) found.invoice_settings.default_payment_method = text(p.invoice_settings.default_payment_method);
        emit('customer.updated', found);
        return found;
      }
      case 'POST payment_intents': {
        if (flag(p.confirm)) requireReturnUrl(p.automatic_payment_methods, p.return_url);
        const created = createPaymentIntent(p);
        return flag(p.confirm) ? confirm(created, { return_url: p.return_url }) : created;
      }
      case 'GET payment_intents': return listed(paymentIntents, '/v1/payment_intents', p);
      case 'GET payment_intents/:id': return pi();
      case 'POST payment_intents/:id/confirm': return confirm(pi(), p);
      case 'POST payment_intents/:id/cancel': return cancel(pi(), p);
      case 'GET charges': return listed(charges, '/v1/charges', p);
      case 'GET charges/:id': return find(charges, 'charge', id);
      case 'POST refunds': {
        const chargeId = text(p.charge);
        const piId = text(p.payment_intent) ?? (chargeId ? find(charges, 'charge', chargeId, 'charge').payment_intent : null);
        if (!piId) throw invalid('One of the following params should be provided for this request: payment_intent or charge.');
        return refund(find(paymentIntents, 'payment_intent', piId, 'payment_intent'), p).refund;
      }
      case 'GET refunds': return listed(refunds, '/v1/refunds', p);
      case 'GET refunds/:id': return find(refunds, 'refund', id);
      case 'POST products': return createProduct(p);
      case 'GET products/:id': return find(products, 'product', id);
      case 'POST prices': return createPrice(p);
      case 'GET prices/:id': return find(prices, 'price', id);
      case 'POST subscriptions': return createSubscription(p);
      case 'GET subscriptions': return listed(subscriptions, '/v1/subscriptions', p);
      case 'GET subscriptions/:id': return sub();
      case 'POST subscriptions/:id': return updateSubscription(sub(), p);
      case 'DELETE subscriptions/:id': {
        const found = sub();
        if (found.status !== 'canceled') cancelSubscription(found, p);
        return found;
      }
      case 'GET invoices': return listed(invoices, '/v1/invoices', p);
      case 'GET invoices/:id': return find(invoices, 'invoice', id);
      default:
        throw new ApiError(404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        });
    }
  }

  function authError(authorization: string | undefined): ApiError | null {
    const [scheme, credentials = ''] = (authorization ?? '').split(' ');
    const key = scheme === 'Basic' ? Buffer.from(credentials, 'base64').toString().split(':')[0] : credentials;
    if (key === secretKey) return null;
    const message = key
      ? `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`
      : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
    return new ApiError(401, { type: 'invalid_request_error', message });
  }

  function serve(method: string, path: string, raw: string, p: Obj, authorization: string | undefined, key: string | null) {
    const json = (value: unknown) => JSON.stringify(value, null, 2);
    const denied = authError(authorization);
    if (denied) return { status: denied.status, text: json(denied.body), replayed: false };
    const prior = method === 'POST' && key ? idempotent.get(key) : undefined;
    if (prior && (prior.method !== method || prior.path !== path || prior.raw !== raw)) {
      const message = prior.path === path
        ? `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`
        : `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${path}' vs '${prior.path}'). Try using a key other than '${key}' if you meant to execute a different request.`;
      return { status: 400, text: json({ error: { type: 'idempotency_error', message } }), replayed: false };
    }
    if (prior) return { status: prior.status, text: prior.text, replayed: true };
    request = { id: newId('req'), idempotency_key: key };
    let result: { status: number; text: string };
    try {
      result = { status: 200, text: json(expanded(route(method, path, p), p.expand)) };
    } catch (error) {
      result = error instanceof ApiError
        ? { status: error.status, text: json(error.body) }
        : { status: 500, text: json({ error: { type: 'api_error', message: `stripe double: ${error instanceof Error ? error.stack : String(error)}` } }) };
    } finally {
      request = null;
    }
    // Stripe saves the result once the endpoint ran: successes and card declines, not bad requests.
    if (method === 'POST' && key && (result.status < 400 || result.status === 402)) idempotent.set(key, { method, path, raw, ...result });
    return { ...result, replayed: false };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://double');
      const method = req.method ?? 'GET';
      const p = parseStripeForm(method === 'POST' ? raw : url.search.slice(1));
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      requests.push({ method, path: url.pathname, idempotencyKey: key, body: p });
      const { status, text: body, replayed } = serve(method, url.pathname, raw, p, req.headers.authorization, key);
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': newId('req'),
        'stripe-version': Stripe.API_VERSION,
        ...(key ? { 'idempotency-key': key } : {}),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
        ...(status >= 400 ? { 'stripe-should-retry': 'false' } : {}),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const stripe = new Stripe(secretKey, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });

  const sign = (event: Stripe.Event, options: { secret?: string; timestamp?: number } = {}) => {
    const payload = JSON.stringify(event, null, 2);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? webhookSecret, timestamp: options.timestamp });
    return { payload, header };
  };

  return {
    url: `http://127.0.0.1:${port}`, host: '127.0.0.1', port, protocol: 'http', secretKey, webhookSecret, stripe, requests, events,
    customers, paymentIntents, charges, refunds, products, prices, subscriptions, invoices,
    succeedPaymentIntent: (id) => succeedPaymentIntent(find(paymentIntents, 'payment_intent', id)),
    failPaymentIntent: (id, message = 'Your card was declined.') => failPaymentIntent(find(paymentIntents, 'payment_intent', id), 'generic_decline', message),
    refundCharge: (paymentIntentId, amount) => refund(find(paymentIntents, 'payment_intent', paymentIntentId), amount === undefined ? {} : { amount }).event,
    payInvoice(subscriptionId) {
      const invoice = dueInvoice(find(subscriptions, 'subscription', subscriptionId));
      settle(paymentIntents.get(invoicePaymentIntent.get(invoice.id)!));
      return invoicePaid(invoice);
    },
    failInvoice(subscriptionId) {
      const invoice = dueInvoice(find(subscriptions, 'subscription', subscriptionId));
      decline(paymentIntents.get(invoicePaymentIntent.get(invoice.id)!), 'generic_decline', 'Your card was declined.');
      return invoiceFailed(invoice);
    },
    subscriptionEvent(subscriptionId, type, changes = {}) {
      const sub = find(subscriptions, 'subscription', subscriptionId);
      const previous = Object.fromEntries(Object.keys(changes).map((key) => [key, clone(sub[key])]));
      Object.assign(sub, clone(changes));
      if (type === 'customer.subscription.deleted') return sub.status === 'canceled' ? emit(type, sub, previous) : cancelSubscription(sub, {});
      return emit(type, sub, previous);
    },
    sign,
    async deliver(webhookUrl, event, options) {
      const { payload, header } = sign(event, options);
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body: payload,
      });
      return { status: response.status, text: await response.text() };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
