/**
 * Subscriptions through GraphQL against the Stripe double: each paid period grants its credits
 * once, a failed renewal marks the subscription PAST_DUE, cancellation is mirrored, and the
 * 7-day renewal reminder is announced once per period.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindRenewals } from '../../src/payments/subscription.service.js';
import { DomainEvents } from '../../src/platform/events.js';
import { verifiedClient, type TestClient } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { sql } from '../support/identity.js';
import type { TestServer } from '../support/server.js';
import { startStripeTestServer, type StripeDouble } from '../support/stripe-double.js';

let stripe: StripeDouble;
let server: TestServer;
let webhookUrl: string;

beforeAll(async () => {
  ({ stripe, server, webhookUrl } = await startStripeTestServer());
});
afterAll(async () => {
  await server.stop();
  await stripe.close();
});

const FIELDS = 'id status cancelAtPeriodEnd currentPeriodStart currentPeriodEnd canceledAt clientSecret amount { amount currency } package { code }';
const START = `mutation($p: ID!, $pm: String) { startSubscription(packageId: $p, paymentMethodId: $pm) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $end: Boolean) { cancelSubscription(id: $id, atPeriodEnd: $end) { ${FIELDS} } }`;
const LIST = `{ subscriptions { ${FIELDS} } }`;

interface SubscriptionJson {
  id: string;
  status: string;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: string | null;
  clientSecret: string | null;
}

async function start(client: TestClient, pm?: string): Promise<SubscriptionJson> {
  return (await gqlOk<{ startSubscription: SubscriptionJson }>(server, START, { p: 'PKG-QUARTERLY-ADVISORY', pm: pm ?? null }, client.token)).startSubscription;
}

function stripeSubscriptionOf(ourId: string): Stripe.Subscription {
  const found = [...stripe.subscriptions.values()].find((s) => s.metadata?.subscriptionId === ourId);
  if (!found) throw new Error(`No Stripe subscription for ${ourId}`);
  return found as Stripe.Subscription;
}

/** The last event of `type` the double emitted about this Stripe subscription. */
function lastEvent(type: string, stripeSubscriptionId: string): Stripe.Event {
  const event = [...stripe.events].reverse().find((e) => {
    if (e.type !== type) return false;
    const object = e.data.object as { id?: string; parent?: { subscription_details?: { subscription?: string } } };
    return object.id === stripeSubscriptionId || object.parent?.subscription_details?.subscription === stripeSubscriptionId;
  });
  if (!event) throw new Error(`No ${type} event for ${stripeSubscriptionId}`);
  return event;
}

async function subscriptionLots(organizationId: string): Promise<number[]> {
  const rows = await sql<{ granted: number }>(server, "SELECT granted FROM credit_lot WHERE organization_id = ? AND source = 'SUBSCRIPTION' ORDER BY granted_at", [organizationId]);
  return rows.map((r) => r.granted);
}

async function current(client: TestClient, id: string): Promise<SubscriptionJson> {
  const list = await gqlOk<{ subscriptions: SubscriptionJson[] }>(server, LIST, {}, client.token);
  return list.subscriptions.find((s) => s.id === id)!;
}

