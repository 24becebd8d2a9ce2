import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditsService } from '../credits/credits.service.js';
import { creditFeeRefund, refundFee } from '../payments/booking-fee.js';
import { requirePayments, stripeFailure } from '../payments/stripe.js';
import type { Caller } from '../platform/auth.js';
import type { AppServices } from '../platform/context.js';
import { errors } from '../platform/errors.js';
import type { ConsultationChangeKind, DomainEvents } from '../platform/events.js';
import { advisoryLock, consultantLockKey } from '../platform/locks.js';
import type { Money } from '../platform/money.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { addMs, MINUTE_MS } from '../platform/time.js';
import { AvailabilityService } from '../scheduling/availability.service.js';
import { ConsultantService } from '../scheduling/consultant.service.js';
import { isBookable } from '../scheduling/slots.js';
import { readConsultantTime } from './booking.service.js';
import {
  BOOKING_LIMITS,
  checkAttendees,
  checkCompletion,
  checkFeedback,
  checkStart,
  optionalText,
  REJECTION_MESSAGES,
  slotRejection,
  translateDatabaseError,
  type AttendeeData,
  type CompletionData,
  type FeedbackData,
} from './booking.rules.js';
import { accessConsultation } from './consultation-access.js';
import { publishChange, recordChange } from './consultation-history.js';
import { ConsultationEventKind, ConsultationStatus, CreditState, HOLDING_STATUSES, PaymentMethod, type NoShowParty } from './consultation.enums.js';
import { ConsultationFeedback, type Consultation } from './consultation.entity.js';
import {
  cancellationCredit,
  FORBIDDEN_MESSAGES,
  isLateCancellation,
  lateAfterReschedule,
  lateCancellationReason,
  mayAct,
  noShowCredit,
  transition,
  type LifecycleAction,
  type LifecycleActor,
} from './lifecycle.js';

export interface CancellationResult {
  consultation: Consultation;
  creditState: CreditState;
  late: boolean;
  /** A booking fee given back through Stripe. */
  feeRefunded: Money | null;
}

