/**
 * The booking fee paid by card inside the widget, with real Stripe (PAYMENTS_MODE=stripe) — here
 * the tests' Stripe double, which the server talks to. This machine is offline, so Chromium's
 * requests to Stripe's own origins are answered by the test: https://js.stripe.com/v3/ with a
 * small Stripe.js double (Stripe(pk), elements().create('card').mount, confirmCardPayment), and
 * its https://api.stripe.com calls by the double itself. The page's CSP is the production one:
 * a Stripe origin it did not allow would be refused before any of this is reached.
 */
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantSessions, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { accessibilityViolations, launchBrowser, openPage, screenshot, partnerSite, receivedMessages } from '../support/browser.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, PASSWORD } from '../support/identity.js';
import { BOOKING_FEE_SETTINGS, parseStripeForm, startStripeTestServer, type StripeTestServer } from '../support/stripe-double.js';

const PUBLISHABLE_KEY = 'pk_test_widgetcard123';

/**
 * What Stripe.js does, in little: a card field (a plain input here, in an element that counts how
 * often it is put into the page: Stripe's real field is an iframe, which reloads, empty, when moved)
 * and confirmCardPayment against Stripe's API.
 */
const STRIPE_JS_DOUBLE = `
window.cardFieldConnects = 0;
customElements.define('card-field-double', class extends HTMLElement { connectedCallback() { window.cardFieldConnects += 1; } });
window.Stripe = function (publishableKey) {
  return {
    elements: function () {
      return {
        create: function (type) {
          if (type !== 'card') throw new Error('only the card Element');
          var input = document.createElement('input');
          input.setAttribute('aria-label', 'Card number');
          input.setAttribute('autocomplete', 'cc-number');
          var field = document.createElement('card-field-double');
          field.append(input);
          return { input: input, mount: function (target) { (typeof target === 'string' ? document.querySelector(target) : target).append(field); }, focus: function () { input.focus(); } };
        },
      };
    },
    confirmCardPayment: async function (clientSecret, data) {
      var id = clientSecret.split('_secret_')[0];
      var body = new URLSearchParams({ key: publishableKey, client_secret: clientSecret, 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': data.payment_method.card.input.value });
      var response = await fetch('https://api.stripe.com/v1/payment_intents/' + id + '/confirm', { method: 'POST', body: body });
      var json = await response.json();
      return response.ok ? { paymentIntent: json } : { error: json.error };
    },
  };
};`;

let world: StripeTestServer;
let browser: Browser;
let api: string;
let admin: string;
let consultant: TestConsultant & { code: string };
let host: { origin: string; close(): Promise<void> };
/** Confirmations the Stripe.js double sent to Stripe's API (each with the publishable key). */
const confirmations: Array<{ key: string; paymentIntent: string }> = [];

