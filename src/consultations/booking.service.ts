import { randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { CreditsService, type LockedLots } from '../credits/credits.service.js';
import { ConsultantProfile, type ConsultantSkill } from '../identity/profile.entity.js';
import type { Caller } from '../platform/auth.js';
import type { AppServices } from '../platform/context.js';
import { Organization } from '../identity/organization.entity.js';
import { Money } from '../platform/money.js';
import { bookingFeeFor, createFeePayment, recordFeePaid, refundFee } from '../payments/booking-fee.js';
import { requirePayments, stripeFailure } from '../payments/stripe.js';
import { errors, isDomainError } from '../platform/errors.js';
import type { ConsultationChangeKind, DomainEvents } from '../platform/events.js';
import { requireUuid } from '../platform/ids.js';
import { advisoryLock } from '../platform/locks.js';
import { keysetPage, type Connection } from '../platform/pagination.js';
import { codeDate, codeSlug } from '../platform/sequence.js';
import { AvailabilityService, BOOKABLE_STATUSES } from '../scheduling/availability.service.js';
import { isBookable, type BusyPeriod, type Schedule, type SlotRejection } from '../scheduling/slots.js';
import { hasSkills } from '../identity/skills.js';
import { rankCandidates, type AssignmentCandidate } from './assignment.js';
import {
  bookingHash,
  BOOKING_LIMITS,
  checkAttendees,
  checkBooking,
  checkCompletion,
  checkFeedback,
  checkStart,
  optionalText,
  type AttendeeData,
  type BookingData,
  type CheckedBooking,
  type CompletionData,
  type FeedbackData,
} from './booking.rules.js';
import { ConsultationEventKind, ConsultationStatus, CreditState, HOLDING_STATUSES, PaymentMethod, type NoShowParty } from './consultation.enums.js';
import { Consultation, ConsultationFeedback, ConsultationStatusChange, type Assignment } from './consultation.entity.js';
import { cancellationCredit, isLateCancellation, lateAfterReschedule, mayAct, noShowCredit, transition, type LifecycleAction, type LifecycleActor } from './lifecycle.js';

export interface ConsultationFilterData {
  statuses?: ConsultationStatus[] | null;
  from?: Date | null;
  to?: Date | null;
  consultantId?: string | null;
}

export interface CancellationResult {
  consultation: Consultation;
  creditState: CreditState;
  late: boolean;
  /** A booking fee given back through Stripe. */
  feeRefunded: Money | null;
}

const ALL = { filters: { tenant: false } } as const;

/** A consultation row as the database returns it (em.map turns it into the entity). */
type ConsultationRow = Record<string, unknown>;

/** What a consultation.changed event says of the consultation. */
interface Changed {
  id: string;
  organizationId: string;
  consultantId: string;
  status: ConsultationStatus;
}
/** What the Consultation fields read, loaded with the rows (one query each, not one per row). */
const READ_POPULATE = ['consultant', 'client', 'organization'] as const;
const MINUTE = 60_000;
/** Load counted for auto-assignment: holding sessions within this many days either side of the booking. */
const LOAD_WINDOW_DAYS = 7;

const REJECTION_MESSAGES: Record<SlotRejection, string> = {
  OUTSIDE_HOURS: 'That time is outside the consultant’s availability: pick a time from openSlots.',
  OFF_GRID: 'Sessions start on the consultant’s slot grid: pick a time from openSlots.',
  TOO_SOON: 'That time is inside the consultant’s minimum notice: pick a later time from openSlots.',
  TOO_FAR: 'That time is beyond the consultant’s booking horizon: pick an earlier time from openSlots.',
  OVERLAPS: 'That time was just taken: pick another time from openSlots.',
  DAY_FULL: 'The consultant has no more sessions free that day: pick another day from openDates.',
};

/**
 * Booking and the consultation lifecycle. Every write is one transaction that locks what it
 * decides on (the consultation row; the consultant, through an advisory lock, for time and the
 * day's count); the exclusion constraint of the table is the last word on overlaps (I1).
 */
export class BookingService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEvents,
    /** Payments and settings: booking fees need them; credit bookings do not. */
    private readonly services: Pick<AppServices, 'payments' | 'config'> | null = null,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Booking

  async book(caller: Caller & { organizationId: string }, data: BookingData, now = new Date()): Promise<Consultation> {
    const booking = checkBooking(data, now);
    if (booking.payWith === PaymentMethod.BOOKING_FEE) return this.bookWithFee(caller, booking, now);
    const hash = bookingHash(booking);
    if (booking.idempotencyKey) {
      const earlier = await this.byIdempotencyKey(this.em, caller.userId, booking.idempotencyKey);
      if (earlier) return sameRequest(earlier, hash);
    }
    try {
      const booked = await this.em.transactional((em) => this.bookIn(em, caller, booking, hash, now));
      // A new booking comes back as its stored row: managed from here on, so the fields'
      // resolvers read it (and its references) through this EntityManager.
      return booked instanceof Consultation ? booked : this.em.map(Consultation, booked);
    } catch (error) {
      // The same key racing itself: the unique index let one in; the others answer with it.
      if (booking.idempotencyKey && error instanceof UniqueConstraintViolationException && /idempotency/.test(error.message)) {
        const earlier = await this.byIdempotencyKey(this.em.fork(), caller.userId, booking.idempotencyKey);
        if (earlier) return sameRequest(earlier, hash);
      }
      throw translateDatabaseError(error);
    }
  }

  /**
   * The booking transaction: the earlier booking of a retried idempotency key, or the new
   * consultation's stored row. Its hot path is three plain statements (bench/booking.bench.ts):
   * the consultant and the organization's lots with their locks; then its schedule, the busy
   * periods and the lots' values; then one write of the lots' counters, the RESERVE entries,
   * the consultation and its BOOKED history entry. The rules stay slots.ts's, allocation.ts's and ledger.ts's.
   */
  private async bookIn(em: EntityManager, caller: Caller & { organizationId: string }, booking: CheckedBooking, hash: string, now: Date): Promise<Consultation | ConsultationRow> {
    if (booking.idempotencyKey) {
      // Retries of one key queue here; the first one's booking is visible to the next.
      await advisoryLock(em, `booking-key:${caller.userId}:${booking.idempotencyKey}`);
      const earlier = await this.byIdempotencyKey(em, caller.userId, booking.idempotencyKey);
      if (earlier) return sameRequest(earlier, hash);
    }
    let consultantId: string;
    let locked: LockedConsultant | null;
    let assignment: Assignment | null = null;
    if (booking.consultantId) {
      consultantId = requireUuid(booking.consultantId, 'Consultant');
      locked = await lockForBooking(em, consultantId, caller.organizationId, caller.organizationId);
      if (!locked) throw errors.notFound('Consultant', booking.consultantId);
      if (!BOOKABLE_STATUSES.has(locked.availabilityStatus)) throw errors.conflict('This consultant is not taking bookings at the moment: choose another one, or leave consultantId out.');
      if (!hasSkills(locked.skills, booking.skills)) {
        throw errors.badInput(`This consultant does not list every skill asked for (${booking.skills.join(', ')}).`, 'input.skills');
      }
    } else {
      const assigned = await this.autoAssign(em, caller.userId, booking, now);
      ({ assignment } = assigned);
      consultantId = assigned.consultant.id;
      locked = await lockForBooking(em, consultantId, caller.organizationId, caller.organizationId);
      if (!locked) throw errors.notFound('Consultant', consultantId);
    }
    const end = new Date(booking.start.getTime() + booking.durationMinutes * MINUTE);
    // The organization's lots (locked by lockForBooking's statement, so this later one reads them
    // as committed under the lock) are read with the consultant's time: one round trip.
    const lotsColumn = CreditsService.lockedLotsColumn(caller.organizationId, caller.userId);
    const { schedule, busy, also: lots } = await this.timeOf(em, consultantId, booking.start, end, now, { also: lotsColumn });
    if (!schedule) throw errors.conflict('This consultant has not published any availability yet.');
    const verdict = isBookable(schedule, busy, booking.start, booking.durationMinutes, now);
    if (!verdict.ok) throw rejection(verdict.reason);
    if (locked.organizationName === null) throw errors.forbidden('Your organization no longer exists.');

    const id = randomUUID();
    const credits = await new CreditsService(em).prepareReserve(
      {
        organizationId: caller.organizationId,
        consultationId: id,
        durationMinutes: booking.durationMinutes,
        sessionStart: booking.start,
        sessionEnd: end,
        memberId: caller.userId,
        useFreeTrial: booking.useFreeTrial,
        actorId: caller.userId,
      },
      lots as LockedLots,
    );
    const [row] = await em.getConnection().execute<ConsultationRow[]>(
      // The credits' counters and RESERVE entries, the consultation and its BOOKED entry: one statement.
      `WITH ${credits.writes.ctes.join(', ')},
       code AS (SELECT nextval('consultation_code_seq') AS n),
       c AS (
         INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes, buffer_minutes, held_until,
                                   purpose, notes, meeting_provider, skills, attendees, idempotency_key, request_hash, assignment, used_free_trial, created_at, updated_at)
         SELECT ?, ? || CASE WHEN code.n < 1000000 THEN lpad(code.n::text, 6, '0') ELSE code.n::text END, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?
           FROM code
         RETURNING *
       ),
       booked AS (
         INSERT INTO consultation_status_change (id, consultation_id, organization_id, event, from_status, to_status, actor_id, actor_role, reason, details, at)
         SELECT ?, c.id, c.organization_id, ?, NULL, c.status, ?, ?, NULL, ?::jsonb, ? FROM c
       )
       SELECT * FROM c`,
      [
        ...credits.writes.params,
        id,
        `CNS-${codeSlug(locked.organizationName, 'ORG')}-${codeDate(now)}-`,
        caller.organizationId,
        caller.userId,
        caller.userId,
        consultantId,
        ConsultationStatus.SCHEDULED,
        booking.start,
        end,
        booking.durationMinutes,
        schedule.bufferMinutes,
        new Date(end.getTime() + schedule.bufferMinutes * MINUTE),
        booking.purpose,
        booking.notes,
        booking.meetingProvider,
        JSON.stringify(booking.skills),
        JSON.stringify(booking.attendees),
        booking.idempotencyKey,
        booking.idempotencyKey ? hash : null,
        assignment ? JSON.stringify(assignment) : null,
        booking.useFreeTrial,
        now,
        now,
        randomUUID(),
        ConsultationEventKind.BOOKED,
        caller.userId,
        'CLIENT' satisfies LifecycleActor,
        assignment ? JSON.stringify({ assignment: assignment.reason }) : null,
        now,
      ],
      'all',
      em.getTransactionContext(),
    );
    await this.publish(em, 'BOOKED', { id, organizationId: caller.organizationId, consultantId, status: ConsultationStatus.SCHEDULED }, caller.userId, now);
    return row!;
  }

  /**
   * The consultant's schedule (null: none published) and the consultations holding their time
   * around [start, end), under the consultant's lock, in one read — unless lapsed holds are in
   * the way: a partial constraint cannot use now(), so those stop holding time first (I1).
   * `also`: see AvailabilityService.bookingPlan.
   */
  private async timeOf(
    em: EntityManager,
    consultantId: string,
    start: Date,
    end: Date,
    now: Date,
    options: { exceptConsultationId?: string | null; also?: { sql: string; params: unknown[] } } = {},
  ): Promise<{ schedule: Schedule | null; busy: BusyPeriod[]; also: unknown }> {
    const availability = new AvailabilityService(em);
    const plan = await availability.bookingPlan(consultantId, start, end, now, options);
    if (!plan.lapsedHolds) return plan;
    await this.expireHolds(em, now, { consultantId, at: start });
    return { ...plan, busy: (await availability.busyOf([consultantId], start, end, options.exceptConsultationId ?? null)).get(consultantId)! };
  }

  /**
   * The best free consultant with the requested skills (assignment.ts ranks them). Only the
   * winner is locked and checked again by the booking itself; losing that race is CONFLICT.
   */
  private async autoAssign(em: EntityManager, clientId: string, booking: CheckedBooking, now: Date): Promise<{ consultant: ConsultantProfile; assignment: Assignment }> {
    const availability = new AvailabilityService(em);
    const profiles = (await em.find(ConsultantProfile, {}, { orderBy: { code: 'asc' } })).filter(
      (p) => BOOKABLE_STATUSES.has(p.availabilityStatus) && hasSkills(p.skills, booking.skills),
    );
    const end = new Date(booking.start.getTime() + booking.durationMinutes * MINUTE);
    const plans = profiles.length ? await availability.plansOf(profiles.map((p) => p.id), booking.start, end) : [];
    const freeIds = new Set(plans.filter((plan) => isBookable(plan.schedule, plan.busy, booking.start, booking.durationMinutes, now).ok).map((plan) => plan.consultantId));
    const free = profiles.filter((p) => freeIds.has(p.id));
    if (free.length === 0) {
      throw errors.conflict(
        booking.skills.length
          ? `No consultant with ${booking.skills.join(', ')} is free then: pick a time from openSlots with these skills.`
          : 'No consultant is free then: pick a time from openSlots.',
      );
    }
    const ids = free.map((p) => p.id);
    const stats = await em.getConnection().execute<{ consultant_id: string; previous: string; load: string }[]>(
      `SELECT consultant_id,
              COUNT(*) FILTER (WHERE client_id = ? AND status IN ('SCHEDULED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED')) AS previous,
              COUNT(*) FILTER (WHERE status IN ('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS') AND start_at >= ? AND start_at < ?) AS load
         FROM consultation WHERE consultant_id = ANY(?::uuid[]) GROUP BY consultant_id`,
      [clientId, new Date(booking.start.getTime() - LOAD_WINDOW_DAYS * 86_400_000), new Date(booking.start.getTime() + LOAD_WINDOW_DAYS * 86_400_000), `{${ids.join(',')}}`],
      'all',
      em.getTransactionContext(),
    );
    const byId = new Map(stats.map((s) => [s.consultant_id, s]));
    const candidates: AssignmentCandidate[] = free.map((p) => ({
      consultantId: p.id,
      code: p.code,
      skills: p.skills,
      ratingCount: p.ratingCount,
      ratingOverallSum: p.ratingOverallSum,
      previousSessions: Number(byId.get(p.id)?.previous ?? 0),
      load: Number(byId.get(p.id)?.load ?? 0),
    }));
    const [winner] = rankCandidates(candidates, booking.skills);
    const consultant = free.find((p) => p.id === winner!.consultantId)!;
    const { consultantId: _id, ...scores } = winner!;
    return { consultant, assignment: { ...scores, candidates: free.length } };
  }

  private async byIdempotencyKey(em: EntityManager, userId: string, key: string): Promise<Consultation | null> {
    return em.findOne(Consultation, { bookedBy: userId, idempotencyKey: key }, ALL);
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  async confirm(caller: Caller, id: string, now = new Date()): Promise<Consultation> {
    return this.change(caller, id, 'CONFIRM', now, async (_em, c) => ({ kind: 'CONFIRMED', event: ConsultationEventKind.CONFIRMED, c }));
  }

  async start(caller: Caller, id: string, now = new Date()): Promise<Consultation> {
    return this.change(caller, id, 'START', now, async (_em, c) => {
      c.actualStart = now;
      return { kind: 'STARTED', event: ConsultationEventKind.STARTED, c };
    });
  }

  async complete(caller: Caller, id: string, data: CompletionData, now = new Date()): Promise<Consultation> {
    return this.change(caller, id, 'COMPLETE', now, async (em, c) => {
      const done = checkCompletion(data, c.actualStart ?? c.startAt, now);
      const minutes = Math.max(1, Math.round((done.actualEnd.getTime() - (c.actualStart ?? c.startAt).getTime()) / MINUTE));
      Object.assign(c, { ...done, actualDurationMinutes: minutes, creditState: CreditState.CONSUMED });
      await new CreditsService(em).consume(c.id, { actorId: caller.userId, reason: 'Session completed' });
      // Counters move in SQL, so concurrent completions of one consultant never lose an update.
      await em.getConnection().execute(
        'UPDATE consultant_profile SET completed_sessions = completed_sessions + 1, completed_minutes = completed_minutes + ? WHERE id = ?',
        [minutes, c.consultant.id],
        'run',
        em.getTransactionContext(),
      );
      return { kind: 'COMPLETED', event: ConsultationEventKind.COMPLETED, c, details: { actualDurationMinutes: minutes } };
    });
  }

  async markNoShow(caller: Caller, id: string, party: NoShowParty, reason: string | null | undefined, now = new Date()): Promise<Consultation> {
    const why = optionalText(reason, BOOKING_LIMITS.reason, 'reason');
    return this.change(caller, id, 'NO_SHOW', now, async (em, c) => {
      const credit = noShowCredit(party);
      const credits = new CreditsService(em);
      if (credit === CreditState.CONSUMED) await credits.consume(c.id, { actorId: caller.userId, reason: 'Client did not attend' });
      else await credits.release(c.id, { actorId: caller.userId, reason: 'Consultant did not attend', now });
      c.noShowParty = party;
      c.creditState = credit;
      return { kind: 'NO_SHOW', event: ConsultationEventKind.NO_SHOW, c, reason: why, details: { party, credit } };
    });
  }

  async cancel(caller: Caller, id: string, reason: string | null | undefined, now = new Date()): Promise<CancellationResult> {
    const why = optionalText(reason, BOOKING_LIMITS.reason, 'reason');
    let late = false;
    let credit: CreditState = CreditState.RELEASED;
    let feeRefunded: Money | null = null;
    const consultation = await this.change(caller, id, 'CANCEL', now, async (em, c, actor) => {
      // A session the client moved inside the late window stays late (lifecycle.ts).
      const movedLate = c.lateRescheduledAt !== null;
      late = isLateCancellation({ now, start: c.startAt, movedLate });
      if (c.paymentMethod === PaymentMethod.BOOKING_FEE) {
        // The fee is refundable like a credit: cancelled in time (or by the consultant side) it goes back.
        const giveBack = c.status !== ConsultationStatus.PENDING_PAYMENT && cancellationCredit({ actor, now, start: c.startAt, lateCancelConsumes: true, movedLate }) === CreditState.RELEASED;
        if (giveBack && c.stripePaymentIntentId && c.fee && !c.feeRefundedAt) {
          try {
            await refundFee(requirePayments(this.services?.payments ?? null), c.id, c.stripePaymentIntentId);
          } catch (error) {
            throw stripeFailure(error);
          }
          c.feeRefundedAt = now;
          feeRefunded = c.fee;
        }
        Object.assign(c, { cancelledAt: now, cancelledBy: caller.userId, cancellationReason: why });
        return { kind: 'CANCELLED', event: ConsultationEventKind.CANCELLED, c, reason: why, details: { feeRefunded: !!feeRefunded, late } };
      }
      const credits = new CreditsService(em);
      const held = await credits.heldLots(c.id);
      // The package of the first lot drawn decides; lots without a package follow the default (24 h).
      const lateCancelConsumes = held[0]?.lateCancelConsumes ?? true;
      credit = cancellationCredit({ actor, now, start: c.startAt, lateCancelConsumes, movedLate });
      const lateReason = movedLate ? 'Cancelled by the client after moving it less than 24 h before its start' : 'Cancelled by the client less than 24 h before the start';
      if (credit === CreditState.CONSUMED) await credits.consume(c.id, { actorId: caller.userId, reason: lateReason });
      else await credits.release(c.id, { actorId: caller.userId, reason: 'Consultation cancelled', now });
      Object.assign(c, { creditState: credit, cancelledAt: now, cancelledBy: caller.userId, cancellationReason: why });
      return { kind: 'CANCELLED', event: ConsultationEventKind.CANCELLED, c, reason: why, details: { credit, late } };
    });
    return { consultation, creditState: credit, late, feeRefunded };
  }

  async reschedule(caller: Caller, id: string, start: Date, reason: string | null | undefined, now = new Date()): Promise<Consultation> {
    checkStart(start, now, 'start');
    const why = optionalText(reason, BOOKING_LIMITS.reason, 'reason');
    try {
      return await this.change(caller, id, 'RESCHEDULE', now, async (em, c, actor) => {
        if (start.getTime() === c.startAt.getTime()) throw errors.badInput('That is the session’s current time.', 'start');
        await lockConsultant(em, c.consultant.id);
        const end = new Date(start.getTime() + c.durationMinutes * MINUTE);
        const { schedule, busy } = await this.timeOf(em, c.consultant.id, start, end, now, { exceptConsultationId: c.id });
        if (!schedule) throw errors.conflict('This consultant has no availability any more.');
        const verdict = isBookable(schedule, busy, start, c.durationMinutes, now);
        if (!verdict.ok) throw rejection(verdict.reason, 'start');
        const from = { start: c.startAt.toISOString(), end: c.endAt.toISOString() };
        const reallocated = await new CreditsService(em).moveReservation({
          organizationId: c.organization.id,
          consultationId: c.id,
          durationMinutes: c.durationMinutes,
          sessionStart: start,
          sessionEnd: end,
          memberId: c.client.id,
          useFreeTrial: c.usedFreeTrial,
          actorId: caller.userId,
        });
        // Judged on the time being left: a client's late move keeps the session late (lifecycle.ts).
        const movedLate = lateAfterReschedule({ actor, now, start: c.startAt, answersRequest: c.rescheduleRequest !== null, movedLate: c.lateRescheduledAt !== null });
        Object.assign(c, {
          startAt: start,
          endAt: end,
          bufferMinutes: schedule.bufferMinutes,
          heldUntil: new Date(end.getTime() + schedule.bufferMinutes * MINUTE),
          rescheduleCount: c.rescheduleCount + 1,
          rescheduleRequest: null,
          lateRescheduledAt: movedLate ? (c.lateRescheduledAt ?? now) : null,
        });
        const to = { start: start.toISOString(), end: end.toISOString() };
        return { kind: 'RESCHEDULED', event: ConsultationEventKind.RESCHEDULED, c, reason: why, details: { from, to, reallocated, ...(movedLate ? { late: true } : {}) } };
      });
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  /** The consultant proposes other times (each must be open now); the client accepts one with reschedule. */
  async requestReschedule(caller: Caller, id: string, suggestedStarts: Date[], reason: string | null | undefined, now = new Date()): Promise<Consultation> {
    const why = optionalText(reason, BOOKING_LIMITS.reason, 'reason');
    if (suggestedStarts.length < 1 || suggestedStarts.length > BOOKING_LIMITS.suggestedStarts) {
      throw errors.badInput(`Suggest 1 to ${BOOKING_LIMITS.suggestedStarts} times.`, 'suggestedStarts');
    }
    suggestedStarts.forEach((s, i) => checkStart(s, now, `suggestedStarts.${i}`));
    return this.change(caller, id, 'REQUEST_RESCHEDULE', now, async (em, c) => {
      const availability = new AvailabilityService(em);
      const schedule = await availability.scheduleFor(c.consultant.id);
      if (!schedule) throw errors.conflict('Set your availability first.');
      for (const [i, s] of suggestedStarts.entries()) {
        const end = new Date(s.getTime() + c.durationMinutes * MINUTE);
        const busy = (await availability.busyOf([c.consultant.id], s, end, c.id)).get(c.consultant.id)!;
        const verdict = isBookable(schedule, busy, s, c.durationMinutes, now);
        if (!verdict.ok) throw errors.badInput(`Suggested time ${s.toISOString()} is not open: ${REJECTION_MESSAGES[verdict.reason]}`, `suggestedStarts.${i}`, { reason: verdict.reason });
      }
      c.rescheduleRequest = {
        suggestedStarts: suggestedStarts.map((s) => s.toISOString()),
        reason: why,
        requestedAt: now.toISOString(),
        requestedBy: caller.userId,
      };
      return { kind: 'RESCHEDULE_REQUESTED', event: ConsultationEventKind.RESCHEDULE_REQUESTED, c, reason: why, details: { suggestedStarts: c.rescheduleRequest.suggestedStarts } };
    });
  }

  /** Attendees join from the client side; they receive invitations and reminders only. */
  async addAttendees(caller: Caller, id: string, attendees: AttendeeData[], now = new Date()): Promise<Consultation> {
    return this.em.transactional(async (em) => {
      const { c, actor } = await this.access(em, caller, id, true);
      if (actor !== 'CLIENT' && actor !== 'ADMIN') throw errors.forbidden('Attendees are added by the client side of the booking.');
      if (!HOLDING_STATUSES.includes(c.status) || c.status === ConsultationStatus.IN_PROGRESS) throw errors.conflict(`A ${c.status.toLowerCase()} consultation takes no new attendees.`);
      c.attendees = [...c.attendees, ...checkAttendees(attendees, c.attendees, 'attendees')];
      await em.flush();
      await this.publish(em, 'ATTENDEES_ADDED', c, caller.userId, now);
      return c;
    });
  }

  async submitFeedback(caller: Caller, consultationId: string, data: FeedbackData, now = new Date()): Promise<ConsultationFeedback> {
    const feedback = checkFeedback(data);
    try {
      return await this.em.transactional(async (em) => {
        const { c } = await this.access(em, caller, consultationId, true);
        if (caller.role !== 'CLIENT' || c.client.id !== caller.userId) throw errors.forbidden('Only the client who had the session gives feedback on it.');
        if (c.status !== ConsultationStatus.COMPLETED) throw errors.conflict('Feedback is given once the session is completed.');
        if (await em.findOne(ConsultationFeedback, { consultation: c.id }, ALL)) throw errors.conflict('Feedback for this consultation was already given.');
        const row = em.create(ConsultationFeedback, { consultation: c, organization: c.organization, consultant: c.consultant, author: caller.userId, ...feedback, createdAt: now });
        await em.flush();
        // Exact integer sums; averages are derived (ConsultantProfile.rating).
        await em.getConnection().execute(
          `UPDATE consultant_profile SET rating_count = rating_count + 1, rating_overall_sum = rating_overall_sum + ?, rating_expertise_sum = rating_expertise_sum + ?,
                  rating_communication_sum = rating_communication_sum + ?, rating_helpfulness_sum = rating_helpfulness_sum + ?, recommend_count = recommend_count + ?
            WHERE id = ?`,
          [feedback.overall, feedback.expertise, feedback.communication, feedback.helpfulness, feedback.wouldRecommend ? 1 : 0, c.consultant.id],
          'run',
          em.getTransactionContext(),
        );
        return row;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw errors.conflict('Feedback for this consultation was already given.');
      throw error;
    }
  }

  /**
   * Turns every PENDING_PAYMENT hold whose time to pay has passed into EXPIRED, with its history
   * entry and event (the sweeper job; bookings do it for the holds in their way).
   */
  async expireLapsedHolds(now = new Date()): Promise<number> {
    return this.em.transactional((em) => this.expireHolds(em, now));
  }

  /** Lapsed holds (of one consultant around a time, or all) become EXPIRED, in `em`'s transaction. */
  private async expireHolds(em: EntityManager, now: Date, around?: { consultantId: string; at: Date }): Promise<number> {
    const where: Record<string, unknown> = { status: ConsultationStatus.PENDING_PAYMENT, holdExpiresAt: { $lte: now } };
    if (around) {
      Object.assign(where, {
        consultant: around.consultantId,
        startAt: { $lt: new Date(around.at.getTime() + 2 * 86_400_000) },
        heldUntil: { $gt: new Date(around.at.getTime() - 2 * 86_400_000) },
      });
    }
    if (around) {
      // Almost always none: a plain probe keeps the ORM off the booking's hot path.
      const [probe] = await em.getConnection().execute<unknown[]>(
        `SELECT 1 FROM consultation WHERE consultant_id = ? AND status = 'PENDING_PAYMENT' AND hold_expires_at <= ? AND start_at < ? AND held_until > ? LIMIT 1`,
        [around.consultantId, now, new Date(around.at.getTime() + 2 * 86_400_000), new Date(around.at.getTime() - 2 * 86_400_000)],
        'all',
        em.getTransactionContext(),
      );
      if (!probe) return 0;
    }
    const lapsed = await em.find(Consultation, where, { ...ALL, lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
    for (const c of lapsed) {
      const step = transition(c.status, 'EXPIRE', { actor: 'SYSTEM', now, start: c.startAt, end: c.endAt });
      if (!step.ok) continue;
      c.status = step.next;
      this.record(em, c, ConsultationEventKind.EXPIRED, ConsultationStatus.PENDING_PAYMENT, 'SYSTEM', null, 'The booking fee was not paid in time', null, now);
    }
    await em.flush();
    for (const c of lapsed) await this.publish(em, 'EXPIRED', c, null, now);
    return lapsed.length;
  }

  /**
   * A booking paid by a single fee instead of a credit: the slot is held PENDING_PAYMENT (it
   * holds time like any booking) for BOOKING_HOLD_MINUTES, and the fee's PaymentIntent is made
   * after the hold commits; Stripe's payment_intent.succeeded turns it SCHEDULED (settleFee). An
   * unpaid hold lapses to EXPIRED and frees the slot.
   */
  private async bookWithFee(caller: Caller & { organizationId: string }, booking: CheckedBooking, now: Date): Promise<Consultation> {
    const config = this.services?.config;
    if (!config) throw new Error('BookingService needs the app services to take booking fees');
    if (booking.idempotencyKey) throw errors.badInput('idempotencyKey is for credit bookings; a fee booking is retried with its clientSecret.', 'input.idempotencyKey');
    const payments = requirePayments(this.services?.payments ?? null);
    const held = await this.em.transactional(async (em) => {
      let assignment: Assignment | null = null;
      let consultantId = booking.consultantId ? requireUuid(booking.consultantId, 'Consultant') : null;
      if (!consultantId) {
        const assigned = await this.autoAssign(em, caller.userId, booking, now);
        ({ assignment } = assigned);
        consultantId = assigned.consultant.id;
      }
      const locked = await lockForBooking(em, consultantId, caller.organizationId);
      if (!locked) throw errors.notFound('Consultant', consultantId);
      if (!BOOKABLE_STATUSES.has(locked.availabilityStatus)) throw errors.conflict('This consultant is not taking bookings at the moment: choose another one, or leave consultantId out.');
      if (!hasSkills(locked.skills, booking.skills)) throw errors.badInput(`This consultant does not list every skill asked for (${booking.skills.join(', ')}).`, 'input.skills');
      const consultant = await em.findOneOrFail(ConsultantProfile, consultantId);
      const fee = bookingFeeFor(consultant.bookingFee, config);
      if (!fee) throw errors.badInput('This consultant takes no booking fee (and the platform sets none): pay with credits.', 'input.payWith');
      const end = new Date(booking.start.getTime() + booking.durationMinutes * MINUTE);
      const { schedule, busy } = await this.timeOf(em, consultantId, booking.start, end, now);
      if (!schedule) throw errors.conflict('This consultant has not published any availability yet.');
      const verdict = isBookable(schedule, busy, booking.start, booking.durationMinutes, now);
      if (!verdict.ok) throw rejection(verdict.reason);
      const [code] = await em.getConnection().execute<Array<{ n: string }>>("SELECT nextval('consultation_code_seq') AS n", [], 'all', em.getTransactionContext());
      const consultation = em.create(Consultation, {
        code: `CNS-${codeSlug(locked.organizationName ?? 'ORG', 'ORG')}-${codeDate(now)}-${String(code!.n).padStart(6, '0')}`,
        organization: em.getReference(Organization, caller.organizationId),
        client: caller.userId,
        bookedBy: caller.userId,
        consultant,
        status: ConsultationStatus.PENDING_PAYMENT,
        holdExpiresAt: new Date(now.getTime() + config.stripe.bookingHoldMinutes * MINUTE),
        startAt: booking.start,
        endAt: end,
        durationMinutes: booking.durationMinutes,
        bufferMinutes: schedule.bufferMinutes,
        heldUntil: new Date(end.getTime() + schedule.bufferMinutes * MINUTE),
        purpose: booking.purpose,
        notes: booking.notes,
        meetingProvider: booking.meetingProvider,
        skills: booking.skills,
        attendees: booking.attendees,
        assignment,
        paymentMethod: PaymentMethod.BOOKING_FEE,
        fee: { amount: fee.amount, currency: fee.currency },
        // No credits are involved.
        creditState: CreditState.RELEASED,
        createdAt: now,
      });
      this.record(em, consultation, ConsultationEventKind.BOOKED, null, 'CLIENT', caller.userId, null, { payWith: 'BOOKING_FEE' }, now);
      await em.flush();
      await this.publish(em, 'BOOKED', consultation, caller.userId, now);
      return consultation;
    }).catch((error: unknown) => {
      throw translateDatabaseError(error);
    });
    try {
      const intent = await createFeePayment(this.em.fork(), payments, { id: held.id, organizationId: caller.organizationId, consultantId: held.consultant.id, fee: held.fee!, code: held.code });
      return await this.em.fork().transactional(async (em) => {
        const row = await em.findOneOrFail(Consultation, held.id, { ...ALL, lockMode: LockMode.PESSIMISTIC_WRITE });
        row.stripePaymentIntentId = intent.id;
        row.feeClientSecret = intent.client_secret;
        return row;
      });
    } catch (error) {
      // No way to pay: the hold gives the slot back at once.
      await this.em.fork().transactional(async (em) => {
        const row = await em.findOneOrFail(Consultation, held.id, { ...ALL, lockMode: LockMode.PESSIMISTIC_WRITE });
        if (row.status !== ConsultationStatus.PENDING_PAYMENT) return;
        row.status = ConsultationStatus.EXPIRED;
        this.record(em, row, ConsultationEventKind.EXPIRED, ConsultationStatus.PENDING_PAYMENT, 'SYSTEM', null, 'The fee payment could not be started', null, now);
        await em.flush();
      });
      throw stripeFailure(error);
    }
  }

  /**
   * Stripe says a booking fee was paid (the webhook's transaction `em`): the hold becomes
   * SCHEDULED, invoiced, its revenue split. Paid after the hold lapsed (or was cancelled): the
   * fee goes back. Returns null when the PaymentIntent is not a booking fee of ours.
   */
  async settleFee(em: EntityManager, intent: { id: string; metadata?: Record<string, string> | null }, now = new Date()): Promise<'PROCESSED' | 'IGNORED' | null> {
    const ourId = intent.metadata?.consultationId;
    const options = { ...ALL, lockMode: LockMode.PESSIMISTIC_WRITE };
    const c = (await em.findOne(Consultation, { stripePaymentIntentId: intent.id }, options)) ?? (ourId && /^[0-9a-f-]{36}$/i.test(ourId) ? await em.findOne(Consultation, ourId, options) : null);
    if (!c) return null;
    c.stripePaymentIntentId ??= intent.id;
    if (c.status === ConsultationStatus.PENDING_PAYMENT) {
      const step = transition(c.status, 'PAY', { actor: 'SYSTEM', now, start: c.startAt, end: c.endAt });
      if (!step.ok) return 'IGNORED';
      c.status = step.next;
      c.holdExpiresAt = null;
      c.feeClientSecret = null;
      this.record(em, c, ConsultationEventKind.PAID, ConsultationStatus.PENDING_PAYMENT, 'SYSTEM', null, null, null, now);
      await em.flush();
      await recordFeePaid(em, { consultationId: c.id, organizationId: c.organization.id, consultantId: c.consultant.id, code: c.code, fee: c.fee!, paymentIntentId: intent.id, at: now });
      await this.publish(em, 'PAID', c, null, now);
      return 'PROCESSED';
    }
    if ((c.status === ConsultationStatus.EXPIRED || c.status === ConsultationStatus.CANCELLED) && !c.feeRefundedAt) {
      await refundFee(requirePayments(this.services?.payments ?? null), c.id, intent.id);
      c.feeRefundedAt = now;
      await em.flush();
      return 'PROCESSED';
    }
    return 'IGNORED';
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  async get(caller: Caller, id: string): Promise<Consultation> {
    return (await this.access(this.em, caller, id, false)).c;
  }

  /** The caller's consultations (clients: theirs; consultants: assigned to them; admins: all), by start. */
  async list(caller: Caller, filter: ConsultationFilterData, size: number, after: string | null | undefined): Promise<Connection<Consultation>> {
    const where: Record<string, unknown> = { ...(await this.ownership(caller)) };
    if (filter.statuses?.length) where.status = { $in: filter.statuses };
    if (filter.from && filter.to && filter.to <= filter.from) throw errors.badInput('to must be after from.', 'filter.to');
    const range: Record<string, Date> = {};
    if (filter.from) range.$gte = filter.from;
    if (filter.to) range.$lt = filter.to;
    if (filter.consultantId) where.consultant = requireUuid(filter.consultantId, 'Consultant');
    if (Object.keys(range).length) where.startAt = range;
    return keysetPage(this.em, Consultation, where, { field: 'startAt', direction: 'asc' }, size, after, { ...ALL, populate: READ_POPULATE });
  }

  /** Sessions holding time in the next `days` days, grouped by date in `timeZone`: the dashboard. */
  async upcoming(caller: Caller, days: number, timeZone: string, now = new Date()): Promise<Array<{ date: string; consultations: Consultation[] }>> {
    if (!Number.isInteger(days) || days < 1 || days > 90) throw errors.badInput('days must be 1 to 90.', 'days');
    const rows = await this.em.find(
      Consultation,
      { ...(await this.ownership(caller)), status: { $in: [...HOLDING_STATUSES] }, endAt: { $gt: now }, startAt: { $lt: new Date(now.getTime() + days * 86_400_000) } },
      { ...ALL, populate: READ_POPULATE, orderBy: { startAt: 'asc', id: 'asc' }, limit: 500 },
    );
    const byDate = new Map<string, Consultation[]>();
    for (const row of rows) {
      const date = DateTime.fromJSDate(row.startAt, { zone: timeZone }).toISODate()!;
      byDate.set(date, [...(byDate.get(date) ?? []), row]);
    }
    return [...byDate].map(([date, consultations]) => ({ date, consultations }));
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /** Which consultations a caller may list: clients their own, consultants theirs, admins all. */
  private async ownership(caller: Caller): Promise<Record<string, unknown>> {
    if (caller.role === 'ADMIN') return {};
    if (caller.role === 'CONSULTANT') return { consultant: (await this.ownProfile(this.em, caller)).id };
    if (!caller.organizationId) throw errors.forbidden('You are not a member of an organization (any more): switch to one you belong to with switchOrganization.');
    return { organization: caller.organizationId, client: caller.userId };
  }

  /**
   * A consultation the caller may see, and in which part: its client (or an owner of its
   * organization), its consultant, or an admin. Anything else is NOT_FOUND, never FORBIDDEN,
   * so ids of other tenants reveal nothing.
   */
  private async access(em: EntityManager, caller: Caller, id: string, lock: boolean): Promise<{ c: Consultation; actor: LifecycleActor }> {
    const options = { ...ALL, ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) };
    const found = await em.findOne(Consultation, requireUuid(id, 'Consultation'), options);
    if (found) {
      if (caller.role === 'ADMIN') return { c: found, actor: 'ADMIN' };
      if (caller.role === 'CONSULTANT' && found.consultant.id === (await this.ownProfile(em, caller)).id) return { c: found, actor: 'CONSULTANT' };
      if (caller.role === 'CLIENT' && caller.organizationId === found.organization.id && (found.client.id === caller.userId || caller.orgRole === 'OWNER')) {
        return { c: found, actor: 'CLIENT' };
      }
    }
    throw errors.notFound('Consultation', id);
  }

  private async ownProfile(em: EntityManager, caller: Caller): Promise<ConsultantProfile> {
    return em.findOneOrFail(ConsultantProfile, { user: caller.userId });
  }

  /** One lifecycle step: lock, check who and what, apply, record history, publish. */
  private async change(
    caller: Caller,
    id: string,
    action: LifecycleAction,
    now: Date,
    apply: (em: EntityManager, c: Consultation, actor: LifecycleActor) => Promise<{ kind: ConsultationChangeKind; event: ConsultationEventKind; c: Consultation; reason?: string | null; details?: Record<string, unknown> }>,
  ): Promise<Consultation> {
    return this.em.transactional(async (em) => {
      const { c, actor } = await this.access(em, caller, id, true);
      if (!mayAct(action, actor)) throw errors.forbidden(FORBIDDEN_MESSAGES[action]);
      const step = transition(c.status, action, { actor, now, start: c.startAt, end: c.endAt });
      if (!step.ok) throw errors.conflict(step.message, { status: c.status });
      const from = c.status;
      const result = await apply(em, c, actor);
      c.status = step.next;
      this.record(em, c, result.event, from, actor, caller.userId, result.reason ?? null, result.details ?? null, now);
      await em.flush();
      await this.publish(em, result.kind, c, caller.userId, now);
      return c;
    });
  }

  private record(
    em: EntityManager,
    c: Consultation,
    event: ConsultationEventKind,
    from: ConsultationStatus | null,
    actorRole: LifecycleActor,
    actorId: string | null,
    reason: string | null,
    details: Record<string, unknown> | null,
    at: Date,
  ): void {
    em.create(ConsultationStatusChange, { consultation: c, organization: c.organization, event, fromStatus: from, toStatus: c.status, actor: actorId, actorRole, reason, details, at });
  }

  private async publish(em: EntityManager, kind: ConsultationChangeKind, c: Consultation | Changed, actorId: string | null, at: Date): Promise<void> {
    const changed = c instanceof Consultation ? { id: c.id, organizationId: c.organization.id, consultantId: c.consultant.id, status: c.status } : c;
    await this.events.emit(
      'consultation.changed',
      { kind, consultationId: changed.id, organizationId: changed.organizationId, consultantId: changed.consultantId, status: changed.status, actorId, at },
      em,
    );
  }
}

const FORBIDDEN_MESSAGES: Record<LifecycleAction, string> = {
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

function sameRequest(earlier: Consultation, hash: string): Consultation {
  if (earlier.requestHash !== hash) {
    throw errors.conflict('This idempotencyKey was already used for a different booking: use a new key for a new booking.', { field: 'input.idempotencyKey' });
  }
  return earlier;
}

function rejection(reason: SlotRejection, field = 'input.start') {
  const message = REJECTION_MESSAGES[reason];
  return reason === 'OVERLAPS' || reason === 'DAY_FULL' ? errors.conflict(message, { reason, field }) : errors.badInput(message, field, { reason });
}

/** Serializes bookings of one consultant (I2's day count) until the transaction ends. */
function lockConsultant(em: EntityManager, consultantId: string): Promise<void> {
  // The same key lockForBooking takes in its statement.
  return advisoryLock(em, `consultant:${consultantId}`);
}

/** What a booking reads of its consultant, with the consultant's lock (lockConsultant) and the client organization's name. */
interface LockedConsultant {
  availabilityStatus: string;
  skills: ConsultantSkill[];
  /** Null: the organization no longer exists. */
  organizationName: string | null;
}

/**
 * The consultant to book, locked for the rest of the transaction as lockConsultant does, and the
 * name the consultation's code starts with, in one statement; null when there is no such
 * consultant. Codes are e.g. CNS-ACME-20261123-000042: the number comes from a sequence (never
 * locked) when the consultation is stored, so concurrent bookings do not queue on it.
 * `lockLotsOf`: an organization whose lots this statement also locks, after the consultant
 * (always in that order), so that the next statement reads them as committed under the lock
 * (CreditsService.lotsLockColumn) without a round trip of its own.
 */
async function lockForBooking(em: EntityManager, consultantId: string, organizationId: string, lockLotsOf: string | null = null): Promise<LockedConsultant | null> {
  const lots = lockLotsOf ? CreditsService.lotsLockColumn(lockLotsOf, 'p.id') : null;
  const [row] = await em.getConnection().execute<Array<{ availability_status: string; skills: ConsultantSkill[]; organization_name: string | null }>>(
    `WITH p AS MATERIALIZED (
       SELECT p.id, p.availability_status, p.skills, pg_advisory_xact_lock(hashtextextended('consultant:' || p.id::text, 0)) AS locked
         FROM consultant_profile p WHERE p.id = ?
     )
     SELECT p.availability_status, p.skills, (SELECT o.name FROM organization o WHERE o.id = ?) AS organization_name${lots ? `, ${lots.sql} AS lots_locked` : ''}
       FROM p`,
    [consultantId, organizationId, ...(lots?.params ?? [])],
    'all',
    em.getTransactionContext(),
  );
  return row ? { availabilityStatus: row.availability_status, skills: row.skills, organizationName: row.organization_name } : null;
}

/** The database's last word: an overlap (23P01) or a deadlock becomes CONFLICT. */
export function translateDatabaseError(error: unknown): unknown {
  if (isDomainError(error)) return error;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (code === '23P01') return errors.conflict('That time was just taken: pick another time from openSlots.', { reason: 'OVERLAPS' });
  if (code === '40P01' || code === '40001') return errors.conflict('The booking collided with another change: try again.');
  return error;
}
