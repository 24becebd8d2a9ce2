/**
 * What the dashboard shows, built from its state: the days with their sessions, and the open
 * hours at a glance. Times are written in the consultant's zone, in the viewer's locale.
 */
import type { ConsultationSummary } from '@serenity/sdk';
import { h } from './dom.js';
import { actionsFor, addDays, startOfDay, type Interval, type SessionAction } from './schedule.js';

export interface Formats {
  zone: string;
  time(instant: string | number): string;
  /** "Today", "Tomorrow" or "Thursday, December 3". */
  day(date: string, today: string): string;
  /** "Thu, Dec 3, 2:30 PM". */
  moment(instant: string | number): string;
}

export function formatsFor(zone: string): Formats {
  const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: zone });
  const moment = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone });
  // A date alone has no zone: written as that calendar day at UTC noon.
  const day = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });
  const dayOf = (date: string) => day.format(new Date(`${date}T12:00:00Z`));
  return {
    zone,
    time: (instant) => time.format(new Date(instant)),
    moment: (instant) => moment.format(new Date(instant)),
    day: (date, today) => (date === today ? `Today, ${dayOf(date)}` : date === addDays(today, 1) ? `Tomorrow, ${dayOf(date)}` : dayOf(date)),
  };
}

const STATUS_LABELS: Record<string, string> = {
  PENDING_PAYMENT: 'Awaiting payment',
  SCHEDULED: 'Scheduled',
  CONFIRMED: 'Confirmed',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
  NO_SHOW: 'No-show',
  EXPIRED: 'Hold lapsed',
};
export const statusLabel = (status: string) => STATUS_LABELS[status] ?? status;

const ACTION_LABELS: Record<SessionAction, string> = { confirm: 'Confirm', start: 'Start', complete: 'Complete…', noShow: 'No-show…' };

function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount / 100);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}

export function paymentText(c: ConsultationSummary): string {
  const p = c.payment;
  if (p.method === 'BOOKING_FEE') {
    const fee = p.fee ? money(p.fee.amount, p.fee.currency) : 'a fee';
    if (p.feeRefunded) return `Booking fee ${fee}, refunded`;
    return c.status === 'PENDING_PAYMENT' ? `Booking fee ${fee}, awaiting payment` : `Booking fee ${fee}, paid`;
  }
  return c.usedFreeTrial ? 'Free trial session' : 'Paid with a credit';
}

