/** PaymentIntents, their charges and refunds: created, confirmed with a card, declined, authenticated. */
import type Stripe from 'stripe';
import { publicPaymentMethod, resolvePaymentMethod, type Decline } from './cards.js';
import type { InvoiceStatusOps } from './invoice-status.js';
import type { SimState } from './state.js';
import { ApiError, clone, flag, integer, invalid, metadata, missingParam, newId, now, text, token, unexpectedState, type Obj } from './util.js';

export type PaymentOps = ReturnType<typeof paymentOps>;

export const GENERIC_DECLINE: Decline = { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' };

/** Confirming with automatic payment methods that may redirect needs somewhere to come back to. */
function requireReturnUrl(automatic: Obj | null | undefined, returnUrl: unknown) {
  if (!flag(automatic?.enabled) || automatic?.allow_redirects === 'never' || text(returnUrl)) return;
  throw invalid(
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
  );
}

export function paymentOps(s: SimState, { invoicePaid, invoiceFailed }: InvoiceStatusOps) {
  const { customers, paymentIntents, charges, refunds, invoices, paymentIntentInvoice } = s;
  const find = s.find.bind(s);
  const emit = s.emit.bind(s);
  const cardOf = (id: string | null) => publicPaymentMethod(resolvePaymentMethod(s.paymentMethods, id ?? 'pm_card_visa')).card;

  function createPaymentIntent(p: Obj): Obj {
    const amount = integer(p, 'amount', true)!;
    if (amount < 1) throw invalid('This value must be greater than or equal to 1.', { param: 'amount' });
    const currency = text(p.currency)?.toLowerCase();
    if (!currency) throw missingParam('currency');
    const customer = text(p.customer);
    if (customer) find(customers, 'customer', customer, 'customer');
    const id = newId('pi');
    const pm = text(p.payment_method);
    if (pm) resolvePaymentMethod(s.paymentMethods, pm);
    const pi = {
      id, object: 'payment_intent', amount, amount_capturable: 0, amount_details: { tip: {} }, amount_received: 0,
      application: null, application_fee_amount: null,
      automatic_payment_methods: p.automatic_payment_methods
        ? { allow_redirects: text(p.automatic_payment_methods.allow_redirects) ?? 'always', enabled: flag(p.automatic_payment_methods.enabled) }
        : null,
      canceled_at: null, cancellation_reason: null, capture_method: 'automatic_async', client_secret: `${id}_secret_${token(25)}`,
      confirmation_method: 'automatic', created: now(), currency, customer, customer_account: null, description: text(p.description),
      excluded_payment_method_types: null, last_payment_error: null, latest_charge: null, livemode: false, metadata: metadata(p.metadata),
      next_action: null, on_behalf_of: null, payment_method: pm, payment_method_configuration_details: null,
      payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
      payment_method_types: ['card'], processing: null, receipt_email: text(p.receipt_email), review: null, setup_future_usage: null,
      shipping: null, source: null, statement_descriptor: null, statement_descriptor_suffix: null,
      status: pm ? 'requires_confirmation' : 'requires_payment_method', transfer_data: null, transfer_group: null,
    };
    paymentIntents.set(id, pi);
    emit('payment_intent.created', pi);
    return pi;
  }

  function newCharge(pi: Obj, failure?: Decline): Obj {
    const id = newId('ch');
    const charge = {
      id, object: 'charge', amount: pi.amount, amount_captured: failure ? 0 : pi.amount, amount_refunded: 0, application: null,
      application_fee: null, application_fee_amount: null, balance_transaction: failure ? null : newId('txn'),
      billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
      calculated_statement_descriptor: 'STRIPE SIMULATOR', captured: !failure, created: now(), currency: pi.currency, customer: pi.customer,
      description: pi.description, disputed: false, failure_balance_transaction: null, failure_code: failure?.code ?? null,
      failure_message: failure?.message ?? null, fraud_details: {}, livemode: false, metadata: clone(pi.metadata), on_behalf_of: null,
      outcome: failure
        ? { network_status: 'declined_by_network', reason: failure.declineCode, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
        : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
      paid: !failure, payment_intent: pi.id, payment_method: pi.payment_method,
      payment_method_details: { type: 'card', card: cardOf(pi.payment_method) },
      receipt_email: pi.receipt_email, receipt_number: null, receipt_url: failure ? null : `https://pay.stripe.com/receipts/simulated/${id}`,
      refunded: false, review: null, shipping: null, source: null, source_transfer: null, statement_descriptor: null,
      statement_descriptor_suffix: null, status: failure ? 'failed' : 'succeeded', transfer_data: null, transfer_group: null,
    };
    charges.set(id, charge);
    return charge;
  }

  /** The payment goes through; the invoice it pays (if any) is left to the caller. */
  function settle(pi: Obj): Stripe.Event {
    if (pi.status === 'canceled') throw unexpectedState(`PaymentIntent ${pi.id} is canceled.`);
    pi.payment_method ??= 'pm_card_visa';
    Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, last_payment_error: null, next_action: null, latest_charge: newCharge(pi).id });
    return emit('payment_intent.succeeded', pi);
  }

  function decline(pi: Obj, failure: Decline): Stripe.Event {
    pi.payment_method ??= 'pm_card_chargeDeclined';
    const charge = newCharge(pi, failure);
    pi.last_payment_error = {
      type: 'card_error', code: failure.code, decline_code: failure.declineCode, message: failure.message, charge: charge.id,
      doc_url: `https://stripe.com/docs/error-codes/${failure.code.replace(/_/g, '-')}`,
      payment_method: publicPaymentMethod(resolvePaymentMethod(s.paymentMethods, pi.payment_method)),
    };
    Object.assign(pi, { status: 'requires_payment_method', payment_method: null, next_action: null, latest_charge: charge.id });
    return emit('payment_intent.payment_failed', pi);
  }

  function succeedPaymentIntent(pi: Obj): Stripe.Event {
    if (pi.status === 'succeeded') return emit('payment_intent.succeeded', pi);
    const event = settle(pi);
    const invoice = invoices.get(paymentIntentInvoice.get(pi.id) ?? '');
    if (invoice && invoice.status === 'open') invoicePaid(invoice);
    return event;
  }

  function failPaymentIntent(pi: Obj, failure: Decline): Stripe.Event {
    if (pi.status === 'succeeded' || pi.status === 'canceled') throw unexpectedState(`PaymentIntent ${pi.id} is ${pi.status}.`);
    const event = decline(pi, failure);
    const invoice = invoices.get(paymentIntentInvoice.get(pi.id) ?? '');
    if (invoice && invoice.status === 'open') invoiceFailed(invoice);
    return event;
  }

  function confirm(pi: Obj, p: Obj): Obj {
    if (pi.status === 'succeeded') throw unexpectedState('You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.');
    if (pi.status === 'canceled') throw unexpectedState('You cannot confirm this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.');
    const pmId = text(p.payment_method) ?? pi.payment_method;
    if (!pmId) throw unexpectedState("You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.");
    const pm = resolvePaymentMethod(s.paymentMethods, String(pmId));
    requireReturnUrl(pi.automatic_payment_methods, p.return_url);
    pi.payment_method = pm.id;
    const outcome = pm.simulated_outcome;
    if (outcome.kind === 'succeed') {
      succeedPaymentIntent(pi);
      return pi;
    }
    if (outcome.kind === 'authenticate') {
      // 3-D Secure: Stripe.js would show the bank's challenge; the simulator waits for authenticate().
      Object.assign(pi, {
        status: 'requires_action',
        next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: '', source: newId('src') } },
      });
      emit('payment_intent.requires_action', pi);
      return pi;
    }
    failPaymentIntent(pi, outcome.decline);
    throw new ApiError(402, { ...clone(pi.last_payment_error), payment_intent: clone(pi) });
  }

  /** The customer passes (or fails) the 3-D Secure challenge of a PaymentIntent in requires_action. */
  function authenticate(pi: Obj, passed: boolean): Stripe.Event {
    if (pi.status !== 'requires_action') throw unexpectedState(`PaymentIntent ${pi.id} is ${pi.status}, not waiting for authentication.`);
    if (passed) return succeedPaymentIntent(pi);
    const pm = pi.payment_method;
    Object.assign(pi, {
      status: 'requires_payment_method', next_action: null, payment_method: null,
      last_payment_error: {
        type: 'invalid_request_error', code: 'payment_intent_authentication_failure',
        message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
        doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
        payment_method: publicPaymentMethod(resolvePaymentMethod(s.paymentMethods, pm)),
      },
    });
    return emit('payment_intent.payment_failed', pi);
  }

  function cancel(pi: Obj, p: Obj): Obj {
    if (pi.status === 'succeeded' || pi.status === 'canceled') {
      throw unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`);
    }
    Object.assign(pi, { status: 'canceled', canceled_at: now(), cancellation_reason: text(p.cancellation_reason) ?? 'requested_by_customer', next_action: null });
    emit('payment_intent.canceled', pi);
    return pi;
  }

  function refund(pi: Obj, p: Obj): { refund: Obj; event: Stripe.Event } {
    const charge = charges.get(pi.latest_charge ?? '');
    if (pi.status !== 'succeeded' || !charge) throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
    const left = charge.amount - charge.amount_refunded;
    if (left === 0) throw invalid(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const amount = integer(p, 'amount') ?? left;
    if (amount < 1) throw invalid('Invalid positive integer', { param: 'amount' });
    const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
    if (amount > left) throw invalid(`Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(left)})`, { code: 'amount_too_large', param: 'amount' });
    const id = newId('re');
    const created = {
      id, object: 'refund', amount, balance_transaction: newId('txn'), charge: charge.id, created: now(), currency: charge.currency,
      customer: charge.customer, customer_account: null, destination_details: { type: 'card', card: { type: 'refund', reference_status: 'pending' } },
      metadata: metadata(p.metadata), payment_intent: pi.id, payment_method: charge.payment_method, reason: text(p.reason),
      receipt_number: null, source_transfer_reversal: null, status: 'succeeded', transfer_reversal: null,
    };
    refunds.set(id, created);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    emit('refund.created', created);
    return { refund: created, event: emit('charge.refunded', charge, previous) };
  }

  return { createPaymentIntent, settle, decline, succeedPaymentIntent, failPaymentIntent, confirm, authenticate, cancel, refund, requireReturnUrl };
}
