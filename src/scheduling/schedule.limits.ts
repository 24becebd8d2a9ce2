import { DAY_MS } from '../platform/time.js';

/**
 * The bounds of what a consultant may set for their schedule, checked before it is stored (the
 * database's check constraint on availability_schedule holds the same bounds, except the
 * notice, which only this caps). Pure: a message naming the field, or null.
 */
export const SCHEDULE_LIMITS = {
  slotStepMinutes: { min: 5, max: 240 },
  bufferMinutes: { min: 0, max: 240 },
  /** Null: no daily limit. 96 is a whole day of 15-minute sessions. */
  maxSessionsPerDay: { min: 1, max: 96 },
  /** 30 days. */
  minNoticeMinutes: { min: 0, max: 43_200 },
  /** Two years. */
  horizonDays: { min: 1, max: 730 },
  /** An exception longer than the longest horizon changes nothing bookable. */
  exceptionDays: 730,
} as const;

export interface ScheduleNumbers {
  slotStepMinutes: number;
  bufferMinutes: number;
  maxSessionsPerDay: number | null;
  minNoticeMinutes: number;
  horizonDays: number;
}

/** The first number out of bounds, as { field (under input.), message }. */
export function scheduleNumbersProblem(values: ScheduleNumbers): { field: string; message: string } | null {
  for (const key of ['slotStepMinutes', 'bufferMinutes', 'maxSessionsPerDay', 'minNoticeMinutes', 'horizonDays'] as const) {
    const value = values[key];
    if (value === null) continue;
    const { min, max } = SCHEDULE_LIMITS[key];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const none = key === 'maxSessionsPerDay' ? ', or null for no daily limit' : '';
      return { field: `input.${key}`, message: `${key} must be a whole number from ${min} to ${max}${none} (got ${value}).` };
    }
  }
  return null;
}

/** An exception's dates (YYYY-MM-DD, from <= to already checked): at most SCHEDULE_LIMITS.exceptionDays days. */
export function exceptionLengthProblem(from: string, to: string): string | null {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (!(days <= SCHEDULE_LIMITS.exceptionDays)) return `An exception covers at most ${SCHEDULE_LIMITS.exceptionDays} days (this one ${Number.isFinite(days) ? days : 'more'}): split it, or set availabilityStatus for longer absences.`;
  return null;
}
