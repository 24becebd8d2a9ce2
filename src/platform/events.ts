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

export type DomainEventHandler<K extends keyof DomainEventMap> = (payload: DomainEventMap[K], em: EntityManager) => Promise<void>;

export type DomainEventHandlers = { [K in keyof DomainEventMap]?: ReadonlyArray<DomainEventHandler<K>> };

/**
 * Handlers run in the emitter's transaction, in order: what they write commits or rolls back
 * with the change that caused the event (verification and its free-trial grant are one unit).
 */
export class DomainEvents {
  constructor(private readonly handlers: DomainEventHandlers) {}

  async emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K], em: EntityManager): Promise<void> {
    const handlers = (this.handlers[name] ?? []);
    for (const handler of handlers) await handler(payload, em);
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
