/**
 * PAYMENTS_MODE=local: the API's own Stripe simulator takes the payments, signs its events and
 * delivers them to the API's /webhooks/stripe, so purchase → credits → booking → invoice runs
 * without Stripe keys and through the same webhook code. Nothing here delivers or drives events
 * by hand: what the tests see is what a developer on `npm start` gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, openAllHoursConsultant, verifiedClient, type TestClient } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { WebhookService } from '../../src/payments/webhook.service.js';

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer({ PAYMENTS_MODE: 'local' });
  base = new URL('/', server.graphqlUrl).toString().replace(/\/$/, '');
});
afterAll(() => server.stop());

const FIELDS = 'id status clientSecret failureMessage creditLot { id granted remaining } invoice { number total { amount currency } }';
const PURCHASE = `mutation($input: PurchasePackageInput!) { purchasePackage(input: $input) { ${FIELDS} } }`;
const GET = `query($id: ID!) { purchase(id: $id) { ${FIELDS} } }`;

interface PurchaseJson {
  id: string;
  status: string;
  clientSecret: string | null;
  failureMessage: string | null;
  creditLot: { id: string; granted: number; remaining: number } | null;
  invoice: { number: string; total: { amount: number; currency: string } } | null;
}

const buy = async (client: TestClient, input: Record<string, unknown>) => (await gqlOk<{ purchasePackage: PurchaseJson }>(server, PURCHASE, { input }, client.token)).purchasePackage;

/** The purchase once the simulator's webhook has moved it out of `from` (it arrives on its own), or as it is at the deadline. */
async function settled(client: TestClient, id: string, timeoutMs = 10_000, from = 'PENDING'): Promise<PurchaseJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { purchase } = await gqlOk<{ purchase: PurchaseJson }>(server, GET, { id }, client.token);
    if (purchase.status !== from || Date.now() > deadline) return purchase;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pay = (body: Record<string, string>) =>
  fetch(`${base}/dev/pay`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });

