import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { AvailabilityExceptionEntity, AvailabilitySchedule, type AvailabilityExceptionKind } from './availability.entity.js';
import { hasSkills } from '../identity/skills.js';
import { exceptionLengthProblem, scheduleNumbersProblem } from './schedule.limits.js';
import { MAX_AHEAD_DAYS, MAX_BEHIND_DAYS, generateSlots, localStarts, openDates, validateSchedule, type BusyPeriod, type Schedule, type TimeInterval, type WeeklyRules } from './slots.js';

export interface WeeklyAvailabilityData {
  consultantId?: string | null;
  timeZone: string;
  rules: Array<{ weekday: number; intervals: TimeInterval[] }>;
  slotStepMinutes: number;
  bufferMinutes: number;
  maxSessionsPerDay?: number | null;
  minNoticeMinutes: number;
  horizonDays: number;
}

export interface ExceptionData {
  consultantId?: string | null;
  from: string;
  to: string;
  kind: AvailabilityExceptionKind;
  intervals?: TimeInterval[] | null;
  reason?: string | null;
}

export interface SlotSearch {
  consultantId?: string | null;
  from: Date;
  to: Date;
  durationMinutes: number;
  timeZone: string;
  /** Without consultantId: only consultants with every one of these skills. */
  skills?: readonly string[] | null;
}

interface ScheduleRow {
  time_zone: string;
  weekly: WeeklyRules;
  slot_step_minutes: number;
  buffer_minutes: number;
  max_sessions_per_day: number | null;
  min_notice_minutes: number;
  horizon_days: number;
  exceptions: Array<{ from: string; to: string; kind: AvailabilityExceptionKind; intervals: TimeInterval[] | null }>;
}

/** Busy periods as the plain statements below return them: [start, end] in epoch milliseconds, buffer minutes. */
type BusyJson = Array<[number, number, number, number?]>;

export interface BookingPlan {
  /** Null when the consultant has not published availability. */
  schedule: Schedule | null;
  busy: BusyPeriod[];
  /** A PENDING_PAYMENT hold whose time to pay has passed lies around the time: expire it, then read busy again. */
  lapsedHolds: boolean;
}

export interface ConsultantPlan {
  consultantId: string;
  schedule: Schedule;
  busy: BusyPeriod[];
}

export interface SlotView {
  start: Date;
  end: Date;
  consultantId: string;
  localStart: string;
}

/** The schedule columns and its exceptions (JSON, in date order) of `availability_schedule s`, as ScheduleRow reads them. */
const SCHEDULE_COLUMNS = `s.time_zone, s.weekly, s.slot_step_minutes, s.buffer_minutes, s.max_sessions_per_day, s.min_notice_minutes, s.horizon_days,
  COALESCE((SELECT json_agg(json_build_object('from', e.from_date, 'to', e.to_date, 'kind', e.kind, 'intervals', e.intervals) ORDER BY e.from_date, e.id)
              FROM availability_exception e WHERE e.consultant_id = s.consultant_id), '[]') AS exceptions`;
/**
 * The busy periods (BusyJson) of consultant `s.consultant_id` (see busyOf); parameters: the
 * window's end and start (margins included) and a consultation to leave out. With `lapsed`,
 * each period says, fourth, whether (1) or not (0) it is a lapsed PENDING_PAYMENT hold starting
 * before and holding past the two given instants (its three parameters come first: now, then
 * those two).
 */
function busyJson(lapsed = false): string {
  const flag = lapsed ? `, CASE WHEN c.status = 'PENDING_PAYMENT' AND c.hold_expires_at <= ? AND c.start_at < ? AND c.held_until > ? THEN 1 ELSE 0 END` : '';
  // Arrays rather than json_build_array: a third cheaper to build for a thousand periods.
  return `COALESCE((SELECT json_agg(ARRAY[extract(epoch FROM c.start_at) * 1000, extract(epoch FROM c.end_at) * 1000, c.buffer_minutes${flag}])
              FROM consultation c
             WHERE c.consultant_id = s.consultant_id AND c.status IN ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS')
               AND c.start_at < ? AND c.held_until > ? AND c.id <> ?), '[]')`;
}

/**
 * The same periods (parameters alike) merged by the database into the time they hold together,
 * each [start, held end) with no buffer: what generateSlots needs when no day count applies
 * (maxSessionsPerDay null) — a day of back-to-back sessions is one period.
 */
