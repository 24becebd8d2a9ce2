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
} from '@serenity/sdk';
import { cardPayView } from './card.js';
import { h } from './dom.js';
import { dateIn, dateTime, time, visitorZone } from './format.js';
import { connectHost } from './host.js';
import type { BookingInfo } from './messages.js';
import { forgetSession, openSession, type Session } from './session.js';
import { doneView, payView, pickView, signInView, skillsView, type Booking, type Step, type ViewContext, type WidgetState } from './views.js';
import './book.css';

interface WidgetConfig {
  graphqlPath: string;
  consultantCode: string | null;
  skills: string[];
  /** The platform's fee for consultants without their own (null: none). */
  bookingFee: { amount: number; currency: string } | null;
  paymentsMode: 'stripe' | 'local' | 'off';
  /** Real Stripe with a publishable key: the fee is paid by card here, with Stripe.js from stripeJsUrl. */
  stripePublishableKey: string | null;
  stripeJsUrl: string;
  embedOrigins: '*' | string[];
}

type Consultant = NonNullable<BookingConsultantQuery['consultant']>;

const config = JSON.parse(document.getElementById('serenity-config')!.textContent) as WidgetConfig;
const app = document.getElementById('app')!;
const zone = visitorZone();
const host = connectHost(config.embedOrigins);
const DURATIONS = [30, 45, 60, 90];
const DAY = 86_400_000;
const TAKEN = 'That time was just taken by someone else. Here are the times still open: please pick another.';

let session: Session = openSession(new URL(config.graphqlPath, location.origin).href);
let consultant: Consultant | null = null;
const state: WidgetState = {
  step: 'loading',
  skills: config.skills,
  duration: 60,
  month: dateIn(new Date(), zone).slice(0, 7),
  openDates: new Set<string>(),
  date: null,
  slots: [],
  slot: null,
  purpose: '',
  payWith: 'CREDITS',
  booking: null,
  alert: '',
  status: '',
  busy: false,
  focus: null,
};
let stopWatching: () => void = () => undefined;

// The consultant's own fee, else the platform's.
const fee = () => consultant?.bookingFee ?? config.bookingFee;
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
  if (config.consultantCode && !consultant) {
    consultant = (await session.client.request(BookingConsultantDocument, { id: config.consultantCode })).consultant;
  }
  if (!consultant && state.skills.length === 0) {
    state.step = 'skills';
    return;
  }
  state.step = 'pick';
  await loadDates();
}

