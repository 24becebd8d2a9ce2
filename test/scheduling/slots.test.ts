import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  generateSlots,
  isBookable,
  localDayBounds,
  localStart,
  localStarts,
  openDates,
  validateSchedule,
  type AvailabilityException,
  type BusyPeriod,
  type OpenSlot,
  type Schedule,
  type TimeInterval,
} from '../../src/scheduling/slots.js';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = new Date('2026-01-01T00:00:00Z');

const iv = (start: string, end: string): TimeInterval => ({ start, end });
function schedule(over: Partial<Schedule> = {}): Schedule {
  return {
    timeZone: 'UTC',
    weekly: {},
    exceptions: [],
    slotStepMinutes: 30,
    bufferMinutes: 0,
    maxSessionsPerDay: null,
    minNoticeMinutes: 0,
    horizonDays: 3650,
    ...over,
  };
}
const busyAt = (start: string, end: string, bufferMinutes = 0): BusyPeriod => ({ start: new Date(start), end: new Date(end), bufferMinutes });

/** Slots starting on a local date of the schedule's zone. */
function slotsOn(s: Schedule, date: string, duration = 60, busy: readonly BusyPeriod[] = [], now = NOW): OpenSlot[] {
  const { from, to } = localDayBounds(date, s.timeZone);
  return generateSlots(s, busy, { from, to, durationMinutes: duration, now });
}
/** Local "HH:MM" starts in `zone`. */
const hhmm = (slots: readonly OpenSlot[], zone = 'UTC'): string[] =>
  slots.map((x) => DateTime.fromJSDate(x.start, { zone }).toFormat('HH:mm'));
/** UTC instants as "YYYY-MM-DDTHH:MMZ". */
const utc = (slots: readonly OpenSlot[]): string[] => slots.map((x) => x.start.toISOString().slice(0, 16) + 'Z');
const reason = (r: ReturnType<typeof isBookable>) => (r.ok ? 'OK' : r.reason);

// 2026-03-02 is a Monday.
const MON = '2026-03-02';
const TUE = '2026-03-03';
const WED = '2026-03-04';
const SAT = '2026-03-07';

describe('weekly rules, grid and intervals (UTC consultant)', () => {
  it('follows the weekly pattern: slots only on configured weekdays, fully inside the interval', () => {
    const s = schedule({ weekly: { 1: [iv('09:00', '12:00')], 3: [iv('14:00', '15:00')] } });
    expect(hhmm(slotsOn(s, MON))).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
    expect(slotsOn(s, TUE)).toEqual([]);
    const week = generateSlots(s, [], { from: new Date(`${MON}T00:00:00Z`), to: new Date('2026-03-09T00:00:00Z'), durationMinutes: 60, now: NOW });
    expect(utc(week)).toEqual([
      '2026-03-02T09:00Z', '2026-03-02T09:30Z', '2026-03-02T10:00Z', '2026-03-02T10:30Z', '2026-03-02T11:00Z', '2026-03-04T14:00Z',
    ]);
    for (const slot of week) expect(slot.end.getTime() - slot.start.getTime()).toBe(60 * MIN);
  });

  it('several intervals a day; each has its own grid', () => {
    const s = schedule({ weekly: { 1: [iv('13:00', '14:30'), iv('09:00', '10:00')] } });
    expect(hhmm(slotsOn(s, MON, 30))).toEqual(['09:00', '09:30', '13:00', '13:30', '14:00']);
  });

  it('merges overlapping and touching intervals (a slot may span them), keeping each grid', () => {
    const overlapping = schedule({ weekly: { 1: [iv('09:00', '10:00'), iv('09:45', '11:00')] } });
    // Grid: 09:00, 09:30 (first) and 09:45, 10:15, 10:45 (second); availability 09:00–11:00.
    expect(hhmm(slotsOn(overlapping, MON, 90))).toEqual(['09:00', '09:30']);
    expect(hhmm(slotsOn(overlapping, MON, 15))).toEqual(['09:00', '09:30', '09:45', '10:15', '10:45']);
    const touching = schedule({ weekly: { 1: [iv('09:00', '10:00'), iv('10:00', '11:00')] } });
    expect(hhmm(slotsOn(touching, MON, 120))).toEqual(['09:00']);
  });

  it('starts on the step grid of the interval', () => {
    const s = schedule({ slotStepMinutes: 45, weekly: { 1: [iv('09:00', '12:00')] } });
    expect(hhmm(slotsOn(s, MON, 30))).toEqual(['09:00', '09:45', '10:30', '11:15']);
    const at = (time: string, duration = 30) => reason(isBookable(s, [], new Date(`${MON}T${time}Z`), duration, NOW));
    expect(at('09:45:00')).toBe('OK');
    expect(at('09:30:00')).toBe('OFF_GRID');
    expect(at('09:45:30')).toBe('OFF_GRID');
    expect(at('09:45:00.001')).toBe('OFF_GRID');
    expect(at('11:15:00', 60)).toBe('OUTSIDE_HOURS');
    expect(at('12:00:00')).toBe('OUTSIDE_HOURS');
    expect(at('08:15:00')).toBe('OUTSIDE_HOURS');
  });

  it('an interval may end at 24:00; a slot never crosses local midnight', () => {
    const s = schedule({ weekly: { 1: [iv('22:00', '24:00')], 2: [iv('00:00', '02:00')] } });
    const slots = generateSlots(s, [], { from: new Date(`${MON}T00:00:00Z`), to: new Date(`${WED}T00:00:00Z`), durationMinutes: 60, now: NOW });
    expect(utc(slots)).toEqual([
      '2026-03-02T22:00Z', '2026-03-02T22:30Z', '2026-03-02T23:00Z', '2026-03-03T00:00Z', '2026-03-03T00:30Z', '2026-03-03T01:00Z',
    ]);
    expect(reason(isBookable(s, [], new Date(`${MON}T23:30:00Z`), 60, NOW))).toBe('OUTSIDE_HOURS');
    expect(reason(isBookable(s, [], new Date(`${MON}T23:30:00Z`), 30, NOW))).toBe('OK');
  });

  it('returns only starts in [from, to)', () => {
    const s = schedule({ weekly: { 1: [iv('09:00', '12:00')] } });
    const slots = generateSlots(s, [], { from: new Date(`${MON}T09:30:00Z`), to: new Date(`${MON}T10:30:00Z`), durationMinutes: 60, now: NOW });
    expect(hhmm(slots)).toEqual(['09:30', '10:00']);
    expect(generateSlots(s, [], { from: new Date(`${MON}T10:30:00Z`), to: new Date(`${MON}T10:30:00Z`), durationMinutes: 60, now: NOW })).toEqual([]);
  });
});

