import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { query } from '../platform/sql.js';
import { DAY_MS } from '../platform/time.js';
import { AvailabilityExceptionEntity, AvailabilitySchedule, type AvailabilityExceptionKind } from './availability.entity.js';
import { hasSkills } from '../identity/skills.js';
import { busyFromJson, busyOfConsultants, exceptionsOfConsultants, planOfConsultant, scheduleFromRow, scheduleOfConsultant, type BusyJson, type ScheduleRow } from './availability.sql.js';
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

/** Longest range one search may cover, so a request cannot make the server walk years. */
export const MAX_SEARCH_DAYS = 62;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
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
    // One plain statement: nothing here is written.
    const [row] = await query<ScheduleRow>(this.em, scheduleOfConsultant(consultantId));
    return row ? scheduleFromRow(row) : null;
  }

  /**
   * The consultations holding each consultant's time around [from, to): what slots.ts needs as
   * `busy` (availability.sql.ts's BusyWindow says which). `exceptConsultationId` leaves out a
   * consultation being moved.
   */
  async busyOf(consultantIds: readonly string[], from: Date, to: Date, exceptConsultationId: string | null = null): Promise<Map<string, BusyPeriod[]>> {
    const busy = new Map<string, BusyPeriod[]>(consultantIds.map((id) => [id, []]));
    if (consultantIds.length === 0) return busy;
    const rows = await query<{ consultant_id: string; start_at: Date; end_at: Date; buffer_minutes: number }>(this.em, busyOfConsultants(consultantIds, { from, to, exceptConsultationId }));
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
    const [row] = await query<Partial<ScheduleRow> & { id: string; availability_status: string; has_schedule: boolean; busy: BusyJson | null }>(
      this.em,
      planOfConsultant(requireUuid(consultantId, 'Consultant'), { from, to }),
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
    const rows = await query<{ consultant_id: string; from: string; to: string; kind: AvailabilityExceptionKind; intervals: TimeInterval[] | null }>(this.em, exceptionsOfConsultants(consultantIds));
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

export function scheduleOf(schedule: AvailabilitySchedule, exceptions: Schedule['exceptions']): Schedule {
  const { timeZone, weekly, slotStepMinutes, bufferMinutes, maxSessionsPerDay, minNoticeMinutes, horizonDays } = schedule;
  return { timeZone, weekly, exceptions, slotStepMinutes, bufferMinutes, maxSessionsPerDay, minNoticeMinutes, horizonDays };
}

function checkedQuery(search: SlotSearch, now: Date) {
  if (!Number.isInteger(search.durationMinutes) || search.durationMinutes < 15 || search.durationMinutes > 480 || search.durationMinutes % 15 !== 0) {
    throw errors.badInput('durationMinutes must be a multiple of 15 from 15 to 480.', 'input.durationMinutes');
  }
  if (search.from.getTime() < now.getTime() - MAX_BEHIND_DAYS * DAY_MS) throw errors.badInput(`from must be at most ${MAX_BEHIND_DAYS} days ago.`, 'input.from');
  if (search.to.getTime() > now.getTime() + MAX_AHEAD_DAYS * DAY_MS) throw errors.badInput(`to must be at most ${MAX_AHEAD_DAYS} days ahead.`, 'input.to');
  if (search.to <= search.from) throw errors.badInput('to must be after from.', 'input.to');
  if (search.to.getTime() - search.from.getTime() > MAX_SEARCH_DAYS * DAY_MS) {
    throw errors.badInput(`Search at most ${MAX_SEARCH_DAYS} days at a time.`, 'input.to');
  }
  return { from: search.from, to: search.to, durationMinutes: search.durationMinutes, now };
}
