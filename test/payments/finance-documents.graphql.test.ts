/**
 * Invoices a finance team accepts and the credit notes of refunds, read as a person reads them:
 * the PDFs' text (unpdf) names the seller (settings) and the buyer (billing details) as they
 * were when issued, the dates, the payment method, its reference and a PAID mark; a refund
 * issues a credit note in a gap-free series of its own (a rolled-back refund gives its number
 * back); an issued document never changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_HANDLERS } from '../../src/modules.js';
import { applyRefund } from '../../src/payments/purchase.service.js';
import { DomainEvents } from '../../src/platform/events.js';
import { scopeToTenant } from '../../src/platform/tenant.js';
import { verifiedClient, type TestClient } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import { fetchPdf } from '../support/pdf.js';
import type { TestServer } from '../support/server.js';
import { startStripeTestServer, type StripeDouble } from '../support/stripe-double.js';

let stripe: StripeDouble;
let server: TestServer;
let admin: string;
let webhookUrl: string;

const SELLER = { SELLER_LEGAL_NAME: 'Serenity Consulting GmbH', SELLER_ADDRESS: 'Torstraße 1\\n10119 Berlin\\nGermany', SELLER_TAX_ID: 'DE811234567', SELLER_EMAIL: 'billing@serenity.example' };

beforeAll(async () => {
  ({ stripe, server, webhookUrl } = await startStripeTestServer(SELLER));
  admin = await demoSignIn(server, 'admin@serenity.local');
});
afterAll(async () => {
  await server.stop();
  await stripe.close();
});

const today = () => new Date().toISOString().slice(0, 10);

async function paidPurchase(client: TestClient, packageId: string): Promise<{ id: string; intentId: string }> {
  const { purchasePackage } = await gqlOk<{ purchasePackage: { id: string } }>(server, 'mutation($p: ID!) { purchasePackage(input: { packageId: $p }) { id } }', { p: packageId }, client.token);
  const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.purchaseId === purchasePackage.id)!;
  expect((await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id))).status).toBe(200);
  return { id: purchasePackage.id, intentId: intent.id };
}

async function setBillingDetails(client: TestClient, input: Record<string, unknown>) {
  await gqlOk(server, 'mutation($i: BillingDetailsInput!) { updateBillingDetails(input: $i) { legalName } }', { i: input }, client.token);
}

const url = (path: string) => new URL(path, server.graphqlUrl).toString();
/** A URL of the API's (publicUrl says port 0 in tests) on the test server. */
const onServer = (link: string) => url(new URL(link).pathname + new URL(link).search);
const INVOICE = 'id number pdfUrl issuedAt paidAt paymentMethod paymentReference seller { legalName address taxId email } buyer { legalName address taxId email } creditNotes { number }';
const NOTE = 'id number pdfUrl issuedAt reason refundReference refundMethod total { amount currency } lines { description amount } invoice { number } seller { legalName } buyer { legalName taxId }';