describe('buffers (mirroring I1: [start, end + buffer) ranges must not intersect)', () => {
  const s = schedule({ slotStepMinutes: 15, bufferMinutes: 10, weekly: { 1: [iv('09:00', '13:00')] } });
  // Holds [10:00, 11:15).
  const busy = [busyAt(`${MON}T10:00:00Z`, `${MON}T11:00:00Z`, 15)];

  it("keeps the new session (and its own buffer) clear of the busy period and the busy period's buffer", () => {
    expect(hhmm(slotsOn(s, MON, 30, busy))).toEqual(['09:00', '09:15', '11:15', '11:30', '11:45', '12:00', '12:15', '12:30']);
    const at = (time: string) => reason(isBookable(s, busy, new Date(`${MON}T${time}:00Z`), 30, NOW));
    expect(at('09:15')).toBe('OK'); // holds [09:15, 09:55)
    expect(at('09:30')).toBe('OVERLAPS'); // its buffer runs into 10:00
    expect(at('10:30')).toBe('OVERLAPS');
    expect(at('11:00')).toBe('OVERLAPS'); // inside the busy period's buffer
    expect(at('11:15')).toBe('OK');
    expect(at('12:30')).toBe('OK'); // its buffer may run past closing time
  });

  it('touching ranges do not overlap (half-open)', () => {
    const s2 = schedule({ slotStepMinutes: 15, bufferMinutes: 30, weekly: { 1: [iv('09:00', '13:00')] } });
    const b = [busyAt(`${MON}T10:00:00Z`, `${MON}T11:00:00Z`, 0)];
    expect(hhmm(slotsOn(s2, MON, 30, b))).toEqual(['09:00', '11:00', '11:15', '11:30', '11:45', '12:00', '12:15', '12:30']);
  });

  it('an empty busy range holds nothing; a zero-length one with a buffer holds its buffer', () => {
    const s3 = schedule({ weekly: { 1: [iv('09:00', '11:00')] } });
    expect(hhmm(slotsOn(s3, MON, 30, [busyAt(`${MON}T09:45:00Z`, `${MON}T09:45:00Z`, 0)]))).toEqual(['09:00', '09:30', '10:00', '10:30']);
    expect(hhmm(slotsOn(s3, MON, 30, [busyAt(`${MON}T09:45:00Z`, `${MON}T09:45:00Z`, 20)]))).toEqual(['09:00', '10:30']);
  });
});

describe('notice and horizon', () => {
  const s = schedule({ weekly: { 1: [iv('09:00', '12:00')], 2: [iv('09:00', '12:00')] } });

  it('a slot must start at or after now + minNotice', () => {
    const n = schedule({ ...s, minNoticeMinutes: 90 });
    const now = new Date(`${MON}T08:00:00Z`);
    expect(hhmm(slotsOn(n, MON, 60, [], now))).toEqual(['09:30', '10:00', '10:30', '11:00']);
    expect(reason(isBookable(n, [], new Date(`${MON}T09:00:00Z`), 60, now))).toBe('TOO_SOON');
    expect(reason(isBookable(n, [], new Date(`${MON}T09:30:00Z`), 60, now))).toBe('OK');
    expect(reason(isBookable(n, [], new Date('2025-12-01T09:00:00Z'), 60, now))).toBe('TOO_SOON');
  });

  it('a slot must start before now + horizonDays', () => {
    const h = schedule({ ...s, horizonDays: 1 });
    const now = new Date(`${MON}T10:00:00Z`);
    const slots = generateSlots(h, [], { from: new Date(`${MON}T00:00:00Z`), to: new Date('2026-04-01T00:00:00Z'), durationMinutes: 60, now });
    expect(utc(slots)).toEqual(['2026-03-02T10:00Z', '2026-03-02T10:30Z', '2026-03-02T11:00Z', '2026-03-03T09:00Z', '2026-03-03T09:30Z']);
    expect(reason(isBookable(h, [], new Date(`${TUE}T10:00:00Z`), 60, now))).toBe('TOO_FAR');
    expect(slotsOn(schedule({ ...s, horizonDays: 0 }), MON, 60, [], new Date(`${MON}T00:00:00Z`))).toEqual([]);
  });

  it('reports the first failing rule: notice and horizon before hours', () => {
    const now = new Date(`${MON}T10:00:00Z`);
    expect(reason(isBookable(s, [], new Date(`${MON}T05:00:00Z`), 60, now))).toBe('TOO_SOON');
    expect(reason(isBookable(schedule({ ...s, horizonDays: 1 }), [], new Date('2026-03-10T05:00:00Z'), 60, now))).toBe('TOO_FAR');
  });
});

