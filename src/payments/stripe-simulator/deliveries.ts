/**
 * Webhook delivery as Stripe does it: each event of the endpoint's types is signed and POSTed
 * to the webhook URL once its cause is answered; an answer other than 2xx (or none) is retried
 * later with growing delays, then given up and logged. Events before the URL is known wait.
 */
import type Stripe from 'stripe';
import type { Logger } from '../../platform/logger.js';
import type { StripeSimulator } from './index.js';

export interface WebhookDeliveries {
  /** Where to POST from now on (the API's own /webhooks/stripe); queued events go out. */
  target(url: string): void;
  /** Drops what is queued or waiting for a retry; an attempt in flight is abandoned. */
  stop(): void;
}

export interface DeliveryOptions {
  /** The event types the endpoint listens to (Stripe: the endpoint's enabled_events). */
  types: readonly string[];
  /** Wait before the 2nd, 3rd, … attempt (Stripe: up to 3 days; here minutes). */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  logger: Logger;
}

export function deliverWebhooks(sim: StripeSimulator, options: DeliveryOptions): WebhookDeliveries {
  const { types, retryDelaysMs = [1000, 2000, 5000, 15_000, 30_000, 60_000], timeoutMs = 10_000, logger } = options;
  let url: string | null = null;
  let stopped = false;
  const waiting: Stripe.Event[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<AbortController>();
  // First attempts go one after the other, in the order the events happened.
  let chain: Promise<void> = Promise.resolve();

  async function attempt(event: Stripe.Event, number: number): Promise<void> {
    if (stopped || !url) return;
    const abort = new AbortController();
    inFlight.add(abort);
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let outcome: string;
    try {
      const { payload, header } = sim.sign(event);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks; simulated)' },
        body: payload,
        signal: abort.signal,
      });
      await response.text();
      if (response.ok) {
        logger.debug({ eventId: event.id, type: event.type, attempt: number }, 'simulated Stripe webhook delivered');
        return;
      }
      outcome = `answered ${response.status}`;
    } catch (error) {
      if (stopped) return;
      outcome = `failed (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      clearTimeout(timer);
      inFlight.delete(abort);
    }
    const delay = retryDelaysMs[number - 1];
    if (delay === undefined) {
      logger.error({ eventId: event.id, type: event.type, attempts: number }, `simulated Stripe webhook ${outcome}; giving up`);
      return;
    }
    logger.warn({ eventId: event.id, type: event.type, attempt: number, retryInMs: delay }, `simulated Stripe webhook ${outcome}; retrying`);
    const retry = setTimeout(() => {
      timers.delete(retry);
      void attempt(event, number + 1);
    }, delay);
    timers.add(retry);
  }

  const send = (event: Stripe.Event) => {
    chain = chain.then(() => attempt(event, 1));
  };

  sim.onEvent((event) => {
    if (stopped || !types.includes(event.type)) return;
    if (url) send(event);
    else waiting.push(event);
  });

  return {
    target(webhookUrl) {
      url = webhookUrl;
      for (const event of waiting.splice(0)) send(event);
    },
    stop() {
      stopped = true;
      waiting.length = 0;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const abort of inFlight) abort.abort();
    },
  };
}
