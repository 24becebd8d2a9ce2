/**
 * Slot generation: which start times a consultant can be booked at. Pure (no I/O, no clock:
 * `now` is a parameter), deterministic, property-tested. `generateSlots` lists open slots and
 * `isBookable` validates one booking time; both run the very same per-candidate check
 * (`evaluate`) over the very same day plan (`planDay`), so they cannot disagree.
 *
 * Time model (layout.md "Time conventions", invariants I3): everything here is a UTC instant
 * (epoch milliseconds / `Date`); the consultant's wall-clock rules are turned into instants with
 * the zone's UTC offsets, read from Luxon's `IANAZone`. A wall time on a local date D is a
 * minute count 0..1440 ("24:00" = 1440 = the end of D).
 *
 * The rules, for a candidate start instant `s`, a duration `d` and D = the consultant-local date
 * of `s`:
 * 1. Notice and horizon: `now + minNotice <= s < now + horizonDays * 24 h` (real hours).
 *    Failing: TOO_SOON / TOO_FAR.
 * 2. Availability of D. The "sources" are the weekly intervals of D's ISO weekday plus the
 *    intervals of every EXTRA_HOURS exception whose [from, to] contains D; they are merged
 *    (overlapping or touching intervals join). Every TIME_OFF exception containing D removes its
 *    intervals; one without intervals (absent or empty list) removes the whole date (blackout).
 *    TIME_OFF always wins over EXTRA_HOURS. Avail(D) is the set of real instants whose local
 *    date is D and whose local wall time lies in what is left. The slot [s, s + d) must lie
 *    inside Avail(D), which is measured in real minutes: it never crosses local midnight (not
 *    even into an available next day), and across a DST change it covers exactly what the
 *    clock shows (spring forward: 01:00–04:00 is 2 real hours; fall back: 01:00–03:00 is 3).
 *    Failing: OUTSIDE_HOURS.
 * 3. Step grid: the wall time of `s` is `src.start + k * slotStepMinutes` (k >= 0, and before
 *    `src.end`) for at least one source interval `src` of D. The grid is laid on the sources
 *    before TIME_OFF is removed, so time off never shifts it (and never adds a start), and
 *    extra hours add their own grid without moving the weekly one. Walking the grid in wall
 *    time: a wall time that does not exist (spring-forward gap) yields no start; a repeated
 *    one (fall-back overlap) yields both of its instants, each kept only if it passes every
 *    rule. An instant with seconds or milliseconds is never on the grid. Failing: OFF_GRID.
 * 4. Max sessions per day: when `maxSessionsPerDay` is set, the busy periods whose START has
 *    local date D are counted; at the limit the day offers nothing. Failing: DAY_FULL.
 * 5. No overlap, buffers included, mirroring invariant I1: the new consultation would be
 *    stored with `schedule.bufferMinutes` and hold `[s, s + d + bufferMinutes)`; each busy
 *    period holds `[b.start, b.end + b.bufferMinutes)` (its own stored buffer). Half-open
 *    ranges; they must not intersect — exactly PostgreSQL's `tstzrange && tstzrange`, so a
 *    slot offered here is one the exclusion constraint accepts. A busy period whose range is
 *    empty (end = start, no buffer) holds nothing, as an empty tstzrange. The new session's
 *    buffer need not fit in the availability (a session may end exactly at closing time).
 *    Failing: OVERLAPS.
 * `isBookable` reports the first failing rule in the order above.
 *
 * Callers must pass, as `busy`, every consultation that holds time (PENDING_PAYMENT, SCHEDULED,
 * CONFIRMED, IN_PROGRESS) on the consultant-local dates concerned (for day counts) and around
 * the queried range (for overlaps). Results do not depend on the order of `busy`.
 *
 * Offsets are sampled every 6 h and transitions located to the minute by bisection; zones
 * changing offset twice within 6 hours (none in the current tz database) are not supported.
 */