function mergedBusyJson(): string {
  return `COALESCE((SELECT json_agg(ARRAY[extract(epoch FROM lower(r)) * 1000, extract(epoch FROM upper(r)) * 1000, 0] ORDER BY lower(r))
              FROM unnest((SELECT range_agg(tstzrange(c.start_at, c.held_until, '[)'))
                             FROM consultation c
                            WHERE c.consultant_id = s.consultant_id AND c.status IN ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS')
                              AND c.start_at < ? AND c.held_until > ? AND c.id <> ?)) r), '[]')`;
}

/** Longest range one search may cover, so a request cannot make the server walk years. */
export const MAX_SEARCH_DAYS = 62;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Around a searched range, for consultations starting on its local dates (see busyOf). */
const BUSY_MARGIN_MS = 2 * 86_400_000;
const NO_ID = '00000000-0000-0000-0000-000000000000';
/** Consultants whose own status says they take bookings. */
export const BOOKABLE_STATUSES: ReadonlySet<string> = new Set(['AVAILABLE', 'PARTIALLY_AVAILABLE']);

/** Consultants' weekly availability, exceptions and open slots (slots.ts does the rules). */
export class AvailabilityService {
  constructor(private readonly em: EntityManager) {}

  async setWeekly(caller: Caller, data: WeeklyAvailabilityData): Promise<AvailabilitySchedule> {
    const consultant = await this.consultantFor(caller, data.consultantId);
    const weekly: WeeklyRules = {};
    for (const rule of data.rules) {
      if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) throw errors.badInput('weekday must be 1 (Monday) to 7 (Sunday).', 'input.rules.weekday');
      if (weekly[rule.weekday]) throw errors.badInput(`Weekday ${rule.weekday} appears twice: give all its intervals in one rule.`, 'input.rules');
      weekly[rule.weekday] = rule.intervals.map(({ start, end }) => ({ start, end }));
    }
    const values = {
      timeZone: data.timeZone,
      weekly,
      slotStepMinutes: data.slotStepMinutes,
      bufferMinutes: data.bufferMinutes,
      maxSessionsPerDay: data.maxSessionsPerDay ?? null,
      minNoticeMinutes: data.minNoticeMinutes,
      horizonDays: data.horizonDays,
    };
    const outOfBounds = scheduleNumbersProblem(values);
    if (outOfBounds) throw errors.badInput(outOfBounds.message, outOfBounds.field);
    const exceptions = (await this.exceptionsOf([consultant.id])).get(consultant.id) ?? [];
    const problems = validateSchedule({ ...values, exceptions });
    if (problems.length) throw errors.badInput(`The availability is not valid: ${problems.join('; ')}`, 'input', { problems });
    return this.em.transactional(async (em) => {
      const existing = await em.findOne(AvailabilitySchedule, { consultant });
      const schedule = existing ?? em.create(AvailabilitySchedule, { consultant, ...values });
      Object.assign(schedule, values);
      await em.flush();
      return schedule;
    });
  }

  async addException(caller: Caller, data: ExceptionData): Promise<AvailabilityExceptionEntity> {
    const consultant = await this.consultantFor(caller, data.consultantId);
    if (!DATE.test(data.from) || !DATE.test(data.to)) throw errors.badInput('from and to are dates such as 2026-12-24.', 'input.from');
    if (data.from > data.to) throw errors.badInput('to must not be before from.', 'input.to');
    const tooLong = exceptionLengthProblem(data.from, data.to);
    if (tooLong) throw errors.badInput(tooLong, 'input.to');
    const schedule = await this.em.findOne(AvailabilitySchedule, { consultant });
    if (!schedule) throw errors.conflict('Set the weekly availability first: exceptions change it.');
    const exception = { from: data.from, to: data.to, kind: data.kind, ...(data.intervals ? { intervals: data.intervals } : {}) };
    const problems = validateSchedule({ ...scheduleOf(schedule, []), exceptions: [exception] });
    if (problems.length) throw errors.badInput(`The exception is not valid: ${problems.join('; ')}`, 'input', { problems });
    const reason = data.reason?.trim() || null;
    if (reason && reason.length > 500) throw errors.badInput('reason must be at most 500 characters.', 'input.reason');
    return this.em.transactional(async (em) => {
      const created = em.create(AvailabilityExceptionEntity, {
        consultant,
        fromDate: data.from,
        toDate: data.to,
        kind: data.kind,
        intervals: data.intervals ?? null,
        reason,
      });
      await em.flush();
      return created;
    });
  }

  /** Open slots of one consultant, or of every bookable consultant with the skills, earliest first. */
  async openSlots(search: SlotSearch, now = new Date()): Promise<SlotView[]> {
    const query = checkedQuery(search, now);
    const slots: SlotView[] = [];
    for (const { consultantId, schedule, busy } of await this.plansFor(search, query)) {
      for (const slot of generateSlots(schedule, busy, query)) slots.push({ ...slot, consultantId, localStart: '' });
    }
    slots.sort((a, b) => a.start.getTime() - b.start.getTime() || a.consultantId.localeCompare(b.consultantId));
    const local = localStarts(slots.map((slot) => slot.start), search.timeZone);
    slots.forEach((slot, i) => (slot.localStart = local[i]!));
    return slots;
  }

  /** Dates (in the viewer's zone) with at least one open slot: the calendar view. */
  async openDates(search: SlotSearch, now = new Date()): Promise<string[]> {
    const query = checkedQuery(search, now);
    const dates = new Set<string>();
    for (const { schedule, busy } of await this.plansFor(search, query)) {
      for (const date of openDates(schedule, busy, query, search.timeZone)) dates.add(date);
    }
    return [...dates].sort();
  }

  /** Which of these consultants (taking bookings) have at least one open slot in the range: three queries for all. */
  async withOpenSlot(consultantIds: readonly string[], search: Omit<SlotSearch, 'consultantId' | 'timeZone' | 'skills'>, now = new Date()): Promise<Set<string>> {
    const query = checkedQuery({ ...search, timeZone: 'UTC' }, now);
    if (consultantIds.length === 0) return new Set();
    const schedules = (await this.em.find(AvailabilitySchedule, { consultant: { $in: [...consultantIds] } }, { populate: ['consultant'], orderBy: { id: 'asc' } })).filter((s) =>
      BOOKABLE_STATUSES.has(s.consultant.availabilityStatus),
    );
    const plans = await this.plansOf(schedules, query.from, query.to);
    return new Set(plans.filter((plan) => generateSlots(plan.schedule, plan.busy, query).length > 0).map((plan) => plan.consultantId));
  }

  /** A consultant's schedule with its exceptions, as slots.ts reads it; null when they have none. */
  async scheduleFor(consultantId: string): Promise<Schedule | null> {
    // One plain statement: booking reads this on its hot path, and nothing here is written.
    const [row] = await this.em.getConnection().execute<ScheduleRow[]>(
      `SELECT ${SCHEDULE_COLUMNS} FROM availability_schedule s WHERE s.consultant_id = ?`,
      [consultantId],
      'all',
      this.em.getTransactionContext(),
    );
    return row ? scheduleFromRow(row) : null;
  }

  /**
   * Booking's read of one consultant (after its lock), in one statement: the schedule with its
   * exceptions, the busy periods around [from, to) as busyOf reads them, and whether a lapsed
   * PENDING_PAYMENT hold lies within two days of `from` (BookingService expires those first).
   * `also`: a scalar subquery of the caller's, read in the same statement (e.g. the credits it
   * will draw), returned as `also`; not run when the consultant has no schedule.
   */
  async bookingPlan(
    consultantId: string,
    from: Date,
    to: Date,
    now: Date,
    options: { exceptConsultationId?: string | null; also?: { sql: string; params: unknown[] } } = {},
  ): Promise<BookingPlan & { also: unknown }> {
    const { exceptConsultationId = null, also } = options;
    const [row] = await this.em.getConnection().execute<Array<ScheduleRow & { busy: BusyJson; also?: unknown }>>(
      `SELECT ${SCHEDULE_COLUMNS}, ${busyJson(true)} AS busy${also ? `, ${also.sql} AS also` : ''} FROM availability_schedule s WHERE s.consultant_id = ?`,
      [
        now,
        new Date(from.getTime() + BUSY_MARGIN_MS),
        new Date(from.getTime() - BUSY_MARGIN_MS),
        new Date(to.getTime() + BUSY_MARGIN_MS),
        new Date(from.getTime() - BUSY_MARGIN_MS),
        exceptConsultationId ?? NO_ID,
        ...(also?.params ?? []),
        consultantId,
      ],
      'all',
      this.em.getTransactionContext(),
    );
    if (!row) return { schedule: null, busy: [], lapsedHolds: false, also: undefined };
    return { schedule: scheduleFromRow(row), busy: busyFromJson(row.busy), lapsedHolds: row.busy.some((b) => b[3] === 1), also: row.also };
  }

  /**
   * The consultations holding each consultant's time around [from, to): what slots.ts needs as
   * `busy` — every one overlapping the range, and every one starting on a local date the range
   * touches (for the per-day count; sessions are at most 8 h, zones at most 14 h off UTC).
   * `exceptConsultationId` leaves out a consultation being moved.
   */
  async busyOf(consultantIds: readonly string[], from: Date, to: Date, exceptConsultationId: string | null = null): Promise<Map<string, BusyPeriod[]>> {
    const busy = new Map<string, BusyPeriod[]>(consultantIds.map((id) => [id, []]));
    if (consultantIds.length === 0) return busy;
    const rows = await this.em.getConnection().execute<{ consultant_id: string; start_at: Date; end_at: Date; buffer_minutes: number }[]>(
      `SELECT consultant_id, start_at, end_at, buffer_minutes FROM consultation
        WHERE consultant_id = ANY(?::uuid[]) AND status IN ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS')
          AND start_at < ? AND held_until > ? AND id <> ?`,
      [`{${consultantIds.join(',')}}`, new Date(to.getTime() + BUSY_MARGIN_MS), new Date(from.getTime() - BUSY_MARGIN_MS), exceptConsultationId ?? NO_ID],
      'all',
      this.em.getTransactionContext(),
    );
    for (const row of rows) busy.get(row.consultant_id)!.push({ start: new Date(row.start_at), end: new Date(row.end_at), bufferMinutes: row.buffer_minutes });
    return busy;
  }

  /** Schedule, exceptions and busy periods of the consultants a search covers, in three queries. */
  private async plansFor(search: SlotSearch, query: { from: Date; to: Date }): Promise<ConsultantPlan[]> {
    if (search.consultantId) return this.planOfOne(search.consultantId, query.from, query.to);
    return this.plansOf(await this.schedulesFor(search), query.from, query.to);
  }

  /**
   * One consultant's plan in one plain statement (openSlots of one consultant is the calendar
   * view's hot path; without a day limit its busy periods come merged): none when they have no
   * schedule or do not take bookings (booking would refuse them); NOT_FOUND when there is no
   * such consultant.
   */
  private async planOfOne(consultantId: string, from: Date, to: Date): Promise<ConsultantPlan[]> {
    const window = [new Date(to.getTime() + BUSY_MARGIN_MS), new Date(from.getTime() - BUSY_MARGIN_MS), NO_ID];
    const [row] = await this.em.getConnection().execute<Array<Partial<ScheduleRow> & { id: string; availability_status: string; has_schedule: boolean; busy: BusyJson | null }>>(
      `SELECT p.id, p.availability_status, s.consultant_id IS NOT NULL AS has_schedule, ${SCHEDULE_COLUMNS},
              CASE WHEN s.consultant_id IS NULL THEN NULL WHEN s.max_sessions_per_day IS NULL THEN ${mergedBusyJson()} ELSE ${busyJson()} END AS busy
         FROM consultant_profile p LEFT JOIN availability_schedule s ON s.consultant_id = p.id
        WHERE p.id = ?`,
      [...window, ...window, requireUuid(consultantId, 'Consultant')],
      'all',
      this.em.getTransactionContext(),
    );
    if (!row) throw errors.notFound('Consultant', consultantId);
    // On leave or unavailable: no open slots, as booking would refuse them.
    if (!row.has_schedule || !BOOKABLE_STATUSES.has(row.availability_status)) return [];
    return [{ consultantId: row.id, schedule: scheduleFromRow(row as ScheduleRow), busy: busyFromJson(row.busy ?? []) }];
  }

  /**
   * What slots.ts needs for each of these consultants around [from, to): their schedule with
   * exceptions and their busy periods, in three queries whatever their number. Consultants
   * without a schedule are left out.
   */
  async plansOf(schedulesOrIds: readonly AvailabilitySchedule[] | readonly string[], from: Date, to: Date): Promise<ConsultantPlan[]> {
    const schedules =
      typeof schedulesOrIds[0] === 'string'
        ? await this.em.find(AvailabilitySchedule, { consultant: { $in: [...(schedulesOrIds as readonly string[])] } }, { orderBy: { id: 'asc' } })
        : (schedulesOrIds as readonly AvailabilitySchedule[]);
    const ids = schedules.map((s) => s.consultant.id);
    const exceptions = await this.exceptionsOf(ids);
    const busy = await this.busyOf(ids, from, to);
    return schedules.map((s) => ({ consultantId: s.consultant.id, schedule: scheduleOf(s, exceptions.get(s.consultant.id) ?? []), busy: busy.get(s.consultant.id)! }));
  }

  /** Every consultant taking bookings who has the skills (a search without consultantId). */
  private async schedulesFor(search: SlotSearch): Promise<AvailabilitySchedule[]> {
    const all = await this.em.find(AvailabilitySchedule, {}, { populate: ['consultant'], orderBy: { id: 'asc' } });
    const skills = search.skills ?? [];
    // A search across consultants offers only those taking bookings who have every skill asked for.
    return all.filter((s) => BOOKABLE_STATUSES.has(s.consultant.availabilityStatus) && hasSkills(s.consultant.skills, skills));
  }

  private async exceptionsOf(consultantIds: readonly string[]): Promise<Map<string, Schedule['exceptions']>> {
    const byConsultant = new Map<string, Schedule['exceptions']>();
    if (consultantIds.length === 0) return byConsultant;
    const rows = await this.em.getConnection().execute<Array<{ consultant_id: string; from: string; to: string; kind: AvailabilityExceptionKind; intervals: TimeInterval[] | null }>>(
      `SELECT consultant_id, from_date::text AS "from", to_date::text AS "to", kind, intervals FROM availability_exception
        WHERE consultant_id = ANY(?::uuid[]) ORDER BY from_date, id`,
      [`{${consultantIds.join(',')}}`],
      'all',
      this.em.getTransactionContext(),
    );
    for (const row of rows) {
      const list = byConsultant.get(row.consultant_id) ?? [];
      list.push({ from: row.from, to: row.to, kind: row.kind, ...(row.intervals ? { intervals: row.intervals } : {}) });
      byConsultant.set(row.consultant_id, list);
    }
    return byConsultant;
  }

  /** Consultants manage their own availability; admins name the consultant. */
  private async consultantFor(caller: Caller, consultantId: string | null | undefined): Promise<ConsultantProfile> {
    if (caller.role === 'CONSULTANT') {
      const own = await this.em.findOneOrFail(ConsultantProfile, { user: caller.userId });
      if (consultantId && consultantId !== own.id) throw errors.forbidden('Consultants manage only their own availability.');
      return own;
    }
    if (caller.role !== 'ADMIN') throw errors.forbidden('Only consultants and admins manage availability.');
    if (!consultantId) throw errors.badInput('Admins name the consultant: consultantId.', 'input.consultantId');
    const consultant = await this.em.findOne(ConsultantProfile, requireUuid(consultantId, 'Consultant'));
    if (!consultant) throw errors.notFound('Consultant', consultantId);
    return consultant;
  }
}

