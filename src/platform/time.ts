/** Lengths of time in milliseconds, defined once (instants are `Date`s in UTC everywhere inside). */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** `at` moved by `ms` milliseconds (negative: earlier). */
export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}
