import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Field, ID, ObjectType, registerEnumType, Resolver, Root, Subscription } from 'type-graphql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { requireCaller } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { errors } from '../platform/errors.js';
import type { ConsultationChange, ConsultationChangeKind, DomainEventHandler } from '../platform/events.js';
import { requireUuid } from '../platform/ids.js';
import { liveMap, oncePerMessage, publish, renewForEvent } from '../platform/live.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { accessConsultation, actorOf } from './consultation-access.js';
import { Consultation } from './consultation.entity.js';
import { ConsultationEventKind } from './consultation.enums.js';

/**
 * Live status of consultations: every change is published (ids only) inside the changing
 * transaction and reaches each instance on commit; there the consultation is reloaded once per
 * message and authorized per subscriber, event by event.
 */
const TOPIC = 'consultation.changed';

/** What travels between instances: ids and the few values the event itself carries. */
interface ConsultationMessage {
  consultationId: string;
  consultantId: string;
  organizationId: string;
  kind: ConsultationChangeKind;
  at: string;
  previousStart: string | null;
}

export const publishConsultationChange: DomainEventHandler<'consultation.changed'> = async (change: ConsultationChange, em: EntityManager) => {
  const message: ConsultationMessage = {
    consultationId: change.consultationId,
    consultantId: change.consultantId,
    organizationId: change.organizationId,
    kind: change.kind,
    at: change.at.toISOString(),
    previousStart: change.previousStart?.toISOString() ?? null,
  };
  await publish(em, TOPIC, message);
};

// The history's kinds and the one change that writes no history entry: every ConsultationChangeKind, once.
const CHANGE_KINDS = { ...ConsultationEventKind, ATTENDEES_ADDED: 'ATTENDEES_ADDED' } as const satisfies { [K in ConsultationChangeKind]: K };
registerEnumType(CHANGE_KINDS, { name: 'ConsultationChangeKind', description: 'What happened to a consultation (a PENDING_PAYMENT hold is BOOKED: it blocks time too).' });

@ObjectType({ description: 'A change of a consultant’s time.' })
export class ScheduleEvent {
  @Field(() => CHANGE_KINDS)
  kind!: ConsultationChangeKind;

  @Field(() => Consultation)
  consultation!: Consultation;

  @Field(() => Date)
  at!: Date;

  @Field(() => Date, { nullable: true, description: 'For a reschedule: where the session started before.' })
  previousStart!: Date | null;
}

/**
 * The consultation a message names as it is now, read once per message on this instance (both
 * subscriptions share the read); each subscriber then checks it in memory (actorOf).
 */
const changed = oncePerMessage(TOPIC, (m: ConsultationMessage, em) => em.findOne(Consultation, m.consultationId, ACROSS_TENANTS));

async function consultationUpdates(ctx: RequestContext, id: string | null) {
  const caller = requireCaller(ctx);
  // One consultation: it must be the caller's now (NOT_FOUND otherwise, as the query says).
  if (id) await accessConsultation(ctx.em, caller, id, false);
  // On the ids first (no reads): what could be the caller's; the reload then decides.
  const ownProfile = caller.role === 'CONSULTANT' ? ((await ctx.em.findOne(ConsultantProfile, { user: caller.userId }))?.id ?? null) : null;
  const couldBeMine = (m: ConsultationMessage) =>
    id ? m.consultationId === id : caller.role === 'ADMIN' || (caller.role === 'CONSULTANT' ? m.consultantId === ownProfile : m.organizationId === caller.organizationId);
  // Kept for the subscription's life, without the checks' rows: the message's one load forks from it.
  const em = ctx.em;
  em.clear();
  return liveMap(ctx.services.live.subscribe<ConsultationMessage>(TOPIC, couldBeMine), async (m) => {
    const consultation = await changed(m, em);
    // The same rule as the query's (accessConsultation): not theirs, nothing is sent.
    if (!consultation || !actorOf(caller, ownProfile, consultation)) return undefined;
    renewForEvent(ctx);
    return consultation;
  });
}

async function scheduleUpdates(ctx: RequestContext, consultantId: string) {
  const caller = requireCaller(ctx);
  const profileId = requireUuid(consultantId, 'Consultant');
  if (caller.role !== 'ADMIN') {
    const own = caller.role === 'CONSULTANT' ? await ctx.em.findOne(ConsultantProfile, { user: caller.userId }) : null;
    if (own?.id !== profileId) throw errors.forbidden('Only the consultant themselves (or an admin) may follow a consultant’s schedule.');
  }
  const em = ctx.em;
  em.clear();
  return liveMap(ctx.services.live.subscribe<ConsultationMessage>(TOPIC, (m) => m.consultantId === profileId), async (m): Promise<ScheduleEvent | undefined> => {
    const consultation = await changed(m, em);
    if (consultation?.consultant.id !== profileId) return undefined;
    renewForEvent(ctx);
    return { kind: m.kind, consultation, at: new Date(m.at), previousStart: m.previousStart ? new Date(m.previousStart) : null };
  });
}

@Resolver()
export class ConsultationLiveResolver {
  @Subscription(() => Consultation, {
    description: 'A consultation each time it changes: the one named, or every one the caller may see.',
    subscribe: ({ args, context }) => consultationUpdates(context as RequestContext, (args as { id?: string | null }).id ?? null),
  })
  consultationUpdated(@Root() consultation: Consultation, @Arg('id', () => ID, { nullable: true }) _id: string | null): Consultation {
    return consultation;
  }

  @Subscription(() => ScheduleEvent, {
    description: 'Each change of a consultant’s time (their own, or any for admins).',
    subscribe: ({ args, context }) => scheduleUpdates(context as RequestContext, (args as { consultantId: string }).consultantId),
  })
  consultantSchedule(@Root() event: ScheduleEvent, @Arg('consultantId', () => ID) _consultantId: string): ScheduleEvent {
    return event;
  }
}