function scheduleFromRow(row: ScheduleRow): Schedule {
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

function busyFromJson(busy: BusyJson): BusyPeriod[] {
  return busy.map(([start, end, bufferMinutes]) => ({ start: new Date(start), end: new Date(end), bufferMinutes }));
}

export function scheduleOf(schedule: AvailabilitySchedule, exceptions: Schedule['exceptions']): Schedule {
  const { timeZone, weekly, slotStepMinutes, bufferMinutes, maxSessionsPerDay, minNoticeMinutes, horizonDays } = schedule;
  return { timeZone, weekly, exceptions, slotStepMinutes, bufferMinutes, maxSessionsPerDay, minNoticeMinutes, horizonDays };
}

function checkedQuery(search: SlotSearch, now: Date) {
  if (!Number.isInteger(search.durationMinutes) || search.durationMinutes < 15 || search.durationMinutes > 480 || search.durationMinutes % 15 !== 0) {
    throw errors.badInput('durationMinutes must be a multiple of 15 from 15 to 480.', 'input.durationMinutes');
  }
  if (search.from.getTime() < now.getTime() - MAX_BEHIND_DAYS * 86_400_000) throw errors.badInput(`from must be at most ${MAX_BEHIND_DAYS} days ago.`, 'input.from');
  if (search.to.getTime() > now.getTime() + MAX_AHEAD_DAYS * 86_400_000) throw errors.badInput(`to must be at most ${MAX_AHEAD_DAYS} days ahead.`, 'input.to');
  if (search.to <= search.from) throw errors.badInput('to must be after from.', 'input.to');
  if (search.to.getTime() - search.from.getTime() > MAX_SEARCH_DAYS * 86_400_000) {
    throw errors.badInput(`Search at most ${MAX_SEARCH_DAYS} days at a time.`, 'input.to');
  }
  return { from: search.from, to: search.to, durationMinutes: search.durationMinutes, now };
}
