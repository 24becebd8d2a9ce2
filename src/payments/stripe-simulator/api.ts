/** The Stripe REST API over the simulator's state: routing, expansion, lists, keys and idempotency. */
import type { BillingOps } from './billing.js';
import { createCardPaymentMethod, publicPaymentMethod, resolvePaymentMethod } from './cards.js';
import type { PaymentOps } from './payments.js';
import type { SimState } from './state.js';
import { ApiError, clone, flag, integer, invalid, list, metadata, newId, now, text, token, type Obj } from './util.js';

export interface Served {
  status: number;
  text: string;
  replayed: boolean;
}

export function apiOps(s: SimState, secretKey: string, payments: PaymentOps, billing: BillingOps) {
  const { customers, paymentIntents, charges, refunds, products, prices, subscriptions, invoices, byPrefix, invoicePaymentIntent, idempotent } = s;
  const { createPaymentIntent, confirm, cancel, refund, requireReturnUrl } = payments;
  const { createProduct, createPrice, createSubscription, updateSubscription, cancelSubscription, subscriptionOf } = billing;
  const find = s.find.bind(s);
  const emit = s.emit.bind(s);

  function lookup(id: string): Obj | undefined {
    if (id.startsWith('pm_')) {
      try {
        return publicPaymentMethod(resolvePaymentMethod(s.paymentMethods, id));
      } catch {
        return undefined;
      }
    }
    return clone(byPrefix[id.slice(0, id.indexOf('_'))]?.get(id));
  }
  /** Fields Stripe leaves out unless expanded; `payment_intent` on an invoice is kept for older code. */
  function includable(node: Obj, field: string): unknown {
    const pi = node.object === 'invoice' ? paymentIntents.get(invoicePaymentIntent.get(node.id) ?? '') : undefined;
    if (node.object === 'invoice' && field === 'confirmation_secret') return pi ? { client_secret: pi.client_secret, type: 'payment_intent' } : null;
    if (node.object === 'invoice' && field === 'payment_intent') return pi ? clone(pi) : null;
    if (node.object === 'invoice' && field === 'payments') {
      const payment = {
        id: `inpay_${node.id.slice(3)}`, object: 'invoice_payment', amount_paid: node.amount_paid, amount_requested: node.amount_due,
        created: node.created, currency: node.currency, invoice: node.id, is_default: true, livemode: false,
        payment: { type: 'payment_intent', payment_intent: pi?.id }, status: node.status === 'paid' ? 'paid' : 'open',
        status_transitions: { canceled_at: null, paid_at: node.status_transitions.paid_at },
      };
      return list(`/v1/invoice_payments?invoice=${node.id}`, pi ? [payment] : []);
    }
    if (node.object === 'charge' && field === 'refunds') return list(`/v1/charges/${node.id}/refunds`, [...refunds.values()].filter((r) => r.charge === node.id).map(clone));
    throw invalid(`This property cannot be expanded (${field}).`, { param: 'expand' });
  }
  function expandInto(node: unknown, path: string[]) {
    const [field, ...rest] = path;
    if (typeof node !== 'object' || node === null || field === undefined) return;
    const object = node as Obj;
    if (object.object === 'list' && field === 'data') {
      for (const entry of object.data) expandInto(entry, rest);
      return;
    }
    let value = object[field];
    if (typeof value === 'string') value = lookup(value) ?? value;
    else if (value === undefined) value = includable(object, field);
    object[field] = value;
    expandInto(value, rest);
  }
  const expanded = (object: Obj, expand: unknown) => {
    const out = clone(object);
    for (const path of [expand ?? []].flat() as string[]) expandInto(out, path.split('.'));
    return out;
  };

  function listed(map: Map<string, any>, path: string, p: Obj): Obj {
    const filters = ['customer', 'subscription', 'payment_intent', 'charge', 'email', 'status'].filter((key) => p[key] !== undefined);
    const value = (object: Obj, key: string) => (key === 'subscription' && object.object === 'invoice' ? subscriptionOf(object)?.id : object[key]);
    const data = [...map.values()].reverse().filter((object) =>
      filters.every((key) => (key === 'status' && p.status === 'all') || value(object, key) === p[key]) &&
      (p.status !== undefined || object.object !== 'subscription' || object.status !== 'canceled'),
    );
    const limit = integer(p, 'limit') ?? 10;
    const before = data.findIndex((object) => object.id === p.ending_before);
    const start = before >= 0 ? Math.max(0, before - limit) : data.findIndex((object) => object.id === p.starting_after) + 1;
    const end = before >= 0 ? before : start + limit;
    return { ...list(path, data.slice(start, end)), has_more: before >= 0 ? start > 0 : data.length > end };
  }

  function route(method: string, path: string, p: Obj): Obj {
    const match = /^\/v1\/([a-z_]+)(?:\/([^/]+))?(?:\/([a-z_]+))?$/.exec(path);
    const [, collection = '', id = '', action = ''] = match ?? [];
    const customer = () => find(customers, 'customer', id);
    const pi = () => find(paymentIntents, 'payment_intent', id);
    const sub = () => find(subscriptions, 'subscription', id);
    switch (`${method} ${collection}${id && '/:id'}${action && `/${action}`}`) {
      case 'POST customers': {
        const created = {
          id: newId('cus'), object: 'customer', address: null, balance: 0, created: now(), currency: null, default_source: null,
          delinquent: false, description: text(p.description), discount: null, email: text(p.email), invoice_prefix: token(8).toUpperCase(),
          invoice_settings: { custom_fields: null, default_payment_method: text(p.invoice_settings?.default_payment_method), footer: null, rendering_options: null },
          livemode: false, metadata: metadata(p.metadata), name: text(p.name), phone: text(p.phone), preferred_locales: [], shipping: null,
          tax_exempt: 'none', test_clock: null,
        };
        customers.set(created.id, created);
        emit('customer.created', created);
        return created;
      }
      case 'GET customers': return listed(customers, '/v1/customers', p);
      case 'GET customers/:id': return customer();
      case 'POST customers/:id': {
        const found = customer();
        for (const key of ['name', 'email', 'description', 'phone'] as const) if (p[key] !== undefined) found[key] = text(p[key]);
        if (p.metadata !== undefined) found.metadata = metadata(p.metadata, found.metadata);
        if (p.invoice_settings?.default_payment_method !== undefined) found.invoice_settings.default_payment_method = text(p.invoice_settings.default_payment_method);
        emit('customer.updated', found);
        return found;
      }
      case 'POST payment_intents': {
        if (flag(p.confirm)) requireReturnUrl(p.automatic_payment_methods, p.return_url);
        const created = createPaymentIntent(p);
        return flag(p.confirm) ? confirm(created, { return_url: p.return_url }) : created;
      }
      case 'GET payment_intents': return listed(paymentIntents, '/v1/payment_intents', p);
      case 'GET payment_intents/:id': return pi();
      case 'POST payment_intents/:id/confirm': return confirm(pi(), p);
      case 'POST payment_intents/:id/cancel': return cancel(pi(), p);
      case 'POST payment_methods': return publicPaymentMethod(createCardPaymentMethod(s.paymentMethods, p));
      case 'GET payment_methods/:id': return publicPaymentMethod(resolvePaymentMethod(s.paymentMethods, id, 'id'));
      case 'GET charges': return listed(charges, '/v1/charges', p);
      case 'GET charges/:id': return find(charges, 'charge', id);
      case 'POST refunds': {
        const chargeId = text(p.charge);
        const piId = text(p.payment_intent) ?? (chargeId ? find(charges, 'charge', chargeId, 'charge').payment_intent : null);
        if (!piId) throw invalid('One of the following params should be provided for this request: payment_intent or charge.');
        return refund(find(paymentIntents, 'payment_intent', piId, 'payment_intent'), p).refund;
      }
      case 'GET refunds': return listed(refunds, '/v1/refunds', p);
      case 'GET refunds/:id': return find(refunds, 'refund', id);
      case 'POST products': return createProduct(p);
      case 'GET products/:id': return find(products, 'product', id);
      case 'POST prices': return createPrice(p);
      case 'GET prices/:id': return find(prices, 'price', id);
      case 'POST subscriptions': return createSubscription(p);
      case 'GET subscriptions': return listed(subscriptions, '/v1/subscriptions', p);
      case 'GET subscriptions/:id': return sub();
      case 'POST subscriptions/:id': return updateSubscription(sub(), p);
      case 'DELETE subscriptions/:id': {
        const found = sub();
        if (found.status !== 'canceled') cancelSubscription(found, p);
        return found;
      }
      case 'GET invoices': return listed(invoices, '/v1/invoices', p);
      case 'GET invoices/:id': return find(invoices, 'invoice', id);
      default:
        throw new ApiError(404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        });
    }
  }

  function authError(authorization: string | undefined): ApiError | null {
    const [scheme, credentials = ''] = (authorization ?? '').split(' ');
    const key = scheme === 'Basic' ? Buffer.from(credentials, 'base64').toString().split(':')[0] : credentials;
    if (key === secretKey) return null;
    const message = key
      ? `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`
      : "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
    return new ApiError(401, { type: 'invalid_request_error', message });
  }

  function serve(method: string, path: string, raw: string, p: Obj, authorization: string | undefined, key: string | null): Served {
    const json = (value: unknown) => JSON.stringify(value, null, 2);
    const denied = authError(authorization);
    if (denied) return { status: denied.status, text: json(denied.body), replayed: false };
    const prior = method === 'POST' && key ? idempotent.get(key) : undefined;
    if (prior && (prior.method !== method || prior.path !== path || prior.raw !== raw)) {
      const message = prior.path === path
        ? `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`
        : `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${path}' vs '${prior.path}'). Try using a key other than '${key}' if you meant to execute a different request.`;
      return { status: 400, text: json({ error: { type: 'idempotency_error', message } }), replayed: false };
    }
    if (prior) return { status: prior.status, text: prior.text, replayed: true };
    s.request = { id: newId('req'), idempotency_key: key };
    let result: { status: number; text: string };
    try {
      result = { status: 200, text: json(expanded(route(method, path, p), p.expand)) };
    } catch (error) {
      result = error instanceof ApiError
        ? { status: error.status, text: json(error.body) }
        : { status: 500, text: json({ error: { type: 'api_error', message: `stripe simulator: ${error instanceof Error ? error.stack : String(error)}` } }) };
    } finally {
      s.request = null;
    }
    // Stripe saves the result once the endpoint ran: successes and card declines, not bad requests.
    if (method === 'POST' && key && (result.status < 400 || result.status === 402)) {
      idempotent.set(key, { method, path, raw, ...result });
      // Stripe forgets keys after 24 hours; a long-running simulator forgets the oldest.
      if (idempotent.size > 10_000) idempotent.delete(idempotent.keys().next().value!);
    }
    return { ...result, replayed: false };
  }

  return { serve };
}
