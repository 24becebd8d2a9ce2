/**
 * Validation of booking, completion and feedback input (pure): each function returns the
 * normalized value or throws BAD_USER_INPUT naming the field at fault.
 */
import { createHash } from 'node:crypto';
import { errors, isDomainError } from '../platform/errors.js';
import { DAY_MS, MINUTE_MS } from '../platform/time.js';
import { MAX_AHEAD_DAYS, type SlotRejection } from '../scheduling/slots.js';
import { offeredProviders, type MeetingProviderSettings } from '../identity/meeting-providers.js';
import { ActionItemPriority, ActionItemStatus, DeliverableStatus, MeetingProvider, PaymentMethod } from './consultation.enums.js';
import type { ActionItem, Attendee, Consultation, Deliverable, Outcomes } from './consultation.entity.js';

export const BOOKING_LIMITS = {
  durationMinutes: { min: 15, max: 480, step: 15 },
  freeTrialMinutes: 15,
  purpose: 2000,
  notes: 4000,
  skills: 10,
  skillName: 80,
  attendees: 10,
  attendeeName: 200,
  attendeeRole: 100,
  idempotencyKey: 200,
  reason: 1000,
  suggestedStarts: 5,
  text: 4000,
  listItems: 50,
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface AttendeeData {
  name: string;
  email: string;
  role?: string | null;
}

export interface BookingData {
  consultantId?: string | null;
  start: Date;
  durationMinutes: number;
  useFreeTrial?: boolean | null;
  purpose: string;
  notes?: string | null;
  meetingProvider?: MeetingProvider | null;
  skills?: string[] | null;
  attendees?: AttendeeData[] | null;
  idempotencyKey?: string | null;
  /** CREDITS (default) or BOOKING_FEE (no credit: the slot is held until the fee is paid). */
  payWith?: PaymentMethod | null;
}

export interface CheckedBooking {
  consultantId: string | null;
  start: Date;
  durationMinutes: number;
  useFreeTrial: boolean;
  purpose: string;
  notes: string | null;
  /** The provider asked for; null: the consultant's first offered one (chooseMeetingProvider, once the consultant is known). */
  meetingProvider: MeetingProvider | null;
  skills: string[];
  attendees: Attendee[];
  idempotencyKey: string | null;
  payWith: PaymentMethod;
}

export function checkDuration(minutes: number, field = 'input.durationMinutes'): number {
  const { min, max, step } = BOOKING_LIMITS.durationMinutes;
  if (!Number.isInteger(minutes) || minutes < min || minutes > max || minutes % step !== 0) {
    throw errors.badInput(`durationMinutes must be a multiple of ${step} from ${min} to ${max}.`, field);
  }
  return minutes;
}

export function checkStart(start: Date, now: Date, field = 'input.start'): Date {
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw errors.badInput('start must be a date-time such as 2026-12-01T14:00:00Z.', field);
  if (start.getTime() <= now.getTime()) throw errors.badInput('start is in the past: pick a time from openSlots.', field);
  if (start.getTime() > now.getTime() + MAX_AHEAD_DAYS * DAY_MS) throw errors.badInput(`start is more than ${MAX_AHEAD_DAYS} days ahead: pick a time from openSlots.`, field);
  return start;
}

export function optionalText(value: string | null | undefined, max: number, field: string): string | null {
  const text = value?.trim() ?? '';
  if (text.length > max) throw errors.badInput(`${field.split('.').at(-1)} must be at most ${max} characters.`, field);
  return text || null;
}

function requiredText(value: string | null | undefined, max: number, field: string): string {
  const text = optionalText(value, max, field);
  if (!text) throw errors.badInput(`${field.split('.').at(-1)} is required.`, field);
  return text;
}

export function checkAttendees(list: readonly AttendeeData[], existing: readonly Attendee[] = [], field = 'input.attendees'): Attendee[] {
  if (existing.length + list.length > BOOKING_LIMITS.attendees) throw errors.badInput(`At most ${BOOKING_LIMITS.attendees} attendees per consultation.`, field);
  const seen = new Set(existing.map((a) => a.email));
  return list.map((a, i) => {
    const name = requiredText(a.name, BOOKING_LIMITS.attendeeName, `${field}.${i}.name`);
    const email = a.email?.trim().toLowerCase() ?? '';
    if (!EMAIL.test(email) || email.length > 254) throw errors.badInput(`"${a.email}" is not an email address.`, `${field}.${i}.email`);
    if (seen.has(email)) throw errors.badInput(`${email} is already an attendee.`, `${field}.${i}.email`);
    seen.add(email);
    return { name, email, role: optionalText(a.role, BOOKING_LIMITS.attendeeRole, `${field}.${i}.role`) };
  });
}

/** The meeting settings a booking is checked against (config.meetings). */
export type BookingMeetingSettings = MeetingProviderSettings;

/** Without settings (unit tests): the key-free default, every provider configured. */
export const KEY_FREE_DEFAULT: BookingMeetingSettings = { defaultProvider: MeetingProvider.JITSI, unconfigured: {} };

export function checkBooking(data: BookingData, now: Date, meetings: BookingMeetingSettings = KEY_FREE_DEFAULT): CheckedBooking {
  const durationMinutes = checkDuration(data.durationMinutes);
  const useFreeTrial = data.useFreeTrial === true;
  if (useFreeTrial && durationMinutes !== BOOKING_LIMITS.freeTrialMinutes) {
    throw errors.badInput(`The free trial is a ${BOOKING_LIMITS.freeTrialMinutes}-minute session: book durationMinutes ${BOOKING_LIMITS.freeTrialMinutes}.`, 'input.durationMinutes');
  }
  const named = (data.skills ?? []).map((s, i) => requiredText(s, BOOKING_LIMITS.skillName, `input.skills.${i}`));
  // Case-insensitively unique, first spelling kept.
  const payWith = data.payWith ?? PaymentMethod.CREDITS;
  if (useFreeTrial && payWith === PaymentMethod.BOOKING_FEE) throw errors.badInput('A booking is paid by the free trial or by a booking fee, not both.', 'input.payWith');
  const skills = named.filter((s, i) => named.findIndex((other) => other.toLowerCase() === s.toLowerCase()) === i);
  if (skills.length > BOOKING_LIMITS.skills) throw errors.badInput(`Ask for at most ${BOOKING_LIMITS.skills} skills.`, 'input.skills');
  // Refused before anything is read; whether the consultant offers it is judged once they are known.
  const meetingProvider = data.meetingProvider ?? null;
  const missing = meetingProvider ? meetings.unconfigured[meetingProvider] : undefined;
  if (missing) throw errors.badInput(`The ${meetingProvider} meeting provider is not configured on this platform: set ${missing}.`, 'input.meetingProvider');
  const key = data.idempotencyKey ?? null;
  if (key !== null && (key.length < 1 || key.length > BOOKING_LIMITS.idempotencyKey)) {
    throw errors.badInput(`idempotencyKey must be 1–${BOOKING_LIMITS.idempotencyKey} characters.`, 'input.idempotencyKey');
  }
  return {
    consultantId: data.consultantId ?? null,
    start: checkStart(data.start, now),
    durationMinutes,
    useFreeTrial,
    purpose: requiredText(data.purpose, BOOKING_LIMITS.purpose, 'input.purpose'),
    notes: optionalText(data.notes, BOOKING_LIMITS.notes, 'input.notes'),
    meetingProvider,
    skills,
    attendees: checkAttendees(data.attendees ?? []),
    idempotencyKey: key,
    payWith,
  };
}

/**
 * The booking's meeting provider, once its consultant is known: the one named, which must be one
 * the consultant offers (offeredProviders: listed and configured, else the platform's default);
 * none named, the first of those. Always a configured one: a default that is not is refused
 * naming MEETING_PROVIDER.
 */
export function chooseMeetingProvider(named: MeetingProvider | null, listed: readonly string[], meetings: BookingMeetingSettings): MeetingProvider {
  const offered = offeredProviders(listed, meetings);
  if (named && !offered.includes(named)) {
    throw errors.badInput(`This consultant offers ${offered.join(', ')}: book with one of those as meetingProvider, or leave it out for ${offered[0]}.`, 'input.meetingProvider', { offered });
  }
  const chosen = named ?? offered[0]!;
  const missing = meetings.unconfigured[chosen];
  if (missing) throw errors.badInput(`The ${chosen} meeting provider is not configured on this platform: set ${missing}.`, named ? 'input.meetingProvider' : 'MEETING_PROVIDER');
  return chosen;
}

/** A retried idempotency key answers with its earlier booking, if it asked for the same (CONFLICT otherwise). */
export function sameRequest(earlier: Consultation, hash: string): Consultation {
  if (earlier.requestHash !== hash) {
    throw errors.conflict('This idempotencyKey was already used for a different booking: use a new key for a new booking.', { field: 'input.idempotencyKey' });
  }
  return earlier;
}

export const REJECTION_MESSAGES: Record<SlotRejection, string> = {
  OUTSIDE_HOURS: 'That time is outside the consultant’s availability: pick a time from openSlots.',
  OFF_GRID: 'Sessions start on the consultant’s slot grid: pick a time from openSlots.',
  TOO_SOON: 'That time is inside the consultant’s minimum notice: pick a later time from openSlots.',
  TOO_FAR: 'That time is beyond the consultant’s booking horizon: pick an earlier time from openSlots.',
  OVERLAPS: 'That time was just taken: pick another time from openSlots.',
  DAY_FULL: 'The consultant has no more sessions free that day: pick another day from openDates.',
};

/** Why a time cannot be booked (slots.ts's verdict), as the error the client gets. */
export function slotRejection(reason: SlotRejection, field = 'input.start') {
  const message = REJECTION_MESSAGES[reason];
  return reason === 'OVERLAPS' || reason === 'DAY_FULL' ? errors.conflict(message, { reason, field }) : errors.badInput(message, field, { reason });
}

/** The database's last word: an overlap (23P01) or a deadlock becomes CONFLICT. */
export function translateDatabaseError(error: unknown): unknown {
  if (isDomainError(error)) return error;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === '23P01') return errors.conflict(REJECTION_MESSAGES.OVERLAPS, { reason: 'OVERLAPS' });
  if (code === '40P01' || code === '40001') return errors.conflict('The booking collided with another change: try again.');
  return error;
}