describe('subscriptions', () => {
  it('a card starts it ACTIVE; each paid invoice grants the period’s minutes once; a failed renewal is PAST_DUE', async () => {
    const client = await verifiedClient(server, { organizationName: 'Subscriber' });
    const started = await start(client, 'pm_card_visa');
    expect(started).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: false, clientSecret: null });
    expect(new Date(started.currentPeriodEnd!).getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    const stripeId = stripeSubscriptionOf(started.id).id;

    // The first period: 16 hours = 960 minutes, once however often Stripe delivers.
    const firstPaid = lastEvent('invoice.paid', stripeId);
    await Promise.all([stripe.deliver(webhookUrl, firstPaid), stripe.deliver(webhookUrl, firstPaid)]);
    await stripe.deliver(webhookUrl, firstPaid);
    expect(await subscriptionLots(client.organizationId)).toEqual([960]);

    // Renewal.
    const renewal = stripe.payInvoice(stripeId);
    expect((await stripe.deliver(webhookUrl, renewal)).status).toBe(200);
    expect(await subscriptionLots(client.organizationId)).toEqual([960, 960]);
    expect(new Date((await current(client, started.id)).currentPeriodEnd!).getTime()).toBeGreaterThan(new Date(started.currentPeriodEnd!).getTime());

    // A failed renewal.
    const failed = stripe.failInvoice(stripeId);
    await stripe.deliver(webhookUrl, failed);
    expect((await current(client, started.id)).status).toBe('PAST_DUE');
    expect(await subscriptionLots(client.organizationId)).toEqual([960, 960]);
  });

  it('without a card it waits INCOMPLETE with a clientSecret; paying the first invoice activates it and grants', async () => {
    const client = await verifiedClient(server);
    const started = await start(client);
    expect(started.status).toBe('INCOMPLETE');
    expect(started.clientSecret).toMatch(/secret/);
    expect(await subscriptionLots(client.organizationId)).toEqual([]);
    const stripeId = stripeSubscriptionOf(started.id).id;
    await stripe.deliver(webhookUrl, stripe.payInvoice(stripeId));
    expect(await current(client, started.id)).toMatchObject({ status: 'ACTIVE', clientSecret: null });
    expect(await subscriptionLots(client.organizationId)).toEqual([960]);
  });

  it('one live subscription per package; packages that are not subscriptions are refused', async () => {
    const client = await verifiedClient(server);
    await start(client, 'pm_card_visa');
    const twice = await gql(server, START, { p: 'PKG-QUARTERLY-ADVISORY', pm: 'pm_card_visa' }, client.token);
    expect(twice.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_SUBSCRIBED' });
    const bundle = await gql(server, START, { p: 'PKG-DISCOVERY-ASSESSMENT' }, client.token);
    expect(bundle.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'packageId' });
    const declined = await gql(server, START, { p: 'PKG-ANNUAL-PARTNERSHIP', pm: 'pm_card_chargeDeclined' }, client.token);
    expect(declined.errors[0]!.extensions).toMatchObject({ code: 'PAYMENT_REQUIRED' });
  });

  it('cancels at the period end, or now; Stripe’s later events keep it as it is', async () => {
    const client = await verifiedClient(server);
    const started = await start(client, 'pm_card_visa');
    const atEnd = await gqlOk<{ cancelSubscription: SubscriptionJson }>(server, CANCEL, { id: started.id, end: true }, client.token);
    expect(atEnd.cancelSubscription).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });
    const now = await gqlOk<{ cancelSubscription: SubscriptionJson & { canceledAt: string } }>(server, CANCEL, { id: started.id, end: false }, client.token);
    expect(now.cancelSubscription.status).toBe('CANCELED');
    const stripeId = stripeSubscriptionOf(started.id).id;
    await stripe.deliver(webhookUrl, lastEvent('customer.subscription.deleted', stripeId));
    expect((await current(client, started.id)).status).toBe('CANCELED');
    const again = await gql(server, CANCEL, { id: started.id, end: false }, client.token);
    expect(again.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT' });
  });

  it('announces a renewal 7 days ahead, once per period', async () => {
    const client = await verifiedClient(server);
    const started = await start(client, 'pm_card_visa');
    await sql(server, "UPDATE billing_subscription SET current_period_end = now() + interval '3 days' WHERE id = ?", [started.id]);
    const announced: Array<{ subscriptionId: string }> = [];
    const events = new DomainEvents({ 'subscription.renewal-upcoming': [async (payload) => void announced.push(payload)] });
    const em = () => server.app.orm.em.fork();
    await remindRenewals(em(), events);
    await remindRenewals(em(), events);
    expect(announced.filter((a) => a.subscriptionId === started.id)).toHaveLength(1);
  });
});
