/**
 * The dispatcher's rules, pure: when a failed delivery is tried again, which failures are worth
 * retrying, and when a claim may be taken over. dispatch.sql.ts states the same rules in SQL.
 */

/** The first retry waits this long; each next one twice as long … */
export const FIRST_RETRY_MS = 60_000;
/** … up to this. */
export const MAX_RETRY_MS = 60 * 60_000;
/** A delivery still failing this long after its moment is given up (FAILED). */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;

/** How long to wait after the `attempt`-th failed try (1-based): 1 min doubling, capped. */
export function retryDelayMs(attempt: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(FIRST_RETRY_MS * 2 ** exponent, MAX_RETRY_MS);
}

export type FailureOutcome = { status: 'PENDING'; nextAttemptAt: Date } | { status: 'FAILED' };

/**
 * After a failed try at `now`: a permanent failure is FAILED at once; a transient one is tried
 * again after the backoff unless that would be past the retry window after its moment.
 */
export function afterFailure(input: { dueAt: Date; attempts: number; now: Date; transient: boolean }): FailureOutcome {
  if (!input.transient) return { status: 'FAILED' };
  const next = input.now.getTime() + retryDelayMs(input.attempts);
  if (next > input.dueAt.getTime() + RETRY_WINDOW_MS) return { status: 'FAILED' };
  return { status: 'PENDING', nextAttemptAt: new Date(next) };
}

/**
 * Whether a failure may pass if tried again: SMTP 4xx replies and failures without a reply
 * (connection refused or reset, timeouts, DNS) are transient; a 5xx reply is the server's final
 * no (unknown mailbox, rejected content), so retrying cannot help.
 */
export function isTransient(error: unknown): boolean {
  const code = smtpResponseCode(error);
  if (code === undefined) return true;
  return code < 500;
}

function smtpResponseCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 200 && code < 600 ? code : undefined;
}

/** A delivery as a sender sees it when choosing what to claim. */
export interface ClaimState {
  status: string;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
}

/**
 * Whether a sender may claim it at `now`: PENDING whose (next) moment has come, or SENDING whose
 * claimer's lease ran out (it crashed or hung: the delivery is taken over, I11).
 */
export function claimable(delivery: ClaimState, now: Date): boolean {
  if (delivery.status === 'PENDING') return delivery.nextAttemptAt.getTime() <= now.getTime();
  if (delivery.status === 'SENDING') return delivery.leaseUntil === null || delivery.leaseUntil.getTime() <= now.getTime();
  return false;
}

/** A short, single-line account of a failure for lastError (no stack; SMTP replies keep their code). */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = smtpResponseCode(error);
  const text = code !== undefined && !message.includes(String(code)) ? `${code} ${message}` : message;
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * The messages that wait for the consultation's meeting link while it is being made (a booking's
 * confirmation, a move's message), so they normally carry it instead of a second email.
 */
export const WAITS_FOR_MEETING: readonly string[] = ['BOOKING_CONFIRMED', 'CONSULTATION_RESCHEDULED'];

/**
 * Whether a PENDING delivery is held back at `now` for its meeting: one that waits for it, while
 * the meeting is being made, for at most `waitMs` after its moment — then it goes anyway (saying
 * the link follows). dispatch.sql.ts's claim states the same rule; a held delivery is not
 * claimed, and falls due again at `heldUntil` or when the meeting is settled (its NOTIFY).
 */
export function heldForMeeting(delivery: { kind: string; dueAt: Date }, meetingBeingMade: boolean, now: Date, waitMs: number): boolean {
  return WAITS_FOR_MEETING.includes(delivery.kind) && meetingBeingMade && now.getTime() < heldUntil(delivery, waitMs).getTime();
}

/** The moment a held delivery goes whatever its meeting's state. */
export function heldUntil(delivery: { dueAt: Date }, waitMs: number): Date {
  return new Date(delivery.dueAt.getTime() + waitMs);
}
