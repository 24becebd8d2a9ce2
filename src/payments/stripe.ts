import Stripe from 'stripe';
import type { Config } from '../config.js';
import type { StripeSimulator } from './stripe-simulator/index.js';
import { domainError, errors } from '../platform/errors.js';

/** The Stripe client and webhook secret, when payments are configured. */
export interface Payments {
  stripe: Stripe;
  webhookSecret: string;
  webhookToleranceSeconds: number;
  /** PAYMENTS_MODE=local: the in-process simulator the client talks to (see local-payments.ts). */
  simulator?: StripeSimulator;
}

declare module '../platform/context.js' {
  interface AppServices {
    /** Stripe, when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set (or PAYMENTS_MODE=local). */
    payments: Payments | null;
  }
}

/**
 * The Stripe SDK as configured (STRIPE_API_URL points it at a local test double), or null
 * without STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: then payments answer that they are not
 * set up, and everything else works.
 */
export function createPayments(config: Config): Payments | null {
  const { secretKey, webhookSecret, apiUrl, webhookToleranceSeconds } = config.stripe;
  if (!secretKey || !webhookSecret) return null;
  const options: ConstructorParameters<typeof Stripe>[1] = { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'Serenity' } };
  if (apiUrl) {
    const url = new URL(apiUrl);
    const protocol = url.protocol === 'https:' ? 'https' : 'http';
    Object.assign(options, { host: url.hostname, port: Number(url.port || (protocol === 'https' ? 443 : 80)), protocol });
  }
  return { stripe: new Stripe(secretKey, options), webhookSecret, webhookToleranceSeconds };
}

/** The error for a payment operation on a server without Stripe settings. */
export function paymentsNotConfigured() {
  return domainError(
    'SERVICE_UNAVAILABLE',
    'Payments are off on this server: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or PAYMENTS_MODE=local outside production for simulated payments (see README, Payments).',
  );
}

export function requirePayments(payments: Payments | null): Payments {
  if (!payments) throw paymentsNotConfigured();
  return payments;
}

/** A Stripe failure as a typed error: a declined card is PAYMENT_REQUIRED, an outage SERVICE_UNAVAILABLE. */
export function stripeFailure(error: unknown) {
  if (error instanceof Stripe.errors.StripeCardError) return errors.paymentRequired(error.message || 'The card was declined.', error.code ?? 'CARD_DECLINED');
  if (error instanceof Stripe.errors.StripeError) {
    return domainError('SERVICE_UNAVAILABLE', `The payment provider did not accept the request (${error.type}): try again in a moment.`);
  }
  return error;
}
