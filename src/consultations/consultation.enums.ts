import { registerEnumType } from 'type-graphql';
import { TIME_HOLDING_STATUSES } from '../scheduling/availability.sql.js';

export const ConsultationStatus = {
  /** A booking-fee hold waiting for payment (payments work); holds the time until it lapses. */
  PENDING_PAYMENT: 'PENDING_PAYMENT',
  SCHEDULED: 'SCHEDULED',
  CONFIRMED: 'CONFIRMED',
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
  NO_SHOW: 'NO_SHOW',
  /** A PENDING_PAYMENT hold that lapsed unpaid. */
  EXPIRED: 'EXPIRED',
} as const;
export type ConsultationStatus = (typeof ConsultationStatus)[keyof typeof ConsultationStatus];
registerEnumType(ConsultationStatus, { name: 'ConsultationStatus' });

/** The statuses that hold the consultant's time (invariant I1: the exclusion constraint's WHERE): scheduling's list. */
export const HOLDING_STATUSES: readonly ConsultationStatus[] = TIME_HOLDING_STATUSES satisfies readonly ConsultationStatus[];

/** The statuses of a session that took (or will take) place: the "earlier sessions" auto-assignment counts. */
export const SESSION_STATUSES: readonly ConsultationStatus[] = [ConsultationStatus.SCHEDULED, ConsultationStatus.CONFIRMED, ConsultationStatus.IN_PROGRESS, ConsultationStatus.COMPLETED];

// Lives with the consultant's profile (which lists the providers offered); re-exported for the consultation's field.
export { MeetingProvider } from '../identity/meeting-providers.js';

export const NoShowParty = { CLIENT: 'CLIENT', CONSULTANT: 'CONSULTANT' } as const;
export type NoShowParty = (typeof NoShowParty)[keyof typeof NoShowParty];
registerEnumType(NoShowParty, { name: 'NoShowParty', description: 'Who did not come: a client no-show consumes the credit, a consultant no-show releases it.' });

/** What happened to the credits a consultation holds. */
export const CreditState = { HELD: 'HELD', CONSUMED: 'CONSUMED', RELEASED: 'RELEASED' } as const;
export type CreditState = (typeof CreditState)[keyof typeof CreditState];
registerEnumType(CreditState, { name: 'CreditState' });

/** What a status-history entry records. */
export const ConsultationEventKind = {
  BOOKED: 'BOOKED',
  /** A booking-fee hold was paid: PENDING_PAYMENT → SCHEDULED. */
  PAID: 'PAID',
  CONFIRMED: 'CONFIRMED',
  RESCHEDULED: 'RESCHEDULED',
  RESCHEDULE_REQUESTED: 'RESCHEDULE_REQUESTED',
  CANCELLED: 'CANCELLED',
  STARTED: 'STARTED',
  COMPLETED: 'COMPLETED',
  NO_SHOW: 'NO_SHOW',
  EXPIRED: 'EXPIRED',
} as const;
export type ConsultationEventKind = (typeof ConsultationEventKind)[keyof typeof ConsultationEventKind];
registerEnumType(ConsultationEventKind, { name: 'ConsultationEventKind' });

export const DeliverableStatus = { PENDING: 'PENDING', IN_PROGRESS: 'IN_PROGRESS', DELIVERED: 'DELIVERED' } as const;
export type DeliverableStatus = (typeof DeliverableStatus)[keyof typeof DeliverableStatus];
registerEnumType(DeliverableStatus, { name: 'DeliverableStatus' });

export const ActionItemPriority = { LOW: 'LOW', MEDIUM: 'MEDIUM', HIGH: 'HIGH' } as const;
export type ActionItemPriority = (typeof ActionItemPriority)[keyof typeof ActionItemPriority];
registerEnumType(ActionItemPriority, { name: 'ActionItemPriority' });

export const ActionItemStatus = { OPEN: 'OPEN', IN_PROGRESS: 'IN_PROGRESS', DONE: 'DONE' } as const;
export type ActionItemStatus = (typeof ActionItemStatus)[keyof typeof ActionItemStatus];
registerEnumType(ActionItemStatus, { name: 'ActionItemStatus' });

/** How a consultation is paid: credits of the organization, or a single booking fee through Stripe. */
export const PaymentMethod = { CREDITS: 'CREDITS', BOOKING_FEE: 'BOOKING_FEE' } as const;
export type PaymentMethod = (typeof PaymentMethod)[keyof typeof PaymentMethod];
registerEnumType(PaymentMethod, { name: 'PaymentMethod' });
