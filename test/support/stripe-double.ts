/**
 * The tests' Stripe: the same simulator the local payments mode runs
 * (src/payments/stripe-simulator), spoken to by the real SDK. Tests point the app at it with
 * STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET / STRIPE_API_URL, drive it (succeedPaymentIntent,
 * failInvoice, …) and deliver the signed events themselves.
 */
import { startStripeSimulator, type StripeSimulator } from '../../src/payments/stripe-simulator/index.js';

export type StripeDouble = StripeSimulator;
export { parseStripeForm } from '../../src/payments/stripe-simulator/index.js';

export function startStripeDouble(): Promise<StripeDouble> {
  return startStripeSimulator();
}

/** The settings that point a test server's payments at `stripe` (spread into startTestServer's env). */
export function stripeSettings(stripe: StripeDouble): Record<string, string> {
  return { STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_URL: stripe.url };
}