describe('an invoice', () => {
  it('prints the seller, the buyer’s billing details, the dates, the method, the reference and PAID — and keeps them when the details change', async () => {
    const client = await verifiedClient(server, { organizationName: 'Acme' });
    await setBillingDetails(client, { legalName: 'Acme Corporation Ltd', address: '221B Baker Street\nLondon NW1 6XE\nUnited Kingdom', taxId: 'GB123456789', email: 'ap@acme.example' });
    const purchase = await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT');
    const { purchase: read } = await gqlOk(server, `query($id: ID!) { purchase(id: $id) { invoice { ${INVOICE} } } }`, { id: purchase.id }, client.token);
    const invoice = read.invoice;
    const charge = [...stripe.charges.values()].find((c) => c.payment_intent === purchase.intentId)!;
    expect(invoice).toMatchObject({
      paymentMethod: 'Visa •••• 4242',
      paymentReference: charge.id,
      seller: { legalName: 'Serenity Consulting GmbH', address: 'Torstraße 1\n10119 Berlin\nGermany', taxId: 'DE811234567', email: 'billing@serenity.example' },
      buyer: { legalName: 'Acme Corporation Ltd', address: '221B Baker Street\nLondon NW1 6XE\nUnited Kingdom', taxId: 'GB123456789', email: 'ap@acme.example' },
      creditNotes: [],
    });
    expect(invoice.paidAt.slice(0, 10)).toBe(today());

    const pdf = await fetchPdf(onServer(invoice.pdfUrl), client.token);
    expect(pdf.contentType).toBe('application/pdf');
    for (const fact of [
      `Invoice ${invoice.number}`,
      'PAID',
      'Serenity Consulting GmbH', 'Torstraße 1', '10119 Berlin', 'Tax ID: DE811234567', 'billing@serenity.example',
      'Billed to', 'Acme Corporation Ltd', '221B Baker Street', 'London NW1 6XE', 'Tax ID: GB123456789',
      `Issue date ${today()} (UTC)`, `Payment date ${today()} (UTC)`, 'Payment method Visa •••• 4242', `Payment reference ${charge.id}`,
      'Discovery & Assessment Program (4 sessions of 90 minutes)', 'Total paid $4,500.00',
    ]) expect(pdf.text, fact).toContain(fact);

    // New billing details print on the next invoice only: this one is issued.
    await setBillingDetails(client, { legalName: 'Acme Holdings plc', address: 'Elsewhere 2\nLeeds' });
    const again = await fetchPdf(onServer(invoice.pdfUrl), client.token);
    expect(again.text).toContain('Acme Corporation Ltd');
    expect(again.text).not.toContain('Acme Holdings plc');
    const next = await paidPurchase(client, 'PKG-WORKSHOP-TRAINING');
    const { purchase: later } = await gqlOk(server, `query($id: ID!) { purchase(id: $id) { invoice { ${INVOICE} } } }`, { id: next.id }, client.token);
    expect((await fetchPdf(onServer(later.invoice.pdfUrl), client.token)).text).toContain('Acme Holdings plc');

    // The database itself refuses to rewrite it.
    await expect(sql(server, 'UPDATE invoice SET buyer_legal_name = ? WHERE id = ?', ['Someone Else', invoice.id])).rejects.toThrow(/was issued and cannot change/);
  });

  it('without billing details prints the organization’s name as the buyer', async () => {
    const client = await verifiedClient(server, { organizationName: 'Plain Org' });
    const purchase = await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT');
    const { purchase: read } = await gqlOk(server, `query($id: ID!) { purchase(id: $id) { invoice { ${INVOICE} } } }`, { id: purchase.id }, client.token);
    expect(read.invoice.buyer).toEqual({ legalName: 'Plain Org', address: null, taxId: null, email: null });
    expect((await fetchPdf(onServer(read.invoice.pdfUrl), client.token)).text).toMatch(/Billed to Plain Org/);
  });
});

