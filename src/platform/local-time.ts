/**
 * Times as a person reads them in an email: in their own zone, with the zone named, so nobody
 * converts in their head — "Tue 8 Dec 2026, 14:00 (Europe/London)". 24-hour clock (no AM/PM
 * slips), English day and month names. Pure.
 */
import { DateTime, IANAZone } from 'luxon';

const DAY = 'ccc d LLL yyyy';
const CLOCK = 'HH:mm';

/** `zone` when it is a known IANA zone, else UTC (a stored zone is validated; this is a seatbelt). */
export function knownZone(zone: string | null | undefined): string {
  return zone && IANAZone.isValidZone(zone) ? zone : 'UTC';
}

function local(at: Date, zone: string): DateTime {
  return DateTime.fromJSDate(at, { zone: knownZone(zone) }).setLocale('en-US');
}

/** "Tue 8 Dec 2026, 14:00 (Europe/London)". */
export function formatLocalTime(at: Date, zone: string): string {
  const t = local(at, zone);
  return `${t.toFormat(DAY)}, ${t.toFormat(CLOCK)} (${knownZone(zone)})`;
}

/** "Tue 8 Dec 2026, 14:00–15:00 (Europe/London)"; an end on another local day is written in full. */
export function formatLocalSpan(start: Date, end: Date, zone: string): string {
  const from = local(start, zone);
  const to = local(end, zone);
  const endText = from.hasSame(to, 'day') ? to.toFormat(CLOCK) : `${to.toFormat(DAY)}, ${to.toFormat(CLOCK)}`;
  return `${from.toFormat(DAY)}, ${from.toFormat(CLOCK)}–${endText} (${knownZone(zone)})`;
}
