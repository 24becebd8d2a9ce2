import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditsService, type LockedLots } from '../credits/credits.service.js';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { bookingFeeFor } from '../payments/booking-fee.js';
import { requirePayments } from '../payments/stripe.js';
import type { Caller } from '../platform/auth.js';
import type { AppServices } from '../platform/context.js';
import { errors } from '../platform/errors.js';
import type { DomainEvents } from '../platform/events.js';
import { requireUuid } from '../platform/ids.js';
import { advisoryLock } from '../platform/locks.js';
import { Money } from '../platform/money.js';
import { query } from '../platform/sql.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { addMs, DAY_MS, MINUTE_MS } from '../platform/time.js';
import { AvailabilityService, BOOKABLE_STATUSES } from '../scheduling/availability.service.js';
import { bookingTimeOf, type BookingTime, type BusyWindow } from '../scheduling/availability.sql.js';
import { isBookable, type Schedule } from '../scheduling/slots.js';
import { hasSkills } from '../identity/skills.js';
import { rankCandidates, type AssignmentCandidate } from './assignment.js';
import { offeredProviders } from '../identity/meeting-providers.js';
import { bookingHash, checkBooking, chooseMeetingProvider, KEY_FREE_DEFAULT, sameRequest, slotRejection, translateDatabaseError, type BookingData, type CheckedBooking } from './booking.rules.js';
import { publishChange } from './consultation-history.js';
import { ConsultationStatus, CreditState, PaymentMethod, type MeetingProvider } from './consultation.enums.js';
import { Consultation, type Assignment } from './consultation.entity.js';
import { assignmentStats, consultantTime, insertConsultation, lockForBooking, type ConsultantTimeRow, type LockedConsultantRow, type NewConsultation } from './consultation.sql.js';
import { FeeHoldService } from './fee-hold.service.js';

/** Load counted for auto-assignment: holding sessions within this many days either side of the booking. */
const LOAD_WINDOW_DAYS = 7;

type BookingCaller = Caller & { organizationId: string };

/** What every booking decides before it stores anything (BookingService.prepare). */
interface Prepared {
  consultantId: string;
  consultant: LockedConsultantRow & { organization_name: string };
  assignment: Assignment | null;
  /** The booking's meeting provider: the one asked for, which the consultant offers, or their first (chooseMeetingProvider). */
  meetingProvider: MeetingProvider;
  end: Date;
  schedule: Schedule;
  /** The organization's lots, read under their lock (credit bookings only). */
  lots: LockedLots | null;
}

/**
 * Booking: a consultation paid by credits or held for a booking fee. Both share one preparation
 * (choose the consultant, lock, check the consultant and the time) and one way to store the
 * consultation (consultation.sql.ts's insertConsultation). Every booking is one transaction that
 * locks what it decides on; the table's exclusion constraint is the last word on overlaps (I1).
 */
