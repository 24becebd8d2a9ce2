import { DAY_MS } from '../platform/time.js';
import { sql, type Sql } from '../platform/sql.js';
import type { AvailabilityExceptionKind } from './availability.entity.js';
import type { BusyPeriod, Schedule, TimeInterval, WeeklyRules } from './slots.js';

/**
 * The scheduling domain's hand-written SQL: a consultant's schedule with its exceptions, and the
 * consultations holding their time, as fragments that carry their parameters. A booking splices
 * SCHEDULE_COLUMNS and busyPeriods into its own read (consultations/consultation.sql.ts).
 */

/**
 * The statuses of a consultation that hold its consultant's time (invariant I1: the exclusion
 * constraint's WHERE). Defined here, the lowest domain that needs them (busy time); the
 * consultation's own list (HOLDING_STATUSES) is this one.
 */
export const TIME_HOLDING_STATUSES = ['PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS'] as const;
/** A PENDING_PAYMENT consultation: a booking-fee hold, holding time until it lapses. */
const PENDING_PAYMENT = 'PENDING_PAYMENT' satisfies (typeof TIME_HOLDING_STATUSES)[number];

/** Around a searched range, for consultations starting on its local dates (see BusyWindow); lapsed holds this close are flagged. */
export const BUSY_MARGIN_MS = 2 * DAY_MS;
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The consultations whose time matters to [from, to): every one overlapping the range, and
 * every one starting on a local date the range touches (for the per-day count; sessions are at
 * most 8 h, zones at most 14 h off UTC). `exceptConsultationId` leaves out one being moved.
 */
export interface BusyWindow {
  from: Date;
  to: Date;
  exceptConsultationId?: string | null;
}

/** The window's condition on consultation `c`: holding time, in the window, not the one left out. */
function inWindow(window: BusyWindow): Sql {
  return sql`c.status IN (${TIME_HOLDING_STATUSES}) AND c.start_at < ${new Date(window.to.getTime() + BUSY_MARGIN_MS)} AND c.held_until > ${new Date(window.from.getTime() - BUSY_MARGIN_MS)}
               AND c.id <> ${window.exceptConsultationId ?? NO_ID}`;
}

/** The schedule columns and its exceptions (JSON, in date order) of `availability_schedule s`, as ScheduleRow reads them. */
export const SCHEDULE_COLUMNS = sql.raw(`s.time_zone, s.weekly, s.slot_step_minutes, s.buffer_minutes, s.max_sessions_per_day, s.min_notice_minutes, s.horizon_days,
  COALESCE((SELECT json_agg(json_build_object('from', e.from_date, 'to', e.to_date, 'kind', e.kind, 'intervals', e.intervals) ORDER BY e.from_date, e.id)
              FROM availability_exception e WHERE e.consultant_id = s.consultant_id), '[]') AS exceptions`);

/**
 * The busy periods (BusyJson) of consultant `s.consultant_id` in the window, as one JSON value.
 * With `lapsedAt` (now), each period says, fourth, whether (1) or not (0) it is a
 * PENDING_PAYMENT hold whose time to pay has passed, starting before and holding past the
 * window's margins: those must stop holding time before a booking decides (see BookingTime).
 */
export function busyPeriods(window: BusyWindow, lapsedAt: Date | null = null): Sql {
  const lapsed = lapsedAt
    ? sql`, CASE WHEN c.status = ${PENDING_PAYMENT} AND c.hold_expires_at <= ${lapsedAt} AND c.start_at < ${new Date(window.from.getTime() + BUSY_MARGIN_MS)}
                     AND c.held_until > ${new Date(window.from.getTime() - BUSY_MARGIN_MS)} THEN 1 ELSE 0 END`
    : sql.empty;
  // Arrays rather than json_build_array: a third cheaper to build for a thousand periods.
  return sql`COALESCE((SELECT json_agg(ARRAY[extract(epoch FROM c.start_at) * 1000, extract(epoch FROM c.end_at) * 1000, c.buffer_minutes${lapsed}])
              FROM consultation c
             WHERE c.consultant_id = s.consultant_id AND ${inWindow(window)}), '[]')`;
}

/**
 * The same periods merged by the database into the time they hold together, each [start, held
 * end) with no buffer: what generateSlots needs when no day count applies (maxSessionsPerDay
 * null) — a day of back-to-back sessions is one period.
 */
