/**
 * A crash between Stripe's success and our write: the server runs as a child process; a test
 * switch pauses the webhook handler inside its transaction (effects written, not committed);
 * the test SIGKILLs it, starts it again and redelivers — the credits are granted exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startStripeDouble, type StripeDouble, stripeSettings } from '../support/stripe-double.js';

let database: TestDatabase;
let stripe: StripeDouble;
let db: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  stripe = await startStripeDouble();
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await stripe.close();
  await database.drop();
});

interface Server {
  child: ChildProcess;
  url: string;
  logs: () => string;
  exited: Promise<unknown>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      JWT_SECRET: 'crash-test-secret-crash-test-secret-0123',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      ...stripeSettings(stripe),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(() => output.includes('Serenity is up'), () => `server did not start:\n${output}`, exited);
  return { child, url: `http://127.0.0.1:${port}/webhooks/stripe`, logs: () => output, exited };
}

async function waitFor(ready: () => boolean, describe: () => string, exited?: Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  let gone = false;
  void exited?.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (gone || Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function grants(intentId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM credit_ledger_entry WHERE type = 'GRANT' AND reference = $1", [intentId]);
  return rows[0]!.n;
}

describe('a crash inside the webhook transaction', () => {
  it('loses nothing and grants once after a restart and redelivery', async () => {
    const first = await startServer({ TEST_PAUSE_WEBHOOK_BEFORE_COMMIT: 'true' });
    // A pending purchase of the seeded Acme organization, with its PaymentIntent at "Stripe".
    const { rows } = await db.query<{ id: string; org: string; pkg: string; buyer: string }>(
      `INSERT INTO purchase (id, organization_id, package_id, buyer_id, status, amount_amount, amount_currency, created_at, updated_at)
       SELECT gen_random_uuid(), o.id, p.id, u.id, 'PENDING', p.price_amount, p.price_currency, now(), now()
         FROM organization o, package p, app_user u
        WHERE o.name = 'Acme Corporation' AND p.code = 'PKG-DISCOVERY-ASSESSMENT' AND u.email = 'jane.smith@acme.example'
       RETURNING id, organization_id AS org, package_id AS pkg, buyer_id AS buyer`,
    );
    const purchase = rows[0]!;
    const intent = await stripe.stripe.paymentIntents.create({ amount: 450000, currency: 'usd', metadata: { purchaseId: purchase.id } });
    await db.query('UPDATE purchase SET stripe_payment_intent_id = $1 WHERE id = $2', [intent.id, purchase.id]);
    const event = stripe.succeedPaymentIntent(intent.id);

    const inFlight = stripe.deliver(first.url, event).catch((error: unknown) => error);
    await waitFor(() => first.logs().includes('webhook paused before commit'), () => `the webhook never paused:\n${first.logs()}`);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await inFlight).toBeInstanceOf(Error);

    // Nothing of the interrupted transaction is left.
    expect(await grants(intent.id)).toBe(0);
    expect((await db.query('SELECT 1 FROM stripe_event WHERE id = $1', [event.id])).rowCount).toBe(0);

    const second = await startServer({});
    try {
      const redelivered = await stripe.deliver(second.url, event);
      expect(redelivered.status).toBe(200);
      expect(JSON.parse(redelivered.text).outcome).toBe('PROCESSED');
      const again = await stripe.deliver(second.url, event);
      expect(JSON.parse(again.text).outcome).toBe('DUPLICATE');
      expect(await grants(intent.id)).toBe(1);
      const { rows: after } = await db.query<{ status: string; granted: number }>(
        'SELECT p.status, l.granted FROM purchase p JOIN credit_lot l ON l.id = p.credit_lot_id WHERE p.id = $1',
        [purchase.id],
      );
      expect(after).toEqual([{ status: 'SUCCEEDED', granted: 4 }]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);
});
