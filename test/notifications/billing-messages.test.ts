/**
 * The billing messages end to end, through the outbox, the dispatcher and the mail capture:
 * a payment's confirmation carries the invoice PDF and a download link that works from the
 * email; a refund's message says what was revoked and carries the credit note. They go to the
 * owners (email and in-app), the member who paid and the billing email (email only), once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClient, type TestClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, mailToken, PASSWORD, sql, uniqueEmail } from '../support/identity.js';
import { fetchPdf, pdfText } from '../support/pdf.js';
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

const capture = () => server.app.mailer.capture!;
const onServer = (link: string) => new URL(new URL(link).pathname + new URL(link).search, server.graphqlUrl).toString();

async function paidPurchase(client: TestClient, packageId: string): Promise<string> {
  const { purchasePackage } = await gqlOk<{ purchasePackage: { id: string } }>(server, 'mutation($p: ID!) { purchasePackage(input: { packageId: $p }) { id } }', { p: packageId }, client.token);
  const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.purchaseId === purchasePackage.id)!;
  expect((await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id))).status).toBe(200);
  return purchasePackage.id;
}

/** A member (not an owner) of the owner's organization: their email. */
async function addMember(owner: TestClient): Promise<string> {
  const email = uniqueEmail('member');
  await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: email }, owner.token);
  const token = await mailToken(server, email, 'invitation');
  await gqlOk(server, 'mutation($t: String!, $p: String, $pr: ProfileInput) { acceptInvitation(token: $t, password: $p, profile: $pr) { accessToken } }', { t: token, p: PASSWORD, pr: { firstName: 'Mia', lastName: 'Member' } });
  return email;
}

type Row = { kind: string; channel: string; who: string; status: string };
async function deliveries(subjectId: string, owner: TestClient, billing: string): Promise<Row[]> {
  const rows = await sql<{ kind: string; channel: string; recipient_user_id: string | null; recipient_email: string | null; status: string }>(
    server,
    'SELECT kind, channel, recipient_user_id, recipient_email, status FROM notification_delivery WHERE subject_id = ? ORDER BY channel, recipient_key',
    [subjectId],
  );
  return rows.map((r) => ({ kind: r.kind, channel: r.channel, who: r.recipient_user_id === owner.userId ? 'owner' : r.recipient_email === billing ? 'billing' : String(r.recipient_user_id ?? r.recipient_email), status: r.status }));
}

describe('billing messages', () => {
  it('PAYMENT_CONFIRMED: the invoice PDF attached and a working download link, to the owner (email, in-app) and the billing email; REFUND_PROCESSED: what was revoked, the credit note attached', async () => {
    const owner = await verifiedClient(server, { organizationName: 'Mailed Co', firstName: 'Olive', lastName: 'Owner' });
    const member = await addMember(owner);
    const billing = uniqueEmail('accounts', 'mailed.example');
    await gqlOk(server, 'mutation($i: BillingDetailsInput!) { updateBillingDetails(input: $i) { email } }', { i: { legalName: 'Mailed Company Ltd', address: 'Main St 1\nLondon', email: billing } }, owner.token);
    const purchaseId = await paidPurchase(owner, 'PKG-DISCOVERY-ASSESSMENT');
    const { purchase } = await gqlOk(server, 'query($id: ID!) { purchase(id: $id) { invoice { id number } } }', { id: purchaseId }, owner.token);
    const invoice = purchase.invoice as { id: string; number: string };

    const mail = await capture().waitFor({ to: owner.email, kind: 'payment-confirmed' }, 15_000);
    expect(mail.subject).toBe(`Payment received: USD 4500.00, invoice ${invoice.number}`);
    expect(mail.text).toContain('Hello Olive Owner');
    expect(mail.text).toContain('Visa •••• 4242');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${invoice.number}.pdf`, 'application/pdf']]);
    expect(await pdfText(mail.attachments[0]!.content)).toContain(`Invoice ${invoice.number}`);
    const link = mail.links.find((l) => l.startsWith(`${server.config.publicUrl}/invoices/${invoice.id}.pdf?expires=`));
    expect(link, JSON.stringify(mail.links)).toBeDefined();
    const downloaded = await fetchPdf(onServer(link!));
    expect([downloaded.status, downloaded.text?.includes('Mailed Company Ltd')]).toEqual([200, true]);

    const toBilling = await capture().waitFor({ to: billing, kind: 'payment-confirmed' }, 15_000);
    expect(toBilling.text).toMatch(/^Hello,/);
    expect(toBilling.attachments).toHaveLength(1);
    expect(capture().list({ to: member, kind: 'payment-confirmed' })).toEqual([]);
    await expect.poll(() => deliveries(invoice.id, owner, billing), { timeout: 10_000 }).toEqual([
      { kind: 'PAYMENT_CONFIRMED', channel: 'EMAIL', who: 'billing', status: 'SENT' },
      { kind: 'PAYMENT_CONFIRMED', channel: 'EMAIL', who: 'owner', status: 'SENT' },
      { kind: 'PAYMENT_CONFIRMED', channel: 'IN_APP', who: 'owner', status: 'SENT' },
    ]);
    const inbox = await gqlOk(server, '{ notifications(first: 5) { edges { node { kind title link } } } }', {}, owner.token);
    expect(inbox.notifications.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      kind: 'PAYMENT_CONFIRMED',
      title: `Payment received: USD 4500.00, invoice ${invoice.number}`,
      link: `${server.config.publicUrl}/invoices/${invoice.id}.pdf`,
    });

    const refunded = await gqlOk(server, 'mutation($id: ID!) { refundPurchase(id: $id, reason: "Changed plans") { creditNote { number } } }', { id: purchaseId }, admin);
    const note = refunded.refundPurchase.creditNote.number as string;
    const refundMail = await capture().waitFor({ to: owner.email, kind: 'refund-processed' }, 15_000);
    expect(refundMail.subject).toBe('Refund processed: USD 4500.00 for Discovery & Assessment Program');
    expect(refundMail.text).toContain("4 sessions of unused credit were removed from Mailed Co's balance.");
    expect(refundMail.text).toContain(`Credit note:  ${note} (credits invoice ${invoice.number})`);
    expect(refundMail.text).toContain('Changed plans');
    expect(refundMail.attachments.map((a) => a.filename)).toEqual([`${note}.pdf`]);
    expect(await pdfText(refundMail.attachments[0]!.content)).toContain(`Credit note ${note}`);
    const noteLink = refundMail.links.find((l) => l.includes('/credit-notes/') && l.includes('signature='));
    expect((await fetchPdf(onServer(noteLink!))).status).toBe(200);
    expect((await capture().waitFor({ to: billing, kind: 'refund-processed' }, 15_000)).attachments).toHaveLength(1);
    // Once each: Stripe's own report of that refund (charge.refunded), delivered afterwards, changes nothing.
    const chargeRefunded = stripe.events.filter((e) => e.type === 'charge.refunded').at(-1)!;
    expect((await stripe.deliver(webhookUrl, chargeRefunded)).status).toBe(200);
    await expect.poll(() => sql(server, "SELECT count(*)::int AS n FROM notification_delivery WHERE subject_id = ? AND status <> 'SENT'", [purchaseId]), { timeout: 10_000 }).toEqual([{ n: 0 }]);
    expect(capture().list({ to: owner.email, kind: 'refund-processed' })).toHaveLength(1);
    expect(capture().list({ to: owner.email, kind: 'payment-confirmed' })).toHaveLength(1);
  });
});