import { DateTime, IANAZone } from 'luxon';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../platform/time.js';

/**
 * How far ahead (days) anything may be booked or searched, whatever a consultant's horizon:
 * the queries around a time reach days beyond it, and must stay within PostgreSQL's dates.
 */
export const MAX_AHEAD_DAYS = 3660;
/** How far back a slot search may start (it finds nothing there, but must not fail). */
export const MAX_BEHIND_DAYS = 366;

/** Local wall times "HH:MM"; end > start; "24:00" allowed as an end. */
export interface TimeInterval {
  start: string;
  end: string;
}
/** ISO weekday 1 (Mon) … 7 (Sun) → intervals; several a day; a missing day has none. */
export interface WeeklyRules {
  [weekday: number]: TimeInterval[];
}
/** A date range (local dates YYYY-MM-DD, both inclusive) of the consultant's zone. */
export interface AvailabilityException {
  from: string;
  to: string;
  /** TIME_OFF without intervals: whole days off (blackout); with intervals: blocks those hours.
   * EXTRA_HOURS: adds its intervals on those dates (intervals required). */
  kind: 'TIME_OFF' | 'EXTRA_HOURS';
  intervals?: TimeInterval[];
}
export interface Schedule {
  /** The consultant's IANA zone; rules and exceptions are in it. */
  timeZone: string;
  weekly: WeeklyRules;
  exceptions: AvailabilityException[];
  /** Slots start at each interval's start + k * step (wall-clock minutes). */
  slotStepMinutes: number;
  /** Held after each NEW session (stored on the consultation at booking). */
  bufferMinutes: number;
  /** Per consultant-local day; null = no limit. */
  maxSessionsPerDay: number | null;
  /** A slot must start at or after now + notice. */
  minNoticeMinutes: number;
  /** A slot must start before now + horizonDays * 24 h. */
  horizonDays: number;
}
/** An existing consultation that holds time: it blocks [start, end + bufferMinutes). */
export interface BusyPeriod {
  start: Date;
  end: Date;
  bufferMinutes: number;
}
/** UTC instants; slots whose START is in [from, to) are returned. */
export interface SlotQuery {
  from: Date;
  to: Date;
  durationMinutes: number;
  now: Date;
}
export interface OpenSlot {
  start: Date;
  end: Date;
}
export type SlotRejection = 'OUTSIDE_HOURS' | 'TOO_SOON' | 'TOO_FAR' | 'OVERLAPS' | 'DAY_FULL' | 'OFF_GRID';
export type Bookability = { ok: true } | { ok: false; reason: SlotRejection };

const WALL_DAY = 1440;
/** Offsets are sampled on this absolute grid (so samples repeat between calls and cache well). */
const SAMPLE_MS = 6 * HOUR_MS;
/** Real-time margin around the instants of interest: covers every instant of their local days. */
const MARGIN_MS = 3 * DAY_MS;

// ---------------------------------------------------------------------------------------------
// Validation and compilation

interface WallRange {
  start: number;
  end: number;
}
interface CompiledException {
  from: number;
  to: number;
  kind: 'TIME_OFF' | 'EXTRA_HOURS';
  /** null = the whole date (TIME_OFF only). */
  intervals: WallRange[] | null;
}
interface Compiled {
  zone: IANAZone;
  weekly: WallRange[][];
  exceptions: CompiledException[];
  step: number;
  bufferMs: number;
  maxPerDay: number | null;
  noticeMs: number;
  horizonMs: number;
}

/** "HH:MM" → minutes; 00:00–23:59, or 24:00 when `allow24`; null when malformed. */
function parseWall(value: unknown, allow24: boolean): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || minutes > WALL_DAY || (minutes === WALL_DAY && !allow24)) return null;
  return minutes;
}

/** "YYYY-MM-DD" → days since 1970-01-01; null when malformed or not a calendar date. */
function parseDay(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== value) return null;
  return ms / DAY_MS;
}