export class BookingService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEvents,
    /** Payments and settings: booking fees need them; credit bookings do not. */
    private readonly services: Pick<AppServices, 'payments' | 'config'> | null = null,
  ) {}

  async book(caller: BookingCaller, data: BookingData, now = new Date()): Promise<Consultation> {
    const booking = checkBooking(data, now, this.services?.config.meetings);
    if (booking.payWith === PaymentMethod.BOOKING_FEE) return this.bookWithFee(caller, booking, now);
    const hash = bookingHash(booking);
    if (booking.idempotencyKey) {
      const earlier = await byIdempotencyKey(this.em, caller.userId, booking.idempotencyKey);
      if (earlier) return sameRequest(earlier, hash);
    }
    try {
      const booked = await this.em.transactional((em) => this.bookWithCredits(em, caller, booking, hash, now));
      // A new booking comes back as its stored row: managed from here on, so the fields'
      // resolvers read it (and its references) through this EntityManager.
      return booked instanceof Consultation ? booked : this.em.map(Consultation, booked);
    } catch (error) {
      // The same key racing itself: the unique index let one in; the others answer with it.
      if (booking.idempotencyKey && error instanceof UniqueConstraintViolationException && /idempotency/.test(error.message)) {
        const earlier = await byIdempotencyKey(this.em.fork(), caller.userId, booking.idempotencyKey);
        if (earlier) return sameRequest(earlier, hash);
      }
      throw translateDatabaseError(error);
    }
  }

  /**
   * The credit booking's transaction: the earlier booking of a retried idempotency key, or the new
   * consultation's stored row. Its hot path is three plain statements (bench/booking.bench.ts):
   * the consultant and the organization's lots with their locks; then its schedule, the busy
   * periods and the lots' values; then one write of the lots' counters, the RESERVE entries, the
   * consultation and its BOOKED history entry.
   */
  private async bookWithCredits(em: EntityManager, caller: BookingCaller, booking: CheckedBooking, hash: string, now: Date): Promise<Consultation | Record<string, unknown>> {
    if (booking.idempotencyKey) {
      // Retries of one key queue here; the first one's booking is visible to the next.
      await advisoryLock(em, `booking-key:${caller.userId}:${booking.idempotencyKey}`);
      const earlier = await byIdempotencyKey(em, caller.userId, booking.idempotencyKey);
      if (earlier) return sameRequest(earlier, hash);
    }
    const prepared = await this.prepare(em, caller, booking, now, true);
    const id = randomUUID();
    const creditsService = new CreditsService(em, this.events);
    const credits = await creditsService.prepareReserve(
      {
        organizationId: caller.organizationId,
        consultationId: id,
        durationMinutes: booking.durationMinutes,
        sessionStart: booking.start,
        sessionEnd: prepared.end,
        memberId: caller.userId,
        useFreeTrial: booking.useFreeTrial,
        actorId: caller.userId,
      },
      prepared.lots!,
    );
    const consultation = newConsultation(id, caller, booking, prepared, now, {
      status: ConsultationStatus.SCHEDULED,
      holdExpiresAt: null,
      requestHash: booking.idempotencyKey ? hash : null,
      paymentMethod: PaymentMethod.CREDITS,
      fee: null,
      creditState: CreditState.HELD,
      bookedDetails: prepared.assignment ? { assignment: prepared.assignment.reason } : null,
    });
    // The credits' counters and RESERVE entries, the consultation and its BOOKED entry: one statement.
    const [row] = await query<Record<string, unknown>>(em, insertConsultation(consultation, randomUUID(), credits.writes));
    await creditsService.emitChange(credits.change);
    await publishChange(this.events, em, 'BOOKED', { id, organizationId: caller.organizationId, consultantId: prepared.consultantId, status: consultation.status, start: booking.start, end: prepared.end, people: { clientId: caller.userId, bookedById: caller.userId, consultantUserId: prepared.consultant.user_id, attendeeEmails: booking.attendees.map((a) => a.email) } }, caller.userId, now);
    return row!;
  }

  /**
   * A booking paid by a single fee instead of a credit: the slot is held PENDING_PAYMENT for
   * BOOKING_HOLD_MINUTES, then the fee's payment starts (fee-hold.service.ts).
   */
  private async bookWithFee(caller: BookingCaller, booking: CheckedBooking, now: Date): Promise<Consultation> {
    const config = this.services?.config;
    if (!config) throw new Error('BookingService needs the app services to take booking fees');
    if (booking.idempotencyKey) throw errors.badInput('idempotencyKey is for credit bookings; a fee booking is retried with its clientSecret.', 'input.idempotencyKey');
    requirePayments(this.services?.payments ?? null);
    const held = await this.em
      .transactional(async (em) => {
        const prepared = await this.prepare(em, caller, booking, now, false, ({ booking_fee_amount: amount, booking_fee_currency: currency }) => {
          const fee = bookingFeeFor(amount !== null && currency !== null ? new Money(amount, currency) : null, config);
          if (!fee) throw errors.badInput('This consultant takes no booking fee (and the platform sets none): pay with credits.', 'input.payWith');
          return fee;
        });
        const fee = prepared.accepted;
        const consultation = newConsultation(randomUUID(), caller, booking, prepared, now, {
          status: ConsultationStatus.PENDING_PAYMENT,
          holdExpiresAt: addMs(now, config.stripe.bookingHoldMinutes * MINUTE_MS),
          requestHash: null,
          paymentMethod: PaymentMethod.BOOKING_FEE,
          fee,
          // No credits are involved.
          creditState: CreditState.RELEASED,
          bookedDetails: { payWith: PaymentMethod.BOOKING_FEE },
        });
        const [row] = await query<Record<string, unknown>>(em, insertConsultation(consultation, randomUUID(), null));
        const stored = em.map(Consultation, row!);
        await publishChange(this.events, em, 'BOOKED', stored, caller.userId, now);
        return stored;
      })
      .catch((error: unknown) => {
        throw translateDatabaseError(error);
      });
    return new FeeHoldService(this.em, this.events, this.services).startPayment(held, now);
  }

  /**
   * What every booking decides first, in its transaction: the consultant (named, or the best free
   * one), locked with the organization's name (and, `withLots`, its lots); the consultant taking
   * bookings with the skills asked for (and `accepts`, e.g. a booking fee); the time open on their
   * schedule; the organization there.
   */
  private async prepare<Accepted = undefined>(
    em: EntityManager,
    caller: BookingCaller,
    booking: CheckedBooking,
    now: Date,
    withLots: boolean,
    accepts?: (consultant: LockedConsultantRow) => Accepted,
  ): Promise<Prepared & { accepted: Accepted }> {
    let consultantId: string;
    let assignment: Assignment | null = null;
    if (booking.consultantId) consultantId = requireUuid(booking.consultantId, 'Consultant');
    else ({ consultantId, assignment } = await this.autoAssign(em, caller.userId, booking, now));
    const [consultant] = await query<LockedConsultantRow>(em, lockForBooking(consultantId, caller.organizationId, withLots));
    if (!consultant) throw errors.notFound('Consultant', booking.consultantId ?? consultantId);
    if (!BOOKABLE_STATUSES.has(consultant.availability_status)) throw errors.conflict('This consultant is not taking bookings at the moment: choose another one, or leave consultantId out.');
    if (!hasSkills(consultant.skills, booking.skills)) throw errors.badInput(`This consultant does not list every skill asked for (${booking.skills.join(', ')}).`, 'input.skills');
    const meetingProvider = chooseMeetingProvider(booking.meetingProvider, consultant.meeting_providers, this.meetingSettings);
    // The consultant's own terms (a booking fee) are judged before the time: without a fee, that is the answer whatever the time.
    const accepted = accepts ? accepts(consultant) : (undefined as Accepted);
    const end = addMs(booking.start, booking.durationMinutes * MINUTE_MS);
    // The lots (locked by lockForBooking's statement, so this later one reads them as committed
    // under the lock) are read with the consultant's time: one round trip.
    const lotsOf = withLots ? { organizationId: caller.organizationId, memberId: caller.userId } : null;
    const { schedule, busy, lots } = await readConsultantTime(em, this.events, consultantId, { from: booking.start, to: end }, now, lotsOf);
    if (!schedule) throw errors.conflict('This consultant has not published any availability yet.');
    const verdict = isBookable(schedule, busy, booking.start, booking.durationMinutes, now);
    if (!verdict.ok) throw slotRejection(verdict.reason);
    if (consultant.organization_name === null) throw errors.forbidden('Your organization no longer exists.');
    return { consultantId, consultant: { ...consultant, organization_name: consultant.organization_name }, assignment, meetingProvider, end, schedule, lots: (lots as LockedLots | undefined) ?? null, accepted };
  }

  private get meetingSettings() {
    return this.services?.config.meetings ?? KEY_FREE_DEFAULT;
  }

  /**
   * The best free consultant with the requested skills (and the meeting provider asked for, if
   * any, among those they offer; assignment.ts ranks them). Only the
   * winner is locked and checked again by the booking itself; losing that race is CONFLICT.
   */
  private async autoAssign(em: EntityManager, clientId: string, booking: CheckedBooking, now: Date): Promise<{ consultantId: string; assignment: Assignment }> {
    const profiles = (await em.find(ConsultantProfile, {}, { orderBy: { code: 'asc' } })).filter(
      (p) =>
        BOOKABLE_STATUSES.has(p.availabilityStatus) &&
        hasSkills(p.skills, booking.skills) &&
        (!booking.meetingProvider || offeredProviders(p.meetingProviders, this.meetingSettings).includes(booking.meetingProvider)),
    );
    const end = addMs(booking.start, booking.durationMinutes * MINUTE_MS);
    const plans = profiles.length ? await new AvailabilityService(em).plansOf(profiles.map((p) => p.id), booking.start, end) : [];
    const freeIds = new Set(plans.filter((plan) => isBookable(plan.schedule, plan.busy, booking.start, booking.durationMinutes, now).ok).map((plan) => plan.consultantId));
    const free = profiles.filter((p) => freeIds.has(p.id));
    if (free.length === 0) {
      const offering = booking.meetingProvider ? ` offering ${booking.meetingProvider}` : '';
      throw errors.conflict(
        booking.skills.length
          ? `No consultant${offering} with ${booking.skills.join(', ')} is free then: pick a time from openSlots with these skills.`
          : `No consultant${offering} is free then: pick a time from openSlots.`,
      );
    }
    const window = LOAD_WINDOW_DAYS * DAY_MS;
    const stats = await query<{ consultant_id: string; previous: string; load: string }>(
      em,
      assignmentStats(
        clientId,
        free.map((p) => p.id),
        addMs(booking.start, -window),
        addMs(booking.start, window),
      ),
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
    const { consultantId, ...scores } = winner!;
    return { consultantId, assignment: { ...scores, candidates: free.length } };
  }
}

