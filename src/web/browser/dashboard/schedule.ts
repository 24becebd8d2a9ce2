/**
 * The dashboard's rules, pure (no DOM, `now` a parameter): calendar days in the consultant's
 * zone, which actions a session offers, open windows from slots, and which of two copies of a
 * consultation is the newer. Tested with fast-check against luxon (test/web/dashboard-schedule.test.ts).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormats.set(zone, format);
  }
  return format;
}

/** The wall-clock fields of `instant` in `zone`. */
function wallClock(instant: Date, zone: string) {
  const fields: Record<string, number> = {};
  for (const part of partsIn(zone).formatToParts(instant)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
  return { year: fields['year']!, month: fields['month']!, day: fields['day']!, hour: fields['hour']! % 24, minute: fields['minute']!, second: fields['second']! };
}

/** Minutes `zone` is ahead of UTC at `instant` (e.g. 60 for Europe/Berlin in winter). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / MINUTE_MS);
}

/** The calendar date (YYYY-MM-DD) of `instant` in `zone`. */
export function localDate(instant: Date, zone: string): string {
  const w = wallClock(instant, zone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant of `date` in `zone` (midnight, or the first minute after a gap where a
 * zone skips midnight). Found by correcting a UTC guess with the zone's offset until it holds.
 */
export function startOfDay(date: string, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall;
  for (let i = 0; i < 3; i++) guess = wall - zoneOffsetMinutes(new Date(guess), zone) * MINUTE_MS;
  // Midnight did not exist (a gap): the day starts where the earlier offset ends.
  while (localDate(new Date(guess), zone) !== date) guess += localDate(new Date(guess), zone) < date ? MINUTE_MS * 15 : -MINUTE_MS * 15;
  while (localDate(new Date(guess - MINUTE_MS), zone) === date) guess -= MINUTE_MS;
  return new Date(guess);
}

/** The days the dashboard shows: today and the coming week (8 dates), and the instants that bound them. */
export function weekOf(now: Date, zone: string, days = 8): { dates: string[]; from: Date; to: Date } {
  const today = localDate(now, zone);
  const dates = Array.from({ length: days }, (_, i) => addDays(today, i));
  return { dates, from: startOfDay(today, zone), to: startOfDay(addDays(today, days), zone) };
}

export type SessionAction = 'confirm' | 'start' | 'complete' | 'noShow';

/** Mirrors the server's lifecycle (src/consultations/lifecycle.ts): the server still decides. */
export const START_EARLY_MINUTES = 15;

/** What the consultant can do with a session now. */
export function actionsFor(session: { status: string; start: string; end: string }, now: Date): SessionAction[] {
  const t = now.getTime();
  const start = Date.parse(session.start);
  const end = Date.parse(session.end);
  const actions: SessionAction[] = [];
  if (session.status === 'SCHEDULED') actions.push('confirm');
  if (session.status === 'CONFIRMED' && t >= start - START_EARLY_MINUTES * MINUTE_MS && t < end) actions.push('start');
  if (session.status === 'IN_PROGRESS') actions.push('complete');
  if (['SCHEDULED', 'CONFIRMED', 'IN_PROGRESS'].includes(session.status) && t >= start) actions.push('noShow');
  return actions;
}

export interface Interval {
  start: number;
  end: number;
}

/** Overlapping or touching slots merged into the windows they cover, earliest first. */
export function openWindows(slots: ReadonlyArray<{ start: string; end: string }>): Interval[] {
  const sorted = slots.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end) })).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const slot of sorted) {
    const last = merged.at(-1);
    if (last && slot.start <= last.end) last.end = Math.max(last.end, slot.end);
    else merged.push({ ...slot });
  }
  return merged;
}

/** A window cut at day boundaries, so each part belongs to one date of `zone`. */
export function windowsByDate(windows: readonly Interval[], zone: string): Map<string, Interval[]> {
  const byDate = new Map<string, Interval[]>();
  for (const window of windows) {
    let start = window.start;
    while (start < window.end) {
      const date = localDate(new Date(start), zone);
      const end = Math.min(window.end, startOfDay(addDays(date, 1), zone).getTime());
      byDate.set(date, [...(byDate.get(date) ?? []), { start, end }]);
      start = end;
    }
  }
  return byDate;
}

/** Of two copies of one consultation (a load and a live event may cross), the newer. */
export function newer<T extends { updatedAt: string }>(current: T | undefined, incoming: T): T {
  return current && Date.parse(current.updatedAt) > Date.parse(incoming.updatedAt) ? current : incoming;
}
