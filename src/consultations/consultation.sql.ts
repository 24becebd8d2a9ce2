import { lockedLots, lotsLock } from '../credits/lot.sql.js';
import type { ConsultantSkill } from '../identity/profile.entity.js';
import { advisoryLockSql, consultantLockKey } from '../platform/locks.js';
import type { Money } from '../platform/money.js';
import { codeDate, codeSlug } from '../platform/sequence.js';
import { sql, type Sql } from '../platform/sql.js';
import { BUSY_MARGIN_MS, busyPeriods, SCHEDULE_COLUMNS, type BusyJson, type BusyWindow, type ScheduleRow } from '../scheduling/availability.sql.js';
import type { Assignment, Attendee } from './consultation.entity.js';
import { ConsultationEventKind, ConsultationStatus, CreditState, HOLDING_STATUSES, SESSION_STATUSES, type MeetingProvider, type PaymentMethod } from './consultation.enums.js';
import type { LifecycleActor } from './lifecycle.js';

/**
 * The consultation domain's hand-written SQL, as fragments that carry their parameters. The
 * booking's statements are composed here from the lower domains' fragments (credits'
 * lot.sql.ts, scheduling's availability.sql.ts): its hot path is three of them — the lock, the
 * read of the consultant's time with the lots, one write.
 */

/** What a booking reads of its consultant with the consultant's lock (lockForBooking). */
export interface LockedConsultantRow {
  /** The consultant's user (who their messages go to). */
  user_id: string;
  availability_status: string;
  skills: ConsultantSkill[];
  booking_fee_amount: number | null;
  booking_fee_currency: string | null;
  /** The meeting providers the consultant lists (empty: the platform's default). */
  meeting_providers: string[];
  /** Null: the organization no longer exists. */
  organization_name: string | null;
}

/**
 * The consultant to book, locked for the rest of the transaction (consultantLockKey: moves of
 * their sessions take the same lock), and the name the consultation's code starts with, in one
 * statement; no row when there is no such consultant. `withLots`: the organization's lots are
 * locked too, after the consultant (always in that order), so that the next statement reads them
 * as committed under the lock (lot.sql.ts's lotsLock) without a round trip of its own.
 */
export function lockForBooking(consultantId: string, organizationId: string, withLots: boolean): Sql {
  const lots = withLots ? sql`, ${lotsLock(organizationId, sql.raw('p.id'))} AS lots_locked` : sql.empty;
  return sql`WITH p AS MATERIALIZED (
       SELECT p.id, p.user_id, p.availability_status, p.skills, p.booking_fee_amount, p.booking_fee_currency, p.meeting_providers, ${advisoryLockSql(consultantLockKey(consultantId))} AS locked
         FROM consultant_profile p WHERE p.id = ${consultantId}
     )
     SELECT p.user_id, p.availability_status, p.skills, p.booking_fee_amount, p.booking_fee_currency, p.meeting_providers,
            (SELECT o.name FROM organization o WHERE o.id = ${organizationId}) AS organization_name${lots}
       FROM p`;
}

/** A consultantTime row: the schedule (none: not published), its busy periods, and the lots when asked for. */
export type ConsultantTimeRow = ScheduleRow & { busy: BusyJson; lots?: unknown };

/**
 * The consultant's schedule and the consultations holding their time around the window, with
 * lapsed holds flagged (availability.sql.ts's busyPeriods), in one read under the consultant's
 * lock; `lotsOf`: the organization's lots and the member's cap (lot.sql.ts's lockedLots) in the
 * same read, as a credit booking needs them.
 */
export function consultantTime(consultantId: string, window: BusyWindow, now: Date, lotsOf: { organizationId: string; memberId: string } | null): Sql {
  const lots = lotsOf ? sql`, ${lockedLots(lotsOf.organizationId, lotsOf.memberId)} AS lots` : sql.empty;
  return sql`SELECT ${SCHEDULE_COLUMNS}, ${busyPeriods(window, now)} AS busy${lots} FROM availability_schedule s WHERE s.consultant_id = ${consultantId}`;
}

/** The lapsed holds' window around `at`, as the ORM's where: the holds busyPeriods flags. */
export function lapsedHoldWindow(at: Date): { startAt: { $lt: Date }; heldUntil: { $gt: Date } } {
  return { startAt: { $lt: new Date(at.getTime() + BUSY_MARGIN_MS) }, heldUntil: { $gt: new Date(at.getTime() - BUSY_MARGIN_MS) } };
}

