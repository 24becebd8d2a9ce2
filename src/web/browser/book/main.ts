/**
 * The booking widget (/book/<consultant code>, or /book?skills=… by skills): open dates as a
 * calendar, the slots in the visitor's zone, sign-in (or the partner's token), booking with a
 * credit or the booking fee, and booked / cancelled told to the host page (messages.ts).
 */
import {
  BookingConsultantDocument,
  BookingWidgetBookDocument,
  CancelConsultationDocument,
  ConsultationDocument,
  OpenDatesDocument,
  isSerenityError,
  type BookingConsultantQuery,
  type ConsultationSummary,
  type OpenSlot,
} from '@serenity/sdk';
import { calendar } from './calendar.js';
import { h } from './dom.js';
import { dateIn, dateTime, longDate, money, time, visitorZone } from './format.js';
import { connectHost } from './host.js';
import type { BookingInfo } from './messages.js';
import { forgetSession, openSession, type Session } from './session.js';
import './book.css';

interface WidgetConfig {
  graphqlPath: string;
  consultantCode: string | null;
  skills: string[];
  /** The platform's fee for consultants without their own (null: none). */
  bookingFee: { amount: number; currency: string } | null;
  paymentsMode: 'stripe' | 'local' | 'off';
  embedOrigins: '*' | string[];
}

type Consultant = NonNullable<BookingConsultantQuery['consultant']>;
type Booking = ConsultationSummary & { holdExpiresAt?: string | null | undefined };
type Step = 'loading' | 'signin' | 'skills' | 'pick' | 'pay' | 'done' | 'cancelled';

const config = JSON.parse(document.getElementById('serenity-config')!.textContent) as WidgetConfig;
const app = document.getElementById('app')!;
const zone = visitorZone();
const host = connectHost(config.embedOrigins);
const DURATIONS = [30, 45, 60, 90];
const DAY = 86_400_000;
const TAKEN = 'That time was just taken by someone else. Here are the times still open: please pick another.';

let session: Session = openSession(new URL(config.graphqlPath, location.origin).href);
const state = {
  step: 'loading' as Step,
  consultant: null as Consultant | null,
  skills: config.skills,
  duration: 60,
  month: dateIn(new Date(), zone).slice(0, 7),
  openDates: new Set<string>(),
  date: null as string | null,
  slots: [] as OpenSlot[],
  slot: null as OpenSlot | null,
  purpose: '',
  payWith: 'CREDITS' as 'CREDITS' | 'BOOKING_FEE',
  booking: null as Booking | null,
  alert: '',
  status: '',
  busy: false,
  focus: null as string | null,
};
let payTimer: number | undefined;

const text = (value: FormDataEntryValue | null): string => (typeof value === 'string' ? value : '');

const fee = () => state.consultant?.bookingFee ?? (state.consultant || state.skills.length ? config.bookingFee : null);
const firstMonth = () => dateIn(new Date(), zone).slice(0, 7);
const lastMonth = () => dateIn(new Date(Date.now() + 61 * DAY), zone).slice(0, 7);

function info(c: ConsultationSummary): BookingInfo {
  return { id: c.id, code: c.code, consultantId: c.consultant.id, start: c.start, end: c.end, status: c.status, paymentMethod: c.payment.method };
}

/** Every error as a sentence a person can act on: the API's messages are written so. */
function explain(error: unknown): string {
  if (isSerenityError(error)) {
    if (error.code === 'NETWORK_ERROR') return 'The booking service cannot be reached: check your connection and try again.';
    if (error.code === 'RATE_LIMITED') return `Too many requests: try again in ${error.retryAfterSeconds ?? 60} seconds.`;
    return error.message;
  }
  return 'Something went wrong: reload the page and try again.';
}

async function run(task: () => Promise<void>): Promise<void> {
  state.busy = true;
  state.alert = '';
  render();
  try {
    await task();
  } catch (error) {
    if (isSerenityError(error) && error.code === 'UNAUTHENTICATED') {
      const fromHost = session.fromHost;
      forgetSession();
      session = openSession(new URL(config.graphqlPath, location.origin).href);
      state.step = 'signin';
      state.alert = fromHost ? 'Your sign-in from this site has ended: sign in here, or reload the page.' : 'Your session has ended: please sign in again.';
      // The site may send a fresh token: what was picked is kept for it.
      if (fromHost) host.post({ type: 'token-expired' });
    } else {
      state.alert = explain(error);
    }
  } finally {
    state.busy = false;
    render();
  }
}

async function start(): Promise<void> {
  if (!session.signedIn) {
    state.step = 'signin';
    return;
  }
  if (config.consultantCode && !state.consultant) {
    const { consultant } = await session.client.request(BookingConsultantDocument, { id: config.consultantCode });
    state.consultant = consultant;
  }
  if (!state.consultant && state.skills.length === 0) {
    state.step = 'skills';
    return;
  }
  state.step = 'pick';
  await loadDates();
}

