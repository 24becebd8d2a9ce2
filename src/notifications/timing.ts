import type { ConsultationChangeKind } from '../platform/events.js';
import { DAY_MS, HOUR_MS } from '../platform/time.js';
import { MessageKind } from './notification.enums.js';

/**
 * Which messages a consultation's change decides, and when each goes: pure rules, derived from
 * the consultation's state at the change, so the messages follow it (a reschedule moves the
 * reminders, a cancellation or lapsed hold removes them). consultation-messages.ts applies them
 * in the change's transaction; consultationRelevant is asked again when a message falls due.
 *
 * Decisions worth knowing:
 * - A booking-fee hold (PENDING_PAYMENT) gets no confirmation and no reminders: they are decided
 *   when it is paid (PAID), from that moment — a reminder whose moment passed during the hold is
 *   skipped like any other. A hold that lapses tells its booker (HOLD_EXPIRED); a hold cancelled
 *   before payment tells only its booker (nobody else was ever told of it).
 * - A reminder whose moment has already passed when the session is booked, paid or moved is not
 *   written (a session booked 13 h ahead gets no 24 h reminder), never sent at once.
 * - Reminders are keyed by the start they remind of (its ISO instant): a move writes the new
 *   time's, withdraws the old time's pending ones; moving back revives the withdrawn ones.
 * - Attendees get the invitation (the booking confirmation), the reminders, "started", the
 *   reschedules and the cancellation; the completion summary and the feedback request go to the
 *   client side's members (the feedback request to the client alone: only they give feedback);
 *   a reschedule request goes to the client and booker, who answer it.
 */

/** Who a planned message goes to; consultation-messages.sql.ts turns each into people. */
export type Audience =
  /** The member the session is for, and the booker when someone else booked. */
  | 'CLIENT'
  /** The member the session is for, alone (the feedback request). */
  | 'MEMBER'
  /** Who booked it (a lapsed hold). */
  | 'BOOKER'
  | 'ATTENDEES'
  | 'CONSULTANT';

/** What the rules read of a consultation. */
export interface ConsultationFacts {
  status: string;
  start: Date;
  end: Date;
  /** The status the consultation had before this change (the history entry's), when known. */
  fromStatus?: string | null;
  /** RESCHEDULED: the time it had before. */
  previous?: { start: Date; end: Date } | null;
  /** How often it was moved (a reschedule message per move). */
  rescheduleCount?: number;
  /** RESCHEDULE_REQUESTED: the consultant's suggested starts and reason. */
  rescheduleRequest?: { suggestedStarts: string[]; reason: string | null } | null;
  /** CANCELLED: what the cancellation did (the history entry's details: credit, feeRefunded, late). */
  cancellation?: Record<string, unknown> | null;
}

/** One message for one audience, at one moment. */
export interface PlannedMessage {
  kind: MessageKind;
  audience: Audience;
  dueAt: Date;
  /** '' for a one-off; the start's ISO for a reminder; see occurrences below. */
  occurrence: string;
  payload: Record<string, unknown>;
}

/** Pending messages to withdraw before the new ones are written. */
export interface Withdrawal {
  /** Undefined: every kind. */
  kinds?: MessageKind[];
  /** Keep this occurrence (a reschedule keeps the new time's reminders). */
  keepOccurrence?: string;
}

export interface MessageDecision {
  withdraw: Withdrawal[];
  enqueue: PlannedMessage[];
}

export const REMINDERS = [
  { kind: MessageKind.REMINDER_24H, before: DAY_MS },
  { kind: MessageKind.REMINDER_1H, before: HOUR_MS },
] as const;
export const REMINDER_KINDS: MessageKind[] = REMINDERS.map((r) => r.kind);
/** The feedback request goes this long after the session was marked completed. */
export const FEEDBACK_DELAY_MS = DAY_MS;

