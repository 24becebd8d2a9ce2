/**
 * The payments runtime by mode, without a server: what start-up says, that the simulator's
 * objects survive a restart on the same DATA_DIR (the database keeps their ids), and that its
 * webhook deliveries wait for the API, retry a failing answer and stop when told.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startPayments } from '../../src/payments/local-payments.js';
import { deliverWebhooks } from '../../src/payments/stripe-simulator/deliveries.js';
import { startStripeSimulator } from '../../src/payments/stripe-simulator/index.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-localpay-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const config = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(40), ...env });

describe('startPayments', () => {
  it('says which mode it runs in; local keeps its customers across a restart', async () => {
    const { logger, lines } = capturingLogger();
    const first = await startPayments(config(), logger);
    expect(first.payments?.simulator).toBeDefined();
    expect(lines.map((line) => line.msg).join('\n')).toMatch(/payments: LOCAL, simulated Stripe \(no real money\)/);
    const customer = await first.payments!.stripe.customers.create({ name: 'Acme', metadata: { organizationId: 'o1' } });
    await first.stop();

    const second = await startPayments(config(), logger);
    try {
      expect(await second.payments!.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, name: 'Acme', metadata: { organizationId: 'o1' } });
    } finally {
      await second.stop();
    }

    const off = await startPayments(config({ PAYMENTS_MODE: 'off' }), logger);
    expect(off.payments).toBeNull();
    const stripe = await startPayments(config({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }), logger);
    expect(stripe.payments).toMatchObject({ webhookSecret: 'whsec_abc' });
    expect(stripe.payments!.simulator).toBeUndefined();
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^payments: off/), 'payments: Stripe']));
  });
});

describe('webhook deliveries', () => {
  it('hold events until the URL is known, sign them, and retry a non-2xx answer until it succeeds', async () => {
    const sim = await startStripeSimulator();
    const received: Array<{ type: string; verified: boolean }> = [];
    let refuse = 2;
    const api = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        let verified = true;
        try {
          sim.stripe.webhooks.constructEvent(body, String(req.headers['stripe-signature']), sim.webhookSecret);
        } catch {
          verified = false;
        }
        received.push({ type: (JSON.parse(body) as { type: string }).type, verified });
        res.writeHead(refuse-- > 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const { logger, lines } = capturingLogger();
    const deliveries = deliverWebhooks(sim, { types: ['payment_intent.succeeded'], retryDelaysMs: [20, 20, 20], logger });
    try {
      const intent = await sim.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
      expect(intent.status).toBe('succeeded');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual([]); // no URL yet
      deliveries.target(`http://127.0.0.1:${(api.address() as AddressInfo).port}/webhooks/stripe`);
      for (let waited = 0; received.length < 3 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toEqual([1, 2, 3].map(() => ({ type: 'payment_intent.succeeded', verified: true })));
      expect(lines.filter((line) => String(line.msg).includes('answered 500; retrying'))).toHaveLength(2);
    } finally {
      deliveries.stop();
      api.close();
      await sim.close();
    }
  });

  it('give up after the last retry, and stop retrying when stopped', async () => {
    const sim = await startStripeSimulator();
    let hits = 0;
    const api = http.createServer((_req, res) => {
      hits += 1;
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/`;
    const { logger, lines } = capturingLogger();
    const giving = deliverWebhooks(sim, { types: ['customer.created'], retryDelaysMs: [10], logger });
    giving.target(url);
    await sim.stripe.customers.create({ name: 'One' });
    for (let waited = 0; !lines.some((line) => String(line.msg).includes('giving up')) && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hits).toBe(2);
    giving.stop();

    const stopping = deliverWebhooks(sim, { types: ['customer.created'], retryDelaysMs: [200], logger });
    stopping.target(url);
    await sim.stripe.customers.create({ name: 'Two' });
    for (let waited = 0; hits < 3 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    stopping.stop();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(hits).toBe(3);
    api.close();
    await sim.close();
  });
});