beforeAll(async () => {
  world = await startStripeTestServer({ ...BOOKING_FEE_SETTINGS, STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY });
  api = new URL(world.server.graphqlUrl).origin;
  admin = await demoSignIn(world.server, 'admin@serenity.local');
  const open = await openAllHoursConsultant(world.server, { firstName: 'Carla', lastName: 'Card' });
  const { consultant: profile } = await gqlOk<{ consultant: { code: string } }>(world.server, 'query($id: ID!) { consultant(id: $id) { code } }', { id: open.id }, open.token);
  consultant = { ...open, code: profile.code };
  // The partner's site, embedding the widget by iframe (README's snippet) and recording its messages.
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head><body>
<iframe src="${api}/book/${consultant.code}" title="Book a session" allow="payment" style="width:100%;max-width:44rem;height:44rem;border:0"></iframe>
<script>window.received = []; window.addEventListener('message', (e) => { if (e.origin === ${JSON.stringify(api)}) window.received.push(e.data); });</script>
</body></html>`;
  host = await partnerSite(() => page);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await world?.server.stop();
  await world?.stripe.close();
});

/** Stripe's origins, answered offline: Stripe.js by the double above, its API by the test's Stripe double. */
async function offlineStripe(context: BrowserContext): Promise<void> {
  await context.route('https://js.stripe.com/v3/', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: STRIPE_JS_DOUBLE }));
  await context.route('https://api.stripe.com/v1/payment_intents/*/confirm', async (route) => {
    const form = parseStripeForm(route.request().postData() ?? '') as { key: string; client_secret: string; payment_method_data: { card: { number: string } } };
    const id = /payment_intents\/([^/]+)\/confirm/.exec(route.request().url())![1]!;
    const cors = { 'access-control-allow-origin': api };
    confirmations.push({ key: form.key, paymentIntent: id });
    const answer = (status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', headers: cors, body: JSON.stringify(body) });
    // Stripe.js's key may only confirm the PaymentIntent its client secret names.
    const intent = await world.stripe.stripe.paymentIntents.retrieve(id);
    if (form.key !== PUBLISHABLE_KEY || intent.client_secret !== form.client_secret) return answer(401, { error: { type: 'invalid_request_error', message: 'Invalid key or client secret.' } });
    try {
      const method = await world.stripe.stripe.paymentMethods.create({ type: 'card', card: { number: form.payment_method_data.card.number, exp_month: 12, exp_year: 2035, cvc: '123' } });
      return answer(200, await world.stripe.stripe.paymentIntents.confirm(id, { payment_method: method.id }));
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeError)) throw error;
      return answer(error.statusCode ?? 402, { error: { type: error.type, code: error.code, message: error.message } });
    }
  });
}

async function clientWithCredits(): Promise<TestClient> {
  const client = await verifiedClient(world.server);
  await grantSessions(world.server, admin, client.organizationId, 1);
  return client;
}

/** The widget's frame in the partner page. */
const frameOf = (page: Page): Frame => page.frames().find((f) => f.url().startsWith(`${api}/book/`))!;


/** Signs in, picks tomorrow's first time and books it with the booking fee: the card step. */
async function holdWithFee(widget: FrameLocator, email: string): Promise<void> {
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill(PASSWORD);
  await widget.getByRole('button', { name: 'Sign in' }).click();
  const day = widget.locator('button[data-date]:not([disabled])').nth(1);
  await day.click();
  await widget.locator('button[data-start]').first().click();
  await widget.getByLabel('What is the session for?').fill('Card payment');
  await widget.getByLabel(/booking fee/).check();
  await widget.getByRole('button', { name: /^Book/ }).click();
  await widget.getByRole('heading', { name: 'Pay the booking fee' }).waitFor();
}

/** The event the double made when the card was confirmed, delivered signed to the server's webhook (as Stripe would). */
async function deliverSucceeded(paymentIntent: string): Promise<void> {
  const event = world.stripe.events.find((e) => e.type === 'payment_intent.succeeded' && (e.data.object as { id: string }).id === paymentIntent);
  expect(event, 'the card confirmation made a payment_intent.succeeded event').toBeDefined();
  expect((await world.stripe.deliver(world.webhookUrl, event!)).status).toBe(200);
}

describe('the booking widget with real Stripe', () => {
  it('takes the fee by card (Stripe.js card field, confirmCardPayment), follows the booking until the webhook confirms it, then tells the host booked', async () => {
    const client = await clientWithCredits();
    const { page, context, problems } = await openPage(browser, 'desktop');
    await offlineStripe(context);
    try {
      await page.goto(host.origin);
      const widget = page.frameLocator('iframe[title="Book a session"]');
      await holdWithFee(widget, client.email);
      const card = widget.getByLabel('Card number');
      await card.fill('4242 4242 4242 4242');
      await screenshot(page, 'widget-card-desktop');
      await widget.getByRole('button', { name: 'Pay $10.00' }).click();
      await expect.poll(() => widget.getByRole('status').textContent(), { timeout: 5000 }).toBe('Card accepted: confirming your booking…');
      const paymentIntent = confirmations.at(-1)!.paymentIntent;
      expect(confirmations.at(-1)).toEqual({ key: PUBLISHABLE_KEY, paymentIntent });
      expect((await world.stripe.stripe.paymentIntents.retrieve(paymentIntent)).status).toBe('succeeded');
      // Paid at Stripe, not yet booked: that is the webhook's to say.
      expect(await receivedMessages(page)).not.toContainEqual(expect.objectContaining({ type: 'booked' }));
      await deliverSucceeded(paymentIntent);
      await widget.getByRole('heading', { name: 'Booked' }).waitFor({ timeout: 10_000 });
      await expect.poll(() => receivedMessages(page), { timeout: 5000 }).toContainEqual(
        expect.objectContaining({ type: 'booked', consultation: expect.objectContaining({ paymentMethod: 'BOOKING_FEE', status: 'SCHEDULED' }) }),
      );
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a declined card: Stripe’s message, the card field kept for another try, and the hold can be released', async () => {
    const client = await clientWithCredits();
    const { page, context, problems } = await openPage(browser, 'phone');
    await offlineStripe(context);
    try {
      await page.goto(host.origin);
      const widget = page.frameLocator('iframe[title="Book a session"]');
      await holdWithFee(widget, client.email);
      const card = widget.getByLabel('Card number');
      await card.fill('4000 0000 0000 0002');
      await widget.getByRole('button', { name: 'Pay $10.00' }).click();
      await expect.poll(() => widget.getByRole('alert').textContent(), { timeout: 5000 }).toBe('Your card was declined. Try again or with another card, or release this time.');
      // The same field, with what was typed, never moved by the re-renders (an iframe would have reloaded), ready for another try.
      expect(await card.inputValue()).toBe('4000 0000 0000 0002');
      expect(await frameOf(page).evaluate(() => (window as unknown as { cardFieldConnects: number }).cardFieldConnects)).toBe(1);
      expect(await accessibilityViolations(frameOf(page))).toEqual([]);
      await expect(widget.getByRole('button', { name: 'Pay $10.00' }).isEnabled()).resolves.toBe(true);
      await screenshot(page, 'widget-card-declined-phone');
      await widget.getByRole('button', { name: 'Release this time' }).click();
      await widget.getByRole('heading', { name: 'Cancelled' }).waitFor();
      await expect.poll(() => receivedMessages(page), { timeout: 5000 }).toContainEqual(expect.objectContaining({ type: 'cancelled', consultation: expect.objectContaining({ paymentMethod: 'BOOKING_FEE', status: 'CANCELLED' }) }));
      expect(await receivedMessages(page)).not.toContainEqual(expect.objectContaining({ type: 'booked' }));
      // The declined confirmation's 402, as Chromium logs it (real Stripe.js gets the same); nothing else.
      expect(problems).toEqual(['Failed to load resource: the server responded with a status of 402 (Payment Required)']);
    } finally {
      await context.close();
    }
  });
});