function searchInput(from: Date, to: Date) {
  return {
    ...(state.consultant ? { consultantId: state.consultant.id } : { skills: state.skills }),
    durationMinutes: state.duration,
    from: from.toISOString(),
    to: to.toISOString(),
    timeZone: zone,
  };
}

async function loadDates(): Promise<void> {
  const now = new Date();
  const { openDates } = await session.client.request(OpenDatesDocument, { input: searchInput(now, new Date(now.getTime() + 61 * DAY)) });
  state.openDates = new Set(openDates);
  if (state.date && !state.openDates.has(state.date)) state.date = null;
  const first = openDates[0];
  if (!state.date && first) state.month = first.slice(0, 7);
  if (state.date) await loadSlots();
  else state.slots = [];
}

async function loadSlots(): Promise<void> {
  const date = state.date!;
  // The whole local day, whatever the zone's offset (±14 h), never before now.
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  const from = new Date(Math.max(Date.now(), dayStart - 14 * 3_600_000));
  const to = new Date(dayStart + DAY + 14 * 3_600_000);
  const slots = from < to ? await session.client.openSlots(searchInput(from, to)) : [];
  state.slots = slots.filter((slot) => slot.localStart.startsWith(date));
  if (state.slot && !state.slots.some((s) => s.start === state.slot!.start && s.consultantId === state.slot!.consultantId)) state.slot = null;
}

async function book(): Promise<void> {
  const slot = state.slot!;
  try {
    const { bookConsultation } = await session.client.request(BookingWidgetBookDocument, {
      input: {
        consultantId: slot.consultantId,
        start: slot.start,
        durationMinutes: state.duration,
        purpose: state.purpose,
        payWith: state.payWith,
        ...(state.skills.length ? { skills: state.skills } : {}),
        // A retried credit booking returns the first one (a fee booking is retried by its clientSecret).
        ...(state.payWith === 'CREDITS' ? { idempotencyKey: crypto.randomUUID() } : {}),
      },
    });
    state.booking = bookConsultation;
  } catch (error) {
    if (isSerenityError(error) && error.code === 'CONFLICT') {
      state.slot = null;
      await loadDates();
      state.alert = TAKEN;
      state.focus = '#slots-heading';
      return;
    }
    throw error;
  }
  if (state.booking.status === 'PENDING_PAYMENT') {
    state.step = 'pay';
    state.status = state.booking.holdExpiresAt ? `The time is held for you until ${time(state.booking.holdExpiresAt, zone)}: pay the booking fee to confirm it.` : 'Pay the booking fee to confirm the time.';
    state.focus = '#step-heading';
    watchPayment(state.booking.id);
    return;
  }
  booked(state.booking);
}

function booked(consultation: ConsultationSummary): void {
  state.booking = consultation;
  state.step = 'done';
  state.status = `Booked for ${dateTime(consultation.start, zone)}.`;
  state.focus = '#step-heading';
  host.post({ type: 'booked', consultation: info(consultation) });
}

/** The fee is paid elsewhere (Stripe, or the local simulator's /dev/pay): the webhook settles it; this page watches. */
function watchPayment(id: string): void {
  window.clearInterval(payTimer);
  payTimer = window.setInterval(() => {
    void session.client.request(ConsultationDocument, { id }).then(
      ({ consultation }) => {
        if (!consultation || state.step !== 'pay') return window.clearInterval(payTimer);
        if (consultation.status === 'PENDING_PAYMENT') return;
        window.clearInterval(payTimer);
        if (consultation.status === 'SCHEDULED' || consultation.status === 'CONFIRMED') {
          booked(consultation);
        } else {
          state.step = 'pick';
          state.booking = null;
          state.slot = null;
          state.status = '';
          state.alert = 'The hold ended before the fee was paid, so the time was released: pick a time again.';
          void run(loadDates);
        }
        render();
      },
      () => undefined, // A missed poll is retried at the next tick.
    );
  }, 1500);
}

async function cancel(): Promise<void> {
  const { cancelConsultation } = await session.client.request(CancelConsultationDocument, { id: state.booking!.id, reason: 'Cancelled in the booking widget' });
  state.booking = cancelConsultation.consultation;
  state.step = 'cancelled';
  state.status = cancelConsultation.creditReleased ? 'Cancelled: the credit went back to your organization.' : 'Cancelled.';
  state.focus = '#step-heading';
  host.post({ type: 'cancelled', consultation: info(cancelConsultation.consultation) });
}

function again(): void {
  window.clearInterval(payTimer);
  Object.assign(state, { step: 'pick', booking: null, slot: null, purpose: '', status: '', focus: '#month-heading' });
  void run(loadDates);
}

// ————— views —————

function signInView(): HTMLElement {
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
    const email = text(data.get('email')).trim();
    const password = text(data.get('password'));
    if (!email || !password) {
      state.alert = 'Enter your email and password.';
      render();
      return;
    }
    void run(async () => {
      await session.client.login(email, password);
      session = { ...session, signedIn: true };
      await start();
      state.focus = '#step-heading';
    });
  });
  return form;
}

