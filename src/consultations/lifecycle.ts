/**
 * The consultation lifecycle as one explicit state machine (pure: no I/O, `now` is a parameter).
 *
 *   PENDING_PAYMENT ─pay→ SCHEDULED ─confirm→ CONFIRMED ─start→ IN_PROGRESS ─complete→ COMPLETED
 *         │ expire→ EXPIRED      │ cancel / no-show      │ cancel / no-show      │ no-show
 *         └ cancel→ CANCELLED    ▼                       ▼                       ▼
 *                          CANCELLED, NO_SHOW      CANCELLED, NO_SHOW         NO_SHOW
 *
 * A reschedule keeps the status, except that a client moving a CONFIRMED session sends it back
 * to SCHEDULED: the consultant confirms the new time. Anything not listed is CONFLICT.
 */
import { HOUR_MS, MINUTE_MS } from '../platform/time.js';
import { ConsultationStatus, CreditState, NoShowParty } from './consultation.enums.js';

export type LifecycleAction = 'PAY' | 'EXPIRE' | 'CONFIRM' | 'START' | 'COMPLETE' | 'CANCEL' | 'NO_SHOW' | 'RESCHEDULE' | 'REQUEST_RESCHEDULE';
/** Who acts on a consultation: its client side (the client or an owner of the organization), its consultant, an admin, or the system (jobs, webhooks). */
export type LifecycleActor = 'CLIENT' | 'CONSULTANT' | 'ADMIN' | 'SYSTEM';

const S = ConsultationStatus;

const TRANSITIONS: Record<LifecycleAction, Partial<Record<ConsultationStatus, ConsultationStatus>>> = {
  PAY: { [S.PENDING_PAYMENT]: S.SCHEDULED },
  EXPIRE: { [S.PENDING_PAYMENT]: S.EXPIRED },
  CONFIRM: { [S.SCHEDULED]: S.CONFIRMED },
  START: { [S.CONFIRMED]: S.IN_PROGRESS },
  COMPLETE: { [S.IN_PROGRESS]: S.COMPLETED },
  CANCEL: { [S.PENDING_PAYMENT]: S.CANCELLED, [S.SCHEDULED]: S.CANCELLED, [S.CONFIRMED]: S.CANCELLED },
  NO_SHOW: { [S.SCHEDULED]: S.NO_SHOW, [S.CONFIRMED]: S.NO_SHOW, [S.IN_PROGRESS]: S.NO_SHOW },
  RESCHEDULE: { [S.SCHEDULED]: S.SCHEDULED, [S.CONFIRMED]: S.CONFIRMED },
  REQUEST_RESCHEDULE: { [S.SCHEDULED]: S.SCHEDULED, [S.CONFIRMED]: S.CONFIRMED },
};

const ALLOWED_ACTORS: Record<LifecycleAction, readonly LifecycleActor[]> = {
  PAY: ['SYSTEM'],
  EXPIRE: ['SYSTEM'],
  CONFIRM: ['CONSULTANT', 'ADMIN'],
  START: ['CONSULTANT', 'ADMIN'],
  COMPLETE: ['CONSULTANT', 'ADMIN'],
  NO_SHOW: ['CONSULTANT', 'ADMIN'],
  CANCEL: ['CLIENT', 'CONSULTANT', 'ADMIN'],
  RESCHEDULE: ['CLIENT', 'CONSULTANT', 'ADMIN'],
  REQUEST_RESCHEDULE: ['CONSULTANT', 'ADMIN'],
};

/** A session may be started this long before its start. */
export const START_EARLY_MINUTES = 15;
/** A client cancelling later than this before the start may lose the credit (per package). */
export const LATE_CANCEL_HOURS = 24;

export const TERMINAL_STATUSES: readonly ConsultationStatus[] = [S.COMPLETED, S.CANCELLED, S.NO_SHOW, S.EXPIRED];

export function mayAct(action: LifecycleAction, actor: LifecycleActor): boolean {
  return ALLOWED_ACTORS[action].includes(actor);
}

/** What the caller is told when mayAct says no: who may do it. */
export const FORBIDDEN_MESSAGES: Record<LifecycleAction, string> = {
  PAY: 'Payments settle holds, not people.',
  EXPIRE: 'Holds lapse on their own.',
  CONFIRM: 'Only the assigned consultant (or an admin) confirms a consultation.',
  START: 'Only the assigned consultant (or an admin) starts a consultation.',
  COMPLETE: 'Only the assigned consultant (or an admin) completes a consultation.',
  NO_SHOW: 'Only the assigned consultant (or an admin) records a no-show.',
  CANCEL: 'Only the client, the consultant or an admin cancels a consultation.',
  RESCHEDULE: 'Only the client, the consultant or an admin reschedules a consultation.',
  REQUEST_RESCHEDULE: 'Only the assigned consultant (or an admin) asks to move a consultation; clients reschedule directly.',
};