describe('exceptions', () => {
  const s = (exceptions: AvailabilityException[], weekly = { 1: [iv('09:00', '12:00')], 2: [iv('09:00', '10:00')], 3: [iv('09:00', '10:00')] }) =>
    schedule({ weekly, exceptions });
  const week = (sc: Schedule, duration = 60) =>
    utc(generateSlots(sc, [], { from: new Date(`${MON}T00:00:00Z`), to: new Date('2026-03-09T00:00:00Z'), durationMinutes: duration, now: NOW }));

  it('TIME_OFF without intervals blacks out whole dates (inclusive range; an empty list too)', () => {
    expect(week(s([{ from: MON, to: TUE, kind: 'TIME_OFF' }]))).toEqual(['2026-03-04T09:00Z']);
    expect(week(s([{ from: TUE, to: TUE, kind: 'TIME_OFF', intervals: [] }]))).toEqual([
      '2026-03-02T09:00Z', '2026-03-02T09:30Z', '2026-03-02T10:00Z', '2026-03-02T10:30Z', '2026-03-02T11:00Z', '2026-03-04T09:00Z',
    ]);
    const blackout = s([{ from: MON, to: MON, kind: 'TIME_OFF' }]);
    expect(reason(isBookable(blackout, [], new Date(`${MON}T09:00:00Z`), 60, NOW))).toBe('OUTSIDE_HOURS');
    expect(hhmm(slotsOn(blackout, '2026-03-09'))).toHaveLength(5); // next Monday unaffected
  });

  it('TIME_OFF with intervals blocks those hours and never shifts the grid', () => {
    expect(hhmm(slotsOn(s([{ from: MON, to: MON, kind: 'TIME_OFF', intervals: [iv('10:00', '11:00')] }]), MON, 30))).toEqual([
      '09:00', '09:30', '11:00', '11:30',
    ]);
    const odd = s([{ from: MON, to: MON, kind: 'TIME_OFF', intervals: [iv('10:10', '10:50')] }]);
    expect(hhmm(slotsOn(odd, MON, 30))).toEqual(['09:00', '09:30', '11:00', '11:30']);
    expect(reason(isBookable(odd, [], new Date(`${MON}T10:50:00Z`), 10, NOW))).toBe('OFF_GRID');
    expect(reason(isBookable(odd, [], new Date(`${MON}T10:00:00Z`), 30, NOW))).toBe('OUTSIDE_HOURS');
    expect(reason(isBookable(odd, [], new Date(`${MON}T10:00:00Z`), 10, NOW))).toBe('OK');
  });

  it('EXTRA_HOURS adds intervals (own grid, merged with the weekly ones)', () => {
    expect(week(s([{ from: SAT, to: SAT, kind: 'EXTRA_HOURS', intervals: [iv('10:00', '12:00')] }]))).toContain('2026-03-07T11:00Z');
    expect(hhmm(slotsOn(s([{ from: SAT, to: SAT, kind: 'EXTRA_HOURS', intervals: [iv('10:00', '12:00')] }]), SAT))).toEqual(['10:00', '10:30', '11:00']);
    // Merged availability 09:00–13:00; grids 09:00, 09:30 … 11:30 (weekly) and 11:45, 12:15, 12:45 (extra).
    const extended = s([{ from: MON, to: MON, kind: 'EXTRA_HOURS', intervals: [iv('11:45', '13:00')] }]);
    expect(hhmm(slotsOn(extended, MON))).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '11:45']);
    const gap = s([{ from: MON, to: MON, kind: 'EXTRA_HOURS', intervals: [iv('12:15', '13:15')] }]);
    expect(hhmm(slotsOn(gap, MON))).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '12:15']);
    expect(reason(isBookable(extended, [], new Date(`${MON}T12:00:00Z`), 60, NOW))).toBe('OFF_GRID');
  });

  it('TIME_OFF wins over EXTRA_HOURS', () => {
    const extra: AvailabilityException = { from: SAT, to: SAT, kind: 'EXTRA_HOURS', intervals: [iv('10:00', '12:00')] };
    expect(slotsOn(s([extra, { from: '2026-03-06', to: SAT, kind: 'TIME_OFF' }]), SAT)).toEqual([]);
    expect(hhmm(slotsOn(s([{ from: SAT, to: SAT, kind: 'TIME_OFF', intervals: [iv('10:00', '11:00')] }, extra]), SAT))).toEqual(['11:00']);
  });
});

describe('max sessions per day (counted per consultant-local date)', () => {
  const s = schedule({ maxSessionsPerDay: 1, weekly: { 1: [iv('09:00', '12:00')], 2: [iv('09:00', '12:00')] } });
  it('a full day offers nothing; other days are unaffected', () => {
    const busy = [busyAt(`${MON}T09:00:00Z`, `${MON}T10:00:00Z`)];
    expect(slotsOn(s, MON, 60, busy)).toEqual([]);
    expect(reason(isBookable(s, busy, new Date(`${MON}T11:00:00Z`), 60, NOW))).toBe('DAY_FULL');
    expect(hhmm(slotsOn(s, TUE, 60, busy))).toHaveLength(5);
    expect(hhmm(slotsOn(schedule({ ...s, maxSessionsPerDay: 2 }), MON, 60, busy))).toEqual(['10:00', '10:30', '11:00']);
    expect(hhmm(slotsOn(schedule({ ...s, maxSessionsPerDay: null }), MON, 60, busy))).toEqual(['10:00', '10:30', '11:00']);
    expect(slotsOn(schedule({ ...s, maxSessionsPerDay: 0 }), TUE)).toEqual([]);
  });

  it('uses the consultant-local date of the busy start, not the UTC date', () => {
    const ny = schedule({ ...s, timeZone: 'America/New_York' });
    // 2026-03-03T02:00Z is Monday 21:00 in New York.
    const busy = [busyAt('2026-03-03T02:00:00Z', '2026-03-03T03:00:00Z')];
    expect(slotsOn(ny, MON, 60, busy)).toEqual([]);
    expect(hhmm(slotsOn(ny, TUE, 60, busy), 'America/New_York')).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);
  });
});

