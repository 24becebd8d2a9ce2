/** An invoice paid or failed, and what that does to its subscription's status. */
import type Stripe from 'stripe';
import type { SimState } from './state.js';
import { now, type Obj } from './util.js';

export type InvoiceStatusOps = ReturnType<typeof invoiceStatusOps>;

export function invoiceStatusOps(s: SimState) {
  const subscriptionOf = (invoice: Obj) => s.subscriptions.get(invoice.parent?.subscription_details?.subscription ?? '');

  function setStatus(sub: Obj, status: string) {
    if (sub.status === status) return;
    const previous = { status: sub.status };
    sub.status = status;
    s.emit('customer.subscription.updated', sub, previous);
  }

  function invoicePaid(invoice: Obj): Stripe.Event {
    Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0, attempted: true, next_payment_attempt: null });
    invoice.attempt_count += 1;
    invoice.status_transitions.paid_at = now();
    const sub = subscriptionOf(invoice);
    if (sub && sub.status !== 'canceled') setStatus(sub, 'active');
    s.emit('invoice.payment_succeeded', invoice);
    return s.emit('invoice.paid', invoice);
  }

  function invoiceFailed(invoice: Obj): Stripe.Event {
    Object.assign(invoice, { attempted: true, next_payment_attempt: now() + 3 * 86_400 });
    invoice.attempt_count += 1;
    const sub = subscriptionOf(invoice);
    if (sub && sub.status !== 'canceled' && sub.status !== 'incomplete') setStatus(sub, 'past_due');
    return s.emit('invoice.payment_failed', invoice);
  }

  return { subscriptionOf, setStatus, invoicePaid, invoiceFailed };
}
