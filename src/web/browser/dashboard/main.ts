/**
 * The consultant dashboard (/dashboard): sign in, today and the coming week in the consultant's
 * own zone, the lifecycle actions, and every change made anywhere arriving live.
 *
 * Tokens live in sessionStorage (this tab only, gone when it closes); the SDK refreshes them.
 * The live feed (live.ts, the SDK's subscriptions) upserts what each event carries; after a reconnect everything is
 * loaded again, since events sent while the socket was down are not replayed.
 */
import {
  CompleteConsultationDocument,
  ConfirmConsultationDocument,
  ConsultantDocument,
  createSerenityClient,
  isSerenityError,
  MarkNoShowDocument,
  MeDocument,
  MyConsultationsDocument,
  StartConsultationDocument,
  type ConsultationSummary,
  type SerenityClient,
  type Session,
} from '@serenity/sdk';
import './dashboard.css';
import { h, replaceKeepingFocus } from './dom.js';
import { completeForm, noShowForm } from './forms.js';
import { followSchedule, type LiveStatus, type ScheduleEvent, type ScheduleFeed } from './live.js';
import { localDate, newer, openWindows, weekOf, windowsByDate, type Interval, type SessionAction } from './schedule.js';
import { availabilityList, daySections, formatsFor, statusLabel, type Formats } from './view.js';

const config = JSON.parse(document.getElementById('serenity-config')!.textContent) as { graphqlPath: string };
const app = document.getElementById('app')!;
const STORAGE_KEY = 'serenity.dashboard.tokens';

function storedTokens(): { accessToken: string; refreshToken: string } | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as { accessToken?: unknown; refreshToken?: unknown } | null;
    return typeof value?.accessToken === 'string' && typeof value.refreshToken === 'string' ? { accessToken: value.accessToken, refreshToken: value.refreshToken } : null;
  } catch {
    return null;
  }
}

function keepTokens(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ accessToken: session.accessToken, refreshToken: session.refreshToken }));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** What a person can act on: the server's message, or what to do when it cannot be reached. */
function messageOf(error: unknown): string {
  if (isSerenityError(error, 'NETWORK_ERROR')) return 'The server cannot be reached: check your connection and try again.';
  if (isSerenityError(error, 'RATE_LIMITED')) return `${error.message}${error.retryAfterSeconds ? ` Try again in ${error.retryAfterSeconds} s.` : ''}`;
  if (isSerenityError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function newClient(): SerenityClient {
  const stored = storedTokens();
  return createSerenityClient({
    url: config.graphqlPath,
    accessToken: stored?.accessToken,
    refreshToken: stored?.refreshToken,
    onTokens: keepTokens,
    // A consultant waits for the schedule: retry a lost socket at least every 5 s (the SDK's default cap is 30 s).
    reconnectDelay: { maxMs: 5000 },
  });
}

function showSignIn(notice?: string): void {
  const email = h('input', { id: 'email', type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' }, notice ?? '');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Consultant dashboard'),
    h('p', {}, 'Sign in with your Serenity consultant account.'),
    h('div', { class: 'field' }, h('label', { for: 'email' }, 'Email'), email),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
    error,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!email.value || !password.value) {
      error.textContent = 'Enter your email and password.';
      (email.value ? password : email).focus();
      return;
    }
    submit.disabled = true;
    error.textContent = '';
    const client = newClient();
    client.login(email.value.trim(), password.value).then(
      () => startDashboard(client),
      (failure: unknown) => {
        error.textContent = messageOf(failure);
        submit.disabled = false;
        password.select();
      },
    );
  });
  app.replaceChildren(h('main', { class: 'signin-page' }, form));
  email.focus();
}

async function startDashboard(client: SerenityClient): Promise<void> {
  app.replaceChildren(h('main', { class: 'loading' }, h('p', { role: 'status' }, 'Loading your schedule…')));
  let me;
  try {
    me = (await client.request(MeDocument)).me;
  } catch (error) {
    keepTokens(null);
    return showSignIn(isSerenityError(error, 'UNAUTHENTICATED') ? 'Your session has ended: sign in again.' : messageOf(error));
  }
  if (!me?.consultantProfile) {
    await client.logout().catch(() => undefined);
    return showSignIn(me ? `${me.email} is not a consultant account: this dashboard is for consultants.` : 'Sign in again.');
  }
  const profile = (await client.request(ConsultantDocument, { id: me.consultantProfile.id }).catch(() => ({ consultant: null }))).consultant;
  new Dashboard(client, me.consultantProfile.id, me.displayName, profile?.timeZone ?? me.timeZone).start();
}

class Dashboard {
  private readonly f: Formats;
  private readonly sessions = new Map<string, ConsultationSummary>();
  private readonly movedFrom = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly errors = new Map<string, string>();
  private readonly fresh = new Set<string>();
  /** When each session last came by a live event (performance.now()): a reload started before must not drop it. */
  private readonly eventAt = new Map<string, number>();
  private windows: Map<string, Interval[]> | null = null;
  private availabilityProblem: string | null = null;
  private week = weekOf(new Date(), 'UTC');
  private feed: ScheduleFeed | null = null;
  private availabilityTimer: number | undefined;
  private clock: number | undefined;

