/**
 * Invoices and revenue: every successful payment gets our invoice, numbered without gaps per
 * year, with a PDF for its organization; consumed credits record their value split 15 % / 85 %.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditValue, splitRevenue } from '../../src/payments/revenue.js';
import { BOOK, gridStart, openAllHoursConsultant, verifiedClient, type TestClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import type { TestServer } from '../support/server.js';
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

/** Buys a package and lets Stripe confirm it; returns the purchase id. */
async function paidPurchase(client: TestClient, packageId: string): Promise<string> {
  const { purchasePackage } = await gqlOk<{ purchasePackage: { id: string } }>(server, 'mutation($p: ID!) { purchasePackage(input: { packageId: $p }) { id } }', { p: packageId }, client.token);
  const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.purchaseId === purchasePackage.id)!;
  const response = await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id));
  expect(response.status).toBe(200);
  return purchasePackage.id;
}

const INVOICE = 'id number billedTo issuedAt total { amount currency } platformFee { amount } pdfUrl lines { description quantity unitAmount amount }';

describe('invoices', () => {
  it('a succeeded purchase gets an invoice with its line, a PDF for its organization only, and numbers without gaps', async () => {
    const client = await verifiedClient(server, { organizationName: 'Invoiced Inc' });
    const purchaseId = await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT');
    const { purchase } = await gqlOk<{ purchase: { invoice: Record<string, unknown> & { id: string; number: string; pdfUrl: string } } }>(
      server,
      `query($id: ID!) { purchase(id: $id) { invoice { ${INVOICE} } } }`,
      { id: purchaseId },
      client.token,
    );
    const year = new Date().getUTCFullYear();
    expect(purchase.invoice).toMatchObject({
      number: expect.stringMatching(new RegExp(`^INV-${year}-\\d{6}$`)),
      billedTo: 'Invoiced Inc',
      total: { amount: 450000, currency: 'USD' },
      platformFee: null,
      lines: [{ description: 'Discovery & Assessment Program (4 sessions of 90 minutes)', quantity: 1, unitAmount: 450000, amount: 450000 }],
    });

    const pdf = await fetch(new URL(`/invoices/${purchase.invoice.id}.pdf`, server.graphqlUrl), { headers: { authorization: `Bearer ${client.token}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const stranger = await verifiedClient(server);
    expect((await fetch(new URL(`/invoices/${purchase.invoice.id}.pdf`, server.graphqlUrl), { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
    expect((await fetch(new URL(`/invoices/${purchase.invoice.id}.pdf`, server.graphqlUrl))).status).toBe(401);
    expect((await fetch(new URL(`/invoices/${purchase.invoice.id}.pdf`, server.graphqlUrl), { headers: { authorization: `Bearer ${admin}` } })).status).toBe(200);

    // Admins see the platform's share.
    const asAdmin = await gqlOk<{ invoices: { edges: Array<{ node: { id: string; platformFee: { amount: number } } }> } }>(server, `{ invoices(first: 100) { edges { node { id platformFee { amount } } } } }`, {}, admin);
    expect(asAdmin.invoices.edges.find((e) => e.node.id === purchase.invoice.id)!.node.platformFee).toEqual({ amount: 67500 });

    // Concurrent payments by several organizations: consecutive numbers, no gaps, no repeats.
    const buyers = await Promise.all(Array.from({ length: 4 }, () => verifiedClient(server)));
    await Promise.all(buyers.map((b) => paidPurchase(b, 'PKG-WORKSHOP-TRAINING')));
    const numbers = (await sql<{ number: string }>(server, 'SELECT number FROM invoice WHERE number LIKE ? ORDER BY number', [`INV-${year}-%`])).map((r) => Number(r.number.slice(-6)));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  });

  it('the organization’s invoices query shows its own only, newest first', async () => {
    const client = await verifiedClient(server);
    await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT');
    await paidPurchase(client, 'PKG-STRATEGIC-PLANNING');
    const mine = await gqlOk<{ invoices: { totalCount: number; edges: Array<{ node: { total: { amount: number } } }> } }>(server, '{ invoices { totalCount edges { node { total { amount } } } } }', {}, client.token);
    expect(mine.invoices.totalCount).toBe(2);
    expect(mine.invoices.edges.map((e) => e.node.total.amount)).toEqual([1250000, 450000]);
    // Page by page, with the cursor of the last one.
    const PAGE = 'query($after: String) { invoices(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { total { amount } } } } }';
    type Page = { invoices: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: { total: { amount: number } } }> } };
    const first = await gqlOk<Page>(server, PAGE, { after: null }, client.token);
    const second = await gqlOk<Page>(server, PAGE, { after: first.invoices.pageInfo.endCursor }, client.token);
    expect([first.invoices.edges[0]!.node.total.amount, first.invoices.pageInfo.hasNextPage]).toEqual([1250000, true]);
    expect([second.invoices.edges[0]!.node.total.amount, second.invoices.pageInfo.hasNextPage, second.invoices.totalCount]).toEqual([450000, false, 2]);
  });
});

describe('revenue of consumed credits', () => {
  it('a completed session paid with a purchased credit records its value: 15 % platform, 85 % consultant', async () => {
    const client = await verifiedClient(server);
    await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT'); // $4,500 for 4 sessions of up to 90 minutes
    const consultant = await openAllHoursConsultant(server);
    // The paid lot burns after the free trial only for 15-minute sessions: book 60 minutes.
    const { bookConsultation } = await gqlOk<{ bookConsultation: { id: string } }>(
      server,
      BOOK,
      { input: { consultantId: consultant.id, start: gridStart(2).toISOString(), durationMinutes: 60, purpose: 'Paid session' } },
      client.token,
    );
    await gqlOk(server, 'mutation($id: ID!) { confirmConsultation(id: $id) { id } }', { id: bookConsultation.id }, consultant.token);
    await gqlOk(server, 'mutation($id: ID!) { startConsultation(id: $id) { id } }', { id: bookConsultation.id }, consultant.token);
    await gqlOk(server, 'mutation($id: ID!) { completeConsultation(id: $id, input: {}) { id } }', { id: bookConsultation.id }, consultant.token);
    const rows = await sql<{ kind: string; units: number; value_amount: number; platform_fee_amount: number; consultant_earnings_amount: number; value_currency: string }>(
      server,
      'SELECT kind, units, value_amount, platform_fee_amount, consultant_earnings_amount, value_currency FROM revenue_entry WHERE consultation_id = ?',
      [bookConsultation.id],
    );
    expect(rows).toEqual([{ kind: 'CREDIT', units: 1, value_amount: 112500, platform_fee_amount: 16875, consultant_earnings_amount: 95625, value_currency: 'USD' }]);
  });
});

describe('revenue rules (pure)', () => {
  it('the split always adds up to the value, and the platform gets 15 % to the cent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (value) => {
        const { platformFee, consultantEarnings } = splitRevenue(value);
        expect(platformFee + consultantEarnings).toBe(value);
        expect(Math.abs(platformFee - value * 0.15)).toBeLessThanOrEqual(0.5);
      }),
    );
    expect(() => splitRevenue(-1)).toThrow(RangeError);
    expect(() => splitRevenue(1.5)).toThrow(RangeError);
  });

  it('values of all the units of a lot add up to its price within a cent per unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 5000 }), (price, lotUnits) => {
        const each = creditValue(price, lotUnits, 1);
        expect(Math.abs(each * lotUnits - price)).toBeLessThanOrEqual(lotUnits / 2);
        expect(creditValue(price, lotUnits, lotUnits)).toBe(price);
        expect(creditValue(price, lotUnits, 0)).toBe(0);
      }),
    );
    expect(() => creditValue(100, 4, 5)).toThrow(RangeError);
  });
});
