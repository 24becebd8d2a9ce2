/**
 * The booking fee by card with real Stripe: Stripe.js's card Element, confirmed with
 * stripe.confirmCardPayment(clientSecret) — Stripe.js shows 3-D Secure itself. Stripe.js is
 * loaded only when a visitor reaches this step (the /book pages' CSP allows its origins), and the
 * step's section is kept across renders: moving the card field's iframe would reload it.
 */
import { h } from './dom.js';
import { dateTime, money } from './format.js';
import type { Booking, ViewContext } from './views.js';

/** The little of Stripe.js this uses (https://docs.stripe.com/js). */
interface StripeCardElement {
  mount(target: HTMLElement | string): void;
  focus?(): void;
}
interface StripeJs {
  elements(): { create(type: 'card', options?: Record<string, unknown>): StripeCardElement };
  confirmCardPayment(
    clientSecret: string,
    data: { payment_method: { card: StripeCardElement } },
  ): Promise<{ paymentIntent?: { status: string }; error?: { message?: string } }>;
}
type StripeFactory = (publishableKey: string) => StripeJs;

let loading: Promise<StripeJs> | undefined;
function loadStripe(url: string, publishableKey: string): Promise<StripeJs> {
  loading ??= new Promise<StripeJs>((resolve, reject) => {
    const script = h('script', { src: url });
    script.addEventListener('load', () => {
      const factory = (window as unknown as { Stripe?: StripeFactory }).Stripe;
      if (factory) resolve(factory(publishableKey));
      else reject(new Error('Stripe.js loaded without Stripe()'));
    });
    script.addEventListener('error', () => reject(new Error('Stripe.js did not load')));
    document.head.append(script);
  });
  // A failed load is tried again next time.
  loading.catch(() => (loading = undefined));
  return loading;
}

export interface StripeSettings {
  url: string;
  publishableKey: string;
}

/** The pay step for one held booking: a section drawn once, whose buttons follow `update()`. */
export function cardPayView(ctx: ViewContext, booking: Booking, stripe: StripeSettings): { node: HTMLElement; update(): void } {
  const { state, zone } = ctx;
  const amount = booking.payment.fee ? money(booking.payment.fee.amount, booking.payment.fee.currency) : 'the fee';
  const field = h('div', { id: 'card-element', class: 'card-field', role: 'group', 'aria-labelledby': 'card-label' });
  const pay = h('button', { type: 'button' }, `Pay ${amount}`);
  const release = h('button', { type: 'button', class: 'secondary', onclick: () => void ctx.run(ctx.cancel) }, 'Release this time');
  let paying = false;
  let failedToLoad = false;
  const ready = loadStripe(stripe.url, stripe.publishableKey).then((js) => {
    const card = js.elements().create('card', { hidePostalCode: true });
    card.mount(field);
    return { js, card };
  });
  ready.catch(() => {
    failedToLoad = true;
    if (state.step !== 'pay' || state.booking?.id !== booking.id) return;
    state.alert = 'The card form could not be loaded: check your connection and reload the page, or release this time.';
    ctx.render();
  });

  pay.addEventListener('click', () => {
    const secret = booking.payment.clientSecret;
    if (!secret || paying) return;
    paying = true;
    void ctx.run(async () => {
      try {
        const { js, card } = await ready;
        const result = await js.confirmCardPayment(secret, { payment_method: { card } });
        if (result.error) {
          // Declined, wrong number, 3-D Secure failed…: Stripe's message, and another try.
          state.alert = `${result.error.message ?? 'The card was not accepted.'} Try again or with another card, or release this time.`;
          card.focus?.();
          return;
        }
        // The webhook settles it: watchPayment (main.ts) hears the booking turn SCHEDULED.
        state.status = 'Card accepted: confirming your booking…';
      } finally {
        paying = false;
      }
    });
  });

  const node = h(
    'section',
    { class: 'card', 'aria-labelledby': 'step-heading' },
    h('h2', { id: 'step-heading', tabindex: '-1' }, 'Pay the booking fee'),
    h('p', {}, `${dateTime(booking.start, zone)} with ${booking.consultant.displayName}.`),
    h('p', { id: 'card-label', class: 'label' }, 'Card'),
    field,
    pay,
    h('p', { class: 'hint' }, 'This page updates by itself once the payment is through.'),
    release,
  );
  const update = () => {
    pay.disabled = state.busy || failedToLoad;
    pay.textContent = paying ? 'Paying…' : `Pay ${amount}`;
    release.disabled = state.busy;
  };
  update();
  return { node, update };
}
