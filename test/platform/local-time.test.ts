import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocalSpan, formatLocalTime, knownZone } from '../../src/platform/local-time.js';

describe('times in the recipient’s zone', () => {
  it('writes the day, the 24-hour time and names the zone', () => {
    expect(formatLocalTime(new Date('2026-12-08T14:00:00Z'), 'Europe/London')).toBe('Tue 8 Dec 2026, 14:00 (Europe/London)');
    expect(formatLocalTime(new Date('2026-12-08T14:00:00Z'), 'America/New_York')).toBe('Tue 8 Dec 2026, 09:00 (America/New_York)');
    expect(formatLocalTime(new Date('2026-12-08T23:30:00Z'), 'Asia/Tokyo')).toBe('Wed 9 Dec 2026, 08:30 (Asia/Tokyo)');
  });

  it('follows the recipient’s daylight-saving change: the same UTC hour reads differently either side', () => {
    // Europe/London leaves BST on Sun 25 Oct 2026; America/New_York leaves EDT on Sun 1 Nov 2026.
    expect(formatLocalTime(new Date('2026-10-24T13:00:00Z'), 'Europe/London')).toBe('Sat 24 Oct 2026, 14:00 (Europe/London)');
    expect(formatLocalTime(new Date('2026-10-26T13:00:00Z'), 'Europe/London')).toBe('Mon 26 Oct 2026, 13:00 (Europe/London)');
    expect(formatLocalTime(new Date('2026-10-31T13:00:00Z'), 'America/New_York')).toBe('Sat 31 Oct 2026, 09:00 (America/New_York)');
    expect(formatLocalTime(new Date('2026-11-02T13:00:00Z'), 'America/New_York')).toBe('Mon 2 Nov 2026, 08:00 (America/New_York)');
    // Booked while Berlin was on summer time, held after the change: the local wall time of the session.
    expect(formatLocalSpan(new Date('2026-11-03T13:00:00Z'), new Date('2026-11-03T14:00:00Z'), 'Europe/Berlin')).toBe('Tue 3 Nov 2026, 14:00–15:00 (Europe/Berlin)');
  });

  it('writes a span on one day compactly and one across midnight in full', () => {
    expect(formatLocalSpan(new Date('2026-12-08T14:00:00Z'), new Date('2026-12-08T15:30:00Z'), 'Europe/London')).toBe('Tue 8 Dec 2026, 14:00–15:30 (Europe/London)');
    expect(formatLocalSpan(new Date('2026-12-08T23:30:00Z'), new Date('2026-12-09T00:30:00Z'), 'Europe/London')).toBe('Tue 8 Dec 2026, 23:30–Wed 9 Dec 2026, 00:30 (Europe/London)');
  });

  it('falls back to UTC, named, for an unknown zone', () => {
    expect(knownZone('Mars/Olympus')).toBe('UTC');
    expect(formatLocalTime(new Date('2026-12-08T14:00:00Z'), 'Mars/Olympus')).toBe('Tue 8 Dec 2026, 14:00 (UTC)');
  });

  it('always names the zone and never uses a 12-hour clock', () => {
    const zones = ['UTC', 'Europe/London', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.constantFrom(...zones), (at, zone) => {
        const text = formatLocalTime(at, zone);
        expect(text).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}, ([01]\d|2[0-3]):[0-5]\d \(.+\)$/);
        expect(text.endsWith(`(${zone})`)).toBe(true);
      }),
    );
  });
});