export type TransitionResult = { ok: true; next: ConsultationStatus } | { ok: false; message: string };

/**
 * The status after `action`, or why it cannot happen now. Role checks are `mayAct`'s; this is
 * about the state and the clock.
 */
export function transition(
  status: ConsultationStatus,
  action: LifecycleAction,
  context: { actor: LifecycleActor; now: Date; start: Date; end: Date },
): TransitionResult {
  const next = TRANSITIONS[action][status];
  if (next === undefined) {
    const state = status.toLowerCase().replace('_', ' ');
    return { ok: false, message: `${/^[aeiou]/.test(state) ? 'An' : 'A'} ${state} consultation cannot be ${PAST[action]}.` };
  }
  const now = context.now.getTime();
  const start = context.start.getTime();
  switch (action) {
    case 'START':
      if (now < start - START_EARLY_MINUTES * MINUTE_MS) return { ok: false, message: `A session can be started from ${START_EARLY_MINUTES} minutes before its start.` };
      if (now >= context.end.getTime()) return { ok: false, message: 'The session’s time is over: record a no-show instead of starting it.' };
      break;
    case 'NO_SHOW':
      if (now < start) return { ok: false, message: 'A no-show can be recorded only once the session’s start has passed.' };
      break;
    case 'CANCEL':
    case 'RESCHEDULE':
    case 'REQUEST_RESCHEDULE':
      if (now >= start) return { ok: false, message: `The session has already begun; it can no longer be ${PAST[action]}.` };
      break;
    case 'PAY':
    case 'EXPIRE':
    case 'CONFIRM':
    case 'COMPLETE':
      // No clock rule: holds are paid or lapse through the payments work; a SCHEDULED session
      // may be confirmed at any time, and an IN_PROGRESS one completed whenever it ends.
      break;
  }
  if (action === 'RESCHEDULE' && context.actor === 'CLIENT' && status === S.CONFIRMED) return { ok: true, next: S.SCHEDULED };
  return { ok: true, next };
}

const PAST: Record<LifecycleAction, string> = {
  PAY: 'paid',
  EXPIRE: 'expired',
  CONFIRM: 'confirmed',
  START: 'started',
  COMPLETE: 'completed',
  CANCEL: 'cancelled',
  NO_SHOW: 'marked as a no-show',
  RESCHEDULE: 'rescheduled',
  REQUEST_RESCHEDULE: 'asked to move',
};

/** Less than LATE_CANCEL_HOURS before the start: inside the late window. */
function insideLateWindow(now: Date, start: Date): boolean {
  return start.getTime() - now.getTime() < LATE_CANCEL_HOURS * HOUR_MS;
}

/** The ledger's reason when a late cancellation consumes the credit. */
export function lateCancellationReason(movedLate: boolean): string {
  return movedLate
    ? `Cancelled by the client after moving it less than ${LATE_CANCEL_HOURS} h before its start`
    : `Cancelled by the client less than ${LATE_CANCEL_HOURS} h before the start`;
}

/**
 * Whether a cancellation now counts as late: inside the window, or the session was moved by
 * the client inside the window of its earlier time (`movedLate`) — otherwise moving a session
 * due in a few hours to next week and cancelling that would dodge the policy.
 */
export function isLateCancellation(input: { now: Date; start: Date; movedLate: boolean }): boolean {
  return input.movedLate || insideLateWindow(input.now, input.start);
}

/**
 * The cancellation policy: the client cancelling late (isLateCancellation) loses the credit
 * when the package says so; a cancellation by the consultant or an admin always gives it back.
 * Booking fees follow the same verdict (refunded when RELEASED).
 */
export function cancellationCredit(input: { actor: LifecycleActor; now: Date; start: Date; lateCancelConsumes: boolean; movedLate: boolean }): CreditState {
  return input.actor === 'CLIENT' && isLateCancellation(input) && input.lateCancelConsumes ? CreditState.CONSUMED : CreditState.RELEASED;
}

/**
 * Whether a session carries the late mark after a reschedule made at `now` from `start` (its
 * time before the move). A client's own move inside the late window marks it, and a marked
 * session stays marked through later client moves. A move the client did not choose — by the
 * consultant or an admin, or the client answering the consultant's requestReschedule — leaves
 * it unmarked: the new time is the consultant side's, so it never costs the client.
 */
export function lateAfterReschedule(input: { actor: LifecycleActor; now: Date; start: Date; answersRequest: boolean; movedLate: boolean }): boolean {
  if (input.actor !== 'CLIENT' || input.answersRequest) return false;
  return input.movedLate || insideLateWindow(input.now, input.start);
}

/** A client no-show uses the credit; a consultant no-show gives it back. */
export function noShowCredit(party: NoShowParty): CreditState {
  return party === NoShowParty.CLIENT ? CreditState.CONSUMED : CreditState.RELEASED;
}