  private readonly status = h('p', { id: 'live-status', class: 'live', role: 'status', 'data-state': 'connecting' }, 'Connecting…');
  private readonly updated = h('p', { class: 'updated' });
  private readonly announcements = h('p', { id: 'announcements', class: 'announcements', 'aria-live': 'polite' });
  private readonly problem = h('p', { class: 'error', role: 'alert' });
  private readonly availability = h('section', { id: 'availability', 'aria-labelledby': 'availability-title' });
  private readonly days = h('div', { class: 'days' });

  constructor(
    private readonly client: SerenityClient,
    private readonly consultantId: string,
    private readonly name: string,
    zone: string,
  ) {
    this.f = formatsFor(zone);
  }

  start(): void {
    const signOut = h('button', { type: 'button', class: 'sign-out' }, 'Sign out');
    signOut.addEventListener('click', () => void this.signOut());
    this.days.addEventListener('click', (event) => this.onAction(event));
    app.replaceChildren(
      h(
        'header',
        { class: 'bar' },
        h('div', { class: 'who' }, h('h1', {}, 'Consultant dashboard'), h('p', {}, `${this.name} · times in ${this.f.zone}`)),
        h('div', { class: 'state' }, this.status, this.updated),
        signOut,
      ),
      h('main', {}, h('div', { class: 'notices' }, this.problem, this.announcements), this.availability, this.days),
    );
    this.week = weekOf(new Date(), this.f.zone);
    this.render();
    this.feed = followSchedule({
      client: this.client,
      consultantId: this.consultantId,
      onEvent: (event) => this.onEvent(event),
      onStatus: (status, reconnected) => this.onStatus(status, reconnected),
      onFatal: (error) => {
        if (isSerenityError(error, 'UNAUTHENTICATED')) return void this.signOut('Your session has ended: sign in again.');
        this.problem.textContent = messageOf(error);
      },
    });
    void this.reload();
    // The actions depend on the clock (a session may be started 15 minutes early), and the week moves at midnight.
    this.clock = window.setInterval(() => {
      if (localDate(new Date(), this.f.zone) !== this.week.dates[0]) {
        this.week = weekOf(new Date(), this.f.zone);
        void this.reload();
      } else this.renderDays();
    }, 30_000);
  }

  private async signOut(notice?: string): Promise<void> {
    this.feed?.stop();
    window.clearInterval(this.clock);
    window.clearTimeout(this.availabilityTimer);
    await this.client.logout().catch(() => undefined);
    keepTokens(null);
    showSignIn(notice);
  }