/** Statuses in which a session is still to take place (it holds time and has not started). */
export const UPCOMING_STATUSES: readonly string[] = ['SCHEDULED', 'CONFIRMED'];

const EVERYONE: readonly Audience[] = ['CLIENT', 'ATTENDEES', 'CONSULTANT'];

/** The occurrence of a session's reminders: the start they remind of. */
export const reminderOccurrence = (start: Date): string => start.toISOString();
/** The occurrence of a reschedule message: the new start and the move's number, so every move is a message of its own (even back to an earlier time). */
export const rescheduleOccurrence = (start: Date, count: number): string => `${start.toISOString()}#${count}`;

const times = (f: ConsultationFacts) => ({ start: f.start.toISOString(), end: f.end.toISOString() });

function message(kind: MessageKind, audiences: readonly Audience[], dueAt: Date, payload: Record<string, unknown>, occurrence = ''): PlannedMessage[] {
  return audiences.map((audience) => ({ kind, audience, dueAt, occurrence, payload }));
}

/** The reminders of a session at `start`, each at its moment, leaving out those whose moment has passed by `now`. */
export function reminders(f: ConsultationFacts, now: Date, audiences: readonly Audience[] = EVERYONE): PlannedMessage[] {
  return REMINDERS.flatMap(({ kind, before }) => {
    const dueAt = new Date(f.start.getTime() - before);
    return dueAt.getTime() >= now.getTime() ? message(kind, audiences, dueAt, times(f), reminderOccurrence(f.start)) : [];
  });
}

/** A session from now on: its confirmation now and its reminders (for `audiences`). */
function confirmed(f: ConsultationFacts, now: Date, audiences: readonly Audience[] = EVERYONE): PlannedMessage[] {
  if (!UPCOMING_STATUSES.includes(f.status)) return [];
  return [...message(MessageKind.BOOKING_CONFIRMED, audiences, now, times(f)), ...reminders(f, now, audiences)];
}

const NOTHING: MessageDecision = { withdraw: [], enqueue: [] };

/** The messages a change of kind `change` decides, at `now`, for a consultation now in state `f`. */
export function decideMessages(change: ConsultationChangeKind, f: ConsultationFacts, now: Date): MessageDecision {
  switch (change) {
    case 'BOOKED':
    case 'PAID':
      // A hold (PENDING_PAYMENT) is confirmed when paid: confirmed() writes nothing for it.
      return { withdraw: [], enqueue: confirmed(f, now) };
    case 'ATTENDEES_ADDED':
      // The new attendees' invitation and reminders (the others have theirs: written once).
      return { withdraw: [], enqueue: confirmed(f, now, ['ATTENDEES']) };
    case 'CONFIRMED':
      // Nothing new to say; the reminders are derived again (written once: usually nothing).
      return { withdraw: [], enqueue: UPCOMING_STATUSES.includes(f.status) ? reminders(f, now) : [] };
    case 'RESCHEDULED': {
      const previous = f.previous ? { previousStart: f.previous.start.toISOString(), previousEnd: f.previous.end.toISOString() } : {};
      return {
        // The old time's reminders, and a move's message that has not gone yet (this one says it all).
        withdraw: [{ kinds: REMINDER_KINDS, keepOccurrence: reminderOccurrence(f.start) }, { kinds: [MessageKind.CONSULTATION_RESCHEDULED, MessageKind.RESCHEDULE_REQUESTED] }],
        enqueue: [...message(MessageKind.CONSULTATION_RESCHEDULED, EVERYONE, now, { ...times(f), ...previous }, rescheduleOccurrence(f.start, f.rescheduleCount ?? 0)), ...(UPCOMING_STATUSES.includes(f.status) ? reminders(f, now) : [])],
      };
    }
    case 'RESCHEDULE_REQUESTED':
      if (!f.rescheduleRequest) return NOTHING;
      // Each request is a message of its own (a consultant may ask again).
      return {
        withdraw: [{ kinds: [MessageKind.RESCHEDULE_REQUESTED] }],
        enqueue: message(MessageKind.RESCHEDULE_REQUESTED, ['CLIENT'], now, { ...times(f), suggestedStarts: f.rescheduleRequest.suggestedStarts, reason: f.rescheduleRequest.reason }, now.toISOString()),
      };
    case 'CANCELLED': {
      // Nothing that has not gone yet still makes sense; a hold cancelled before payment was only ever the booker's.
      const audiences: readonly Audience[] = f.fromStatus === 'PENDING_PAYMENT' ? ['BOOKER'] : EVERYONE;
      return { withdraw: [{}], enqueue: message(MessageKind.CONSULTATION_CANCELLED, audiences, now, { ...times(f), ...(f.cancellation ?? {}), fromStatus: f.fromStatus ?? null }) };
    }
    case 'EXPIRED':
      return { withdraw: [{}], enqueue: message(MessageKind.HOLD_EXPIRED, ['BOOKER'], now, times(f)) };
    case 'NO_SHOW':
      return { withdraw: [{}], enqueue: [] };
    case 'STARTED':
      // The consultant side started it: the client side is told.
      return { withdraw: [{ kinds: REMINDER_KINDS }], enqueue: message(MessageKind.SESSION_STARTED, ['CLIENT', 'ATTENDEES'], now, times(f)) };
    case 'COMPLETED':
      return {
        withdraw: [{ kinds: [...REMINDER_KINDS, MessageKind.SESSION_STARTED, MessageKind.RESCHEDULE_REQUESTED] }],
        enqueue: [
          ...message(MessageKind.SESSION_COMPLETED, ['CLIENT', 'CONSULTANT'], now, times(f)),
          ...message(MessageKind.FEEDBACK_REQUEST, ['MEMBER'], new Date(now.getTime() + FEEDBACK_DELAY_MS), times(f)),
        ],
      };
  }
}