function skillsView(): HTMLElement {
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
    state.skills = text(new FormData(form).get('skills')).split(',').map((s) => s.trim()).filter(Boolean);
    if (state.skills.length === 0) {
      state.alert = 'Name at least one skill.';
      render();
      return;
    }
    void run(start);
  });
  return form;
}

function pickView(): HTMLElement {
  const duration = h('select', { id: 'duration', disabled: state.busy }, ...DURATIONS.map((m) => h('option', { value: m, selected: m === state.duration }, `${m} minutes`)));
  duration.addEventListener('change', () => {
    state.duration = Number(duration.value);
    state.slot = null;
    void run(loadDates);
  });
  const parts: HTMLElement[] = [
    h('div', { class: 'row' }, h('label', { for: 'duration' }, 'Length'), duration),
    calendar({
      month: state.month,
      open: state.openDates,
      selected: state.date,
      first: firstMonth(),
      last: lastMonth(),
      onPick: (date) => {
        state.date = date;
        state.slot = null;
        state.focus = '#slots-heading';
        void run(loadSlots);
      },
      onMonth: (month) => {
        state.month = month;
        state.focus = '#month-heading';
        render();
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
                        render();
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
  if (state.slot) parts.push(bookForm(state.slot));
  return h('div', {}, ...parts);
}

function bookForm(slot: OpenSlot): HTMLElement {
  const price = fee();
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
      render();
      return;
    }
    void run(book);
  });
  return form;
}

function payView(): HTMLElement {
  const booking = state.booking!;
  const amount = booking.payment.fee ? money(booking.payment.fee.amount, booking.payment.fee.currency) : 'the fee';
  const secret = booking.payment.clientSecret;
  let action: HTMLElement;
  if (config.paymentsMode === 'local' && secret) {
    // Development: the local Stripe simulator's card page stands in for Stripe.js.
    action = h('a', { class: 'button', href: `/dev/pay?client_secret=${encodeURIComponent(secret)}`, target: '_blank', rel: 'noopener' }, `Pay ${amount} (simulated card page)`);
  } else {
    action = h('p', {}, `Card payment inside the widget is not available yet: pay ${amount} from your organization's billing page before the hold ends.`);
  }
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'step-heading' },
    h('h2', { id: 'step-heading', tabindex: '-1' }, 'Pay the booking fee'),
    h('p', {}, `${dateTime(booking.start, zone)} with ${booking.consultant.displayName}.`),
    action,
    h('p', { class: 'hint' }, 'This page updates by itself once the payment is through.'),
    h('button', { type: 'button', class: 'secondary', onclick: () => void run(cancel) }, 'Release this time'),
  );
}

function doneView(): HTMLElement {
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
    h('p', { class: 'hint' }, 'The meeting link comes by email before the session.'),
    h(
      'div',
      { class: 'row' },
      cancelled ? null : h('button', { type: 'button', class: 'secondary', disabled: state.busy, onclick: () => void run(cancel) }, 'Cancel this booking'),
      h('button', { type: 'button', onclick: again }, 'Book another time'),
    ),
  );
}

function render(): void {
  const title = state.consultant ? state.consultant.displayName : state.skills.length ? `Consultants for ${state.skills.join(', ')}` : 'Book a session';
  const views: Record<Step, () => HTMLElement> = {
    loading: () => h('p', { class: 'empty' }, 'Loading…'),
    signin: signInView,
    skills: skillsView,
    pick: pickView,
    pay: payView,
    done: doneView,
    cancelled: doneView,
  };
  const signOut = session.signedIn && !session.fromHost && state.step !== 'signin'
    ? h('button', { type: 'button', class: 'link', onclick: () => void run(signOutNow) }, 'Sign out')
    : null;
  app.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, title),
      state.consultant?.title ? h('p', { class: 'subtitle' }, state.consultant.title) : null,
      h('p', { class: 'zone' }, `Times in your zone: ${zone}`),
    ),
    h('p', { role: 'alert', class: state.alert ? 'alert' : 'alert empty-alert' }, state.alert),
    h('p', { role: 'status', class: state.status ? 'status' : 'status empty-alert' }, state.status),
    views[state.step](),
    h('footer', {}, signOut),
  );
  if (state.focus) {
    app.querySelector<HTMLElement>(state.focus)?.focus();
    state.focus = null;
  }
}

async function signOutNow(): Promise<void> {
  window.clearInterval(payTimer);
  await session.client.logout().catch(() => undefined);
  forgetSession();
  session = openSession(new URL(config.graphqlPath, location.origin).href);
  Object.assign(state, { step: 'signin', booking: null, slot: null, date: null, status: '', focus: '#step-heading' });
}

// The partner's sign-in, after the ready handshake: replaces any session of this tab.
host.onToken((token) => {
  session = openSession(new URL(config.graphqlPath, location.origin).href, token);
  if (state.step === 'signin' || state.step === 'loading') void run(start);
});

if (host.embedded) {
  // The loader sizes the iframe to the content.
  new ResizeObserver(() => host.post({ type: 'resize', height: app.getBoundingClientRect().height })).observe(app);
}
render();
host.post({ type: 'ready' });
void run(start);