  /** Everything again: at start and after a reconnect (catch-up). */
  private async reload(): Promise<void> {
    const started = performance.now();
    try {
      const loaded: ConsultationSummary[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof this.loadPage>> = await this.loadPage(after);
        loaded.push(...page.edges.map((e) => e.node));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      const seen = new Set(loaded.map((c) => c.id));
      // Gone from the week (moved away): dropped, unless an event brought it after this load began.
      for (const id of this.sessions.keys()) if (!seen.has(id) && !((this.eventAt.get(id) ?? -1) >= started)) this.sessions.delete(id);
      for (const c of loaded) this.sessions.set(c.id, newer(this.sessions.get(c.id), c));
      this.problem.textContent = '';
      this.updated.textContent = `Updated ${this.f.time(Date.now())}`;
      this.renderDays();
    } catch (error) {
      this.onRequestError(error, 'Your sessions could not be loaded');
    }
    await this.loadAvailability();
  }

  private async loadPage(after: string | null) {
    const filter = { consultantId: this.consultantId, from: this.week.from.toISOString(), to: this.week.to.toISOString() };
    return (await this.client.request(MyConsultationsDocument, { filter, first: 50, ...(after ? { after } : {}) })).myConsultations;
  }

  private async loadAvailability(): Promise<void> {
    try {
      const slots = await this.client.openSlots({ consultantId: this.consultantId, durationMinutes: 30, from: new Date().toISOString(), to: this.week.to.toISOString(), timeZone: this.f.zone });
      this.windows = windowsByDate(openWindows(slots), this.f.zone);
      this.availabilityProblem = null;
    } catch (error) {
      this.availabilityProblem = `Open hours could not be loaded: ${messageOf(error)}`;
    }
    this.renderAvailability();
  }

  private onRequestError(error: unknown, what: string): void {
    if (isSerenityError(error, 'UNAUTHENTICATED')) return void this.signOut('Your session has ended: sign in again.');
    this.problem.textContent = `${what}: ${messageOf(error)}`;
  }

  private onStatus(status: LiveStatus, reconnected: boolean): void {
    const labels: Record<LiveStatus, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', stopped: 'Not live' };
    this.status.textContent = labels[status];
    this.status.dataset['state'] = status;
    if (reconnected) void this.reload();
  }

  private onEvent(event: ScheduleEvent): void {
    const c = event.consultation;
    this.eventAt.set(c.id, performance.now());
    const known = this.sessions.get(c.id);
    const inWeek = Date.parse(c.start) >= this.week.from.getTime() && Date.parse(c.start) < this.week.to.getTime();
    if (inWeek) this.sessions.set(c.id, newer(known, c));
    else this.sessions.delete(c.id);
    if (event.kind === 'RESCHEDULED' && event.previousStart) this.movedFrom.set(c.id, event.previousStart);
    this.announce(event);
    this.fresh.add(c.id);
    window.setTimeout(() => {
      this.fresh.delete(c.id);
      this.renderDays();
    }, 4000);
    this.renderDays();
    // Open hours change with bookings, moves and cancellations: reloaded once a burst settles.
    if (['BOOKED', 'RESCHEDULED', 'CANCELLED', 'EXPIRED', 'NO_SHOW', 'COMPLETED'].includes(event.kind)) {
      window.clearTimeout(this.availabilityTimer);
      this.availabilityTimer = window.setTimeout(() => void this.loadAvailability(), 1000);
    }
  }

  private announce(event: ScheduleEvent): void {
    const c = event.consultation;
    const who = `${c.client.displayName} (${c.client.organizationName})`;
    const when = this.f.moment(c.start);
    const texts: Record<string, string> = {
      BOOKED: `New booking: ${when} with ${who}.`,
      RESCHEDULED: `Moved: ${who} now ${when}${event.previousStart ? `, was ${this.f.moment(event.previousStart)}` : ''}.`,
      CANCELLED: `Cancelled: ${when} with ${who}.`,
      PAID: `Paid: the booking fee for ${when} with ${who}.`,
      EXPIRED: `Hold lapsed: ${when} with ${who} was not paid.`,
    };
    this.announcements.textContent = texts[event.kind] ?? `${statusLabel(c.status)}: ${when} with ${who}.`;
  }

  private onAction(event: MouseEvent): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const id = button?.dataset['id'];
    const c = id ? this.sessions.get(id) : undefined;
    if (!button || !c) return;
    const label = `${this.f.moment(c.start)} with ${c.client.displayName}`;
    switch (button.dataset['action'] as SessionAction | undefined) {
      case 'confirm':
        return void this.act(c.id, async () => (await this.client.request(ConfirmConsultationDocument, { id: c.id })).confirmConsultation);
      case 'start':
        return void this.act(c.id, async () => (await this.client.request(StartConsultationDocument, { id: c.id })).startConsultation);
      case 'complete':
        return completeForm(label, (input) => this.act(c.id, async () => (await this.client.request(CompleteConsultationDocument, { id: c.id, input })).completeConsultation, true));
      case 'noShow':
        return noShowForm(label, (party, reason) =>
          this.act(c.id, async () => (await this.client.request(MarkNoShowDocument, { id: c.id, party, ...(reason ? { reason } : {}) })).markNoShow, true),
        );
      case undefined:
        return;
    }
  }

  /** Runs an action; its error is shown on the session (or, from a form, thrown back into the form). */
  private async act(id: string, run: () => Promise<ConsultationSummary>, fromForm = false): Promise<void> {
    this.pending.add(id);
    this.errors.delete(id);
    this.renderDays();
    try {
      const result = await run();
      this.sessions.set(id, newer(this.sessions.get(id), result));
    } catch (error) {
      if (isSerenityError(error, 'UNAUTHENTICATED')) return void this.signOut('Your session has ended: sign in again.');
      if (fromForm) throw new Error(messageOf(error), { cause: error });
      this.errors.set(id, messageOf(error));
    } finally {
      this.pending.delete(id);
      this.renderDays();
    }
    document.querySelector<HTMLElement>(`article[data-consultation="${CSS.escape(id)}"]`)?.focus();
  }

  private render(): void {
    this.renderAvailability();
    this.renderDays();
  }

  private renderAvailability(): void {
    const today = this.week.dates[0]!;
    this.availability.replaceChildren(
      h('h2', { id: 'availability-title' }, 'Availability at a glance'),
      h('p', { class: 'hint' }, 'Open times left for a 30-minute session, from your weekly hours minus what is booked.'),
      availabilityList(this.week.dates, today, this.windows, this.f, this.availabilityProblem),
    );
  }

  private renderDays(): void {
    const byDate = new Map<string, ConsultationSummary[]>();
    const sorted = [...this.sessions.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.id.localeCompare(b.id));
    for (const c of sorted) {
      const date = localDate(new Date(c.start), this.f.zone);
      byDate.set(date, [...(byDate.get(date) ?? []), c]);
    }
    const state = { now: new Date(), movedFrom: this.movedFrom, pending: this.pending, errors: this.errors, fresh: this.fresh };
    replaceKeepingFocus(this.days, ...daySections(this.week.dates, this.week.dates[0]!, byDate, this.f, state));
  }
}

if (storedTokens()) void startDashboard(newClient());
else showSignIn();
