/**
 * The dashboard's pure rules (src/web/browser/dashboard/schedule.ts), against luxon for the
 * calendar arithmetic the browser does with Intl alone.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { actionsFor, addDays, localDate, newer, openWindows, startOfDay, weekOf, windowsByDate, zoneOffsetMinutes } from '../../src/web/browser/dashboard/schedule.js';

// Zones with DST gaps at midnight (America/Santiago, America/Havana, Asia/Beirut), half hours, and none.
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Pacific/Chatham', 'Etc/GMT+6'];
const zone = fc.constantFrom(...ZONES);
// 2020–2035, to the second.
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }).map((ms) => new Date(Math.floor(ms / 1000) * 1000));

describe('calendar days in a zone', () => {
  it('the offset, the local date and the start of a day agree with luxon, gaps at midnight included', () => {
    fc.assert(
      fc.property(instant, zone, (at, z) => {
        const local = DateTime.fromJSDate(at, { zone: z });
        expect(zoneOffsetMinutes(at, z)).toBe(local.offset);
        const date = localDate(at, z);
        expect(date).toBe(local.toISODate());
        // The first instant of the date: luxon's start of day, or earlier where midnight happens
        // twice (Havana falls back from 01:00 to 00:00; luxon takes the second midnight).
        const start = startOfDay(date, z);
        expect(localDate(start, z)).toBe(date);
        expect(localDate(new Date(start.getTime() - 60_000), z)).not.toBe(date);
        expect(start.getTime()).toBeLessThanOrEqual(local.startOf('day').toMillis());
      }),
      { numRuns: 2000 },
    );
  });

  it('a week is 8 consecutive dates from today, bounded by their first instants', () => {
    fc.assert(
      fc.property(instant, zone, (now, z) => {
        const week = weekOf(now, z);
        expect(week.dates).toHaveLength(8);
        expect(week.dates[0]).toBe(localDate(now, z));
        week.dates.slice(1).forEach((d, i) => expect(d).toBe(addDays(week.dates[i]!, 1)));
        expect(week.from.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(localDate(week.to, z)).toBe(addDays(week.dates[0]!, 8));
        expect(localDate(new Date(week.to.getTime() - 1), z)).toBe(week.dates[7]);
      }),
      { numRuns: 500 },
    );
  });

  it('Santiago skips midnight into summer time: that day starts at 01:00', () => {
    // 2024-09-08: clocks go from 00:00 to 01:00 in America/Santiago.
    expect(startOfDay('2024-09-08', 'America/Santiago').toISOString()).toBe('2024-09-08T04:00:00.000Z');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
  });
});

describe('open windows', () => {
  const slot = (startMin: number, minutes = 30) => ({ start: new Date(Date.UTC(2026, 11, 1) + startMin * 60_000).toISOString(), end: new Date(Date.UTC(2026, 11, 1) + (startMin + minutes) * 60_000).toISOString() });

  it('merge overlapping and touching slots, in any order, into disjoint windows covering exactly the slots', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 24 * 60 / 5 }).map((n) => n * 5), { maxLength: 60 }), (starts) => {
        const slots = starts.map((s) => slot(s));
        const windows = openWindows(slots);
        for (let i = 1; i < windows.length; i++) expect(windows[i]!.start).toBeGreaterThan(windows[i - 1]!.end);
        const covered = (t: number) => windows.some((w) => t >= w.start && t < w.end);
        for (let minute = 0; minute < 25 * 60; minute += 5) {
          const t = Date.UTC(2026, 11, 1) + minute * 60_000;
          expect(covered(t)).toBe(slots.some((s) => t >= Date.parse(s.start) && t < Date.parse(s.end)));
        }
      }),
    );
  });

  it('are cut at the zone’s midnights so each part belongs to one date', () => {
    const windows = openWindows([slot(22 * 60, 180)]); // 22:00–01:00 UTC
    const byDate = windowsByDate(windows, 'UTC');
    expect([...byDate.keys()]).toEqual(['2026-12-01', '2026-12-02']);
    expect(byDate.get('2026-12-01')![0]!.end).toBe(Date.UTC(2026, 11, 2));
    expect(byDate.get('2026-12-02')![0]).toEqual({ start: Date.UTC(2026, 11, 2), end: Date.UTC(2026, 11, 2, 1) });
  });
});

describe('actions a session offers', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 12) + min * 60_000);
  const session = (status: string) => ({ status, start: at(0).toISOString(), end: at(60).toISOString() });

  it('follow the lifecycle and its clock rules', () => {
    expect(actionsFor(session('SCHEDULED'), at(-60))).toEqual(['confirm']);
    expect(actionsFor(session('SCHEDULED'), at(5))).toEqual(['confirm', 'noShow']);
    expect(actionsFor(session('CONFIRMED'), at(-16))).toEqual([]);
    expect(actionsFor(session('CONFIRMED'), at(-15))).toEqual(['start']);
    expect(actionsFor(session('CONFIRMED'), at(10))).toEqual(['start', 'noShow']);
    expect(actionsFor(session('CONFIRMED'), at(60))).toEqual(['noShow']);
    expect(actionsFor(session('IN_PROGRESS'), at(30))).toEqual(['complete', 'noShow']);
    for (const done of ['COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED', 'PENDING_PAYMENT']) expect(actionsFor(session(done), at(30))).toEqual([]);
  });

  it('keep the newer of two copies of a consultation (a load and an event may cross)', () => {
    const old = { id: 'a', updatedAt: '2026-12-01T12:00:00.000Z', status: 'SCHEDULED' };
    const fresh = { id: 'a', updatedAt: '2026-12-01T12:00:01.000Z', status: 'CANCELLED' };
    expect(newer(fresh, old)).toBe(fresh);
    expect(newer(old, fresh)).toBe(fresh);
    expect(newer(undefined, old)).toBe(old);
  });
});
