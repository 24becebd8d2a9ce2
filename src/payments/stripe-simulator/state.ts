/** What the simulator holds in memory, the events it emits, and a snapshot of it for a restart. */
import Stripe from 'stripe';
import { clone, newId, noSuch, now, type Obj } from './util.js';

/** The objects kept, by kind; a snapshot saves exactly these. */
const KINDS = ['customers', 'paymentMethods', 'paymentIntents', 'charges', 'refunds', 'products', 'prices', 'subscriptions', 'invoices'] as const;
type Kind = (typeof KINDS)[number];

export interface Snapshot {
  version: 1;
  objects: Record<Kind, Obj[]>;
  invoicePaymentIntent: Array<[string, string]>;
  invoiceCount: number;
}

export class SimState {
  readonly customers = new Map<string, any>();
  /** PaymentMethods made from card numbers (Stripe's test ids like pm_card_visa are not stored). */
  readonly paymentMethods = new Map<string, any>();
  readonly paymentIntents = new Map<string, any>();
  readonly charges = new Map<string, any>();
  readonly refunds = new Map<string, any>();
  readonly products = new Map<string, any>();
  readonly prices = new Map<string, any>();
  readonly subscriptions = new Map<string, any>();
  readonly invoices = new Map<string, any>();
  readonly byPrefix: Record<string, Map<string, any> | undefined> = {
    cus: this.customers, pi: this.paymentIntents, ch: this.charges, re: this.refunds, prod: this.products, price: this.prices,
    sub: this.subscriptions, in: this.invoices,
  };
  readonly invoicePaymentIntent = new Map<string, string>(); // invoice → the PaymentIntent that pays it
  readonly paymentIntentInvoice = new Map<string, string>(); // and back
  readonly idempotent = new Map<string, { method: string; path: string; raw: string; status: number; text: string }>();
  /** Every request received (the last `historyLimit`); body is the parsed form body or query string. */
  readonly requests: Array<{ method: string; path: string; idempotencyKey: string | null; body: Record<string, unknown> }> = [];
  /** Every event emitted (the last `historyLimit`), oldest first. */
  readonly events: Stripe.Event[] = [];
  /** The API request being served, named by the events it causes. */
  request: { id: string; idempotency_key: string | null } | null = null;
  invoiceCount = 0;
  private outbox: Stripe.Event[] = [];
  private readonly listeners: Array<(event: Stripe.Event) => void> = [];

  constructor(private readonly historyLimit = Infinity) {}

  find(map: Map<string, any>, kind: string, id: string, param = 'id') {
    const found = map.get(id);
    if (!found) throw noSuch(kind, id, param);
    return found;
  }

  emit(type: string, object: Obj, previous?: Obj): Stripe.Event {
    const data = previous ? { object: clone(object), previous_attributes: previous } : { object: clone(object) };
    const event = {
      id: newId('evt'), object: 'event', api_version: Stripe.API_VERSION, created: now(), data, livemode: false,
      pending_webhooks: 1, request: this.request ?? { id: null, idempotency_key: null }, type,
    } as unknown as Stripe.Event;
    this.remember(this.events, event);
    this.outbox.push(event);
    // Inside a request the events go out once its answer is sent (see flush); otherwise soon.
    if (!this.request) setImmediate(() => this.flush());
    return event;
  }

  remember<T>(into: T[], entry: T) {
    into.push(entry);
    if (into.length > this.historyLimit) into.splice(0, into.length - this.historyLimit);
  }

  onEvent(listener: (event: Stripe.Event) => void) {
    this.listeners.push(listener);
  }

  /** Hands the events emitted so far to the listeners (webhook delivery), in order. */
  flush() {
    const out = this.outbox;
    this.outbox = [];
    for (const event of out) for (const listener of this.listeners) listener(event);
  }

  snapshot(): Snapshot {
    const objects = Object.fromEntries(KINDS.map((kind) => [kind, [...this[kind].values()]])) as Record<Kind, Obj[]>;
    return { version: 1, objects, invoicePaymentIntent: [...this.invoicePaymentIntent], invoiceCount: this.invoiceCount };
  }

  restore(snapshot: Snapshot) {
    for (const kind of KINDS) for (const object of snapshot.objects[kind] ?? []) this[kind].set(object.id, object);
    for (const [invoice, intent] of snapshot.invoicePaymentIntent) {
      this.invoicePaymentIntent.set(invoice, intent);
      this.paymentIntentInvoice.set(intent, invoice);
    }
    this.invoiceCount = snapshot.invoiceCount;
  }
}