/**
 * The consultant's schedule (null: none published) and the consultations holding their time
 * around the window, under the consultant's lock, in one read (with the lots, `lotsOf`) — unless
 * lapsed holds are in the way: a partial constraint cannot use now(), so those stop holding time
 * first (I1). Booking and rescheduling read a consultant's time this way.
 */
export async function readConsultantTime(
  em: EntityManager,
  events: DomainEvents,
  consultantId: string,
  window: BusyWindow,
  now: Date,
  lotsOf: { organizationId: string; memberId: string } | null = null,
): Promise<BookingTime & { lots: unknown }> {
  const [row] = await query<ConsultantTimeRow>(em, consultantTime(consultantId, window, now, lotsOf));
  const time = { ...bookingTimeOf(row), lots: row?.lots };
  if (!time.lapsedHolds) return time;
  await new FeeHoldService(em, events).expireHolds(em, now, { consultantId, at: window.from });
  const busy = await new AvailabilityService(em).busyOf([consultantId], window.from, window.to, window.exceptConsultationId ?? null);
  return { ...time, busy: busy.get(consultantId)! };
}

/** The consultation a booking stores: what was asked, what prepare decided, and how it is paid. */
function newConsultation(
  id: string,
  caller: BookingCaller,
  booking: CheckedBooking,
  prepared: Prepared,
  now: Date,
  payment: Pick<NewConsultation, 'status' | 'holdExpiresAt' | 'requestHash' | 'paymentMethod' | 'fee' | 'creditState' | 'bookedDetails'>,
): NewConsultation {
  return {
    id,
    organizationName: prepared.consultant.organization_name,
    organizationId: caller.organizationId,
    clientId: caller.userId,
    consultantId: prepared.consultantId,
    start: booking.start,
    end: prepared.end,
    durationMinutes: booking.durationMinutes,
    bufferMinutes: prepared.schedule.bufferMinutes,
    heldUntil: addMs(prepared.end, prepared.schedule.bufferMinutes * MINUTE_MS),
    purpose: booking.purpose,
    notes: booking.notes,
    meetingProvider: prepared.meetingProvider,
    skills: booking.skills,
    attendees: booking.attendees,
    idempotencyKey: booking.idempotencyKey,
    assignment: prepared.assignment,
    usedFreeTrial: booking.useFreeTrial,
    at: now,
    ...payment,
  };
}

function byIdempotencyKey(em: EntityManager, userId: string, key: string): Promise<Consultation | null> {
  return em.findOne(Consultation, { bookedBy: userId, idempotencyKey: key }, ACROSS_TENANTS);
}
