import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createFeePayment, recordFeePaid, refundFee } from '../payments/booking-fee.js';
import { requirePayments, stripeFailure } from '../payments/stripe.js';
import type { AppServices } from '../platform/context.js';
import type { DomainEvents } from '../platform/events.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { publishChange, recordChange } from './consultation-history.js';
import { ConsultationEventKind, ConsultationStatus } from './consultation.enums.js';
import { Consultation } from './consultation.entity.js';
import { lapsedHoldWindow } from './consultation.sql.js';
import { transition } from './lifecycle.js';

const LOCKED = { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE } as const;

/**
 * Booking-fee holds: a booking paid by a single fee is held PENDING_PAYMENT (it holds time like
 * any booking, BookingService stores it); its PaymentIntent is made once the hold committed
 * (startPayment); Stripe's payment_intent.succeeded turns it SCHEDULED (settleFee); an unpaid
 * hold lapses to EXPIRED and frees the slot (expireHolds).
 */
export class FeeHoldService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEvents,
    /** Payments: starting and refunding fees needs them; expiring holds does not. Settling a fee also needs the config (the seller its invoice prints). */
    private readonly services: (Pick<AppServices, 'payments'> & Partial<Pick<AppServices, 'config'>>) | null = null,
  ) {}

  /** The committed hold's PaymentIntent, kept on it; without a way to pay, the hold gives the slot back at once. */
  async startPayment(held: Consultation, now: Date): Promise<Consultation> {
    const payments = requirePayments(this.services?.payments ?? null);
    try {
      const intent = await createFeePayment(this.em.fork(), payments, { id: held.id, organizationId: held.organization.id, consultantId: held.consultant.id, fee: held.fee!, code: held.code });
      return await this.em.fork().transactional(async (em) => {
        const row = await em.findOneOrFail(Consultation, held.id, LOCKED);
        row.stripePaymentIntentId = intent.id;
        row.feeClientSecret = intent.client_secret;
        return row;
      });
    } catch (error) {
      await this.em.fork().transactional(async (em) => {
        const row = await em.findOneOrFail(Consultation, held.id, LOCKED);
        if (row.status !== ConsultationStatus.PENDING_PAYMENT) return;
        row.status = ConsultationStatus.EXPIRED;
        recordChange(em, row, { event: ConsultationEventKind.EXPIRED, from: ConsultationStatus.PENDING_PAYMENT, actorRole: 'SYSTEM', actorId: null, reason: 'The fee payment could not be started', at: now });
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
    const c = (await em.findOne(Consultation, { stripePaymentIntentId: intent.id }, LOCKED)) ?? (ourId && /^[0-9a-f-]{36}$/i.test(ourId) ? await em.findOne(Consultation, ourId, LOCKED) : null);
    if (!c) return null;
    c.stripePaymentIntentId ??= intent.id;
    if (c.status === ConsultationStatus.PENDING_PAYMENT) {
      const step = transition(c.status, 'PAY', { actor: 'SYSTEM', now, start: c.startAt, end: c.endAt });
      if (!step.ok) return 'IGNORED';
      c.status = step.next;
      c.holdExpiresAt = null;
      c.feeClientSecret = null;
      recordChange(em, c, { event: ConsultationEventKind.PAID, from: ConsultationStatus.PENDING_PAYMENT, actorRole: 'SYSTEM', actorId: null, at: now });
      await em.flush();
      await recordFeePaid(em, this.events, { consultationId: c.id, organizationId: c.organization.id, consultantId: c.consultant.id, code: c.code, fee: c.fee!, paymentIntentId: intent.id, at: now }, { payments: this.services?.payments ?? null, seller: this.services?.config?.seller ?? null });
      await publishChange(this.events, em, 'PAID', c, null, now);
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

  /**
   * Turns every PENDING_PAYMENT hold whose time to pay has passed into EXPIRED, with its history
   * entry and event (the sweeper job; bookings do it for the holds in their way).
   */
  async expireLapsedHolds(now = new Date()): Promise<number> {
    return this.em.transactional((em) => this.expireHolds(em, now));
  }

  /**
   * Lapsed holds (of one consultant around a time, or all) become EXPIRED, in `em`'s transaction.
   * `around` is asked for only once the booking's read flagged a lapsed hold there (busyPeriods).
   */
  async expireHolds(em: EntityManager, now: Date, around?: { consultantId: string; at: Date }): Promise<number> {
    const where: Record<string, unknown> = { status: ConsultationStatus.PENDING_PAYMENT, holdExpiresAt: { $lte: now } };
    if (around) Object.assign(where, { consultant: around.consultantId, ...lapsedHoldWindow(around.at) });
    const lapsed = await em.find(Consultation, where, { ...LOCKED, orderBy: { id: 'asc' } });
    for (const c of lapsed) {
      const step = transition(c.status, 'EXPIRE', { actor: 'SYSTEM', now, start: c.startAt, end: c.endAt });
      if (!step.ok) continue;
      c.status = step.next;
      recordChange(em, c, { event: ConsultationEventKind.EXPIRED, from: ConsultationStatus.PENDING_PAYMENT, actorRole: 'SYSTEM', actorId: null, reason: 'The booking fee was not paid in time', at: now });
    }
    await em.flush();
    for (const c of lapsed) await publishChange(this.events, em, 'EXPIRED', c, null, now);
    return lapsed.length;
  }
}