/** A stable digest of what was asked for (idempotency: the same key must carry the same request). */
export function bookingHash(booking: CheckedBooking): string {
  const { idempotencyKey: _key, ...rest } = booking;
  // Skills match case-insensitively, so their spelling does not make a retry a new request.
  const canonical = JSON.stringify({ ...rest, start: rest.start.toISOString(), skills: rest.skills.map((s) => s.toLowerCase()) });
  return createHash('sha256').update(canonical).digest('hex');
}

export interface CompletionData {
  actualEnd?: Date | null;
  outcomes?: { summary: string; keyPoints?: string[] | null; recommendations?: string[] | null } | null;
  deliverables?: Array<{ name: string; type: string; description?: string | null; status?: DeliverableStatus | null; dueDate?: string | null; fileUrl?: string | null }> | null;
  actionItems?: Array<{ title: string; assignee: string; dueDate?: string | null; priority?: ActionItemPriority | null; status?: ActionItemStatus | null }> | null;
  nextSteps?: string | null;
  internalNotes?: string | null;
}

export interface CheckedCompletion {
  actualEnd: Date;
  outcomes: Outcomes | null;
  deliverables: Deliverable[];
  actionItems: ActionItem[];
  nextSteps: string | null;
  internalNotes: string | null;
}

function checkDate(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const match = DATE.exec(value);
  const valid = match && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === value;
  if (!valid) throw errors.badInput(`${field.split('.').at(-1)} must be a date such as 2026-12-24.`, field);
  return value;
}