describe('DST days', () => {
  const base = (timeZone: string, weekly: Schedule['weekly']) => schedule({ timeZone, weekly });

  it('America/New_York 2026-03-08 (spring forward 02:00 → 03:00): the gap yields nothing, the interval is 2.5 real hours', () => {
    const s = base('America/New_York', { 7: [iv('00:30', '04:00'), iv('09:00', '11:00')] });
    const slots = slotsOn(s, '2026-03-08', 60);
    expect(utc(slots)).toEqual([
      '2026-03-08T05:30Z', '2026-03-08T06:00Z', '2026-03-08T06:30Z', '2026-03-08T07:00Z',
      '2026-03-08T13:00Z', '2026-03-08T13:30Z', '2026-03-08T14:00Z',
    ]);
    expect(slots.map((x) => localStart(x.start, 'America/New_York'))).toEqual([
      '2026-03-08T00:30:00-05:00', '2026-03-08T01:00:00-05:00', '2026-03-08T01:30:00-05:00', '2026-03-08T03:00:00-04:00',
      '2026-03-08T09:00:00-04:00', '2026-03-08T09:30:00-04:00', '2026-03-08T10:00:00-04:00',
    ]);
    // 01:30 EST + 60 real minutes ends at 03:30 EDT: inside.
    expect(slots[2]!.end.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(reason(isBookable(s, [], new Date('2026-03-08T07:30:00Z'), 60, NOW))).toBe('OUTSIDE_HOURS');
    expect(reason(isBookable(s, [], new Date('2026-03-08T07:30:00Z'), 30, NOW))).toBe('OK');
  });

  it('America/New_York 2026-11-01 (fall back 02:00 → 01:00): 01:00–03:00 spans 3 real hours; repeated wall times give both instants', () => {
    const s = base('America/New_York', { 7: [iv('01:00', '03:00')] });
    const slots = slotsOn(s, '2026-11-01', 60);
    expect(utc(slots)).toEqual(['2026-11-01T05:00Z', '2026-11-01T05:30Z', '2026-11-01T06:00Z', '2026-11-01T06:30Z', '2026-11-01T07:00Z']);
    expect(slots.map((x) => localStart(x.start, 'America/New_York'))).toEqual([
      '2026-11-01T01:00:00-04:00', '2026-11-01T01:30:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T01:30:00-05:00', '2026-11-01T02:00:00-05:00',
    ]);
  });

  it('America/New_York 2026-11-01: a repeated wall time is kept only where it fits the interval', () => {
    // 00:00–01:30 is [04:00Z, 05:30Z) ∪ [06:00Z, 06:30Z): 01:30–02:00 EDT is not in it, 01:00–01:30 EST is.
    const s = base('America/New_York', { 7: [iv('00:00', '01:30')] });
    expect(utc(slotsOn(s, '2026-11-01', 30))).toEqual(['2026-11-01T04:00Z', '2026-11-01T04:30Z', '2026-11-01T05:00Z', '2026-11-01T06:00Z']);
    expect(utc(slotsOn(s, '2026-11-01', 60))).toEqual(['2026-11-01T04:00Z', '2026-11-01T04:30Z']);
    expect(reason(isBookable(s, [], new Date('2026-11-01T05:30:00Z'), 30, NOW))).toBe('OUTSIDE_HOURS');
    expect(reason(isBookable(s, [], new Date('2026-11-01T06:00:00Z'), 30, NOW))).toBe('OK');
    expect(reason(isBookable(s, [], new Date('2026-11-01T05:00:00Z'), 60, NOW))).toBe('OUTSIDE_HOURS');
  });

  it('Europe/Berlin 2026-03-29 (spring forward 02:00 → 03:00)', () => {
    const s = base('Europe/Berlin', { 7: [iv('01:00', '04:00'), iv('09:00', '10:00')] });
    expect(utc(slotsOn(s, '2026-03-29', 30))).toEqual([
      '2026-03-29T00:00Z', '2026-03-29T00:30Z', '2026-03-29T01:00Z', '2026-03-29T01:30Z', '2026-03-29T07:00Z', '2026-03-29T07:30Z',
    ]);
    expect(utc(slotsOn(s, '2026-03-29', 60))).toEqual(['2026-03-29T00:00Z', '2026-03-29T00:30Z', '2026-03-29T01:00Z', '2026-03-29T07:00Z']);
    expect(localStart(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
    // 02:30 does not exist in Berlin that night: no instant shows it, so nothing is bookable "at 02:30".
    expect(reason(isBookable(s, [], new Date('2026-03-29T00:30:00Z'), 60, NOW))).toBe('OK'); // 01:30 CET → 03:30 CEST
  });

  it('Europe/Berlin 2026-10-25 (fall back 03:00 → 02:00): 02:00–03:00 is 2 real hours', () => {
    const s = base('Europe/Berlin', { 7: [iv('02:00', '03:00'), iv('09:00', '10:00')] });
    expect(utc(slotsOn(s, '2026-10-25', 30))).toEqual([
      '2026-10-25T00:00Z', '2026-10-25T00:30Z', '2026-10-25T01:00Z', '2026-10-25T01:30Z', '2026-10-25T08:00Z', '2026-10-25T08:30Z',
    ]);
    const hour = slotsOn(s, '2026-10-25', 60);
    expect(utc(hour)).toEqual(['2026-10-25T00:00Z', '2026-10-25T00:30Z', '2026-10-25T01:00Z', '2026-10-25T08:00Z']);
    expect(hour.map((x) => localStart(x.start, 'Europe/Berlin'))).toEqual([
      '2026-10-25T02:00:00+02:00', '2026-10-25T02:30:00+02:00', '2026-10-25T02:00:00+01:00', '2026-10-25T09:00:00+01:00',
    ]);
  });
});

describe('consultant in Pacific/Auckland, client in America/Los_Angeles', () => {
  const LA = 'America/Los_Angeles';
  const AKL = 'Pacific/Auckland';
  const weekdays = [iv('08:00', '10:00')];

  it("across the client's DST change (LA springs forward 2026-03-08)", () => {
    const s = schedule({ timeZone: AKL, slotStepMinutes: 60, weekly: { 1: weekdays, 2: weekdays, 3: weekdays, 4: weekdays, 5: weekdays } });
    // The client's calendar: 2026-03-05 .. 2026-03-10 in Los Angeles.
    const query = { from: localDayBounds('2026-03-05', LA).from, to: localDayBounds('2026-03-11', LA).from, durationMinutes: 60, now: NOW };
    expect(query.from.toISOString()).toBe('2026-03-05T08:00:00.000Z');
    expect(query.to.toISOString()).toBe('2026-03-11T07:00:00.000Z');
    const slots = generateSlots(s, [], query);
    expect(utc(slots)).toEqual([
      '2026-03-05T19:00Z', '2026-03-05T20:00Z', // Fri 6 March in Auckland
      '2026-03-08T19:00Z', '2026-03-08T20:00Z', // Mon 9
      '2026-03-09T19:00Z', '2026-03-09T20:00Z', // Tue 10
      '2026-03-10T19:00Z', '2026-03-10T20:00Z', // Wed 11
    ]);
    expect(openDates(s, [], query, LA)).toEqual(['2026-03-05', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(openDates(s, [], query, AKL)).toEqual(['2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11']);
    expect(slots.map((x) => localStart(x.start, LA))).toEqual([
      '2026-03-05T11:00:00-08:00', '2026-03-05T12:00:00-08:00',
      '2026-03-08T12:00:00-07:00', '2026-03-08T13:00:00-07:00',
      '2026-03-09T12:00:00-07:00', '2026-03-09T13:00:00-07:00',
      '2026-03-10T12:00:00-07:00', '2026-03-10T13:00:00-07:00',
    ]);
    expect(localStart(slots[0]!.start, AKL)).toBe('2026-03-06T08:00:00+13:00');
    // The client's "times of a date": one viewer date at a time.
    const onSunday = generateSlots(s, [], { ...query, ...localDayBounds('2026-03-08', LA) });
    expect(onSunday.map((x) => localStart(x.start, LA))).toEqual(['2026-03-08T12:00:00-07:00', '2026-03-08T13:00:00-07:00']);
  });

  it("across the consultant's DST change (Auckland falls back 2026-04-05 03:00 → 02:00)", () => {
    const daily = [iv('08:00', '09:00')];
    const s = schedule({
      timeZone: AKL,
      slotStepMinutes: 60,
      weekly: { 1: daily, 2: daily, 3: daily, 4: daily, 5: daily, 6: daily, 7: daily },
      // The repeated hour: 02:00–03:00 on the night of the change is two real hours.
      exceptions: [{ from: '2026-04-05', to: '2026-04-05', kind: 'EXTRA_HOURS', intervals: [iv('02:00', '03:00')] }],
    });
    const query = { from: localDayBounds('2026-04-03', LA).from, to: localDayBounds('2026-04-06', LA).from, durationMinutes: 60, now: NOW };
    const slots = generateSlots(s, [], query);
    expect(utc(slots)).toEqual([
      '2026-04-03T19:00Z', // Sat 4 April 08:00 NZDT (+13)
      '2026-04-04T13:00Z', // Sun 5 April 02:00 NZDT
      '2026-04-04T14:00Z', // Sun 5 April 02:00 NZST (+12)
      '2026-04-04T20:00Z', // Sun 5 April 08:00 NZST
      '2026-04-05T20:00Z', // Mon 6 April 08:00 NZST
    ]);
    expect(slots.map((x) => localStart(x.start, AKL))).toEqual([
      '2026-04-04T08:00:00+13:00', '2026-04-05T02:00:00+13:00', '2026-04-05T02:00:00+12:00', '2026-04-05T08:00:00+12:00', '2026-04-06T08:00:00+12:00',
    ]);
    expect(slots.map((x) => localStart(x.start, LA))).toEqual([
      '2026-04-03T12:00:00-07:00', '2026-04-04T06:00:00-07:00', '2026-04-04T07:00:00-07:00', '2026-04-04T13:00:00-07:00', '2026-04-05T13:00:00-07:00',
    ]);
    expect(openDates(s, [], query, LA)).toEqual(['2026-04-03', '2026-04-04', '2026-04-05']);
    expect(openDates(s, [], query, AKL)).toEqual(['2026-04-04', '2026-04-05', '2026-04-06']);
    // A busy session in the first 02:00 hour leaves the second one.
    const busy = [busyAt('2026-04-04T13:00:00Z', '2026-04-04T14:00:00Z')];
    expect(utc(generateSlots(s, busy, query))).not.toContain('2026-04-04T13:00Z');
    expect(utc(generateSlots(s, busy, query))).toContain('2026-04-04T14:00Z');
  });
});

describe('input validation', () => {
  const ok = schedule({ weekly: { 1: [iv('09:00', '12:00')] } });
  const q = { from: new Date(`${MON}T00:00:00Z`), to: new Date(`${TUE}T00:00:00Z`), durationMinutes: 60, now: NOW };

  it('validateSchedule lists problems; the functions throw RangeError on them', () => {
    expect(validateSchedule(ok)).toEqual([]);
    const bad: Schedule[] = [
      schedule({ timeZone: 'Mars/Olympus' }),
      schedule({ weekly: { 1: [iv('12:00', '09:00')] } }),
      schedule({ weekly: { 1: [iv('09:00', '09:00')] } }),
      schedule({ weekly: { 1: [iv('24:00', '24:00')] } }),
      schedule({ weekly: { 1: [iv('09:00', '24:30')] } }),
      schedule({ weekly: { 1: [iv('9:00', '10:00')] } }),
      schedule({ weekly: { 0: [iv('09:00', '10:00')] } }),
      schedule({ weekly: { 8: [iv('09:00', '10:00')] } }),
      schedule({ slotStepMinutes: 0 }),
      schedule({ slotStepMinutes: 7.5 }),
      schedule({ bufferMinutes: -5 }),
      schedule({ maxSessionsPerDay: -1 }),
      schedule({ horizonDays: -1 }),
      schedule({ exceptions: [{ from: '2026-02-30', to: '2026-03-01', kind: 'TIME_OFF' }] }),
      schedule({ exceptions: [{ from: '2026-03-02', to: '2026-03-01', kind: 'TIME_OFF' }] }),
      schedule({ exceptions: [{ from: '2026-03-02', to: '2026-03-02', kind: 'EXTRA_HOURS' }] }),
    ];
    for (const s of bad) {
      expect(validateSchedule(s).length).toBeGreaterThan(0);
      expect(() => generateSlots(s, [], q)).toThrow(RangeError);
      expect(() => isBookable(s, [], q.from, 60, NOW)).toThrow(RangeError);
    }
  });

  it('rejects bad durations, dates, busy periods and zones', () => {
    for (const d of [0, -30, 1.5, Number.NaN]) expect(() => generateSlots(ok, [], { ...q, durationMinutes: d })).toThrow(RangeError);
    expect(() => generateSlots(ok, [], { ...q, from: new Date('nope') })).toThrow(RangeError);
    expect(() => isBookable(ok, [busyAt(`${MON}T10:00:00Z`, `${MON}T09:00:00Z`)], q.from, 60, NOW)).toThrow(RangeError);
    expect(() => openDates(ok, [], q, 'Nowhere/City')).toThrow(RangeError);
    expect(() => localStart(q.from, 'Nowhere/City')).toThrow(RangeError);
    expect(generateSlots(ok, [], { ...q, from: q.to, to: q.from })).toEqual([]);
  });

  it('localStart agrees with Luxon’s formatting for any instant and zone (incl. negative and half-hour offsets)', () => {
    const zones = ['UTC', 'America/New_York', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Pacific/Auckland', 'America/Los_Angeles'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const at = new Date(Math.floor(ms / 1000) * 1000);
        expect(localStart(at, zone)).toBe(DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ"));
      }),
      { numRuns: 2000 },
    );
  });

  it('localStarts formats a list exactly as localStart does each instant (across DST changes, any order)', () => {
    const zones = ['UTC', 'America/New_York', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Pacific/Auckland', 'Europe/Berlin'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.array(fc.integer({ min: 0, max: 400 * DAY }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...zones),
        (base, deltas, zone) => {
          const starts = deltas.map((d) => new Date(Math.floor((base + d) / 1000) * 1000));
          expect(localStarts(starts, zone)).toEqual(starts.map((at) => localStart(at, zone)));
        },
      ),
      { numRuns: 500 },
    );
    // Every 5 minutes over a spring-forward and a fall-back night.
    for (const [zone, day] of [['Europe/Berlin', '2026-03-29'], ['Europe/Berlin', '2026-10-25'], ['America/New_York', '2026-11-01'], ['Australia/Lord_Howe', '2026-04-05']] as const) {
      const from = Date.parse(`${day}T00:00:00Z`) - DAY;
      const starts = Array.from({ length: (2 * DAY) / (5 * MIN) }, (_, i) => new Date(from + i * 5 * MIN));
      expect(localStarts(starts, zone)).toEqual(starts.map((at) => localStart(at, zone)));
    }
    expect(localStarts([], 'UTC')).toEqual([]);
    expect(() => localStarts([NOW], 'Nowhere/City')).toThrow(RangeError);
  });

  it('localStart always prints a numeric offset', () => {
    expect(localStart(new Date('2026-03-08T13:30:00Z'), 'America/New_York')).toBe('2026-03-08T09:30:00-04:00');
    expect(localStart(new Date('2026-03-08T13:30:00Z'), 'UTC')).toBe('2026-03-08T13:30:00+00:00');
    expect(localStart(new Date('2026-03-08T13:30:00Z'), 'Asia/Kathmandu')).toBe('2026-03-08T19:15:00+05:45');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. Every wall time, offset and transition involved is a multiple of 5 minutes, so
// walking real time in 5-minute steps visits every possible slot start.

/** Zones (half-hour DST in Lord Howe; +05:45, +12:45/+13:45 and -03:30 offsets) with the days they change clocks in 2026. */
const ZONE_DAYS: Record<string, string[]> = {
  UTC: ['2026-06-15'],
  'America/New_York': ['2026-03-08', '2026-11-01'],
  'America/Los_Angeles': ['2026-03-08', '2026-11-01'],
  'America/St_Johns': ['2026-03-08', '2026-11-01'],
  'Europe/Berlin': ['2026-03-29', '2026-10-25'],
  'Pacific/Auckland': ['2026-04-05', '2026-09-27'],
  'Pacific/Chatham': ['2026-04-05', '2026-09-27'],
  'Australia/Lord_Howe': ['2026-04-05', '2026-10-04'],
  'Asia/Kathmandu': ['2026-06-15'],
};
const ZONES = Object.keys(ZONE_DAYS);
const zoneDayArb = fc.constantFrom(...Object.entries(ZONE_DAYS).flatMap(([zone, days]) => days.map((day) => [zone, day] as const)));
const FIVE = 5 * MIN;

const wallText = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const wallMin = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
const intervalOf = ([a, len]: [number, number]) => iv(wallText(a * 5), wallText(Math.min(288, a + len) * 5));
/** Around the small hours, when clocks change. */
const nightArb = fc.tuple(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 6, max: 60 })).map(intervalOf);
/** Anywhere in the day, or (half the time) at night. */
const intervalArb = fc.oneof(fc.tuple(fc.integer({ min: 0, max: 287 }), fc.integer({ min: 1, max: 144 })).map(intervalOf), nightArb);
const exceptionArb = fc.record({
  fromOffset: fc.integer({ min: -2, max: 3 }),
  days: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom('TIME_OFF' as const, 'EXTRA_HOURS' as const),
  intervals: fc.option(fc.array(intervalArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
});
const busyArb = fc.record({
  offset: fc.integer({ min: -300, max: 700 }),
  length: fc.integer({ min: 0, max: 24 }),
  buffer: fc.integer({ min: 0, max: 6 }),
});

interface Scenario {
  schedule: Schedule;
  busy: BusyPeriod[];
  from: number;
  to: number;
  now: number;
  duration: number;
  viewer: string;
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    zoneDay: zoneDayArb,
    viewer: fc.constantFrom(...ZONES),
    weekly: fc.array(
      fc.oneof({ arbitrary: fc.array(intervalArb, { minLength: 1, maxLength: 3 }), weight: 4 }, { arbitrary: fc.constant<TimeInterval[]>([]), weight: 1 }),
      { minLength: 7, maxLength: 7 },
    ),
    exceptions: fc.array(exceptionArb, { maxLength: 3 }),
    step: fc.constantFrom(5, 15, 20, 30, 45, 60),
    duration: fc.constantFrom(15, 30, 45, 60, 90),
    buffer: fc.integer({ min: 0, max: 6 }),
    maxPerDay: fc.oneof(
      { arbitrary: fc.constant(null), weight: 5 },
      { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 4 },
      { arbitrary: fc.constant(0), weight: 1 },
    ),
    notice: fc.integer({ min: 0, max: 72 }),
    horizonDays: fc.oneof({ arbitrary: fc.constant(90), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 1 }),
    fromOffset: fc.integer({ min: -288, max: 288 }),
    span: fc.integer({ min: 48, max: 576 }),
    nowBack: fc.integer({ min: 0, max: 576 }),
    busy: fc.array(busyArb, { maxLength: 6 }),
    /** A third of the time: every night available, and the range the 48 h around the night of the change. */
    dstFocus: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.array(nightArb, { minLength: 1, maxLength: 2 }), weight: 1 }),
  })
  .map((r) => {
    const [zone, anchor] = r.zoneDay;
    const weekly: Schedule['weekly'] = {};
    r.weekly.forEach((list, i) => {
      const own = r.dstFocus ?? list;
      if (own.length > 0) weekly[i + 1] = own;
    });
    const exceptions: AvailabilityException[] = r.exceptions.map((e) => ({
      from: addDays(anchor, e.fromOffset),
      to: addDays(anchor, e.fromOffset + e.days),
      kind: e.kind,
      // EXTRA_HOURS needs intervals.
      ...(e.intervals !== undefined || e.kind === 'EXTRA_HOURS' ? { intervals: e.intervals ?? [iv('10:00', '11:00')] } : {}),
    }));
    const from = r.dstFocus
      ? localDayBounds(anchor, zone).from.getTime() - 12 * 3_600_000
      : Date.parse(`${anchor}T00:00:00Z`) + r.fromOffset * FIVE;
    const to = from + (r.dstFocus ? 576 : r.span) * FIVE;
    return {
      schedule: schedule({
        timeZone: zone,
        weekly,
        exceptions,
        slotStepMinutes: r.step,
        bufferMinutes: r.buffer * 5,
        maxSessionsPerDay: r.maxPerDay,
        minNoticeMinutes: r.notice * 5,
        horizonDays: r.horizonDays,
      }),
      busy: r.busy.map((b) => {
        const start = from + b.offset * FIVE;
        return { start: new Date(start), end: new Date(start + b.length * FIVE), bufferMinutes: b.buffer * 5 };
      }),
      from,
      to,
      now: from - r.nowBack * FIVE,
      duration: r.duration,
      viewer: r.viewer,
    };
  });

const run = (sc: Scenario, busy = sc.busy, s = sc.schedule) =>
  generateSlots(s, busy, { from: new Date(sc.from), to: new Date(sc.to), durationMinutes: sc.duration, now: new Date(sc.now) });
const startsOf = (slots: readonly OpenSlot[]) => slots.map((x) => x.start.getTime());

interface LocalParts {
  date: string;
  weekday: number;
  wall: number;
}

/**
 * An independent, brute-force reading of the rules, with Luxon only: `local` reads an instant
 * in the consultant's zone. Availability is constant over each 5-minute block (every boundary
 * is a multiple of 5 minutes), so checking block starts checks every minute.
 */
function oracle(sc: Scenario, t: number, local: (t: number) => LocalParts): boolean {
  const s = sc.schedule;
  if (t < sc.now + s.minNoticeMinutes * MIN || t >= sc.now + s.horizonDays * DAY) return false;
  const { date, weekday, wall } = local(t);
  const within = (x: TimeInterval, w: number) => wallMin(x.start) <= w && w < wallMin(x.end);
  const exceptions = s.exceptions.filter((e) => e.from <= date && date <= e.to);
  const sources = [...(s.weekly[weekday] ?? []), ...exceptions.filter((e) => e.kind === 'EXTRA_HOURS').flatMap((e) => e.intervals ?? [])];
  if (!sources.some((x) => within(x, wall) && (wall - wallMin(x.start)) % s.slotStepMinutes === 0)) return false;
  const available = (w: number) =>
    sources.some((x) => within(x, w)) &&
    !exceptions.some((e) => e.kind === 'TIME_OFF' && (!e.intervals || e.intervals.length === 0 || e.intervals.some((x) => within(x, w))));
  for (let m = t; m < t + sc.duration * MIN; m += FIVE) {
    const lm = local(m);
    if (lm.date !== date || !available(lm.wall)) return false;
  }
  if (s.maxSessionsPerDay !== null) {
    const sameDay = sc.busy.filter((b) => DateTime.fromJSDate(b.start, { zone: s.timeZone }).toISODate() === date).length;
    if (sameDay >= s.maxSessionsPerDay) return false;
  }
  const end = t + (sc.duration + s.bufferMinutes) * MIN;
  return !sc.busy.some((b) => {
    const heldEnd = b.end.getTime() + b.bufferMinutes * MIN;
    return heldEnd > b.start.getTime() && b.start.getTime() < end && heldEnd > t;
  });
}

function localReader(zone: string): (t: number) => LocalParts {
  const memo = new Map<number, LocalParts>();
  return (t) => {
    let parts = memo.get(t);
    if (!parts) {
      const d = DateTime.fromMillis(t, { zone });
      parts = { date: d.toISODate()!, weekday: d.weekday, wall: d.hour * 60 + d.minute };
      memo.set(t, parts);
    }
    return parts;
  };
}

describe('properties', () => {
  it('generateSlots, isBookable and a brute-force oracle agree on every 5-minute instant of the range', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const generated = new Set(startsOf(run(sc)));
        const local = localReader(sc.schedule.timeZone);
        const disagreements: string[] = [];
        for (let t = sc.from; t < sc.to; t += FIVE) {
          const listed = generated.has(t);
          const bookable = isBookable(sc.schedule, sc.busy, new Date(t), sc.duration, new Date(sc.now));
          if (bookable.ok !== listed) disagreements.push(`${new Date(t).toISOString()}: listed ${listed}, isBookable ${JSON.stringify(bookable)}`);
          if (oracle(sc, t, local) !== listed) disagreements.push(`${new Date(t).toISOString()}: listed ${listed}, oracle ${!listed}`);
        }
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 250 },
    );
  });

  it('slots are in [from, to), sorted, unique, exactly `duration` real minutes, clear of busy periods and buffers', () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const slots = run(sc);
        for (const [i, slot] of slots.entries()) {
          const s = slot.start.getTime();
          expect(s).toBeGreaterThanOrEqual(sc.from);
          expect(s).toBeLessThan(sc.to);
          if (i > 0) expect(s).toBeGreaterThan(slots[i - 1]!.start.getTime());
          expect(slot.end.getTime() - s).toBe(sc.duration * MIN);
          expect(isBookable(sc.schedule, sc.busy, slot.start, sc.duration, new Date(sc.now))).toEqual({ ok: true });
          const heldEnd = s + (sc.duration + sc.schedule.bufferMinutes) * MIN;
          for (const b of sc.busy) {
            const bEnd = b.end.getTime() + b.bufferMinutes * MIN;
            if (bEnd > b.start.getTime()) expect(b.start.getTime() < heldEnd && bEnd > s).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('adding a busy period or a TIME_OFF never adds a slot; busy order does not matter', () => {
    fc.assert(
      fc.property(scenarioArb, busyArb, exceptionArb, fc.nat(), (sc, extraBusy, extraOff, rotation) => {
        const base = startsOf(run(sc));
        const start = sc.from + extraBusy.offset * FIVE;
        const more = [...sc.busy, { start: new Date(start), end: new Date(start + extraBusy.length * FIVE), bufferMinutes: extraBusy.buffer * 5 }];
        const withBusy = startsOf(run(sc, more));
        expect(withBusy.every((t) => base.includes(t))).toBe(true);

        const anchor = DateTime.fromMillis(sc.from, { zone: sc.schedule.timeZone }).toISODate()!;
        const off: AvailabilityException = {
          from: addDays(anchor, extraOff.fromOffset),
          to: addDays(anchor, extraOff.fromOffset + extraOff.days),
          kind: 'TIME_OFF',
          ...(extraOff.intervals ? { intervals: extraOff.intervals } : {}),
        };
        const withOff = startsOf(run(sc, sc.busy, { ...sc.schedule, exceptions: [...sc.schedule.exceptions, off] }));
        expect(withOff.every((t) => base.includes(t))).toBe(true);

        const n = sc.busy.length;
        const rotated = sc.busy.map((_, i) => sc.busy[(i + rotation) % n]!);
        expect(startsOf(run(sc, [...sc.busy].reverse()))).toEqual(base);
        expect(startsOf(run(sc, rotated))).toEqual(base);
      }),
      { numRuns: 200 },
    );
  });

  it('without a day limit, busy periods merged into the time they hold (as range_agg does) give the same slots', () => {
    // What AvailabilityService reads for one consultant's openSlots: [start, end + buffer) ranges,
    // empty ones dropped, overlapping or touching ones joined, each as a period with no buffer.
    const merged = (busy: readonly BusyPeriod[]): BusyPeriod[] => {
      const held = busy
        .map((b) => ({ start: b.start.getTime(), end: b.end.getTime() + b.bufferMinutes * MIN }))
        .filter((r) => r.end > r.start)
        .sort((a, b) => a.start - b.start);
      const out: Array<{ start: number; end: number }> = [];
      for (const r of held) {
        const last = out[out.length - 1];
        if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
        else out.push({ ...r });
      }
      return out.map((r) => ({ start: new Date(r.start), end: new Date(r.end), bufferMinutes: 0 }));
    };
    fc.assert(
      fc.property(scenarioArb, fc.array(busyArb, { maxLength: 6 }), (sc, extra) => {
        const s = { ...sc.schedule, maxSessionsPerDay: null };
        // Back-to-back and overlapping periods too.
        const busy = [...sc.busy, ...extra.map((b, i) => ({ ...(sc.busy[i % Math.max(1, sc.busy.length)] ?? { start: new Date(sc.from), end: new Date(sc.from) }), bufferMinutes: b.buffer * 5 }))];
        for (const b of busy.slice(0, 3)) busy.push({ start: new Date(b.end.getTime() + b.bufferMinutes * MIN), end: new Date(b.end.getTime() + (b.bufferMinutes + 30) * MIN), bufferMinutes: 0 });
        expect(startsOf(run(sc, merged(busy), s))).toEqual(startsOf(run(sc, busy, s)));
      }),
      { numRuns: 300 },
    );
  });

  it("openDates are exactly the viewer's dates whose own [from, to) window has a slot", () => {
    fc.assert(
      fc.property(scenarioArb, (sc) => {
        const query = { from: new Date(sc.from), to: new Date(sc.to), durationMinutes: sc.duration, now: new Date(sc.now) };
        const dates = openDates(sc.schedule, sc.busy, query, sc.viewer);
        expect([...dates].sort()).toEqual(dates);
        const first = DateTime.fromMillis(sc.from, { zone: sc.viewer }).toISODate()!;
        const last = DateTime.fromMillis(sc.to - 1, { zone: sc.viewer }).toISODate()!;
        for (let d = first; d <= last; d = addDays(d, 1)) {
          const day = localDayBounds(d, sc.viewer);
          const from = Math.max(sc.from, day.from.getTime());
          const to = Math.min(sc.to, day.to.getTime());
          const slots = generateSlots(sc.schedule, sc.busy, { ...query, from: new Date(from), to: new Date(to) });
          expect({ d, open: slots.length > 0 }).toEqual({ d, open: dates.includes(d) });
          for (const slot of slots) expect(localStart(slot.start, sc.viewer).slice(0, 10)).toBe(d);
        }
      }),
      { numRuns: 150 },
    );
  });
});
