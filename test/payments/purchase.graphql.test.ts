/**
 * Package purchases through GraphQL with the real Stripe SDK pointed at the local Stripe
 * double, and webhooks signed with the SDK's own test-header helper: credits arrive once per
 * payment whatever the number, order or concurrency of deliveries; bad signatures change
 * nothing; refunds revoke only what is unused.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startStripeTestServer, type StripeDouble } from '../support/stripe-double.js';

let stripe: StripeDouble;
let server: TestServer;
let admin: string;
let webhookUrl: string;

beforeAll(async () => {
  ({ stripe, server, webhookUrl } = await startStripeTestServer());
  admin = await demoSignIn(server, 'admin@serenity.local');
});
afterAll(async () => {
  await server.stop();
  await stripe.close();
});

const PURCHASE_FIELDS = 'id status amount { amount currency } clientSecret failureMessage revokedUnits keptUnits refundedAt package { code } creditLot { id granted remaining source }';
const PURCHASE = `mutation($input: PurchasePackageInput!) { purchasePackage(input: $input) { ${PURCHASE_FIELDS} } }`;
const GET = `query($id: ID!) { purchase(id: $id) { ${PURCHASE_FIELDS} } }`;
const REFUND = `mutation($id: ID!, $reason: String) { refundPurchase(id: $id, reason: $reason) { ${PURCHASE_FIELDS} } }`;

interface PurchaseJson {
  id: string;
  status: string;
  amount: { amount: number; currency: string };
  clientSecret: string | null;
  failureMessage: string | null;
  revokedUnits: number | null;
  keptUnits: number | null;
  creditLot: { id: string; granted: number; remaining: number; source: string } | null;
}

async function buy(client: TestClient, input: Record<string, unknown>): Promise<PurchaseJson> {
  return (await gqlOk<{ purchasePackage: PurchaseJson }>(server, PURCHASE, { input }, client.token)).purchasePackage;
}

async function purchaseNow(client: TestClient, id: string): Promise<PurchaseJson> {
  return (await gqlOk<{ purchase: PurchaseJson }>(server, GET, { id }, client.token)).purchase;
}

function intentOf(purchaseId: string): Stripe.PaymentIntent {
  const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.purchaseId === purchaseId);
  if (!intent) throw new Error(`No PaymentIntent for purchase ${purchaseId}`);
  return intent as Stripe.PaymentIntent;
}

async function lotsGrantedFor(intentId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(server, "SELECT COUNT(*)::int AS n FROM credit_ledger_entry WHERE type = 'GRANT' AND reference = ?", [intentId]);
  return row!.n;
}

async function eventRows(): Promise<number> {
  const [row] = await sql<{ n: number }>(server, 'SELECT COUNT(*)::int AS n FROM stripe_event');
  return row!.n;
}

describe('purchase → signed webhook → credits', () => {
  it('records a PENDING purchase with a clientSecret; the succeeded webhook grants the lot once', async () => {
    const client = await verifiedClient(server, { organizationName: 'Buyer One' });
    const purchase = await buy(client, { packageId: 'PKG-DISCOVERY-ASSESSMENT' });
    expect(purchase).toMatchObject({ status: 'PENDING', amount: { amount: 450000, currency: 'USD' }, creditLot: null });
    const intent = intentOf(purchase.id);
    expect(purchase.clientSecret).toBe(intent.client_secret);
    expect(intent).toMatchObject({ amount: 450000, currency: 'usd', metadata: { organizationId: client.organizationId } });
    const created = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.body.metadata && (r.body.metadata as Record<string, string>).purchaseId === purchase.id);
    expect(created.map((r) => r.idempotencyKey)).toEqual([`serenity-purchase-${purchase.id}`]);

    const response = await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: 'PROCESSED' });
    const after = await purchaseNow(client, purchase.id);
    expect(after).toMatchObject({ status: 'SUCCEEDED', clientSecret: null, creditLot: { granted: 4, remaining: 4, source: 'PURCHASE' } });
    const summary = await gqlOk<{ creditSummary: { availableCredits: number } }>(server, '{ creditSummary { availableCredits } }', {}, client.token);
    expect(summary.creditSummary.availableCredits).toBe(4 + 1); // bought + the free trial
    expect(await lotsGrantedFor(intent.id)).toBe(1);
  });

  it('the same event delivered 5 times, concurrently and again later, grants once', async () => {
    const client = await verifiedClient(server);
    const purchase = await buy(client, { packageId: 'PKG-STRATEGIC-PLANNING' });
    const event = stripe.succeedPaymentIntent(intentOf(purchase.id).id);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => stripe.deliver(webhookUrl, event)));
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(concurrent.map((r) => JSON.parse(r.text).outcome).sort()).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'PROCESSED']);
    const later = await stripe.deliver(webhookUrl, event);
    expect(JSON.parse(later.text).outcome).toBe('DUPLICATE');
    expect(await lotsGrantedFor(intentOf(purchase.id).id)).toBe(1);
    expect((await purchaseNow(client, purchase.id)).creditLot).toMatchObject({ granted: 8 });
  });

  it('events out of order: a failure reported after the success changes nothing; a success after a failure still grants', async () => {
    const client = await verifiedClient(server);
    const first = await buy(client, { packageId: 'PKG-WORKSHOP-TRAINING' });
    const intent = intentOf(first.id).id;
    const failedEarlier = stripe.failPaymentIntent(intent, 'Insufficient funds');
    const succeeded = stripe.succeedPaymentIntent(intent);
    await stripe.deliver(webhookUrl, succeeded);
    const lateFailure = await stripe.deliver(webhookUrl, failedEarlier);
    expect(lateFailure.status).toBe(200);
    expect(await purchaseNow(client, first.id)).toMatchObject({ status: 'SUCCEEDED', creditLot: { granted: 6 } });

    const second = await buy(client, { packageId: 'PKG-WORKSHOP-TRAINING' });
    const secondIntent = intentOf(second.id).id;
    await stripe.deliver(webhookUrl, stripe.failPaymentIntent(secondIntent, 'Your card was declined.'));
    expect(await purchaseNow(client, second.id)).toMatchObject({ status: 'FAILED', failureMessage: 'Your card was declined.', creditLot: null });
    await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(secondIntent));
    expect(await purchaseNow(client, second.id)).toMatchObject({ status: 'SUCCEEDED', failureMessage: null, creditLot: { granted: 6 } });
  });

  it('a payment method confirms at once, but credits still wait for the webhook; a declined card is PAYMENT_REQUIRED', async () => {
    const client = await verifiedClient(server);
    const paid = await buy(client, { packageId: 'PKG-DISCOVERY-ASSESSMENT', paymentMethodId: 'pm_card_visa' });
    expect(paid.status).toBe('PENDING');
    expect(intentOf(paid.id).status).toBe('succeeded');
    const declined = await gql(server, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT', paymentMethodId: 'pm_card_chargeDeclined' } }, client.token);
    expect(declined.errors[0]!.extensions).toMatchObject({ code: 'PAYMENT_REQUIRED', reason: 'card_declined' });
    expect(declined.errors[0]!.message).toMatch(/declined/);
    const [failed] = await sql<{ status: string; failure_message: string }>(server, "SELECT status, failure_message FROM purchase WHERE organization_id = ? AND status = 'FAILED'", [client.organizationId]);
    expect(failed).toMatchObject({ status: 'FAILED' });
  });

  it('one Stripe customer per organization, made on first need', async () => {
    const client = await verifiedClient(server, { organizationName: 'Customer Once' });
    await Promise.all([buy(client, { packageId: 'PKG-DISCOVERY-ASSESSMENT' }), buy(client, { packageId: 'PKG-STRATEGIC-PLANNING' })]);
    await buy(client, { packageId: 'PKG-WORKSHOP-TRAINING' });
    const customers = [...stripe.customers.values()].filter((c) => c.metadata?.organizationId === client.organizationId);
    expect(customers).toHaveLength(1);
    const [row] = await sql<{ stripe_customer_id: string }>(server, 'SELECT stripe_customer_id FROM billing_customer WHERE organization_id = ?', [client.organizationId]);
    expect(row!.stripe_customer_id).toBe(customers[0]!.id);
  });
});

describe('idempotency and limits', () => {
  it('the same key returns the first purchase and creates one PaymentIntent; another package under that key is CONFLICT', async () => {
    const client = await verifiedClient(server);
    const input = { packageId: 'PKG-DISCOVERY-ASSESSMENT', idempotencyKey: 'cart-7' };
    const [a, b] = await Promise.all([buy(client, input), buy(client, input)]);
    const c = await buy(client, input);
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect([...stripe.paymentIntents.values()].filter((pi) => pi.metadata?.purchaseId === a.id)).toHaveLength(1);
    const other = await gql(server, PURCHASE, { input: { ...input, packageId: 'PKG-STRATEGIC-PLANNING' } }, client.token);
    expect(other.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.idempotencyKey' });
  });

  it('maxPurchasesPerClient holds under concurrency; archived, subscription and unknown packages are refused', async () => {
    const created = await gqlOk<{ createPackage: { id: string } }>(
      server,
      'mutation($input: CreatePackageInput!) { createPackage(input: $input) { id } }',
      {
        input: {
          code: 'PKG-ONCE-ONLY',
          name: 'Once only',
          type: 'CONSULTATION_BUNDLE',
          lotKind: 'SESSION',
          description: 'One per client.',
          credits: 1,
          sessionMinutes: 60,
          validityDays: 30,
          price: { amount: 10000, currency: 'USD' },
          maxPurchasesPerClient: 1,
        },
      },
      admin,
    );
    const client = await verifiedClient(server);
    const attempts = await Promise.all(Array.from({ length: 4 }, () => gql(server, PURCHASE, { input: { packageId: created.createPackage.id } }, client.token)));
    expect(attempts.filter((r) => r.errors.length === 0)).toHaveLength(1);
    expect(attempts.filter((r) => r.errors[0]?.extensions?.reason === 'PURCHASE_LIMIT')).toHaveLength(3);

    await gqlOk(server, 'mutation($id: ID!) { archivePackage(id: $id) { id } }', { id: created.createPackage.id }, admin);
    const other = await verifiedClient(server);
    const archived = await gql(server, PURCHASE, { input: { packageId: created.createPackage.id } }, other.token);
    expect(archived.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ARCHIVED' });
    const subscription = await gql(server, PURCHASE, { input: { packageId: 'PKG-QUARTERLY-ADVISORY' } }, other.token);
    expect(subscription.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.packageId' });
    const trial = await gql(server, PURCHASE, { input: { packageId: 'PKG-FREE-TRIAL' } }, other.token);
    expect(trial.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const unknown = await gql(server, PURCHASE, { input: { packageId: 'PKG-NOPE' } }, other.token);
    expect(unknown.errors[0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('webhook signatures', () => {
  it('a forged signature, a stale timestamp, malformed JSON or no signature: 400 and nothing changes', async () => {
    const client = await verifiedClient(server);
    const purchase = await buy(client, { packageId: 'PKG-DISCOVERY-ASSESSMENT' });
    const event = stripe.succeedPaymentIntent(intentOf(purchase.id).id);
    const before = await eventRows();
    const forged = await stripe.deliver(webhookUrl, event, { secret: 'whsec_not_the_real_one' });
    const stale = await stripe.deliver(webhookUrl, event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const { header } = stripe.sign(event);
    const tampered = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: '{"id": "evt_x", "type": ' });
    const unsigned = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect([forged.status, stale.status, tampered.status, unsigned.status]).toEqual([400, 400, 400, 400]);
    expect(await eventRows()).toBe(before);
    expect(await purchaseNow(client, purchase.id)).toMatchObject({ status: 'PENDING', creditLot: null });
  });

  it('an event that is not ours is acknowledged and recorded once', async () => {
    const response = await stripe.deliver(webhookUrl, { id: 'evt_unrelated_1', object: 'event', type: 'customer.created', created: Math.floor(Date.now() / 1000), data: { object: { id: 'cus_x', object: 'customer' } }, livemode: false, api_version: null, pending_webhooks: 1, request: null } as unknown as Stripe.Event);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).outcome).toBe('IGNORED');
  });
});

describe('failures', () => {
  it('a handler that fails answers 500 and leaves nothing: the event is processed when Stripe delivers it again', async () => {
    const client = await verifiedClient(server);
    const purchase = await buy(client, { packageId: 'PKG-DISCOVERY-ASSESSMENT' });
    const intent = intentOf(purchase.id);
    // payment_failed re-reads the PaymentIntent from Stripe; while Stripe cannot find it, the handler fails.
    const event = {
      id: `evt_unreadable_${purchase.id}`,
      object: 'event',
      type: 'payment_intent.payment_failed',
      created: Math.floor(Date.now() / 1000),
      data: { object: { ...intent, id: 'pi_not_at_stripe' } },
      livemode: false,
      api_version: null,
      pending_webhooks: 1,
      request: null,
    } as unknown as Stripe.Event;
    const before = await eventRows();
    const failed = await stripe.deliver(webhookUrl, event);
    expect(failed.status).toBe(500);
    expect(await eventRows()).toBe(before);
    expect(await purchaseNow(client, purchase.id)).toMatchObject({ status: 'PENDING' });
  });

  it('a free package is granted at once, without Stripe', async () => {
    const created = await gqlOk<{ createPackage: { id: string } }>(
      server,
      'mutation($input: CreatePackageInput!) { createPackage(input: $input) { id } }',
      {
        input: {
          code: 'PKG-FREE-WORKSHOP',
          name: 'Free workshop',
          type: 'CONSULTATION_BUNDLE',
          lotKind: 'SESSION',
          description: 'On the house.',
          credits: 1,
          sessionMinutes: 60,
          validityDays: 30,
          price: { amount: 0, currency: 'USD' },
        },
      },
      admin,
    );
    const client = await verifiedClient(server);
    const requestsBefore = stripe.requests.length;
    const purchase = await buy(client, { packageId: created.createPackage.id });
    expect(purchase).toMatchObject({ status: 'SUCCEEDED', clientSecret: null, creditLot: { granted: 1, remaining: 1 } });
    expect(stripe.requests.length).toBe(requestsBefore);
  });
});

describe('refunds', () => {
  it('refundPurchase after partial use revokes only the unused credits and reports the rest', async () => {
    const client = await verifiedClient(server, { organizationName: 'Refund Me' });
    const purchase = await buy(client, { packageId: 'PKG-DISCOVERY-ASSESSMENT' });
    await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intentOf(purchase.id).id));
    // One session booked (held), out of 4.
    const consultant = await openAllHoursConsultant(server);
    await gqlOk(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(26 * 60).toISOString(), durationMinutes: 60, purpose: 'Before the refund' } }, client.token);

    const byClient = await gql(server, REFUND, { id: purchase.id }, client.token);
    expect(byClient.errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const refunded = await gqlOk<{ refundPurchase: PurchaseJson }>(server, REFUND, { id: purchase.id, reason: 'Changed plans' }, admin);
    expect(refunded.refundPurchase).toMatchObject({ status: 'REFUNDED', revokedUnits: 3, keptUnits: 1, creditLot: { granted: 4, remaining: 0 } });
    const refunds = [...stripe.refunds.values()].filter((r) => r.payment_intent === intentOf(purchase.id).id);
    expect(refunds).toHaveLength(1);
    const [revokes] = await sql<{ n: number }>(server, "SELECT COALESCE(SUM(units), 0)::int AS n FROM credit_ledger_entry WHERE lot_id = ? AND type = 'REVOKE'", [refunded.refundPurchase.creditLot!.id]);
    expect(revokes!.n).toBe(3);
    const again = await gql(server, REFUND, { id: purchase.id }, admin);
    expect(again.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT' });
  });

  it('a refund made in the Stripe dashboard (charge.refunded) has the same effect, once', async () => {
    const client = await verifiedClient(server);
    const purchase = await buy(client, { packageId: 'PKG-WORKSHOP-TRAINING' });
    const intent = intentOf(purchase.id).id;
    await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent));
    const refundedEvent = stripe.refundCharge(intent);
    await Promise.all([stripe.deliver(webhookUrl, refundedEvent), stripe.deliver(webhookUrl, refundedEvent)]);
    expect(await purchaseNow(client, purchase.id)).toMatchObject({ status: 'REFUNDED', revokedUnits: 6, keptUnits: 0, creditLot: { remaining: 0 } });
    const [revokes] = await sql<{ n: number }>(server, "SELECT COUNT(*)::int AS n FROM credit_ledger_entry e JOIN purchase p ON p.credit_lot_id = e.lot_id WHERE p.id = ? AND e.type = 'REVOKE'", [purchase.id]);
    expect(revokes!.n).toBe(1);
  });
});

describe('who may buy', () => {
  it('consultants and anonymous callers may not buy; an organization that bought nothing lists nothing', async () => {
    const consultant = await openAllHoursConsultant(server);
    const asConsultant = await gql(server, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT' } }, consultant.token);
    expect(asConsultant.errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const anonymous = await gql(server, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT' } });
    expect(anonymous.errors[0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const grantsOnly = await verifiedClient(server);
    await grantSessions(server, admin, grantsOnly.organizationId, 1);
    const list = await gqlOk<{ purchases: { totalCount: number } }>(server, '{ purchases { totalCount } }', {}, grantsOnly.token);
    expect(list.purchases.totalCount).toBe(0);
  });
});

describe('with payments off', () => {
  it('purchases answer SERVICE_UNAVAILABLE naming the settings; the webhook is 503; the rest works', async () => {
    const bare = await startTestServer({ PAYMENTS_MODE: 'off' });
    try {
      const client = await verifiedClient(bare);
      const result = await gql(bare, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT' } }, client.token);
      expect(result.errors[0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(result.errors[0]!.message).toMatch(/STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/);
      const [rows] = await sql<{ n: number }>(bare, 'SELECT COUNT(*)::int AS n FROM purchase');
      expect(rows!.n).toBe(0);
      const hook = await fetch(new URL('/webhooks/stripe', bare.graphqlUrl), { method: 'POST', headers: { 'stripe-signature': 't=1,v1=x' }, body: '{}' });
      expect(hook.status).toBe(503);
      expect((await gqlOk<{ packages: unknown[] }>(bare, '{ packages { id } }')).packages.length).toBeGreaterThan(0);
    } finally {
      await bare.stop();
    }
  });
});