/** What one lifecycle step did, for its history entry and event. */
interface StepResult {
  kind: ConsultationChangeKind;
  event: ConsultationEventKind;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * A booked consultation's life after booking: the steps of lifecycle.ts's state machine, each
 * one transaction that locks the consultation (and, to move it, its consultant), checks who
 * and what, applies, records history and publishes; plus attendees and feedback.
 */
export class LifecycleService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEvents,
    /** Payments: refunding a booking fee needs them. */
    private readonly services: Pick<AppServices, 'payments'> | null = null,
  ) {}

  async confirm(caller: Caller, id: string, now = new Date()): Promise<Consultation> {
    return this.step(caller, id, 'CONFIRM', now, async () => ({ kind: 'CONFIRMED', event: ConsultationEventKind.CONFIRMED }));
  }

  async start(caller: Caller, id: string, now = new Date()): Promise<Consultation> {
    return this.step(caller, id, 'START', now, async (_em, c) => {
      c.actualStart = now;
      return { kind: 'STARTED', event: ConsultationEventKind.STARTED };
    });
  }

  async complete(caller: Caller, id: string, data: CompletionData, now = new Date()): Promise<Consultation> {
    return this.step(caller, id, 'COMPLETE', now, async (em, c) => {
      const done = checkCompletion(data, c.actualStart ?? c.startAt, now);
      const minutes = Math.max(1, Math.round((done.actualEnd.getTime() - (c.actualStart ?? c.startAt).getTime()) / MINUTE_MS));
      Object.assign(c, { ...done, actualDurationMinutes: minutes, creditState: CreditState.CONSUMED });
      await new CreditsService(em, this.events).consume(c.id, { actorId: caller.userId, reason: 'Session completed' });
      await new ConsultantService(em).countCompletedSession(c.consultant.id, minutes);
      return { kind: 'COMPLETED', event: ConsultationEventKind.COMPLETED, details: { actualDurationMinutes: minutes } };
    });
  }

  async markNoShow(caller: Caller, id: string, party: NoShowParty, reason: string | null | undefined, now = new Date()): Promise<Consultation> {
    const why = optionalText(reason, BOOKING_LIMITS.reason, 'reason');
    return this.step(caller, id, 'NO_SHOW', now, async (em, c) => {
      const credit = noShowCredit(party);
      const credits = new CreditsService(em, this.events);
      if (credit === CreditState.CONSUMED) await credits.consume(c.id, { actorId: caller.userId, reason: 'Client did not attend' });
      else await credits.release(c.id, { actorId: caller.userId, reason: 'Consultant did not attend', now });
      c.noShowParty = party;
      c.creditState = credit;
      return { kind: 'NO_SHOW', event: ConsultationEventKind.NO_SHOW, reason: why, details: { party, credit } };
    });
  }

  async cancel(caller: Caller, id: string, reason: string | null | undefined, now = new Date()): Promise<CancellationResult> {
    const why = optionalText(reason, BOOKING_LIMITS.reason, 'reason');
    let late = false;
    let credit: CreditState = CreditState.RELEASED;
    let feeRefunded: Money | null = null;
    const consultation = await this.step(caller, id, 'CANCEL', now, async (em, c, actor) => {
      // A session the client moved inside the late window stays late (lifecycle.ts).
      const movedLate = c.lateRescheduledAt !== null;
      late = isLateCancellation({ now, start: c.startAt, movedLate });
      if (c.paymentMethod === PaymentMethod.BOOKING_FEE) {
        // The fee is refundable like a credit: cancelled in time (or by the consultant side) it goes back.
        const giveBack = c.status !== ConsultationStatus.PENDING_PAYMENT && cancellationCredit({ actor, now, start: c.startAt, lateCancelConsumes: true, movedLate }) === CreditState.RELEASED;
        if (giveBack && c.stripePaymentIntentId && c.fee && !c.feeRefundedAt) {
          let refund;
          try {
            refund = await refundFee(requirePayments(this.services?.payments ?? null), c.id, c.stripePaymentIntentId);
          } catch (error) {
            throw stripeFailure(error);
          }
          await creditFeeRefund(em, { consultationId: c.id, paymentIntentId: c.stripePaymentIntentId, refundId: refund.id, reason: why ?? 'Booking cancelled', at: now });
          c.feeRefundedAt = now;
          feeRefunded = c.fee;
        }
        Object.assign(c, { cancelledAt: now, cancelledBy: caller.userId, cancellationReason: why });
        return { kind: 'CANCELLED', event: ConsultationEventKind.CANCELLED, reason: why, details: { feeRefunded: !!feeRefunded, late } };
      }
      const credits = new CreditsService(em, this.events);
      const held = await credits.heldLots(c.id);
      // The package of the first lot drawn decides; lots without a package follow the default (lifecycle.ts's window).
      const lateCancelConsumes = held[0]?.lateCancelConsumes ?? true;
      credit = cancellationCredit({ actor, now, start: c.startAt, lateCancelConsumes, movedLate });
      if (credit === CreditState.CONSUMED) await credits.consume(c.id, { actorId: caller.userId, reason: lateCancellationReason(movedLate) });
      else await credits.release(c.id, { actorId: caller.userId, reason: 'Consultation cancelled', now });
      Object.assign(c, { creditState: credit, cancelledAt: now, cancelledBy: caller.userId, cancellationReason: why });
      return { kind: 'CANCELLED', event: ConsultationEventKind.CANCELLED, reason: why, details: { credit, late } };
    });
    return { consultation, creditState: credit, late, feeRefunded };
  }

  async reschedule(caller: Caller, id: string, start: Date, reason: string | null | undefined, now = new Date()): Promise<Consultation> {
    checkStart(start, now, 'start');
    const why = optionalText(reason, BOOKING_LIMITS.reason, 'reason');
    try {
      return await this.step(caller, id, 'RESCHEDULE', now, async (em, c, actor) => {
        if (start.getTime() === c.startAt.getTime()) throw errors.badInput('That is the session’s current time.', 'start');
        // Serializes with bookings of this consultant (I2's day count) until the transaction ends.
        await advisoryLock(em, consultantLockKey(c.consultant.id));
        const end = addMs(start, c.durationMinutes * MINUTE_MS);
        const { schedule, busy } = await readConsultantTime(em, this.events, c.consultant.id, { from: start, to: end, exceptConsultationId: c.id }, now);
        if (!schedule) throw errors.conflict('This consultant has no availability any more.');
        const verdict = isBookable(schedule, busy, start, c.durationMinutes, now);
        if (!verdict.ok) throw slotRejection(verdict.reason, 'start');
        const from = { start: c.startAt.toISOString(), end: c.endAt.toISOString() };
        const reallocated = await new CreditsService(em, this.events).moveReservation({
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
          heldUntil: addMs(end, schedule.bufferMinutes * MINUTE_MS),
          rescheduleCount: c.rescheduleCount + 1,
          rescheduleRequest: null,
          lateRescheduledAt: movedLate ? (c.lateRescheduledAt ?? now) : null,
        });
        const to = { start: start.toISOString(), end: end.toISOString() };
        return { kind: 'RESCHEDULED', event: ConsultationEventKind.RESCHEDULED, reason: why, details: { from, to, reallocated, ...(movedLate ? { late: true } : {}) } };
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
    return this.step(caller, id, 'REQUEST_RESCHEDULE', now, async (em, c) => {
      const availability = new AvailabilityService(em);
      const schedule = await availability.scheduleFor(c.consultant.id);
      if (!schedule) throw errors.conflict('Set your availability first.');
      for (const [i, s] of suggestedStarts.entries()) {
        const end = addMs(s, c.durationMinutes * MINUTE_MS);
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
      return { kind: 'RESCHEDULE_REQUESTED', event: ConsultationEventKind.RESCHEDULE_REQUESTED, reason: why, details: { suggestedStarts: c.rescheduleRequest.suggestedStarts } };
    });
  }

  /** Attendees join from the client side; they receive invitations and reminders only. */
  async addAttendees(caller: Caller, id: string, attendees: AttendeeData[], now = new Date()): Promise<Consultation> {
    return this.em.transactional(async (em) => {
      const { c, actor } = await accessConsultation(em, caller, id, true);
      if (actor !== 'CLIENT' && actor !== 'ADMIN') throw errors.forbidden('Attendees are added by the client side of the booking.');
      if (!HOLDING_STATUSES.includes(c.status) || c.status === ConsultationStatus.IN_PROGRESS) throw errors.conflict(`A ${c.status.toLowerCase()} consultation takes no new attendees.`);
      c.attendees = [...c.attendees, ...checkAttendees(attendees, c.attendees, 'attendees')];
      await em.flush();
      await publishChange(this.events, em, 'ATTENDEES_ADDED', c, caller.userId, now);
      return c;
    });
  }

  async submitFeedback(caller: Caller, consultationId: string, data: FeedbackData, now = new Date()): Promise<ConsultationFeedback> {
    const feedback = checkFeedback(data);
    try {
      return await this.em.transactional(async (em) => {
        const { c } = await accessConsultation(em, caller, consultationId, true);
        if (caller.role !== 'CLIENT' || c.client.id !== caller.userId) throw errors.forbidden('Only the client who had the session gives feedback on it.');
        if (c.status !== ConsultationStatus.COMPLETED) throw errors.conflict('Feedback is given once the session is completed.');
        if (await em.findOne(ConsultationFeedback, { consultation: c.id }, ACROSS_TENANTS)) throw errors.conflict('Feedback for this consultation was already given.');
        const row = em.create(ConsultationFeedback, { consultation: c, organization: c.organization, consultant: c.consultant, author: caller.userId, ...feedback, createdAt: now });
        await em.flush();
        await new ConsultantService(em).countRating(c.consultant.id, feedback);
        return row;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw errors.conflict('Feedback for this consultation was already given.');
      throw error;
    }
  }

  /** One lifecycle step: lock, check who and what, apply, record history, publish. */
  private async step(
    caller: Caller,
    id: string,
    action: LifecycleAction,
    now: Date,
    apply: (em: EntityManager, c: Consultation, actor: LifecycleActor) => Promise<StepResult>,
  ): Promise<Consultation> {
    return this.em.transactional(async (em) => {
      const { c, actor } = await accessConsultation(em, caller, id, true);
      if (!mayAct(action, actor)) throw errors.forbidden(FORBIDDEN_MESSAGES[action]);
      const step = transition(c.status, action, { actor, now, start: c.startAt, end: c.endAt });
      if (!step.ok) throw errors.conflict(step.message, { status: c.status });
      const from = c.status;
      const previousStart = c.startAt;
      const result = await apply(em, c, actor);
      c.status = step.next;
      recordChange(em, c, { event: result.event, from, actorRole: actor, actorId: caller.userId, reason: result.reason ?? null, details: result.details ?? null, at: now });
      await em.flush();
      await publishChange(this.events, em, result.kind, c, caller.userId, now, result.kind === 'RESCHEDULED' ? previousStart : undefined);
      return c;
    });
  }
}