function searchInput(from: Date, to: Date) {
  return {
    ...(consultant ? { consultantId: consultant.id } : { skills: state.skills }),
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

const attemptKeys = new Map<string, string>();
/** One idempotency key per time tried (getRandomValues: randomUUID needs a secure context). */
function attemptKey(attempt: string): string {
  let key = attemptKeys.get(attempt);
  if (!key) {
    key = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    attemptKeys.set(attempt, key);
  }
  return key;
}

async function book(): Promise<void> {
  const slot = state.slot!;
  const attempt = `${slot.consultantId} ${slot.start} ${state.duration}`;
  try {
    const { bookConsultation } = await session.client.request(BookingWidgetBookDocument, {
      input: {
        consultantId: slot.consultantId,
        start: slot.start,
        durationMinutes: state.duration,
        purpose: state.purpose,
        payWith: state.payWith,
        ...(state.skills.length ? { skills: state.skills } : {}),
        // Booking the same time again (a lost answer, a second click) returns the first booking;
        // a fee booking is retried by its clientSecret instead.
        ...(state.payWith === 'CREDITS' ? { idempotencyKey: attemptKey(attempt) } : {}),
      },
    });
    state.booking = bookConsultation;
    // Booked: the same time booked again later (after a cancellation) is a new booking.
    attemptKeys.delete(attempt);
  } catch (error) {
    // Someone else got the time (or the consultant's day filled up): fresh times. Other conflicts say why.
    if (isSerenityError(error) && error.code === 'CONFLICT' && (error.reason === 'OVERLAPS' || error.reason === 'DAY_FULL')) {
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
  if (consultation.meeting.status === 'PENDING') watchMeeting(consultation.id);
}

/**
 * The meeting is made just after the booking (usually within seconds): the confirmation reads
 * it again a few times, briefly, to show the link; otherwise it says the email brings it.
 */
function watchMeeting(id: string): void {
  let left = 8;
  const look = () => {
    if (state.step !== 'done' || state.booking?.id !== id || left-- <= 0) return;
    void session.client.request(ConsultationDocument, { id }).then(
      ({ consultation }) => {
        if (!consultation || state.step !== 'done' || state.booking?.id !== id) return;
        if (consultation.meeting.status === 'PENDING') return void window.setTimeout(look, 1500);
        state.booking = { ...state.booking, meeting: consultation.meeting };
        render();
      },
      () => void window.setTimeout(look, 1500),
    );
  };
  window.setTimeout(look, 1000);
}

/**
 * The fee is paid elsewhere (Stripe, or the local simulator's /dev/pay) and the webhook settles
 * it: this page hears it on consultationUpdated, reads the consultation again whenever the
 * socket is (re)connected — events of a gap are not replayed — and every 15 s besides, for
 * networks that refuse WebSockets.
 */
function watchPayment(id: string): void {
  stopWatching();
  const client = session.client;
  let settled = false;
  const settle = (consultation: ConsultationSummary) => {
    if (settled || consultation.status === 'PENDING_PAYMENT' || state.step !== 'pay' || state.booking?.id !== id) return;
    settled = true;
    stopWatching();
    if (consultation.status === 'SCHEDULED' || consultation.status === 'CONFIRMED') {
      booked(consultation);
      render();
    } else {
      Object.assign(state, { step: 'pick', booking: null, slot: null, status: '' });
      void run(async () => {
        await loadDates();
        state.alert = 'The hold ended before the fee was paid, so the time was released: pick a time again.';
      });
    }
  };
  // A missed read is tried again at the next tick.
  const reload = () => client.request(ConsultationDocument, { id }).then(({ consultation }) => consultation && settle(consultation), () => undefined);
  const updates = client.consultationUpdated({ id });
  const offStatus = client.onLiveStatus((event) => event.status === 'live' && void reload());
  const timer = window.setInterval(() => void reload(), 15_000);
  stopWatching = () => {
    window.clearInterval(timer);
    offStatus();
    void updates.return();
    stopWatching = () => undefined;
  };
  void (async () => {
    try {
      for await (const consultation of updates) settle(consultation);
    } catch {
      // The socket gave up (refused token, limits): the 15 s reads carry on.
    }
  })();
}

async function cancel(): Promise<void> {
  stopWatching();
  const { cancelConsultation } = await session.client.request(CancelConsultationDocument, { id: state.booking!.id, reason: 'Cancelled in the booking widget' });
  state.booking = cancelConsultation.consultation;
  state.step = 'cancelled';
  state.status = cancelConsultation.creditReleased ? 'Cancelled: the credit went back to your organization.' : 'Cancelled.';
  state.focus = '#step-heading';
  host.post({ type: 'cancelled', consultation: info(cancelConsultation.consultation) });
}

function again(): void {
  stopWatching();
  Object.assign(state, { step: 'pick', booking: null, slot: null, purpose: '', status: '', focus: '#month-heading' });
  void run(loadDates);
}

const top = h('header');
const alertRegion = h('p', { role: 'alert', class: 'alert empty-alert' });
const statusRegion = h('p', { role: 'status', class: 'status empty-alert' });
const stepBox = h('div');
const footer = h('footer');
app.replaceChildren(top, alertRegion, statusRegion, stepBox, footer);

function render(): void {
  const title = consultant ? consultant.displayName : state.skills.length ? `Consultants for ${state.skills.join(', ')}` : 'Book a session';
  const views: Record<Step, (context: ViewContext) => HTMLElement> = {
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
  top.replaceChildren(
    h('h1', {}, title),
    consultant?.title ? h('p', { class: 'subtitle' }, consultant.title) : '',
    h('p', { class: 'zone' }, `Times in your zone: ${zone}`),
  );
  // The live regions stay in place (a screen reader announces changes of their text only).
  for (const [region, text, kind] of [[alertRegion, state.alert, 'alert'], [statusRegion, state.status, 'status']] as const) {
    if (region.textContent !== text) region.textContent = text;
    region.className = text ? kind : `${kind} empty-alert`;
  }
  const view = views[state.step](ctx);
  // The card step returns the same section while it lasts (its card field must not reload).
  if (stepBox.firstChild !== view) stepBox.replaceChildren(view);
  footer.replaceChildren(signOut ?? '');
  if (state.focus) {
    app.querySelector<HTMLElement>(state.focus)?.focus();
    state.focus = null;
  }
}

async function signIn(email: string, password: string): Promise<void> {
  await session.client.login(email, password);
  session = { ...session, signedIn: true };
  await start();
  state.focus = '#step-heading';
}

let cardView: { id: string; node: HTMLElement; update(): void } | null = null;
function cardStep(booking: Booking): HTMLElement {
  if (cardView?.id !== booking.id) {
    const publishableKey = config.stripePublishableKey!;
    cardView = { id: booking.id, ...cardPayView(ctx, booking, { url: config.stripeJsUrl, publishableKey }) };
  }
  cardView.update();
  return cardView.node;
}

const ctx: ViewContext = { state, zone, durations: DURATIONS, paymentsMode: config.paymentsMode, fee, cardStep: config.stripePublishableKey ? cardStep : null, firstMonth, lastMonth, render, run, signIn, start, loadDates, loadSlots, book, cancel, again };

async function signOutNow(): Promise<void> {
  stopWatching();
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
