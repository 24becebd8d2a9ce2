import express, { Router } from 'express';
import Stripe from 'stripe';
import type { HttpRoutes } from '../platform/routes.js';
import type { BookingFeeSettlement } from './booking-fee.js';
import { WebhookService } from './webhook.service.js';

/**
 * POST /webhooks/stripe. Stripe signs the exact bytes it sent, so this route reads the raw
 * body. A bad or missing signature is 400 and changes nothing; a failing handler is 500, so
 * Stripe delivers again (the event's effects rolled back with it).
 */
export const stripeWebhookRoutes = (settleBookingFee: BookingFeeSettlement): HttpRoutes => ({ orm, services, logger }) => {
  const router = Router();
  const log = logger.child({ component: 'stripe-webhook' });
  router.post('/webhooks/stripe', express.raw({ type: () => true, limit: services.config.bodyLimitBytes }), async (req, res) => {
    const signature = req.header('stripe-signature');
    if (!signature) {
      res.status(400).json({ error: 'Missing Stripe-Signature header.' });
      return;
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      res.status(400).json({ error: 'Empty body: expected the Stripe event JSON.' });
      return;
    }
    const payments = services.payments;
    if (!payments) {
      // Nothing here can verify an event; 503 makes Stripe retry once the settings are in.
      res.status(503).json({ error: 'Stripe webhooks are off on this server (PAYMENTS_MODE=off): set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.' });
      return;
    }
    let event: Stripe.Event;
    try {
      event = payments.stripe.webhooks.constructEvent(req.body, signature, payments.webhookSecret, payments.webhookToleranceSeconds);
    } catch (error) {
      const reason = error instanceof Stripe.errors.StripeSignatureVerificationError ? 'The signature does not match (or is too old).' : 'The body is not a Stripe event.';
      log.warn({ err: error }, 'Stripe webhook refused');
      res.status(400).json({ error: reason });
      return;
    }
    try {
      const outcome = await new WebhookService(orm.em.fork(), payments, log, services.events, services.config, settleBookingFee).process(event);
      log.info({ eventId: event.id, type: event.type, outcome }, 'Stripe event');
      res.json({ received: true, outcome });
    } catch (error) {
      log.error({ err: error, eventId: event.id, type: event.type }, 'Stripe event failed; Stripe will deliver it again');
      res.status(500).json({ error: 'The event could not be processed; it will be retried.' });
    }
  });
  return router;
};
