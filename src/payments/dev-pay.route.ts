import express, { Router, type Request, type Response } from 'express';
import Stripe from 'stripe';
import type { HttpRoutes } from '../platform/routes.js';
import { payPage, type PayResult } from './dev-pay.page.js';
import { ApiError } from './stripe-simulator/util.js';

const SECRET = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/;

/**
 * PAYMENTS_MODE=local only: /dev/pay confirms a PaymentIntent's clientSecret with a card
 * number, as Stripe.js would, through the SDK and the simulator's own API (a PaymentMethod from
 * the card, then paymentIntents.confirm). GET shows a page; POST takes a form (answers HTML) or
 * JSON (answers JSON: { paymentIntent, error }, 402 for a declined card).
 */
export const devPayRoutes: HttpRoutes = ({ services, logger }) => {
  const router = Router();
  const payments = services.payments;
  if (!payments?.simulator || services.config.isProduction) return router;
  const { stripe, simulator } = payments;
  const log = logger.child({ component: 'dev-pay' });

  /** The PaymentIntent whose client secret this is, or null. */
  async function intentOf(secret: string): Promise<Stripe.PaymentIntent | null> {
    const id = SECRET.exec(secret)?.[1];
    if (!id) return null;
    try {
      const intent = await stripe.paymentIntents.retrieve(id);
      return intent.client_secret === secret ? intent : null;
    } catch (error) {
      if (error instanceof Stripe.errors.StripeInvalidRequestError) return null;
      throw error;
    }
  }

  router.get('/dev/pay', async (req, res) => {
    const secret = typeof req.query.client_secret === 'string' ? req.query.client_secret.trim() : '';
    const intent = secret ? await intentOf(secret) : null;
    res.status(secret && !intent ? 404 : 200).set('Cache-Control', 'no-store').type('html').send(payPage(intent, secret, null));
  });

  router.post('/dev/pay', express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' }), async (req, res) => {
    const field = (name: string) => (typeof req.body?.[name] === 'string' ? (req.body[name]).trim() : '');
    const secret = field('client_secret');
    const answer = (status: number, intent: Stripe.PaymentIntent | null, error: { code: string; declineCode?: string | null; message: string } | null) =>
      reply(req, res, status, secret, intent, error);
    const intent = await intentOf(secret);
    if (!intent) return answer(404, null, { code: 'resource_missing', message: 'No PaymentIntent has this client_secret (the clientSecret of a purchase, subscription or booking fee).' });

    const authenticate = field('authenticate');
    if (authenticate) {
      try {
        simulator.authenticate(intent.id, authenticate === 'pass');
      } catch (error) {
        if (error instanceof ApiError) return answer(409, intent, { code: String(error.body.error.code ?? 'invalid_request'), message: error.message });
        throw error;
      }
      const now = await stripe.paymentIntents.retrieve(intent.id);
      return answer(200, now, now.last_payment_error ? { code: now.last_payment_error.code ?? 'authentication_failed', message: now.last_payment_error.message ?? 'Authentication failed.' } : null);
    }

    const [month, year] = (field('exp') || `12/${new Date().getUTCFullYear() + 5}`).split('/').map((part) => part.trim());
    try {
      const method = await stripe.paymentMethods.create({
        type: 'card',
        card: { number: field('card_number') || field('number'), exp_month: Number(month), exp_year: Number(year), cvc: field('cvc') || '123' },
      });
      const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: method.id, return_url: `${services.config.publicUrl}/dev/pay?client_secret=${encodeURIComponent(secret)}` });
      log.info({ paymentIntentId: intent.id, status: confirmed.status }, 'simulated payment confirmed');
      return answer(200, confirmed, null);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        const current = error.payment_intent ?? (await stripe.paymentIntents.retrieve(intent.id));
        return answer(402, current, { code: error.code ?? 'card_declined', declineCode: error.decline_code ?? null, message: error.message });
      }
      if (error instanceof Stripe.errors.StripeInvalidRequestError) return answer(400, intent, { code: error.code ?? 'invalid_request', message: error.message });
      throw error;
    }
  });
  return router;
};

function reply(req: Request, res: Response, status: number, secret: string, intent: Stripe.PaymentIntent | null, error: { code: string; declineCode?: string | null; message: string } | null) {
  res.status(status).set('Cache-Control', 'no-store');
  if (req.is('application/json') || req.accepts(['html', 'json']) === 'json') {
    const paymentIntent = intent && { id: intent.id, status: intent.status, amount: intent.amount, currency: intent.currency, description: intent.description };
    res.json({ paymentIntent, error: error && { code: error.code, declineCode: error.declineCode ?? null, message: error.message } });
    return;
  }
  const result: PayResult | null = error
    ? { ok: false, message: error.message }
    : intent?.status === 'succeeded'
      ? { ok: true, message: 'Payment succeeded.' }
      : intent?.status === 'requires_action'
        ? { ok: true, message: 'Authentication required.' }
        : null;
  res.type('html').send(payPage(intent, secret, result));
}