/** ISO weekday (1 = Monday) of a day number; 1970-01-01 was a Thursday. */
function isoWeekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7 + 1;
}

/** Zone names already checked (checking builds an Intl.DateTimeFormat: slow). */
const zoneValidity = new Map<string, boolean>();

function isValidZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0) return false;
  let valid = zoneValidity.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (zoneValidity.size < 1000) zoneValidity.set(name, valid);
  }
  return valid;
}

const isNonNegInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

function compileIntervals(list: unknown, where: string, problems: string[]): WallRange[] {
  if (!Array.isArray(list)) {
    problems.push(`${where}: intervals must be a list`);
    return [];
  }
  const out: WallRange[] = [];
  list.forEach((iv: Partial<TimeInterval> | null | undefined, i) => {
    const start = parseWall(iv?.start, false);
    const end = parseWall(iv?.end, true);
    if (start === null || end === null) problems.push(`${where}[${i}]: times must be "HH:MM" (end may be "24:00")`);
    else if (end <= start) problems.push(`${where}[${i}]: end must be after start`);
    else out.push({ start, end });
  });
  return out;
}

function compileSchedule(schedule: Schedule): { compiled: Compiled | null; problems: string[] } {
  const problems: string[] = [];
  if (!isValidZone(schedule.timeZone)) problems.push(`timeZone: unknown IANA zone ${JSON.stringify(schedule.timeZone)}`);
  const weekly: WallRange[][] = Array.from({ length: 8 }, () => []);
  for (const [key, list] of Object.entries(schedule.weekly ?? {})) {
    const weekday = Number(key);
    if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
      problems.push(`weekly: ${key} is not an ISO weekday (1 = Monday … 7 = Sunday)`);
      continue;
    }
    weekly[weekday] = compileIntervals(list, `weekly.${weekday}`, problems);
  }
  const exceptions: CompiledException[] = [];
  (schedule.exceptions ?? []).forEach((e, i) => {
    const where = `exceptions[${i}]`;
    const from = parseDay(e.from);
    const to = parseDay(e.to);
    if (from === null || to === null) problems.push(`${where}: from and to must be dates YYYY-MM-DD`);
    else if (to < from) problems.push(`${where}: to is before from`);
    if (e.kind !== 'TIME_OFF' && e.kind !== 'EXTRA_HOURS') problems.push(`${where}: kind must be TIME_OFF or EXTRA_HOURS`);
    const hasIntervals = e.intervals !== undefined && e.intervals !== null && (!Array.isArray(e.intervals) || e.intervals.length > 0);
    if (e.kind === 'EXTRA_HOURS' && !hasIntervals) problems.push(`${where}: EXTRA_HOURS needs intervals`);
    const intervals = hasIntervals ? compileIntervals(e.intervals, `${where}.intervals`, problems) : null;
    if (from !== null && to !== null) exceptions.push({ from, to, kind: e.kind, intervals });
  });
  const step = schedule.slotStepMinutes;
  if (!isNonNegInt(step) || step === 0) problems.push('slotStepMinutes must be a positive integer');
  if (!isNonNegInt(schedule.bufferMinutes)) problems.push('bufferMinutes must be a non-negative integer');
  if (schedule.maxSessionsPerDay !== null && !isNonNegInt(schedule.maxSessionsPerDay)) {
    problems.push('maxSessionsPerDay must be null or a non-negative integer');
  }
  if (!isNonNegInt(schedule.minNoticeMinutes)) problems.push('minNoticeMinutes must be a non-negative integer');
  if (!isNonNegInt(schedule.horizonDays)) problems.push('horizonDays must be a non-negative integer');
  if (problems.length > 0) return { compiled: null, problems };
  return {
    compiled: {
      zone: IANAZone.create(schedule.timeZone),
      weekly,
      exceptions,
      step,
      bufferMs: schedule.bufferMinutes * MINUTE_MS,
      maxPerDay: schedule.maxSessionsPerDay,
      noticeMs: schedule.minNoticeMinutes * MINUTE_MS,
      horizonMs: schedule.horizonDays * DAY_MS,
    },
    problems,
  };
}

