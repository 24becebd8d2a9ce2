/**
 * A purchase whose process died between its two steps (the PENDING row committed, the
 * PaymentIntent not yet made or not yet attached: a SIGKILL, a deploy, an OOM), found by the
 * chaos test's reasoning: the client got no answer and retries with the same idempotencyKey,
 * as the contract tells it to. The retry must carry the purchase on to a payable state, not
 * return the stranded PENDING row without a clientSecret, which nobody could ever pay.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
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
  await server?.stop();
  await stripe?.close();
});

const PURCHASE = 'mutation($input: PurchasePackageInput!) { purchasePackage(input: $input) { id status clientSecret creditLot { granted } } }';
type PurchaseJson = { id: string; status: string; clientSecret: string | null; creditLot: { granted: number } | null };

/** What step 1 of a purchase commits before it calls Stripe: the PENDING row under the client's key. */
async function strandedPurchase(client: { userId: string; organizationId: string }, key: string): Promise<string> {
  const [pkg] = await sql<{ id: string; amount: number; currency: string }>(server, "SELECT id, price_amount AS amount, price_currency AS currency FROM package WHERE code = 'PKG-DISCOVERY-ASSESSMENT'");
  // The same request hash purchase.service.ts stores: the package and no payment method.
  const hash = createHash('sha256').update(JSON.stringify([pkg!.id, null])).digest('hex');
  const id = randomUUID();
  await sql(
    server,
    `INSERT INTO purchase (id, organization_id, package_id, buyer_id, status, amount_amount, amount_currency, idempotency_key, request_hash, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, now(), now())`,
    [id, client.organizationId, pkg!.id, client.userId, pkg!.amount, pkg!.currency, key, hash],
  );
  return id;
}

describe('retrying a purchase whose first attempt died after its row was written', () => {
  it('the retry with the same key makes (or finds) its PaymentIntent and answers a payable purchase; paying it grants the lot once', async () => {
    const client = await verifiedClient(server, { organizationName: 'Stranded Ltd' });
    const key = randomUUID();
    const id = await strandedPurchase(client, key);

    const retried = (await gqlOk<{ purchasePackage: PurchaseJson }>(server, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT', idempotencyKey: key } }, client.token)).purchasePackage;
    expect(retried.id).toBe(id);
    const intents = [...stripe.paymentIntents.values()].filter((pi: { metadata?: Record<string, string> }) => pi.metadata?.purchaseId === id) as Array<{ id: string; client_secret: string }>;
    expect(intents).toHaveLength(1);
    expect(retried).toMatchObject({ status: 'PENDING', clientSecret: intents[0]!.client_secret });

    // Retried again: the same purchase and the same PaymentIntent (Stripe's idempotency key).
    const again = (await gqlOk<{ purchasePackage: PurchaseJson }>(server, PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT', idempotencyKey: key } }, client.token)).purchasePackage;
    expect(again).toEqual(retried);
    expect([...stripe.paymentIntents.values()].filter((pi: { metadata?: Record<string, string> }) => pi.metadata?.purchaseId === id)).toHaveLength(1);

    const delivered = await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intents[0]!.id));
    expect(JSON.parse(delivered.text)).toEqual({ received: true, outcome: 'PROCESSED' });
    const [row] = await sql<{ status: string; grants: number }>(
      server,
      "SELECT p.status, (SELECT count(*)::int FROM credit_ledger_entry e WHERE e.type = 'GRANT' AND e.reference = p.stripe_payment_intent_id) AS grants FROM purchase p WHERE p.id = ?",
      [id],
    );
    expect(row).toEqual({ status: 'SUCCEEDED', grants: 1 });
  });
});
