/**
 * The tests' Stripe: the same simulator the local payments mode runs
 * (src/payments/stripe-simulator), spoken to by the real SDK. Tests point the app at it with
 * STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET / STRIPE_API_URL, drive it (succeedPaymentIntent,
 * failInvoice, …) and deliver the signed events themselves.
 */
import { startStripeSimulator, type StripeSimulator } from '../../src/payments/stripe-simulator/index.js';
import { startTestServer, type TestServer } from './server.js';

export type StripeDouble = StripeSimulator;
export { parseStripeForm } from '../../src/payments/stripe-simulator/index.js';

export function startStripeDouble(): Promise<StripeDouble> {
  return startStripeSimulator();
}

/** The settings that point a test server's payments at `stripe` (spread into startTestServer's env). */
export function stripeSettings(stripe: StripeDouble): Record<string, string> {
  return { STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_URL: stripe.url };
}

/** A platform booking fee of 10.00 USD: the settings of the tests where a booking may be paid by card. */
export const BOOKING_FEE_SETTINGS: Record<string, string> = { BOOKING_FEE_AMOUNT: '1000', BOOKING_FEE_CURRENCY: 'USD' };

export interface StripeTestServer {
  stripe: StripeDouble;
  server: TestServer;
  /** The server's Stripe webhook endpoint, where tests deliver the double's signed events. */
  webhookUrl: string;
}

/** A Stripe double and a test server whose payments use it; `env` adds settings (e.g. BOOKING_FEE_SETTINGS). */
export async function startStripeTestServer(env: Record<string, string> = {}): Promise<StripeTestServer> {
  const stripe = await startStripeDouble();
  let server: TestServer;
  try {
    server = await startTestServer({ ...stripeSettings(stripe), ...env });
  } catch (error) {
    // The caller never gets the double to close.
    await stripe.close();
    throw error;
  }
  return { stripe, server, webhookUrl: new URL('/webhooks/stripe', server.graphqlUrl).toString() };
}
