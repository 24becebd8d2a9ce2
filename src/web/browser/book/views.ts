/** The widget's steps, drawn from its state; what they do is main.ts's (ViewContext). */
import type { ConsultationSummary, OpenSlot } from '@serenity/sdk';
import { calendar } from './calendar.js';
import { h } from './dom.js';
import { dateTime, longDate, money, time } from './format.js';

export type Step = 'loading' | 'signin' | 'skills' | 'pick' | 'pay' | 'done' | 'cancelled';
export type Booking = ConsultationSummary & { holdExpiresAt?: string | null | undefined };

export interface WidgetState {
  step: Step;
  skills: string[];
  duration: number;
  /** YYYY-MM shown by the calendar. */
  month: string;
  openDates: Set<string>;
  date: string | null;
  slots: OpenSlot[];
  slot: OpenSlot | null;
  purpose: string;
  payWith: 'CREDITS' | 'BOOKING_FEE';
  booking: Booking | null;
  alert: string;
  status: string;
  busy: boolean;
  /** A selector to focus after the next render (the new step's heading, …). */
  focus: string | null;
}

export interface ViewContext {
  state: WidgetState;
  zone: string;
  durations: readonly number[];
  paymentsMode: 'stripe' | 'local' | 'off';
  fee: () => { amount: number; currency: string } | null;
  /** With real Stripe and a publishable key: the card step of a held booking (card.ts), kept across renders. */
  cardStep: ((booking: Booking) => HTMLElement) | null;
  firstMonth: () => string;
  lastMonth: () => string;
  render: () => void;
  /** Runs a task with the busy state and shows its error as a message. */
  run: (task: () => Promise<void>) => Promise<void>;
  signIn: (email: string, password: string) => Promise<void>;
  start: () => Promise<void>;
  loadDates: () => Promise<void>;
  loadSlots: () => Promise<void>;
  book: () => Promise<void>;
  cancel: () => Promise<void>;
  again: () => void;
}

const formText = (value: FormDataEntryValue | null): string => (typeof value === 'string' ? value : '');

export function signInView(ctx: ViewContext): HTMLElement {
  const { state } = ctx;
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'step-heading', novalidate: true },
    h('h2', { id: 'step-heading', tabindex: '-1' }, 'Sign in to book'),
    h('label', { for: 'email' }, 'Email'),
    h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
    h('label', { for: 'password' }, 'Password'),
    h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit', disabled: state.busy }, state.busy ? 'Signing in…' : 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const email = formText(data.get('email')).trim();
    const password = formText(data.get('password'));
    if (!email || !password) {
      state.alert = 'Enter your email and password.';
      ctx.render();
      return;
    }
    void ctx.run(() => ctx.signIn(email, password));
  });
  return form;
}

export function skillsView(ctx: ViewContext): HTMLElement {
  const { state } = ctx;
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'step-heading' },
    h('h2', { id: 'step-heading', tabindex: '-1' }, 'What do you need help with?'),
    h('label', { for: 'skills' }, 'Skills, separated by commas'),
    h('input', { id: 'skills', name: 'skills', placeholder: 'e.g. Financial Planning, Strategy', required: true }),
    h('button', { type: 'submit' }, 'Find open times'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.skills = formText(new FormData(form).get('skills')).split(',').map((s) => s.trim()).filter(Boolean);
    if (state.skills.length === 0) {
      state.alert = 'Name at least one skill.';
      ctx.render();
      return;
    }
    void ctx.run(ctx.start);
  });
  return form;
}

export function pickView(ctx: ViewContext): HTMLElement {
  const { state, zone } = ctx;
  const duration = h('select', { id: 'duration', disabled: state.busy }, ...ctx.durations.map((m) => h('option', { value: m, selected: m === state.duration }, `${m} minutes`)));
  duration.addEventListener('change', () => {
    state.duration = Number(duration.value);
    state.slot = null;
    void ctx.run(ctx.loadDates);
  });
  const parts: HTMLElement[] = [
    h('div', { class: 'row' }, h('label', { for: 'duration' }, 'Length'), duration),
    calendar({
      month: state.month,
      open: state.openDates,
      selected: state.date,
      first: ctx.firstMonth(),
      last: ctx.lastMonth(),
      onPick: (date) => {
        state.date = date;
        state.slot = null;
        state.focus = '#slots-heading';
        void ctx.run(ctx.loadSlots);
      },
      onMonth: (month) => {
        state.month = month;
        state.focus = '#month-heading';
        ctx.render();
      },
    }),
  ];
  if (state.openDates.size === 0 && !state.busy) parts.push(h('p', { class: 'empty' }, 'No open times in the next two months for this length: try a shorter one.'));
  if (state.date) {
    parts.push(
      h(
        'section',
        { class: 'slots', 'aria-labelledby': 'slots-heading' },
        h('h2', { id: 'slots-heading', tabindex: '-1' }, `Times on ${longDate(state.date)}`),
        state.slots.length
          ? h(
              'ul',
              { class: 'slot-list' },
              ...state.slots.map((slot) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      'data-start': slot.start,
                      'aria-pressed': String(state.slot?.start === slot.start && state.slot.consultantId === slot.consultantId),
                      onclick: () => {
                        state.slot = slot;
                        state.focus = '#purpose';
                        ctx.render();
                      },
                    },
                    time(slot.start, zone),
                  ),
                ),
              ),
            )
          : h('p', { class: 'empty' }, state.busy ? 'Loading times…' : 'Nothing open that day any more: pick another date.'),
      ),
    );
  }
  if (state.slot) parts.push(bookForm(ctx, state.slot));
  return h('div', {}, ...parts);
}

