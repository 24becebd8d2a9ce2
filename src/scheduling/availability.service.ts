import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { AvailabilityExceptionEntity, AvailabilitySchedule, type AvailabilityExceptionKind } from './availability.entity.js';
import { generateSlots, localStart, openDates, validateSchedule, type Schedule, type TimeInterval, type WeeklyRules } from './slots.js';

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
}

export interface SlotView {
  start: Date;
  end: Date;
  consultantId: string;
  localStart: string;
}

/** Longest range one search may cover, so a request cannot make the server walk years. */
const MAX_SEARCH_DAYS = 62;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

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
    const exceptions = await this.exceptionsOf(consultant.id);
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

  /** Open slots of one consultant, or of every consultant with availability, earliest first. */
  async openSlots(search: SlotSearch, now = new Date()): Promise<SlotView[]> {
    const schedules = await this.schedulesFor(search);
    const query = checkedQuery(search, now);
    const slots: SlotView[] = [];
    for (const schedule of schedules) {
      // Consultations that hold time join here with the booking work.
      const busy: never[] = [];
      for (const slot of generateSlots(scheduleOf(schedule, await this.exceptionsOf(schedule.consultant.id)), busy, query)) {
        slots.push({ ...slot, consultantId: schedule.consultant.id, localStart: localStart(slot.start, search.timeZone) });
      }
    }
    return slots.sort((a, b) => a.start.getTime() - b.start.getTime() || a.consultantId.localeCompare(b.consultantId));
  }

  /** Dates (in the viewer's zone) with at least one open slot: the calendar view. */
  async openDates(search: SlotSearch, now = new Date()): Promise<string[]> {
    const schedules = await this.schedulesFor(search);
    const query = checkedQuery(search, now);
    const dates = new Set<string>();
    for (const schedule of schedules) {
      const exceptions = await this.exceptionsOf(schedule.consultant.id);
      for (const date of openDates(scheduleOf(schedule, exceptions), [], query, search.timeZone)) dates.add(date);
    }
    return [...dates].sort();
  }

  private async schedulesFor(search: SlotSearch): Promise<AvailabilitySchedule[]> {
    if (!search.consultantId) return this.em.find(AvailabilitySchedule, {}, { populate: ['consultant'], orderBy: { id: 'asc' } });
    const schedule = await this.em.findOne(AvailabilitySchedule, { consultant: requireUuid(search.consultantId, 'Consultant') }, { populate: ['consultant'] });
    if (!schedule) {
      if (!(await this.em.findOne(ConsultantProfile, search.consultantId))) throw errors.notFound('Consultant', search.consultantId);
      return [];
    }
    return [schedule];
  }

  private async exceptionsOf(consultantId: string) {
    const rows = await this.em.find(AvailabilityExceptionEntity, { consultant: consultantId }, { orderBy: { fromDate: 'asc' } });
    return rows.map((row) => ({ from: row.fromDate, to: row.toDate, kind: row.kind, ...(row.intervals ? { intervals: row.intervals } : {}) }));
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
  if (search.to <= search.from) throw errors.badInput('to must be after from.', 'input.to');
  if (search.to.getTime() - search.from.getTime() > MAX_SEARCH_DAYS * 86_400_000) {
    throw errors.badInput(`Search at most ${MAX_SEARCH_DAYS} days at a time.`, 'input.to');
  }
  return { from: search.from, to: search.to, durationMinutes: search.durationMinutes, now };
}