/** What the relevance check reads of a consultation when one of its messages falls due. */
export interface ConsultationNow {
  status: string;
  start: Date;
  feedbackGiven: boolean;
  rescheduleRequested: boolean;
}

/**
 * Whether a message that fell due still makes sense at `now` (the dispatcher skips it
 * otherwise). A reminder: only for the time it reminds of, while that session is still to come —
 * so a reminder that fell due while no worker ran still goes if the session has not started;
 * a 24 h reminder is dropped once the 1 h reminder's moment has come too (that one goes
 * instead, and "tomorrow" would be wrong). The feedback request: not once feedback was given.
 * "Started": only while the session runs. The meeting link: until the session is over. A reschedule request: only while it is open. The rest
 * (confirmations, cancellations, moves, summaries) always go. A consultation that is gone: nothing.
 */
export function consultationRelevant(delivery: { kind: string; occurrence: string }, c: ConsultationNow | null, now: Date): boolean {
  if (!c) return false;
  switch (delivery.kind) {
    case MessageKind.REMINDER_24H:
    case MessageKind.REMINDER_1H: {
      if (!UPCOMING_STATUSES.includes(c.status) || delivery.occurrence !== reminderOccurrence(c.start)) return false;
      const supersededAt = delivery.kind === MessageKind.REMINDER_24H ? c.start.getTime() - HOUR_MS : c.start.getTime();
      return now.getTime() < supersededAt;
    }
    case MessageKind.FEEDBACK_REQUEST:
      return c.status === 'COMPLETED' && !c.feedbackGiven;
    case MessageKind.SESSION_STARTED:
      return c.status === 'IN_PROGRESS';
    case MessageKind.RESCHEDULE_REQUESTED:
      return c.rescheduleRequested && UPCOMING_STATUSES.includes(c.status);
    case MessageKind.MEETING_LINK:
      // Where to meet: until the session is over.
      return UPCOMING_STATUSES.includes(c.status) || c.status === 'IN_PROGRESS';
    default:
      return true;
  }
}