/**
 * Per consultant: the client's earlier sessions with them, and the sessions holding their time
 * in [loadFrom, loadTo): what auto-assignment ranks by (assignment.ts).
 */
export function assignmentStats(clientId: string, consultantIds: readonly string[], loadFrom: Date, loadTo: Date): Sql {
  return sql`SELECT consultant_id,
            COUNT(*) FILTER (WHERE client_id = ${clientId} AND status IN (${SESSION_STATUSES})) AS previous,
            COUNT(*) FILTER (WHERE status IN (${HOLDING_STATUSES}) AND start_at >= ${loadFrom} AND start_at < ${loadTo}) AS load
       FROM consultation WHERE consultant_id = ANY(${`{${consultantIds.join(',')}}`}::uuid[]) GROUP BY consultant_id`;
}

/** A consultation as a booking stores it. */
export interface NewConsultation {
  id: string;
  /** The client organization's name (the code starts with it). */
  organizationName: string;
  organizationId: string;
  clientId: string;
  consultantId: string;
  status: ConsultationStatus;
  start: Date;
  end: Date;
  durationMinutes: number;
  bufferMinutes: number;
  heldUntil: Date;
  holdExpiresAt: Date | null;
  purpose: string;
  notes: string | null;
  meetingProvider: MeetingProvider;
  skills: readonly string[];
  attendees: readonly Attendee[];
  idempotencyKey: string | null;
  requestHash: string | null;
  assignment: Assignment | null;
  usedFreeTrial: boolean;
  paymentMethod: PaymentMethod;
  fee: Money | null;
  creditState: CreditState;
  /** The BOOKED history entry's details. */
  bookedDetails: Record<string, unknown> | null;
  at: Date;
}

/**
 * Stores a booking: the consultation (booked by its client) and its BOOKED history entry, in one
 * statement that also carries `alongside` (WITH clauses of another domain, e.g. the credits'
 * reserveWrites); returns the stored row. Codes are e.g. CNS-ACME-20261123-000042: the number
 * comes from a sequence (never locked) when the row is stored, so concurrent bookings do not
 * queue on it.
 */
export function insertConsultation(c: NewConsultation, historyId: string, alongside: Sql | null): Sql {
  const before = alongside ? sql`${alongside},` : sql.empty;
  const prefix = `CNS-${codeSlug(c.organizationName, 'ORG')}-${codeDate(c.at)}-`;
  const actor: LifecycleActor = 'CLIENT';
  return sql`WITH ${before}
     code AS (SELECT nextval('consultation_code_seq') AS n),
     c AS (
       INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes, buffer_minutes, held_until, hold_expires_at,
                                 purpose, notes, meeting_provider, skills, attendees, idempotency_key, request_hash, assignment, used_free_trial,
                                 payment_method, fee_amount, fee_currency, credit_state, created_at, updated_at)
       SELECT ${c.id}, ${prefix} || CASE WHEN code.n < 1000000 THEN lpad(code.n::text, 6, '0') ELSE code.n::text END,
              ${c.organizationId}, ${c.clientId}, ${c.clientId}, ${c.consultantId}, ${c.status}, ${c.start}, ${c.end}, ${c.durationMinutes}, ${c.bufferMinutes}, ${c.heldUntil}, ${c.holdExpiresAt},
              ${c.purpose}, ${c.notes}, ${c.meetingProvider}, ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(c.skills)}::jsonb)), ${JSON.stringify(c.attendees)}::jsonb,
              ${c.idempotencyKey}, ${c.requestHash}, ${c.assignment ? JSON.stringify(c.assignment) : null}::jsonb, ${c.usedFreeTrial},
              ${c.paymentMethod}, ${c.fee?.amount ?? null}::int, ${c.fee?.currency ?? null}, ${c.creditState}, ${c.at}, ${c.at}
         FROM code
       RETURNING *
     ),
     booked AS (
       INSERT INTO consultation_status_change (id, consultation_id, organization_id, event, from_status, to_status, actor_id, actor_role, reason, details, at)
       SELECT ${historyId}, c.id, c.organization_id, ${ConsultationEventKind.BOOKED}, NULL, c.status, ${c.clientId}, ${actor}, NULL, ${c.bookedDetails ? JSON.stringify(c.bookedDetails) : null}::jsonb, ${c.at} FROM c
     )
     SELECT * FROM c`;
}
