import type { EntityManager } from '@mikro-orm/postgresql';

/** Domain events other modules react to; payloads carry ids, not entities. */
export interface DomainEventMap {
  /** A client's email was verified (registration or invitation): the credits work grants the free trial. */
  'client.verified': { userId: string; organizationId: string };
  /** Every change of a consultation's lifecycle (notifications, meetings and live status subscribe). */
  'consultation.changed': ConsultationChange;
  /** A subscription renews within 7 days (the notification work tells the organization). */
  'subscription.renewal-upcoming': { subscriptionId: string; organizationId: string; renewsAt: Date };
  /** An in-app notification was created for a user (live status pushes it); `kind` is a notifications MessageKind. */
  'notification.created': { notificationId: string; userId: string; kind: string; at: Date };
  /** Credits moved in one of an organization's lots (any ledger entry): the credit messages and the live balance follow it. */
  'credits.changed': CreditsChange;
  /** An invoice was issued for a payment that went through (a purchase, a subscription period, a booking fee). */
  'invoice.issued': { invoiceId: string; organizationId: string; purchaseId: string | null; subscriptionId: string | null; at: Date };
  /** A purchase was refunded (its unused credits revoked); once per purchase. */
  'purchase.refunded': { purchaseId: string; organizationId: string; at: Date };
  /** A subscription's renewal payment failed (Stripe says PAST_DUE or worse); `stripeInvoiceId` names the attempt's invoice. */
  'subscription.payment-failed': { subscriptionId: string; organizationId: string; status: string; stripeInvoiceId: string | null; at: Date };
  /** A consultation's meeting was made, moved or given up on by its provider (after the booking committed): messages carry the link, the consultant hears of a failure. */
  'meeting.changed': MeetingChange;
}

export interface MeetingChange {
  consultationId: string;
  /** The provider (JITSI, PHONE, ZOOM, TEAMS, GOOGLE_MEET). */
  provider: string;
  /** READY: made or moved (the link works); FAILED: the provider kept failing; DELETED: removed after a cancellation. */
  status: 'READY' | 'FAILED' | 'DELETED';
  /** READY only: whether the join URL differs from the one before (a first link, or a new one after a reschedule). */
  joinUrlChanged: boolean;
  /** FAILED only: the provider's last error. */
  error: string | null;
  at: Date;
}

/** One ledger entry's movement, as credits.changed reports it. */
export interface CreditMovement {
  lotId: string;
  /** The ledger entry type: GRANT, RESERVE, RELEASE, CONSUME, EXPIRE, REVOKE or ADJUST. */
  type: string;
  /** Sessions or minutes, as the entry counts them (ADJUST signed). */
  units: number;
  /** The lot's kind (SESSION, TIME), source (PURCHASE, FREE_TRIAL …) and expiry: handlers decide on them without reading the lot. */
  kind: string;
  source: string;
  expiresAt: Date;
}

/** Credits free to book with in the organization's unexpired lots: sessions (SESSION lots) and minutes (TIME lots). */
export interface CreditBalance {
  sessions: number;
  minutes: number;
}

export interface CreditsChange {
  organizationId: string;
  movements: CreditMovement[];
  /** The consultation the movements are for, when they are a booking's. */
  consultationId: string | null;
  /** Null: the system. */
  actorId: string | null;
  at: Date;
  /**
   * The balance after the movements, at `at`, when the emitter had every lot at hand (a
   * reservation reads them all under their lock); absent otherwise: a handler that needs it reads it.
   */
  balance?: CreditBalance;
}

export type ConsultationChangeKind = 'BOOKED' | 'PAID' | 'CONFIRMED' | 'RESCHEDULED' | 'RESCHEDULE_REQUESTED' | 'CANCELLED' | 'STARTED' | 'COMPLETED' | 'NO_SHOW' | 'EXPIRED' | 'ATTENDEES_ADDED';

export interface ConsultationChange {
  kind: ConsultationChangeKind;
  consultationId: string;
  organizationId: string;
  consultantId: string;
  status: string;
  /** Null: the system. */
  actorId: string | null;
  at: Date;
  /** The session's time after the change (publishChange always says it: a handler need not read it back). */
  start?: Date;
  end?: Date;
  /** A reschedule's start before the move. */
  previousStart?: Date;
  /** Who the consultation concerns, when the emitter has it at hand (a credit booking): the notifications need not read it back. */
  people?: ConsultationPeople;
}

export interface ConsultationPeople {
  clientId: string;
  bookedById: string;
  /** The consultant's user. */
  consultantUserId: string;
  attendeeEmails: string[];
}

/** `events`: the emitter's, for a handler whose own writes emit events in turn (a free-trial grant's credits.changed). */
export type DomainEventHandler<K extends keyof DomainEventMap> = (payload: DomainEventMap[K], em: EntityManager, events: DomainEvents) => Promise<void>;

export type DomainEventHandlers = { [K in keyof DomainEventMap]?: ReadonlyArray<DomainEventHandler<K>> };

/**
 * Handlers run in the emitter's transaction, in order: what they write commits or rolls back
 * with the change that caused the event (verification and its free-trial grant are one unit).
 */
export class DomainEvents {
  constructor(private readonly handlers: DomainEventHandlers) {}

  async emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K], em: EntityManager): Promise<void> {
    const handlers = (this.handlers[name] ?? []);
    for (const handler of handlers) await handler(payload, em, this);
  }
}

/**
 * Several modules' handlers as one set: for each event, every set's handlers in the order of
 * the sets (a later module's handlers run after, never instead of, an earlier one's).
 */
export function mergeEventHandlers(sets: readonly DomainEventHandlers[]): DomainEventHandlers {
  const merged: { [K in keyof DomainEventMap]?: Array<DomainEventHandler<K>> } = {};
  const append = <K extends keyof DomainEventMap>(set: DomainEventHandlers, name: K) => {
    const handlers: ReadonlyArray<DomainEventHandler<K>> = set[name] ?? [];
    merged[name] = [...(merged[name] ?? []), ...handlers] as (typeof merged)[K];
  };
  for (const set of sets) for (const name of Object.keys(set) as Array<keyof DomainEventMap>) append(set, name);
  return merged;
}
