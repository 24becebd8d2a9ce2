/** The HTML of /dev/pay: a PaymentIntent, a card form with Stripe's test cards, the 3-D Secure step. */
import type Stripe from 'stripe';
import { escapeHtml as esc } from '../platform/html.js';
import { TEST_CARDS } from './stripe-simulator/index.js';

export interface PayResult {
  ok: boolean;
  message: string;
}

const money = (amount: number, currency: string) => {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100);
  } catch {
    return `${amount} ${currency.toUpperCase()} (minor units)`;
  }
};
const spaced = (number: string) => number.replace(/(\d{4})(?=\d)/g, '$1 ');
const OUTCOMES: Record<string, string> = { succeed: 'succeeds', authenticate: 'asks for 3-D Secure authentication' };

export function payPage(intent: Stripe.PaymentIntent | null, secret: string, result: PayResult | null): string {
  const expiry = `12/${String((new Date().getUTCFullYear() + 5) % 100).padStart(2, '0')}`;
  const hidden = `<input type="hidden" name="client_secret" value="${esc(secret)}">`;
  let body: string;
  if (!intent) {
    body = `${secret ? '<p class="bad">No PaymentIntent has this client secret.</p>' : ''}
<form method="get" action="/dev/pay"><label>Client secret (<code>clientSecret</code> of a purchase, subscription or booking fee)<input name="client_secret" value="${esc(secret)}" placeholder="pi_…_secret_…" required></label><button>Open</button></form>`;
  } else {
    const state = `<p><b>${esc(intent.description ?? 'Payment')}</b>: ${esc(money(intent.amount, intent.currency))} · status <code>${esc(intent.status)}</code></p>`;
    let action = '';
    if (intent.status === 'requires_payment_method' || intent.status === 'requires_confirmation') {
      action = `<form method="post" action="/dev/pay">${hidden}
<label>Card number<input name="card_number" value="4242 4242 4242 4242" inputmode="numeric" autocomplete="off" required></label>
<label>Expiry (MM/YY)<input name="exp" value="${expiry}" required></label>
<label>CVC<input name="cvc" value="123" inputmode="numeric" required></label>
<button>Pay ${esc(money(intent.amount, intent.currency))}</button></form>`;
    } else if (intent.status === 'requires_action') {
      action = `<p>The bank asks the card holder to authenticate this payment (3-D Secure).</p>
<form method="post" action="/dev/pay" class="row">${hidden}<button name="authenticate" value="pass">Complete authentication</button> <button name="authenticate" value="fail">Fail authentication</button></form>`;
    } else if (intent.status === 'succeeded') {
      action = '<p>Paid. The signed webhook is on its way to <code>/webhooks/stripe</code>: the credits (or the booking) follow in a moment.</p>';
    }
    body = state + action;
  }
  const cards = TEST_CARDS.map((card) => {
    const outcome = card.outcome.kind === 'decline' ? `is declined (<code>${esc(card.outcome.decline.declineCode)}</code>)` : OUTCOMES[card.outcome.kind];
    return `<tr><td><code>${spaced(card.number)}</code></td><td><code>${esc(card.paymentMethod)}</code></td><td>${outcome}</td></tr>`;
  }).join('');
  const notice = result ? `<p class="${result.ok ? 'good' : 'bad'}">${esc(result.message)}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Pay (simulated) · Serenity</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}label{display:block}input{display:block;margin:.25rem 0 .75rem;padding:.4rem;width:100%}button{padding:.5rem 1rem}.good{color:#176117}.bad{color:#a11}table{border-collapse:collapse;font-size:.9rem}td{padding:.2rem .5rem;border-top:1px solid #ddd}</style></head>
<body><h1>Pay (simulated Stripe)</h1>
<p>Development only (<code>PAYMENTS_MODE=local</code>): no real money moves. The same as Stripe.js confirming a <code>clientSecret</code>.</p>
${notice}${body}
<h2>Test cards</h2><p>Any future expiry and any CVC. Other numbers are refused, as in Stripe's test mode.</p><table>${cards}</table></body></html>`;
}