describe('a refund’s credit note', () => {
  it('credits the invoice, prints the refund and REFUNDED, and is served to its organization only', async () => {
    const client = await verifiedClient(server, { organizationName: 'Refunded Co' });
    await setBillingDetails(client, { legalName: 'Refunded Company SA', address: 'Rue 1\nParis', taxId: 'FR12345678901' });
    const purchase = await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT');
    const refunded = await gqlOk(server, `mutation($id: ID!) { refundPurchase(id: $id, reason: "Changed plans") { creditNote { ${NOTE} } invoice { number creditNotes { number } } } }`, { id: purchase.id }, admin);
    const note = refunded.refundPurchase.creditNote;
    const refund = [...stripe.refunds.values()].find((r) => r.payment_intent === purchase.intentId)!;
    const year = new Date().getUTCFullYear();
    expect(note).toMatchObject({
      number: expect.stringMatching(new RegExp(`^CN-${year}-\\d{6}$`)),
      reason: 'Changed plans',
      refundReference: refund.id,
      refundMethod: 'Visa •••• 4242',
      total: { amount: 450000, currency: 'USD' },
      lines: [{ description: 'Refund: Discovery & Assessment Program (4 sessions of 90 minutes)', amount: 450000 }],
      invoice: { number: refunded.refundPurchase.invoice.number },
      seller: { legalName: 'Serenity Consulting GmbH' },
      buyer: { legalName: 'Refunded Company SA', taxId: 'FR12345678901' },
    });
    expect(refunded.refundPurchase.invoice.creditNotes).toEqual([{ number: note.number }]);
    const listed = await gqlOk(server, '{ creditNotes { totalCount edges { node { number } } } }', {}, client.token);
    expect(listed.creditNotes).toEqual({ totalCount: 1, edges: [{ node: { number: note.number } }] });

    const pdf = await fetchPdf(onServer(note.pdfUrl), client.token);
    for (const fact of [
      `Credit note ${note.number}`, 'REFUNDED', `Credits invoice ${refunded.refundPurchase.invoice.number}`, 'Reason Changed plans',
      'Refunded to Visa •••• 4242', `Refund reference ${refund.id}`, 'Serenity Consulting GmbH', 'Tax ID: DE811234567',
      'Refunded Company SA', 'Tax ID: FR12345678901', `Issue date ${today()} (UTC)`, 'Total credited $4,500.00',
    ]) expect(pdf.text, fact).toContain(fact);
    const stranger = await verifiedClient(server);
    expect((await fetchPdf(onServer(note.pdfUrl), stranger.token)).status).toBe(404);
    expect((await fetchPdf(onServer(note.pdfUrl))).status).toBe(401);
    expect((await fetchPdf(onServer(note.pdfUrl), admin)).status).toBe(200);
    expect((await gqlOk(server, '{ creditNotes { totalCount } }', {}, stranger.token)).creditNotes.totalCount).toBe(0);
    await expect(sql(server, 'UPDATE credit_note SET total_amount = 1 WHERE id = ?', [note.id])).rejects.toThrow(/was issued and cannot change/);
  });

  it('numbers are consecutive, with no gaps: concurrent refunds, and a rolled-back refund gives its number back', async () => {
    const year = new Date().getUTCFullYear();
    const buyers = await Promise.all(Array.from({ length: 4 }, () => verifiedClient(server)));
    const purchases = await Promise.all(buyers.map((b) => paidPurchase(b, 'PKG-WORKSHOP-TRAINING')));
    const [first, ...rest] = purchases;
    // A refund whose transaction fails after its credit note was numbered: nothing stays, the number comes back.
    const em = scopeToTenant(server.app.orm.em.fork(), { all: true });
    const [before] = await sql<{ n: number }>(server, 'SELECT count(*)::int AS n FROM credit_note WHERE number LIKE ?', [`CN-${year}-%`]);
    await expect(
      em.transactional(async (tx) => {
        await applyRefund(tx, new DomainEvents(EVENT_HANDLERS), first!.id, { refundId: null, reason: 'Rolled back', actorId: null, now: new Date() });
        throw new Error('the refund failed after its credit note');
      }),
    ).rejects.toThrow(/the refund failed/);
    expect((await sql<{ n: number }>(server, 'SELECT count(*)::int AS n FROM credit_note WHERE number LIKE ?', [`CN-${year}-%`]))[0]).toEqual(before);
    expect((await sql<{ status: string }>(server, 'SELECT status FROM purchase WHERE id = ?', [first!.id]))[0]!.status).toBe('SUCCEEDED');

    await Promise.all(rest.map((p) => gqlOk(server, 'mutation($id: ID!) { refundPurchase(id: $id) { id } }', { id: p.id }, admin)));
    const refunded = await gql(server, 'mutation($id: ID!) { refundPurchase(id: $id) { creditNote { number } } }', { id: first!.id }, admin);
    expect(refunded.errors).toEqual([]);
    const numbers = (await sql<{ number: string }>(server, 'SELECT number FROM credit_note WHERE number LIKE ? ORDER BY number', [`CN-${year}-%`])).map((r) => Number(r.number.slice(-6)));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(Number((refunded.data as { refundPurchase: { creditNote: { number: string } } }).refundPurchase.creditNote.number.slice(-6))).toBe(numbers.length);
  });

  it('a refund made in the Stripe dashboard issues the credit note too, with Stripe’s refund id', async () => {
    const client = await verifiedClient(server);
    const purchase = await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT');
    expect((await stripe.deliver(webhookUrl, stripe.refundCharge(purchase.intentId))).status).toBe(200);
    const refund = [...stripe.refunds.values()].find((r) => r.payment_intent === purchase.intentId)!;
    const { purchase: read } = await gqlOk(server, 'query($id: ID!) { purchase(id: $id) { status creditNote { refundReference reason } } }', { id: purchase.id }, client.token);
    expect(read).toEqual({ status: 'REFUNDED', creditNote: { refundReference: refund.id, reason: 'Refunded in Stripe' } });
  });
});

describe('download links', () => {
  it('a document link from an email works without a token until it expires; an altered one reveals nothing', async () => {
    const { signedDocumentUrl } = await import('../../src/payments/document-links.js');
    const client = await verifiedClient(server);
    const purchase = await paidPurchase(client, 'PKG-DISCOVERY-ASSESSMENT');
    const [row] = await sql<{ id: string; download_key: string; number: string }>(server, 'SELECT id, download_key, number FROM invoice WHERE purchase_id = ?', [purchase.id]);
    const doc = { id: row!.id, downloadKey: row!.download_key };
    const link = signedDocumentUrl(server.config.publicUrl.replace(/\/$/, ''), 'invoices', doc, new Date());
    const pathOf = onServer;
    const ok = await fetchPdf(pathOf(link));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(`Invoice ${row!.number}`);
    expect((await fetchPdf(pathOf(link.replace(/signature=./, 'signature=x')))).status).toBe(404);
    expect((await fetchPdf(pathOf(link.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 1}`)))).status).toBe(404);
    // Another invoice's id with this signature: not its link.
    const other = await paidPurchase(client, 'PKG-WORKSHOP-TRAINING');
    const [otherRow] = await sql<{ id: string }>(server, 'SELECT id FROM invoice WHERE purchase_id = ?', [other.id]);
    expect((await fetchPdf(pathOf(link.replace(doc.id, otherRow!.id)))).status).toBe(404);
    const expired = signedDocumentUrl(server.config.publicUrl, 'invoices', doc, new Date(Date.now() - 31 * 86_400_000));
    expect((await fetchPdf(pathOf(expired))).status).toBe(410);
  });
});
