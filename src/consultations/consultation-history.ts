import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsultationChangeKind, ConsultationPeople, DomainEvents } from '../platform/events.js';
import type { ConsultationEventKind, ConsultationStatus } from './consultation.enums.js';
import { Consultation, ConsultationStatusChange } from './consultation.entity.js';
import type { LifecycleActor } from './lifecycle.js';

/** What a consultation.changed event says of the consultation (a stored row, or what was just written). */
export interface ChangedConsultation {
  id: string;
  organizationId: string;
  consultantId: string;
  status: ConsultationStatus;
  start: Date;
  end: Date;
  people?: ConsultationPeople;
}

/**
 * What every change leaves behind, in its transaction: a history entry (recordChange; a booking
 * writes its BOOKED entry in its own statement) and a consultation.changed event (publishChange),
 * whose handlers run in the same transaction.
 */
export function recordChange(
  em: EntityManager,
  c: Consultation,
  change: { event: ConsultationEventKind; from: ConsultationStatus | null; actorRole: LifecycleActor; actorId: string | null; reason?: string | null; details?: Record<string, unknown> | null; at: Date },
): void {
  em.create(ConsultationStatusChange, {
    consultation: c,
    organization: c.organization,
    event: change.event,
    fromStatus: change.from,
    toStatus: c.status,
    actor: change.actorId,
    actorRole: change.actorRole,
    reason: change.reason ?? null,
    details: change.details ?? null,
    at: change.at,
  });
}

export async function publishChange(
  events: DomainEvents,
  em: EntityManager,
  kind: ConsultationChangeKind,
  c: Consultation | ChangedConsultation,
  actorId: string | null,
  at: Date,
  previousStart?: Date,
): Promise<void> {
  const changed = c instanceof Consultation ? { id: c.id, organizationId: c.organization.id, consultantId: c.consultant.id, status: c.status, start: c.startAt, end: c.endAt } : c;
  await events.emit(
    'consultation.changed',
    { kind, consultationId: changed.id, organizationId: changed.organizationId, consultantId: changed.consultantId, status: changed.status, actorId, at, start: changed.start, end: changed.end, ...('people' in changed && changed.people ? { people: changed.people } : {}), ...(previousStart ? { previousStart } : {}) },
    em,
  );
}