const webLink = (url: string | null | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

/**
 * The meeting as the consultant needs it: Start (their host link) or Join, only for web links
 * (never a javascript: URL); a phone call as its number; and what is happening when there is no
 * link: being made, or given up on (the consultant shares one themselves).
 */
export function meeting(c: ConsultationSummary): Node {
  const m = c.meeting;
  const dd = (...children: Array<Node | string | null>) => h('span', { class: 'meeting', 'data-meeting': m?.status ?? 'NONE' }, ...children);
  if (!m || m.status === 'DELETED') return dd('No meeting');
  if (m.status === 'PENDING' && !m.joinUrl) return dd('Link on its way');
  if (m.status === 'FAILED') return dd(h('strong', {}, 'No link: share one with the client'));
  const host = webLink(m.hostUrl);
  const join = webLink(m.joinUrl);
  if (host || join) {
    return dd(
      h('a', { href: host ?? join!, rel: 'noopener noreferrer', target: '_blank', class: 'join' }, host ? 'Start the meeting' : 'Join the meeting'),
      m.passcode ? ` · passcode ${m.passcode}` : null,
    );
  }
  if (m.joinUrl?.startsWith('tel:')) return dd(h('a', { href: m.joinUrl, class: 'call' }, `Call ${m.dialIn ?? m.joinUrl.slice('tel:'.length)}`));
  return dd('Link on its way');
}

export interface CardState {
  now: Date;
  /** Where a session started before the latest move seen live. */
  movedFrom: ReadonlyMap<string, string>;
  pending: ReadonlySet<string>;
  errors: ReadonlyMap<string, string>;
  /** Sessions changed live a moment ago (highlighted). */
  fresh: ReadonlySet<string>;
}

export function sessionCard(c: ConsultationSummary, f: Formats, state: CardState): HTMLElement {
  const titleId = `s-${c.id}`;
  const moved = state.movedFrom.get(c.id);
  const error = state.errors.get(c.id);
  const busy = state.pending.has(c.id);
  const actions = actionsFor(c, state.now);
  return h(
    'article',
    {
      class: `session status-${c.status.toLowerCase()}${state.fresh.has(c.id) ? ' fresh' : ''}`,
      'data-consultation': c.id,
      'data-status': c.status,
      'data-key': c.id,
      'aria-labelledby': titleId,
      'aria-busy': busy ? 'true' : null,
      tabindex: -1,
    },
    h(
      'div',
      { class: 'session-head' },
      h('h3', { id: titleId }, h('time', { datetime: c.start }, `${f.time(c.start)} – ${f.time(c.end)}`)),
      h('span', { class: 'badge' }, statusLabel(c.status)),
    ),
    moved ? h('p', { class: 'moved' }, `Moved from ${f.moment(moved)}`) : null,
    h('p', { class: 'client' }, h('strong', {}, c.client.displayName), ` · ${c.client.organizationName}`),
    h('p', { class: 'purpose' }, c.purpose),
    h('dl', { class: 'facts' }, h('dt', {}, 'Meeting'), h('dd', {}, meeting(c)), h('dt', {}, 'Payment'), h('dd', {}, paymentText(c)), h('dt', {}, 'Code'), h('dd', {}, c.code)),
    error ? h('p', { class: 'error', role: 'alert' }, error) : null,
    actions.length
      ? h(
          'div',
          { class: 'actions' },
          actions.map((action) =>
            h('button', { type: 'button', 'data-action': action, 'data-id': c.id, 'data-key': `${c.id}:${action}`, disabled: busy, class: action === 'confirm' || action === 'start' ? 'primary' : null }, ACTION_LABELS[action]),
          ),
        )
      : null,
  );
}

export function daySections(dates: readonly string[], today: string, byDate: ReadonlyMap<string, ConsultationSummary[]>, f: Formats, state: CardState): HTMLElement[] {
  return dates.map((date) => {
    const sessions = byDate.get(date) ?? [];
    const headingId = `d-${date}`;
    const active = sessions.filter((s) => !['CANCELLED', 'EXPIRED'].includes(s.status)).length;
    return h(
      'section',
      { class: 'day', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, f.day(date, today), h('span', { class: 'count' }, sessions.length ? ` · ${active} session${active === 1 ? '' : 's'}` : '')),
      sessions.length ? h('ol', { class: 'sessions' }, sessions.map((s) => h('li', {}, sessionCard(s, f, state)))) : h('p', { class: 'empty' }, 'No sessions.'),
    );
  });
}

/** Open hours per day: "Open 9:00 AM – 12:00 PM, 1:00 PM – 5:00 PM", "No open time". */
export function availabilityList(dates: readonly string[], today: string, windows: ReadonlyMap<string, Interval[]> | null, f: Formats, problem: string | null): HTMLElement {
  if (problem) return h('p', { class: 'error', role: 'alert' }, problem);
  if (!windows) return h('p', { class: 'empty' }, 'Loading open hours…');
  return h(
    'ul',
    { class: 'glance' },
    dates.map((date) => {
      const open = windows.get(date) ?? [];
      const label = f.day(date, today).split(',')[0]!;
      const dayStart = startOfDay(date, f.zone).getTime();
      const dayEnd = startOfDay(addDays(date, 1), f.zone).getTime();
      // Windows are cut at midnight: one ending there runs "until midnight" (not "– 12:00 AM").
      const windowText = (w: Interval) => (w.start === dayStart && w.end === dayEnd ? 'all day' : `${f.time(w.start)} – ${w.end === dayEnd ? 'midnight' : f.time(w.end)}`);
      const text = open.length ? `Open ${open.map(windowText).join(', ')}` : 'No open time';
      return h('li', { class: open.length ? 'open' : 'closed' }, h('span', { class: 'glance-day' }, label), h('span', {}, text));
    }),
  );
}
