/**
 * An in-process simulator of the Stripe API, spoken to by the real `stripe` SDK over a loopback
 * port:
 *
 *   const sim = await startStripeSimulator();
 *   const stripe = new Stripe(sim.secretKey, { host: sim.host, port: sim.port, protocol: 'http' });
 *
 * It keeps customers, PaymentMethods, PaymentIntents, charges, refunds, products, prices,
 * subscriptions and invoices in memory, answers in the shapes of the API version the SDK pins
 * (Stripe.API_VERSION), replays idempotent requests, treats Stripe's test cards as Stripe does
 * (cards.ts), and emits the events Stripe would send (onEvent; signed by sign()). Drivers let
 * a caller move the world as Stripe would (a payment succeeds, a renewal fails, …). It covers
 * what this project uses, not the whole API: anything else answers 404. The local payments
 * mode (../local-payments.ts) and the tests (test/support/stripe-double.ts) both use it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { apiOps } from './api.js';
import { billingOps } from './billing.js';
import { invoiceStatusOps } from './invoice-status.js';
import { GENERIC_DECLINE, paymentOps } from './payments.js';
import { SimState, type Snapshot } from './state.js';
import { clone, newId, parseStripeForm, token } from './util.js';

export { parseStripeForm } from './util.js';
export { TEST_CARDS } from './cards.js';
export type { Snapshot } from './state.js';

type EventType = 'customer.subscription.updated' | 'customer.subscription.deleted';
type SignOptions = { secret?: string; timestamp?: number };

export interface StripeSimulatorOptions {
  /** Default: a new sk_test_sim_… key. Requests with another Bearer key get 401. */
  secretKey?: string;
  /** Default: a new whsec_…: what sign() and deliver() sign with. */
  webhookSecret?: string;
  /** How many requests and events to keep in `requests` and `events` (default: all). */
  historyLimit?: number;
  /** State saved earlier (snapshot()), to carry on where a previous run stopped. */
  restore?: Snapshot;
  /** Called after anything may have changed (a POST or DELETE, an event), e.g. to save a snapshot. */
  onChange?: () => void;
  /** Ports it must not take, e.g. the one the API is about to listen on (a loopback port the system hands out may be it). */
  avoidPorts?: readonly number[];
}

export interface StripeSimulator {
  /** http://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  protocol: 'http';
  secretKey: string;
  webhookSecret: string;
  /** A real SDK client pointed at the simulator (no retries). */
  stripe: Stripe;
  requests: SimState['requests'];
  events: Stripe.Event[];
  customers: Map<string, any>;
  paymentMethods: Map<string, any>;
  paymentIntents: Map<string, any>;
  charges: Map<string, any>;
  refunds: Map<string, any>;
  products: Map<string, any>;
  prices: Map<string, any>;
  subscriptions: Map<string, any>;
  invoices: Map<string, any>;
  /** Called with each event once the request that caused it is answered (or at once, for drivers). */
  onEvent(listener: (event: Stripe.Event) => void): void;
  /** Status 'succeeded' with a new charge (latest_charge); pays the invoice it belongs to, if any. */
  succeedPaymentIntent(id: string): Stripe.Event;
  /** Status 'requires_payment_method' with last_payment_error { code: 'card_declined', message }. */
  failPaymentIntent(id: string, message?: string): Stripe.Event;
  /** The 3-D Secure challenge of a PaymentIntent in requires_action, passed (succeeded) or failed. */
  authenticate(id: string, passed: boolean): Stripe.Event;
  /** A refund as if made in the Dashboard (default: what is left); event charge.refunded (the charge). */
  refundCharge(paymentIntentId: string, amount?: number): Stripe.Event;
  /** Pays the subscription's open invoice, or else renews it: next period, a paid invoice. Event invoice.paid. */
  payInvoice(subscriptionId: string): Stripe.Event;
  /** Fails the open invoice again, or else renews into an open invoice; status 'past_due'. Event invoice.payment_failed. */
  failInvoice(subscriptionId: string): Stripe.Event;
  /** The subscription as it stands after `changes` (shallow); 'deleted' also cancels it if still live. */
  subscriptionEvent(subscriptionId: string, type: EventType, changes?: Record<string, unknown>): Stripe.Event;
  /** A webhook delivery: the JSON payload and its Stripe-Signature header. */
  sign(event: Stripe.Event, options?: SignOptions): { payload: string; header: string };
  /** POSTs the signed event to a webhook URL; returns the status and text of the answer. */
  deliver(webhookUrl: string, event: Stripe.Event, options?: SignOptions): Promise<{ status: number; text: string }>;
  /** Everything kept, to restore in a later run. */
  snapshot(): Snapshot;
  close(): Promise<void>;
}