/**
 * What is wrong with a schedule (empty when it is valid). The API validates a schedule with
 * this before storing it; the functions below throw a RangeError on an invalid one.
 */
export function validateSchedule(schedule: Schedule): string[] {
  return compileSchedule(schedule).problems;
}

function compile(schedule: Schedule): Compiled {
  const { compiled, problems } = compileSchedule(schedule);
  if (!compiled) throw new RangeError(`invalid schedule: ${problems.join('; ')}`);
  return compiled;
}

function instantOf(value: unknown, name: string): number {
  const t = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
}

function checkDuration(durationMinutes: number): void {
  if (!Number.isSafeInteger(durationMinutes) || durationMinutes <= 0) {
    throw new RangeError('durationMinutes must be a positive integer');
  }
}

function checkZone(timeZone: string): void {
  if (!isValidZone(timeZone)) throw new RangeError(`unknown IANA time zone ${JSON.stringify(timeZone)}`);
}

// ---------------------------------------------------------------------------------------------
// Zone timeline: the zone's UTC offset as constant segments over a window of real time

/** Offsets of sample instants, per zone (deterministic, so caching cannot change a result). */
const offsetCache = new Map<string, Map<number, number>>();
const OFFSET_CACHE_MAX = 50_000;

function offsetMsAt(zone: IANAZone, t: number): number {
  let perZone = offsetCache.get(zone.name);
  if (!perZone) {
    perZone = new Map();
    offsetCache.set(zone.name, perZone);
  }
  let offset = perZone.get(t);
  if (offset === undefined) {
    if (perZone.size >= OFFSET_CACHE_MAX) perZone.clear();
    offset = Math.round(zone.offset(t) * MINUTE_MS);
    perZone.set(t, offset);
  }
  return offset;
}

interface Segment {
  start: number;
  end: number;
  offset: number;
}
interface Range {
  start: number;
  end: number;
}

class Timeline {
  private readonly segments: Segment[] = [];

  /** Offsets over [from, to]; the first and last segments extend without bound. */
  constructor(zone: IANAZone, from: number, to: number) {
    let t = Math.floor(from / SAMPLE_MS) * SAMPLE_MS;
    let offset = offsetMsAt(zone, t);
    let segStart = Number.NEGATIVE_INFINITY;
    while (t < to) {
      const next = t + SAMPLE_MS;
      const nextOffset = offsetMsAt(zone, next);
      if (nextOffset !== offset) {
        // Bisect (in whole minutes) for the first instant with a different offset.
        let lo = t;
        let hi = next;
        while (hi - lo > MINUTE_MS) {
          const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
          if (offsetMsAt(zone, mid) === offset) lo = mid;
          else hi = mid;
        }
        this.segments.push({ start: segStart, end: hi, offset });
        segStart = hi;
        offset = nextOffset;
      }
      t = next;
    }
    this.segments.push({ start: segStart, end: Number.POSITIVE_INFINITY, offset });
  }

  offsetAt(t: number): number {
    for (const seg of this.segments) if (t < seg.end) return seg.offset;
    return this.segments[this.segments.length - 1]!.offset;
  }

  /** The local date (day number) of an instant. */
  dayOf(t: number): number {
    return Math.floor((t + this.offsetAt(t)) / DAY_MS);
  }

  /** The local wall time (minutes, possibly fractional) of an instant on its local date `day`. */
  wallOf(t: number, day: number): number {
    return (t + this.offsetAt(t) - day * DAY_MS) / MINUTE_MS;
  }

