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