function mergedBusyPeriods(window: BusyWindow): Sql {
  return sql`COALESCE((SELECT json_agg(ARRAY[extract(epoch FROM lower(r)) * 1000, extract(epoch FROM upper(r)) * 1000, 0] ORDER BY lower(r))
              FROM unnest((SELECT range_agg(tstzrange(c.start_at, c.held_until, '[)'))
                             FROM consultation c
                            WHERE c.consultant_id = s.consultant_id AND ${inWindow(window)})) r), '[]')`;
}

/** A consultant's schedule with its exceptions. */
export const scheduleOfConsultant = (consultantId: string): Sql => sql`SELECT ${SCHEDULE_COLUMNS} FROM availability_schedule s WHERE s.consultant_id = ${consultantId}`;

/**
 * One consultant (openSlots of one consultant, the calendar view's hot path): their status,
 * schedule and busy periods, merged when no day limit applies.
 */
export function planOfConsultant(consultantId: string, window: BusyWindow): Sql {
  return sql`SELECT p.id, p.availability_status, s.consultant_id IS NOT NULL AS has_schedule, ${SCHEDULE_COLUMNS},
            CASE WHEN s.consultant_id IS NULL THEN NULL WHEN s.max_sessions_per_day IS NULL THEN ${mergedBusyPeriods(window)} ELSE ${busyPeriods(window)} END AS busy
       FROM consultant_profile p LEFT JOIN availability_schedule s ON s.consultant_id = p.id
      WHERE p.id = ${consultantId}`;
}

/** The busy periods of each of these consultants in the window, one row each. */
export function busyOfConsultants(consultantIds: readonly string[], window: BusyWindow): Sql {
  return sql`SELECT c.consultant_id, c.start_at, c.end_at, c.buffer_minutes FROM consultation c
      WHERE c.consultant_id = ANY(${uuidArray(consultantIds)}::uuid[]) AND ${inWindow(window)}`;
}

/** The exceptions of these consultants, in date order. */
export function exceptionsOfConsultants(consultantIds: readonly string[]): Sql {
  return sql`SELECT consultant_id, from_date::text AS "from", to_date::text AS "to", kind, intervals FROM availability_exception
      WHERE consultant_id = ANY(${uuidArray(consultantIds)}::uuid[]) ORDER BY from_date, id`;
}

function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

// ---------------------------------------------------------------------------------------------
// Rows as the statements return them

export interface ScheduleRow {
  time_zone: string;
  weekly: WeeklyRules;
  slot_step_minutes: number;
  buffer_minutes: number;
  max_sessions_per_day: number | null;
  min_notice_minutes: number;
  horizon_days: number;
  exceptions: Array<{ from: string; to: string; kind: AvailabilityExceptionKind; intervals: TimeInterval[] | null }>;
}

/** Busy periods as busyPeriods returns them: [start, end] in epoch milliseconds, buffer minutes, lapsed flag. */
export type BusyJson = Array<[number, number, number, number?]>;

/** What a booking reads of its consultant's time (SCHEDULE_COLUMNS and `busyPeriods(…) AS busy`). */
export interface BookingTime {
  /** Null when the consultant has not published availability. */
  schedule: Schedule | null;
  busy: BusyPeriod[];
  /** A PENDING_PAYMENT hold whose time to pay has passed lies around the time: expire it, then read busy again. */
  lapsedHolds: boolean;
}

/** A row with SCHEDULE_COLUMNS and `busyPeriods(window, now) AS busy` (or none: no schedule) as a booking reads it. */
export function bookingTimeOf(row: (ScheduleRow & { busy: BusyJson }) | undefined): BookingTime {
  if (!row) return { schedule: null, busy: [], lapsedHolds: false };
  return { schedule: scheduleFromRow(row), busy: busyFromJson(row.busy), lapsedHolds: row.busy.some((b) => b[3] === 1) };
}

export function scheduleFromRow(row: ScheduleRow): Schedule {
  return {
    timeZone: row.time_zone,
    weekly: row.weekly,
    exceptions: row.exceptions.map((e) => ({ from: e.from, to: e.to, kind: e.kind, ...(e.intervals ? { intervals: e.intervals } : {}) })),
    slotStepMinutes: row.slot_step_minutes,
    bufferMinutes: row.buffer_minutes,
    maxSessionsPerDay: row.max_sessions_per_day,
    minNoticeMinutes: row.min_notice_minutes,
    horizonDays: row.horizon_days,
  };
}

export function busyFromJson(busy: BusyJson): BusyPeriod[] {
  return busy.map(([start, end, bufferMinutes]) => ({ start: new Date(start), end: new Date(end), bufferMinutes }));
}