describe('local payments mode', () => {
  it('pm_card_visa: the webhook arrives by itself, grants the credits and the invoice; the credits book a session', async () => {
    const client = await verifiedClient(server, { organizationName: 'Local Buyer' });
    const consultant = await openAllHoursConsultant(server);
    const bought = await buy(client, { packageId: 'PKG-DISCOVERY-ASSESSMENT', paymentMethodId: 'pm_card_visa' });
    expect(['PENDING', 'SUCCEEDED']).toContain(bought.status);

    const done = await settled(client, bought.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', clientSecret: null, creditLot: { granted: 4, remaining: 4 }, invoice: { total: { amount: 450000, currency: 'USD' } } });
    expect(done.invoice!.number).toMatch(/^INV-\d{4}-\d{6}$/);
    const events = await sql<{ type: string; outcome: string }>(server, "SELECT type, outcome FROM stripe_event WHERE type = 'payment_intent.succeeded'");
    expect(events).toEqual([{ type: 'payment_intent.succeeded', outcome: 'PROCESSED' }]);

    const booked = await gqlOk<{ bookConsultation: { status: string; payment: { credits: Array<{ lotId: string }> } } }>(
      server, BOOK, { input: { consultantId: consultant.id, start: gridStart(120).toISOString(), durationMinutes: 90, purpose: 'Assessment kick-off' } }, client.token,
    );
    expect(booked.bookConsultation).toMatchObject({ status: 'SCHEDULED', payment: { credits: [{ lotId: done.creditLot!.id }] } });
    const invoices = await gqlOk<{ invoices: { totalCount: number } }>(server, '{ invoices { totalCount } }', {}, client.token);
    expect(invoices.invoices.totalCount).toBe(1);
  });

  it('pm_card_chargeDeclined: PAYMENT_REQUIRED, the purchase FAILED, no credits', async () => {
    const client = await verifiedClient(server);
    const declined = await gql(server, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT', paymentMethodId: 'pm_card_chargeDeclined' } }, client.token);
    expect(declined.errors[0]!.extensions).toMatchObject({ code: 'PAYMENT_REQUIRED' });
    expect(declined.errors[0]!.message).toBe('Your card was declined.');
    const { purchases } = await gqlOk<{ purchases: { edges: Array<{ node: PurchaseJson }> } }>(server, `{ purchases { edges { node { ${FIELDS} } } } }`, {}, client.token);
    expect(purchases.edges.map((edge) => edge.node)).toMatchObject([{ status: 'FAILED', failureMessage: 'Your card was declined.', creditLot: null }]);
  });

  it('the dev pay page confirms a clientSecret with a card number: 4242… pays, 9995 is declined, then another card pays', async () => {
    const client = await verifiedClient(server);
    const bought = await buy(client, { packageId: 'PKG-STRATEGIC-PLANNING' });
    expect(bought).toMatchObject({ status: 'PENDING', clientSecret: expect.stringMatching(/^pi_\w+_secret_\w+$/) });

    const page = await fetch(`${base}/dev/pay?client_secret=${encodeURIComponent(bought.clientSecret!)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="card_number"');
    expect(html).toContain('Strategic Planning');

    const poor = await pay({ client_secret: bought.clientSecret!, card_number: '4000 0000 0000 9995', exp: '12/34', cvc: '123' });
    expect(poor.status).toBe(402);
    expect(await poor.json()).toMatchObject({ paymentIntent: { status: 'requires_payment_method' }, error: { code: 'card_declined', declineCode: 'insufficient_funds' } });
    expect(await settled(client, bought.id)).toMatchObject({ status: 'FAILED', failureMessage: 'Your card has insufficient funds.' });

    // As with Stripe.js, the same clientSecret may be paid again with another card.
    const form = new URLSearchParams({ client_secret: bought.clientSecret!, card_number: '4242 4242 4242 4242', exp: '12/34', cvc: '123' });
    const paid = await fetch(`${base}/dev/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toMatch(/succeeded/i);
    expect(await settled(client, bought.id, 10_000, 'FAILED')).toMatchObject({ status: 'SUCCEEDED', failureMessage: null, creditLot: { granted: 8 } });
  });

  it('a card that needs 3-D Secure waits for the authentication on the pay page', async () => {
    const client = await verifiedClient(server);
    const bought = await buy(client, { packageId: 'PKG-WORKSHOP-TRAINING' });
    const confirm = await pay({ client_secret: bought.clientSecret!, card_number: '4000 0025 0000 3155', exp: '12/34', cvc: '123' });
    expect(confirm.status).toBe(200);
    expect(await confirm.json()).toMatchObject({ paymentIntent: { status: 'requires_action' }, error: null });
    expect((await settled(client, bought.id, 300)).status).toBe('PENDING');
    const authenticated = await pay({ client_secret: bought.clientSecret!, authenticate: 'pass' });
    expect(await authenticated.json()).toMatchObject({ paymentIntent: { status: 'succeeded' } });
    expect(await settled(client, bought.id)).toMatchObject({ status: 'SUCCEEDED', creditLot: { granted: 6 } });
  });

  it('refuses a wrong client secret and a bad card number, changing nothing', async () => {
    const client = await verifiedClient(server);
    const bought = await buy(client, { packageId: 'PKG-WORKSHOP-TRAINING' });
    const [intentId] = bought.clientSecret!.split('_secret_');
    const forged = await pay({ client_secret: `${intentId}_secret_forged`, card_number: '4242424242424242', exp: '12/34', cvc: '123' });
    expect(forged.status).toBe(404);
    const typo = await pay({ client_secret: bought.clientSecret!, card_number: '4242 4242 4242 4241', exp: '12/34', cvc: '123' });
    expect(typo.status).toBe(402);
    expect(await typo.json()).toMatchObject({ error: { code: 'incorrect_number', message: 'Your card number is incorrect.' } });
    expect((await settled(client, bought.id, 300)).status).toBe('PENDING');
  });

  it('a webhook the API answers with 500 is delivered again, and then grants once', async () => {
    let failures = 0;
    WebhookService.beforeCommit = async (event) => {
      if (event.type === 'payment_intent.succeeded' && failures === 0) {
        failures += 1;
        throw new Error('simulated crash while applying the event');
      }
    };
    try {
      const client = await verifiedClient(server);
      const bought = await buy(client, { packageId: 'PKG-WORKSHOP-TRAINING', paymentMethodId: 'pm_card_visa' });
      const done = await settled(client, bought.id);
      expect(failures).toBe(1);
      expect(done).toMatchObject({ status: 'SUCCEEDED', creditLot: { granted: 6 } });
      const [grants] = await sql<{ n: number }>(server, "SELECT COUNT(*)::int AS n FROM credit_lot WHERE organization_id = ? AND source = 'PURCHASE'", [client.organizationId]);
      expect(grants!.n).toBe(1);
    } finally {
      WebhookService.beforeCommit = null;
    }
  });
});
