import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSimulator } from '../../src/payments/stripe-simulator/index.js';
import { startStripeDouble, type StripeDouble } from '../support/stripe-double.js';

let double: StripeDouble;
let stripe: Stripe;

beforeAll(async () => {
  double = await startStripeDouble();
  // What the app would build from its config: the real SDK, pointed at the double.
  stripe = new Stripe(double.secretKey, { host: double.host, port: double.port, protocol: double.protocol });
});
afterAll(() => double.close());

const caught = async (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a rejection'), (error: unknown) => error);

describe('payments', () => {
  it('creates a customer and a PaymentIntent, then confirms it', async () => {
    const customer = await stripe.customers.create({ name: 'Ada', email: 'ada@example.com', metadata: { userId: 'u1' } });
    expect(customer).toMatchObject({ object: 'customer', name: 'Ada', email: 'ada@example.com', metadata: { userId: 'u1' } });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id });

    const intent = await stripe.paymentIntents.create({
      amount: 4900, currency: 'eur', customer: customer.id, metadata: { purchaseId: 'p1' }, automatic_payment_methods: { enabled: true },
    });
    expect(intent).toMatchObject({ status: 'requires_payment_method', amount: 4900, currency: 'eur', latest_charge: null, metadata: { purchaseId: 'p1' } });
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));

    // As on Stripe, automatic payment methods that may redirect need a return_url to confirm.
    expect(await caught(stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }))).toMatchObject({ statusCode: 400, message: expect.stringContaining('return_url') });
    const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa', return_url: 'https://app.example/return' });
    expect(confirmed.status).toBe('succeeded');
    expect(typeof confirmed.latest_charge).toBe('string');
    const charge = await stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, amount: 4900, payment_intent: intent.id, amount_refunded: 0 });
    expect(double.events.map((event) => event.type)).toContain('payment_intent.succeeded');
  });

  it('lets the test drive a payment to success or failure, returning the event', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const failed = double.failPaymentIntent(intent.id, 'Insufficient funds.');
    expect(failed).toMatchObject({ type: 'payment_intent.payment_failed', livemode: false, api_version: Stripe.API_VERSION });
    expect(failed.data.object).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'card_declined', message: 'Insufficient funds.' } });

    const succeeded = double.succeedPaymentIntent(intent.id);
    expect(succeeded.id).toMatch(/^evt_/);
    expect(succeeded.data.object).toMatchObject({ id: intent.id, status: 'succeeded', latest_charge: expect.stringMatching(/^ch_/) });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('declines pm_card_chargeDeclined with a StripeCardError', async () => {
    const error = await caught(stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    const intent = (error as Stripe.errors.StripeCardError).payment_intent!;
    expect(intent.status).toBe('requires_payment_method');
    expect(double.paymentIntents.get(intent.id)?.status).toBe('requires_payment_method');
  });

  it('replays an idempotent request, and refuses the key with other parameters', async () => {
    const key = `order-${Date.now()}`;
    const first = await stripe.paymentIntents.create({ amount: 700, currency: 'usd' }, { idempotencyKey: key });
    const again = await stripe.paymentIntents.create({ amount: 700, currency: 'usd' }, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(double.requests.filter((request) => request.idempotencyKey === key)).toHaveLength(2);
    expect(double.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/payment_intents', body: { amount: '700', currency: 'usd' } });

    const error = await caught(stripe.paymentIntents.create({ amount: 800, currency: 'usd' }, { idempotencyKey: key }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('answers like Stripe for a wrong key, an unknown id and an unknown endpoint', async () => {
    const other = new Stripe('sk_test_wrong', { host: double.host, port: double.port, protocol: 'http' });
    expect(await caught(other.customers.create({}))).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);

    const missing = await caught(stripe.paymentIntents.retrieve('pi_nope'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such payment_intent: 'pi_nope'" });

    const response = await fetch(`${double.url}/v1/tax_rates`, { headers: { authorization: `Bearer ${double.secretKey}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('Unrecognized request URL') } });
  });
});

describe('test cards', () => {
  const card = (number: string) => stripe.paymentMethods.create({ type: 'card', card: { number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, cvc: '123' } });
  const payWith = async (paymentMethod: string) => {
    const intent = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd' });
    return { intent, result: await stripe.paymentIntents.confirm(intent.id, { payment_method: paymentMethod }).catch((error: unknown) => error) };
  };

  it.each([
    ['4242 4242 4242 4242', 'succeeded', null],
    ['5555 5555 5555 4444', 'succeeded', null],
    ['4000 0000 0000 0002', 'card_declined', 'generic_decline'],
    ['4000 0000 0000 9995', 'card_declined', 'insufficient_funds'],
    ['4000 0000 0000 0069', 'expired_card', 'expired_card'],
    ['4000 0025 0000 3155', 'requires_action', null],
    ['4111 1111 1111 1111', 'card_declined', 'test_mode_live_card'],
  ])('%s: %s', async (number, outcome, declineCode) => {
    const method = await card(number);
    expect(method).toMatchObject({ object: 'payment_method', type: 'card', card: { last4: number.slice(-4) } });
    expect(method).not.toHaveProperty('simulated_outcome');
    const { result } = await payWith(method.id);
    if (declineCode) expect(result).toMatchObject({ type: 'StripeCardError', code: outcome, decline_code: declineCode });
    else expect(result).toMatchObject({ status: outcome });
  });

  it("Stripe's test PaymentMethod ids work; an unknown one is 404; a bad number, expiry or CVC is a card error", async () => {
    expect((await payWith('pm_card_visa')).result).toMatchObject({ status: 'succeeded' });
    expect((await payWith('pm_card_chargeDeclinedInsufficientFunds')).result).toMatchObject({ decline_code: 'insufficient_funds' });
    expect((await payWith('pm_card_authenticationRequired')).result).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    expect((await payWith('pm_nope')).result).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(await caught(card('4242 4242 4242 4241'))).toMatchObject({ statusCode: 402, code: 'incorrect_number' });
    expect(await caught(stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 1, exp_year: 2020, cvc: '123' } }))).toMatchObject({ code: 'invalid_expiry_year' });
    expect(await caught(stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, cvc: '1' } }))).toMatchObject({ code: 'invalid_cvc' });
  });

  it('3-D Secure: authenticate() passes (succeeded) or fails (requires_payment_method, payment_failed)', async () => {
    const passed = await payWith('pm_card_authenticationRequired');
    expect(double.authenticate(passed.intent.id, true)).toMatchObject({ type: 'payment_intent.succeeded' });
    const failed = await payWith('pm_card_authenticationRequired');
    const event = double.authenticate(failed.intent.id, false);
    expect(event).toMatchObject({ type: 'payment_intent.payment_failed', data: { object: { status: 'requires_payment_method', last_payment_error: { code: 'payment_intent_authentication_failure' } } } });
    expect(() => double.authenticate(passed.intent.id, true)).toThrow(/not waiting for authentication/);
  });

  it('hands events to listeners after the answer, and restores a snapshot in a new simulator', async () => {
    const seen: string[] = [];
    double.onEvent((event) => seen.push(event.type));
    const customer = await stripe.customers.create({ name: 'Kept' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toContain('customer.created');
    const next = await startStripeSimulator({ restore: double.snapshot() });
    try {
      expect(await next.stripe.customers.retrieve(customer.id)).toMatchObject({ name: 'Kept' });
    } finally {
      await next.close();
    }
  });
});

describe('refunds', () => {
  it('refunds through the API and as if from the Dashboard, updating the charge', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const partial = await stripe.refunds.create({ payment_intent: intent.id, amount: 2000, reason: 'requested_by_customer', metadata: { by: 'admin' } });
    expect(partial).toMatchObject({ object: 'refund', amount: 2000, status: 'succeeded', payment_intent: intent.id, charge: intent.latest_charge });
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({ amount_refunded: 2000, refunded: false });

    const event = double.refundCharge(intent.id);
    expect(event.type).toBe('charge.refunded');
    expect(event.data.object).toMatchObject({ id: intent.latest_charge, amount_refunded: 5000, refunded: true });
    expect([...double.refunds.values()].filter((refund) => refund.payment_intent === intent.id).map((refund) => refund.amount)).toEqual([2000, 3000]);

    expect(await caught(stripe.refunds.create({ payment_intent: intent.id }))).toMatchObject({ code: 'charge_already_refunded', statusCode: 400 });
    const unpaid = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd' });
    expect(await caught(stripe.refunds.create({ payment_intent: unpaid.id }))).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});

describe('subscriptions', () => {
  async function monthlyPrice() {
    const product = await stripe.products.create({ name: 'Team plan' });
    return stripe.prices.create({ product: product.id, unit_amount: 9900, currency: 'eur', recurring: { interval: 'month' } });
  }

  it('creates, updates and cancels a paid subscription', async () => {
    const customer = await stripe.customers.create({ email: 'team@example.com' });
    const price = await monthlyPrice();
    expect(await stripe.prices.retrieve(price.id)).toMatchObject({ unit_amount: 9900, recurring: { interval: 'month', interval_count: 1 } });

    const sub = await stripe.subscriptions.create({
      customer: customer.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa', metadata: { orgId: 'o1' },
      expand: ['latest_invoice.confirmation_secret'],
    });
    expect(sub).toMatchObject({ status: 'active', customer: customer.id, metadata: { orgId: 'o1' }, cancel_at_period_end: false });
    const item = sub.items.data[0]!;
    expect(item.price.id).toBe(price.id);
    expect(item.current_period_end - item.current_period_start).toBeGreaterThanOrEqual(28 * 86_400);
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 9900, parent: { subscription_details: { subscription: sub.id } } });
    expect(invoice.confirmation_secret?.client_secret).toMatch(/^pi_.+_secret_/);
    expect(invoice.lines.data[0]).toMatchObject({ amount: 9900, period: { start: item.current_period_start, end: item.current_period_end } });
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ id: invoice.id, status: 'paid' });

    const ending = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(ending).toMatchObject({ status: 'active', cancel_at_period_end: true, cancel_at: item.current_period_end });
    expect(double.events.at(-1)).toMatchObject({ type: 'customer.subscription.updated', data: { previous_attributes: { cancel_at_period_end: false } } });
    expect(await stripe.subscriptions.update(sub.id, { cancel_at_period_end: false })).toMatchObject({ cancel_at_period_end: false, cancel_at: null });

    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled.status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(sub.id)).ended_at).toEqual(expect.any(Number));
    expect(double.events.at(-1)?.type).toBe('customer.subscription.deleted');
  });

  it('starts incomplete without a payment method, then renews, fails and recovers', async () => {
    const customer = await stripe.customers.create({});
    const price = await monthlyPrice();
    const sub = await stripe.subscriptions.create({
      customer: customer.id, items: [{ price: price.id }], payment_behavior: 'default_incomplete', expand: ['latest_invoice.confirmation_secret'],
    });
    expect(sub.status).toBe('incomplete');
    const first = sub.latest_invoice as Stripe.Invoice;
    expect(first.status).toBe('open');
    const secret = first.confirmation_secret!.client_secret;
    const intent = double.paymentIntents.get(secret.split('_secret_')[0]!);
    expect(intent.status).toBe('requires_payment_method');

    // The customer pays in the browser: Stripe marks the PaymentIntent, the invoice and the subscription.
    double.succeedPaymentIntent(intent.id);
    expect(double.invoices.get(first.id).status).toBe('paid');
    expect(double.subscriptions.get(sub.id).status).toBe('active');

    const periodEnd = double.subscriptions.get(sub.id).current_period_end;
    const renewal = double.payInvoice(sub.id);
    expect(renewal.type).toBe('invoice.paid');
    expect(renewal.data.object).toMatchObject({ status: 'paid', billing_reason: 'subscription_cycle', lines: { data: [{ period: { start: periodEnd } }] } });
    expect(double.subscriptions.get(sub.id).items.data[0].current_period_start).toBe(periodEnd);

    const failure = double.failInvoice(sub.id);
    expect(failure.type).toBe('invoice.payment_failed');
    expect(failure.data.object).toMatchObject({ status: 'open', parent: { subscription_details: { subscription: sub.id } } });
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');
    const recovered = double.payInvoice(sub.id); // the retry pays the same open invoice
    expect(recovered.data.object).toMatchObject({ id: (failure.data.object as Stripe.Invoice).id, status: 'paid' });
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');

    const deleted = double.subscriptionEvent(sub.id, 'customer.subscription.deleted');
    expect(deleted.data.object).toMatchObject({ id: sub.id, status: 'canceled' });
  });
});

describe('webhooks', () => {
  it('signs events that the SDK verifies, and rejects another secret or an old timestamp', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1500, currency: 'usd' });
    const event = double.succeedPaymentIntent(intent.id);

    const { payload, header } = double.sign(event);
    expect(stripe.webhooks.constructEvent(payload, header, double.webhookSecret)).toMatchObject({ id: event.id, type: 'payment_intent.succeeded' });

    const forged = double.sign(event, { secret: 'whsec_other' });
    expect(() => stripe.webhooks.constructEvent(forged.payload, forged.header, double.webhookSecret)).toThrow(Stripe.errors.StripeSignatureVerificationError);

    const stale = double.sign(event, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(() => stripe.webhooks.constructEvent(stale.payload, stale.header, double.webhookSecret)).toThrow(/tolerance/);
  });

  it('delivers a signed event to a webhook URL', async () => {
    const received: Array<{ signature: string | undefined; body: string }> = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ signature: req.headers['stripe-signature'] as string | undefined, body });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const customer = await stripe.customers.create({});
      const price = await monthlyPriceFor(stripe);
      const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: 'pm_card_visa' });
      const event = double.subscriptionEvent(sub.id, 'customer.subscription.updated', { metadata: { plan: 'team' } });

      const port = (receiver.address() as AddressInfo).port;
      expect(await double.deliver(`http://127.0.0.1:${port}/webhooks/stripe`, event)).toEqual({ status: 200, text: 'ok' });
      expect(received).toHaveLength(1);
      const delivered = stripe.webhooks.constructEvent(received[0]!.body, received[0]!.signature!, double.webhookSecret);
      expect(delivered).toMatchObject({ type: 'customer.subscription.updated', data: { object: { id: sub.id, metadata: { plan: 'team' } }, previous_attributes: { metadata: {} } } });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

async function monthlyPriceFor(client: Stripe) {
  return client.prices.create({ product_data: { name: 'Solo plan' }, unit_amount: 1900, currency: 'usd', recurring: { interval: 'month' } });
}