function checkUrl(value: string | null | undefined, field: string): string | null {
  const text = optionalText(value, 2000, field);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw errors.badInput('fileUrl must be an http(s) URL.', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw errors.badInput('fileUrl must be an http(s) URL.', field);
  return url.toString();
}

function checkList(items: readonly string[] | null | undefined, field: string): string[] {
  const list = (items ?? []).map((item, i) => requiredText(item, BOOKING_LIMITS.text, `${field}.${i}`));
  if (list.length > BOOKING_LIMITS.listItems) throw errors.badInput(`At most ${BOOKING_LIMITS.listItems} items.`, field);
  return list;
}

export function checkCompletion(data: CompletionData, actualStart: Date, now: Date): CheckedCompletion {
  const actualEnd = data.actualEnd ?? now;
  if (Number.isNaN(actualEnd.getTime())) throw errors.badInput('actualEnd must be a date-time.', 'input.actualEnd');
  if (actualEnd.getTime() <= actualStart.getTime()) throw errors.badInput('actualEnd must be after the session started.', 'input.actualEnd');
  if (actualEnd.getTime() > now.getTime() + MINUTE_MS) throw errors.badInput('actualEnd cannot be in the future.', 'input.actualEnd');
  const deliverables = (data.deliverables ?? []).map((d, i) => ({
    name: requiredText(d.name, 200, `input.deliverables.${i}.name`),
    type: requiredText(d.type, 50, `input.deliverables.${i}.type`),
    description: optionalText(d.description, BOOKING_LIMITS.text, `input.deliverables.${i}.description`),
    status: d.status ?? DeliverableStatus.PENDING,
    dueDate: checkDate(d.dueDate, `input.deliverables.${i}.dueDate`),
    fileUrl: checkUrl(d.fileUrl, `input.deliverables.${i}.fileUrl`),
  }));
  const actionItems = (data.actionItems ?? []).map((a, i) => ({
    title: requiredText(a.title, 500, `input.actionItems.${i}.title`),
    assignee: requiredText(a.assignee, 200, `input.actionItems.${i}.assignee`),
    dueDate: checkDate(a.dueDate, `input.actionItems.${i}.dueDate`),
    priority: a.priority ?? ActionItemPriority.MEDIUM,
    status: a.status ?? ActionItemStatus.OPEN,
  }));
  if (deliverables.length > BOOKING_LIMITS.listItems) throw errors.badInput(`At most ${BOOKING_LIMITS.listItems} deliverables.`, 'input.deliverables');
  if (actionItems.length > BOOKING_LIMITS.listItems) throw errors.badInput(`At most ${BOOKING_LIMITS.listItems} action items.`, 'input.actionItems');
  const outcomes = data.outcomes
    ? {
        summary: requiredText(data.outcomes.summary, BOOKING_LIMITS.text, 'input.outcomes.summary'),
        keyPoints: checkList(data.outcomes.keyPoints, 'input.outcomes.keyPoints'),
        recommendations: checkList(data.outcomes.recommendations, 'input.outcomes.recommendations'),
      }
    : null;
  return {
    actualEnd,
    outcomes,
    deliverables,
    actionItems,
    nextSteps: optionalText(data.nextSteps, BOOKING_LIMITS.text, 'input.nextSteps'),
    internalNotes: optionalText(data.internalNotes, BOOKING_LIMITS.text, 'input.internalNotes'),
  };
}

export interface FeedbackData {
  overall: number;
  expertise: number;
  communication: number;
  helpfulness: number;
  wouldRecommend: boolean;
  strengths?: string | null;
  improvements?: string | null;
  testimonial?: string | null;
  publicTestimonial?: boolean | null;
}

export function checkFeedback(data: FeedbackData) {
  for (const field of ['overall', 'expertise', 'communication', 'helpfulness'] as const) {
    const value = data[field];
    if (!Number.isInteger(value) || value < 1 || value > 5) throw errors.badInput(`${field} is a whole rating from 1 to 5.`, `input.${field}`);
  }
  const testimonial = optionalText(data.testimonial, 2000, 'input.testimonial');
  if (data.publicTestimonial && !testimonial) throw errors.badInput('Consent to show a testimonial needs a testimonial.', 'input.publicTestimonial');
  return {
    overall: data.overall,
    expertise: data.expertise,
    communication: data.communication,
    helpfulness: data.helpfulness,
    wouldRecommend: data.wouldRecommend,
    strengths: optionalText(data.strengths, 2000, 'input.strengths'),
    improvements: optionalText(data.improvements, 2000, 'input.improvements'),
    testimonial,
    publicTestimonial: data.publicTestimonial === true,
  };
}