  /** The instants showing wall time `wall` on local date `day`: none (gap), one, or several (overlap). */
  instantsAt(day: number, wall: number): number[] {
    const naive = day * DAY_MS + wall * MINUTE_MS;
    const out: number[] = [];
    for (const seg of this.segments) {
      const t = naive - seg.offset;
      if (t >= seg.start && t < seg.end) out.push(t);
    }
    return out.sort((a, b) => a - b);
  }

  /** The real instants whose wall time on local date `day` lies in [w1, w2), as ranges. */
  realRanges(day: number, w1: number, w2: number): Range[] {
    const out: Range[] = [];
    for (const seg of this.segments) {
      const start = Math.max(day * DAY_MS + w1 * MINUTE_MS - seg.offset, seg.start);
      const end = Math.min(day * DAY_MS + w2 * MINUTE_MS - seg.offset, seg.end);
      if (start < end) out.push({ start, end });
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Day plans

/** Sorts and joins overlapping or touching ranges. */
function mergeRanges<T extends Range>(ranges: readonly T[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/** `ranges` minus `holes` (both merged and sorted). */
function subtractRanges(ranges: readonly Range[], holes: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const r of ranges) {
    let cursor = r.start;
    for (const h of holes) {
      if (h.end <= cursor || h.start >= r.end) continue;
      if (h.start > cursor) out.push({ start: cursor, end: h.start });
      cursor = Math.max(cursor, h.end);
      if (cursor >= r.end) break;
    }
    if (cursor < r.end) out.push({ start: cursor, end: r.end });
  }
  return out;
}

interface DayPlan {
  day: number;
  /** Avail(D): disjoint real ranges, sorted. */
  avail: Range[];
  /** Grid wall times (minutes) of D, sorted, unique. */
  grid: number[];
  gridSet: Set<number>;
}

function planDay(c: Compiled, tl: Timeline, day: number): DayPlan {
  const sources: WallRange[] = [...(c.weekly[isoWeekday(day)] ?? [])];
  const holes: WallRange[] = [];
  let blackout = false;
  for (const e of c.exceptions) {
    if (day < e.from || day > e.to) continue;
    if (e.kind === 'EXTRA_HOURS') sources.push(...(e.intervals ?? []));
    else if (e.intervals === null) blackout = true;
    else holes.push(...e.intervals);
  }
  const gridSet = new Set<number>();
  for (const src of sources) for (let w = src.start; w < src.end; w += c.step) gridSet.add(w);
  const grid = [...gridSet].sort((a, b) => a - b);
  if (blackout) return { day, avail: [], grid, gridSet };
  const wallSet = subtractRanges(mergeRanges(sources), mergeRanges(holes));
  const avail = mergeRanges(wallSet.flatMap((w) => tl.realRanges(day, w.start, w.end)));
  return { day, avail, grid, gridSet };
}

// ---------------------------------------------------------------------------------------------
// Busy periods

interface BusyIndex {
  /** Held ranges sorted by start. */
  starts: number[];
  /** maxEnds[i] = the latest held end among the first i + 1 ranges. */
  maxEnds: number[];
  /** Busy periods per consultant-local start date. */
  perDay: Map<number, number>;
}

function indexBusy(busy: readonly BusyPeriod[], tl: Timeline, windowStart: number, windowEnd: number): BusyIndex {
  const held: Range[] = [];
  const perDay = new Map<number, number>();
  busy.forEach((b, i) => {
    const start = instantOf(b.start, `busy[${i}].start`);
    const end = instantOf(b.end, `busy[${i}].end`);
    if (end < start) throw new RangeError(`busy[${i}]: end is before start`);
    if (!isNonNegInt(b.bufferMinutes)) throw new RangeError(`busy[${i}]: bufferMinutes must be a non-negative integer`);
    const heldEnd = end + b.bufferMinutes * MINUTE_MS;
    if (heldEnd > start) held.push({ start, end: heldEnd });
    // Starts outside the window cannot be on a local date the caller asks about.
    if (start >= windowStart && start <= windowEnd) {
      const day = tl.dayOf(start);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
  });
  held.sort((a, b) => a.start - b.start || a.end - b.end);
  const starts: number[] = [];
  const maxEnds: number[] = [];
  let maxEnd = Number.NEGATIVE_INFINITY;
  for (const r of held) {
    maxEnd = Math.max(maxEnd, r.end);
    starts.push(r.start);
    maxEnds.push(maxEnd);
  }
  return { starts, maxEnds, perDay };
}

/** Whether [start, end) intersects a held range. */
function overlapsBusy(index: BusyIndex, start: number, end: number): boolean {
  // n = the number of held ranges starting before `end`; one of them overlaps iff it ends after `start`.
  let lo = 0;
  let hi = index.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.starts[mid]! < end) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && index.maxEnds[lo - 1]! > start;
}

// ---------------------------------------------------------------------------------------------
// The one per-candidate check

interface Context {
  c: Compiled;
  tl: Timeline;
  busy: BusyIndex;
  now: number;
  durationMs: number;
}

function makeContext(c: Compiled, busy: readonly BusyPeriod[], from: number, to: number, now: number, durationMinutes: number): Context {
  const windowStart = from - MARGIN_MS;
  const windowEnd = to + MARGIN_MS;
  const tl = new Timeline(c.zone, windowStart, windowEnd);
  return { c, tl, busy: indexBusy(busy, tl, windowStart, windowEnd), now, durationMs: durationMinutes * MINUTE_MS };
}

function containedIn(avail: readonly Range[], start: number, end: number): boolean {
  return avail.some((r) => r.start <= start && end <= r.end);
}

/** Every rule, in the documented order, for start instant `t` showing wall time `wall` on `plan.day`. */
function evaluate(ctx: Context, plan: DayPlan, t: number, wall: number): SlotRejection | null {
  const { c } = ctx;
  if (t < ctx.now + c.noticeMs) return 'TOO_SOON';
  if (t >= ctx.now + c.horizonMs) return 'TOO_FAR';
  if (!containedIn(plan.avail, t, t + ctx.durationMs)) return 'OUTSIDE_HOURS';
  if (!plan.gridSet.has(wall)) return 'OFF_GRID';
  if (c.maxPerDay !== null && (ctx.busy.perDay.get(plan.day) ?? 0) >= c.maxPerDay) return 'DAY_FULL';
  if (overlapsBusy(ctx.busy, t, t + ctx.durationMs + c.bufferMs)) return 'OVERLAPS';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Open slots whose start is in [query.from, query.to), sorted by start, unique. */
export function generateSlots(schedule: Schedule, busy: readonly BusyPeriod[], query: SlotQuery): OpenSlot[] {
  const c = compile(schedule);
  const from = instantOf(query.from, 'from');
  const to = instantOf(query.to, 'to');
  const now = instantOf(query.now, 'now');
  checkDuration(query.durationMinutes);
  // Only starts in [lo, hi) can pass notice, horizon and the query range.
  const lo = Math.max(from, now + c.noticeMs);
  const hi = Math.min(to, now + c.horizonMs);
  if (lo >= hi) return [];
  const ctx = makeContext(c, busy, lo, hi, now, query.durationMinutes);
  const starts: number[] = [];
  const lastDay = ctx.tl.dayOf(hi - 1);
  for (let day = ctx.tl.dayOf(lo); day <= lastDay; day++) {
    const plan = planDay(c, ctx.tl, day);
    if (plan.avail.length === 0) continue;
    for (const wall of plan.grid) {
      for (const t of ctx.tl.instantsAt(day, wall)) {
        if (t >= from && t < to && evaluate(ctx, plan, t, wall) === null) starts.push(t);
      }
    }
  }
  starts.sort((a, b) => a - b);
  const out: OpenSlot[] = [];
  let previous = Number.NaN;
  for (const t of starts) {
    if (t !== previous) out.push({ start: new Date(t), end: new Date(t + ctx.durationMs) });
    previous = t;
  }
  return out;
}

/** Whether a session of `durationMinutes` may be booked at `start`: the rules of `generateSlots`. */
export function isBookable(
  schedule: Schedule,
  busy: readonly BusyPeriod[],
  start: Date,
  durationMinutes: number,
  now: Date,
): Bookability {
  const c = compile(schedule);
  const t = instantOf(start, 'start');
  const nowMs = instantOf(now, 'now');
  checkDuration(durationMinutes);
  const ctx = makeContext(c, busy, t, t + durationMinutes * MINUTE_MS, nowMs, durationMinutes);
  const day = ctx.tl.dayOf(t);
  const reason = evaluate(ctx, planDay(c, ctx.tl, day), t, ctx.tl.wallOf(t, day));
  return reason === null ? { ok: true } : { ok: false, reason };
}

/** The dates (YYYY-MM-DD in the VIEWER's zone) with at least one open slot, sorted. */
export function openDates(schedule: Schedule, busy: readonly BusyPeriod[], query: SlotQuery, viewerTimeZone: string): string[] {
  checkZone(viewerTimeZone);
  const dates = new Set<string>();
  for (const slot of generateSlots(schedule, busy, query)) {
    dates.add(DateTime.fromJSDate(slot.start, { zone: viewerTimeZone }).toISODate()!);
  }
  return [...dates].sort();
}

/** An instant as ISO local time with its offset in `timeZone`, e.g. "2026-03-08T09:30:00-04:00" (never "Z"). */
export function localStart(start: Date, timeZone: string): string {
  checkZone(timeZone);
  const t = instantOf(start, 'start');
  // By hand from the zone's offset: called once per listed slot, where Luxon's formatter was
  // most of openSlots' time.
  return formatLocal(t, IANAZone.create(timeZone).offset(t));
}

/**
 * `localStart` of many instants in one zone (a list of slots): the zone's offset is read once
 * per 6 hours of the covered range and per transition (the zone timeline the slot rules use),
 * not once per instant — Intl's offset lookup costs about 10 µs each.
 */
export function localStarts(starts: readonly Date[], timeZone: string): string[] {
  checkZone(timeZone);
  if (starts.length === 0) return [];
  const times = starts.map((s, i) => instantOf(s, `starts[${i}]`));
  let first = times[0]!;
  let last = first;
  for (const t of times) {
    if (t < first) first = t;
    else if (t > last) last = t;
  }
  const tl = new Timeline(IANAZone.create(timeZone), first, last);
  // Slots share few dates and offsets: their text is made once each.
  const dates = new Map<number, string>();
  const offsets = new Map<number, string>();
  return times.map((t) => {
    const offsetMs = tl.offsetAt(t);
    const local = t + offsetMs;
    const day = Math.floor(local / DAY_MS);
    let date = dates.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      dates.set(day, date);
    }
    let suffix = offsets.get(offsetMs);
    if (suffix === undefined) {
      suffix = formatLocal(0, offsetMs / MINUTE_MS).slice(19);
      offsets.set(offsetMs, suffix);
    }
    const seconds = Math.floor((local - day * DAY_MS) / 1000);
    return `${date}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}${suffix}`;
  });
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "2026-03-08T09:30:00-04:00": the wall time at offset `offset` (minutes) and that offset. */
function formatLocal(t: number, offset: number): string {
  const wall = new Date(t + offset * MINUTE_MS).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The real instants of local date `date` in `timeZone`: [its first instant, the next date's first). */
export function localDayBounds(date: string, timeZone: string): { from: Date; to: Date } {
  checkZone(timeZone);
  if (parseDay(date) === null) throw new RangeError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).startOf('day').toJSDate() };
}

