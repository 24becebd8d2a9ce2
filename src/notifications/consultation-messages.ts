import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsultationChange, ConsultationPeople, DomainEventHandler } from '../platform/events.js';
import { query } from '../platform/sql.js';
import { consultationFacts, consultationNow, insertConsultationMessages, type ConsultationFactsRow, type ConsultationNowRow } from './consultation-messages.sql.js';
import type { NotificationDelivery } from './delivery.entity.js';
import { DeliveryChannel, RecipientSide, SubjectType } from './notification.enums.js';
import { enqueue, withdraw, type OutboxMessage } from './outbox.js';
import { consultationRelevant, decideMessages, type Audience, type ConsultationFacts, type PlannedMessage } from './timing.js';

/** The changes whose rules need more than the event says (the history entry, the reschedule request). */
const READS_FACTS = new Set<ConsultationChange['kind']>(['RESCHEDULED', 'RESCHEDULE_REQUESTED', 'CANCELLED']);

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/** What the rules need: the event's own facts where they suffice (a booking reads nothing), else one read. */
async function factsOf(em: EntityManager, change: ConsultationChange): Promise<ConsultationFacts | null> {
  if (!READS_FACTS.has(change.kind) && change.start && change.end) return { status: change.status, start: change.start, end: change.end };
  const [row] = await query<ConsultationFactsRow>(em, consultationFacts(change.consultationId, change.kind));
  if (!row) return null;
  const from = row.details?.from ?? null;
  return {
    status: row.status,
    start: asDate(row.start_at),
    end: asDate(row.end_at),
    fromStatus: row.from_status,
    previous: from?.start && from.end ? { start: new Date(from.start), end: new Date(from.end) } : null,
    rescheduleCount: row.reschedule_count,
    rescheduleRequest: row.reschedule_request ? { suggestedStarts: row.reschedule_request.suggestedStarts, reason: row.reschedule_request.reason ?? null } : null,
    cancellation: change.kind === 'CANCELLED' ? row.details : null,
  };
}

/**
 * consultation.changed → the outbox (I11, I13): in the change's own transaction, the messages
 * timing.ts decides are withdrawn and written — nothing is sent or scheduled outside the
 * database; the dispatchers wake at commit. Cheap on purpose (it runs inside every booking): a
 * booking adds one statement (the write); other changes read the consultation once.
 */
export const consultationMessages: DomainEventHandler<'consultation.changed'> = async (change, em) => {
  const facts = await factsOf(em, change);
  if (!facts) return;
  const decision = decideMessages(change.kind, facts, change.at);
  const subject = { type: SubjectType.CONSULTATION, id: change.consultationId };
  for (const w of decision.withdraw) await withdraw(em, subject, { ...w, at: change.at });
  if (!decision.enqueue.length) return;
  // The people at hand and no attendee to look up (a credit booking): outbox.ts's plain insert,
  // the cheapest statement; otherwise one statement that finds them.
  if (change.people && change.people.attendeeEmails.length === 0) await enqueue(em, outboxMessages(change, change.people, decision.enqueue), change.at);
  else await query(em, insertConsultationMessages(change.consultationId, decision.enqueue, change.at));
};

/** The planned messages for known people (no attendees): insertConsultationMessages's rows, built here. */
function outboxMessages(change: ConsultationChange, people: ConsultationPeople, plan: readonly PlannedMessage[]): OutboxMessage[] {
  const clientSide = people.bookedById === people.clientId ? [people.clientId] : [people.clientId, people.bookedById];
  const audiences: Record<Audience, Array<{ userId: string; side: RecipientSide }>> = {
    CLIENT: clientSide.map((userId) => ({ userId, side: RecipientSide.CLIENT })),
    MEMBER: [{ userId: people.clientId, side: RecipientSide.CLIENT }],
    BOOKER: [{ userId: people.bookedById, side: RecipientSide.CLIENT }],
    ATTENDEES: [],
    CONSULTANT: [{ userId: people.consultantUserId, side: RecipientSide.CONSULTANT }],
  };
  return plan.flatMap((m) =>
    audiences[m.audience].flatMap(({ userId, side }) =>
      [DeliveryChannel.EMAIL, DeliveryChannel.IN_APP].map((channel) => ({
        subject: { type: SubjectType.CONSULTATION, id: change.consultationId },
        kind: m.kind,
        channel,
        side,
        recipient: { userId },
        dueAt: m.dueAt,
        occurrence: m.occurrence,
        organizationId: change.organizationId,
        payload: m.payload,
      })),
    ),
  );
}

/**
 * The dispatcher's `relevant` hook: whether a delivery that fell due still makes sense at `now`
 * (timing.ts's consultationRelevant, on one read of the consultation). Not a consultation's
 * message: yes (relevance.ts routes by subject type).
 */
export async function consultationMessageRelevant(em: EntityManager, delivery: Pick<NotificationDelivery, 'subjectType' | 'subjectId' | 'kind' | 'occurrence'>, now: Date): Promise<boolean> {
  if (delivery.subjectType !== SubjectType.CONSULTATION) return true;
  const [row] = await query<ConsultationNowRow>(em, consultationNow(delivery.subjectId));
  const state = row ? { status: row.status, start: asDate(row.start_at), feedbackGiven: row.feedback_given, rescheduleRequested: row.reschedule_requested } : null;
  return consultationRelevant(delivery, state, now);
}