export async function startStripeSimulator(options: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  const secretKey = options.secretKey ?? `sk_test_sim_${token(24)}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${token(32)}`;
  const s = new SimState(options.historyLimit);
  if (options.restore) s.restore(options.restore);
  const { onChange } = options;
  if (onChange) s.onEvent(() => onChange());
  const invoiceStatus = invoiceStatusOps(s);
  const payments = paymentOps(s, invoiceStatus);
  const billing = billingOps(s, payments, invoiceStatus);
  const { serve } = apiOps(s, secretKey, payments, billing);
  const pi = (id: string) => s.find(s.paymentIntents, 'payment_intent', id);

  const handle: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://simulator');
      const method = req.method ?? 'GET';
      const p = parseStripeForm(method === 'POST' ? raw : url.search.slice(1));
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      s.remember(s.requests, { method, path: url.pathname, idempotencyKey: key, body: p });
      const { status, text: body, replayed } = serve(method, url.pathname, raw, p, req.headers.authorization, key);
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': newId('req'),
        'stripe-version': Stripe.API_VERSION,
        ...(key ? { 'idempotency-key': key } : {}),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
        ...(status >= 400 ? { 'stripe-should-retry': 'false' } : {}),
      });
      // The events go out once the answer has: a webhook never overtakes the API call that caused it.
      res.end(body, () => {
        s.flush();
        if (method !== 'GET') onChange?.();
      });
    });
  };
  const listen = (candidate: http.Server) =>
    new Promise<number>((resolve, reject) => {
      candidate.once('error', reject);
      candidate.listen(0, '127.0.0.1', () => {
        candidate.off('error', reject);
        resolve((candidate.address() as AddressInfo).port);
      });
    });
  let server = http.createServer(handle);
  let port = await listen(server);
  // A port to avoid stays bound while the next server asks, so the system hands out another.
  const held: http.Server[] = [];
  while (options.avoidPorts?.includes(port) && held.length < 10) {
    held.push(server);
    server = http.createServer(handle);
    port = await listen(server);
  }
  await Promise.all(held.map((h) => new Promise<void>((resolve) => h.close(() => resolve()))));
  const stripe = new Stripe(secretKey, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });

  const sign = (event: Stripe.Event, signOptions: SignOptions = {}) => {
    const payload = JSON.stringify(event, null, 2);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: signOptions.secret ?? webhookSecret, timestamp: signOptions.timestamp });
    return { payload, header };
  };
  const invoicePaymentIntent = (invoiceId: string) => s.paymentIntents.get(s.invoicePaymentIntent.get(invoiceId)!);

  return {
    url: `http://127.0.0.1:${port}`, host: '127.0.0.1', port, protocol: 'http', secretKey, webhookSecret, stripe,
    requests: s.requests, events: s.events, customers: s.customers, paymentMethods: s.paymentMethods, paymentIntents: s.paymentIntents,
    charges: s.charges, refunds: s.refunds, products: s.products, prices: s.prices, subscriptions: s.subscriptions, invoices: s.invoices,
    onEvent: (listener) => s.onEvent(listener),
    succeedPaymentIntent: (id) => payments.succeedPaymentIntent(pi(id)),
    failPaymentIntent: (id, message = GENERIC_DECLINE.message) => payments.failPaymentIntent(pi(id), { ...GENERIC_DECLINE, message }),
    authenticate: (id, passed) => payments.authenticate(pi(id), passed),
    refundCharge: (paymentIntentId, amount) => payments.refund(pi(paymentIntentId), amount === undefined ? {} : { amount }).event,
    payInvoice(subscriptionId) {
      const invoice = billing.dueInvoice(s.find(s.subscriptions, 'subscription', subscriptionId));
      payments.settle(invoicePaymentIntent(invoice.id));
      return billing.invoicePaid(invoice);
    },
    failInvoice(subscriptionId) {
      const invoice = billing.dueInvoice(s.find(s.subscriptions, 'subscription', subscriptionId));
      payments.decline(invoicePaymentIntent(invoice.id), GENERIC_DECLINE);
      return billing.invoiceFailed(invoice);
    },
    subscriptionEvent(subscriptionId, type, changes = {}) {
      const sub = s.find(s.subscriptions, 'subscription', subscriptionId);
      const previous = Object.fromEntries(Object.keys(changes).map((key) => [key, clone(sub[key])]));
      Object.assign(sub, clone(changes));
      if (type === 'customer.subscription.deleted') return sub.status === 'canceled' ? s.emit(type, sub, previous) : billing.cancelSubscription(sub, {});
      return s.emit(type, sub, previous);
    },
    sign,
    async deliver(webhookUrl, event, signOptions) {
      const { payload, header } = sign(event, signOptions);
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body: payload,
      });
      return { status: response.status, text: await response.text() };
    },
    snapshot: () => s.snapshot(),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
