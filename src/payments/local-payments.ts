/**
 * Payments as PAYMENTS_MODE says: Stripe itself, off, or — for development without Stripe
 * keys — the in-process Stripe simulator. In local mode the real SDK talks to the simulator on
 * a loopback port, and the simulator signs its events with the webhook secret and delivers
 * them to this API's own /webhooks/stripe, so purchases, credits and invoices run the same
 * code as with Stripe. Its objects are saved in DATA_DIR, so customers and prices the
 * database refers to survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';
import type { Config } from '../config.js';
import type { Logger } from '../platform/logger.js';
import { createPayments, type Payments } from './stripe.js';
import { deliverWebhooks } from './stripe-simulator/deliveries.js';
import { startStripeSimulator, type Snapshot } from './stripe-simulator/index.js';

export interface PaymentsRuntime {
  payments: Payments | null;
  /** The API listens on `port`: local mode starts delivering webhooks there. */
  listening(port: number): void;
  stop(): Promise<void>;
}

/** The events WebhookService acts on: what a Stripe endpoint for this API would be subscribed to. */
export const WEBHOOK_EVENTS = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'charge.refunded',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;

export async function startPayments(config: Config, logger: Logger, options: { retryDelaysMs?: readonly number[] } = {}): Promise<PaymentsRuntime> {
  const log = logger.child({ component: 'payments' });
  if (config.paymentsMode !== 'local') {
    const payments = config.paymentsMode === 'stripe' ? createPayments(config) : null;
    log.info(
      { mode: config.paymentsMode, ...(config.stripe.apiUrl && payments ? { apiUrl: config.stripe.apiUrl } : {}) },
      payments ? 'payments: Stripe' : 'payments: off (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET to take payments)',
    );
    return { payments, listening: () => {}, stop: async () => {} };
  }

  const file = path.join(config.dataDir, 'stripe-simulator.json');
  let dirty = false;
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!dirty) return;
    dirty = false;
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(simulator.snapshot()), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  const simulator = await startStripeSimulator({
    webhookSecret: config.stripe.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`,
    historyLimit: 200,
    // The API listens after this: a loopback port handed out now must not be the one it asked for.
    avoidPorts: config.port ? [config.port] : [],
    restore: readSnapshot(file, log),
    onChange() {
      dirty = true;
      saveTimer ??= setTimeout(() => {
        saveTimer = undefined;
        try {
          save();
        } catch (error) {
          log.warn({ err: error, file }, 'could not save the Stripe simulator state');
        }
      }, 200);
    },
  });
  const deliveries = deliverWebhooks(simulator, { types: WEBHOOK_EVENTS, retryDelaysMs: options.retryDelaysMs, logger: log });
  const stripe = new Stripe(simulator.secretKey, { host: simulator.host, port: simulator.port, protocol: 'http', maxNetworkRetries: 1, timeout: 10_000, telemetry: false, appInfo: { name: 'Serenity' } });
  const payments: Payments = { stripe, webhookSecret: simulator.webhookSecret, webhookToleranceSeconds: config.stripe.webhookToleranceSeconds, simulator };
  log.info(
    { mode: 'local', simulator: simulator.url, payPage: `${config.publicUrl}/dev/pay` },
    `payments: LOCAL, simulated Stripe (no real money). Pay with paymentMethodId "pm_card_visa" (or "pm_card_chargeDeclined"), or open a clientSecret at ${config.publicUrl}/dev/pay with card 4242 4242 4242 4242`,
  );

  return {
    payments,
    listening(port) {
      deliveries.target(`http://${loopback(config.host)}:${port}/webhooks/stripe`);
    },
    async stop() {
      deliveries.stop();
      clearTimeout(saveTimer);
      await simulator.close();
      try {
        save();
      } catch (error) {
        log.warn({ err: error, file }, 'could not save the Stripe simulator state');
      }
    },
  };
}

function readSnapshot(file: string, log: Logger): Snapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const snapshot = JSON.parse(text) as Snapshot;
    if (snapshot.version === 1) return snapshot;
  } catch {
    // Fall through: a damaged file is ignored (and replaced at the next change); the simulator starts empty.
  }
  log.warn({ file }, 'the saved Stripe simulator state is unreadable; starting empty');
  return undefined;
}

/** Where this process reaches its own server: a wildcard address is reached on loopback. */
function loopback(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