function bookForm(ctx: ViewContext, slot: OpenSlot): HTMLElement {
  const { state, zone } = ctx;
  const price = ctx.fee();
  const purpose = h('textarea', { id: 'purpose', name: 'purpose', rows: 3, maxlength: 2000, required: true });
  purpose.value = state.purpose;
  purpose.addEventListener('input', () => (state.purpose = purpose.value));
  const choice = (value: 'CREDITS' | 'BOOKING_FEE', label: string) => {
    const input = h('input', { type: 'radio', name: 'payWith', id: `pay-${value}`, value, checked: state.payWith === value });
    input.addEventListener('change', () => (state.payWith = value));
    return h('div', { class: 'choice' }, input, h('label', { for: `pay-${value}` }, label));
  };
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'book-heading' },
    h('h2', { id: 'book-heading' }, `Book ${dateTime(slot.start, zone)} (${state.duration} minutes)`),
    h('label', { for: 'purpose' }, 'What is the session for?'),
    purpose,
    price
      ? h('fieldset', {}, h('legend', {}, 'Pay with'), choice('CREDITS', 'A credit of your organization'), choice('BOOKING_FEE', `The booking fee (${money(price.amount, price.currency)})`))
      : null,
    h('button', { type: 'submit', disabled: state.busy }, state.busy ? 'Booking…' : `Book ${time(slot.start, zone)}`),
  );
  if (!price) state.payWith = 'CREDITS';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!state.purpose.trim()) {
      state.alert = 'Say in a few words what the session is for.';
      state.focus = '#purpose';
      ctx.render();
      return;
    }
    void ctx.run(ctx.book);
  });
  return form;
}

export function payView(ctx: ViewContext): HTMLElement {
  const { state, zone } = ctx;
  const booking = state.booking!;
  const amount = booking.payment.fee ? money(booking.payment.fee.amount, booking.payment.fee.currency) : 'the fee';
  const secret = booking.payment.clientSecret;
  if (ctx.paymentsMode === 'stripe' && ctx.cardStep && secret) return ctx.cardStep(booking);
  let action: HTMLElement;
  if (ctx.paymentsMode === 'local' && secret) {
    // Development: the local Stripe simulator's card page stands in for Stripe.js.
    action = h('a', { class: 'button', href: `/dev/pay?client_secret=${encodeURIComponent(secret)}`, target: '_blank', rel: 'noopener' }, `Pay ${amount} (simulated card page)`);
  } else {
    // Real Stripe without STRIPE_PUBLISHABLE_KEY (or payments off): no card field (README "Booking widget").
    action = h('p', {}, `Paying ${amount} by card is not available in this widget: release this time and book with a credit instead.`);
  }
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'step-heading' },
    h('h2', { id: 'step-heading', tabindex: '-1' }, 'Pay the booking fee'),
    h('p', {}, `${dateTime(booking.start, zone)} with ${booking.consultant.displayName}.`),
    action,
    h('p', { class: 'hint' }, 'This page updates by itself once the payment is through.'),
    h('button', { type: 'button', class: 'secondary', onclick: () => void ctx.run(ctx.cancel) }, 'Release this time'),
  );
}

/** Where to meet, once the link is made (usually within seconds of the booking); until then, that it is emailed. */
export function meetingLine(booking: ConsultationSummary): HTMLElement {
  const m = booking.meeting;
  const web = m.status === 'READY' && m.joinUrl && /^https?:\/\//i.test(m.joinUrl) ? m.joinUrl : null;
  if (web) {
    return h('p', { class: 'meeting', 'data-meeting': 'READY' }, 'Meeting link: ', h('a', { href: web, target: '_blank', rel: 'noopener noreferrer' }, web), m.passcode ? ` (passcode ${m.passcode})` : null);
  }
  if (m.status === 'READY' && m.joinUrl?.startsWith('tel:')) {
    return h('p', { class: 'meeting', 'data-meeting': 'READY' }, 'By phone: ', h('a', { href: m.joinUrl }, `Call ${m.dialIn ?? m.joinUrl.slice('tel:'.length)}`));
  }
  return h('p', { class: 'hint', 'data-meeting': m.status }, 'The meeting link will be emailed to you with the confirmation.');
}

export function doneView(ctx: ViewContext): HTMLElement {
  const { state, zone } = ctx;
  const booking = state.booking!;
  const cancelled = state.step === 'cancelled';
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'step-heading' },
    h('h2', { id: 'step-heading', tabindex: '-1' }, cancelled ? 'Cancelled' : 'Booked'),
    h(
      'dl',
      {},
      h('dt', {}, 'When'),
      h('dd', {}, `${dateTime(booking.start, zone)} (${booking.durationMinutes} minutes)`),
      h('dt', {}, 'With'),
      h('dd', {}, booking.consultant.displayName),
      h('dt', {}, 'Reference'),
      h('dd', {}, booking.code),
      h('dt', {}, 'Paid with'),
      h('dd', {}, booking.payment.method === 'BOOKING_FEE' ? 'The booking fee' : 'A credit'),
    ),
    cancelled ? null : meetingLine(booking),
    h(
      'div',
      { class: 'row' },
      cancelled ? null : h('button', { type: 'button', class: 'secondary', disabled: state.busy, onclick: () => void ctx.run(ctx.cancel) }, 'Cancel this booking'),
      h('button', { type: 'button', onclick: ctx.again }, 'Book another time'),
    ),
  );
}
