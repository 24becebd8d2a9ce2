import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Consultation } from '../consultations/consultation.entity.js';
import type { RequestContext } from '../platform/context.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { Meeting as MeetingRow } from './meeting.entity.js';
import { MeetingStatus } from './meeting.enums.js';
import { Meeting } from './meeting.types.js';

/**
 * The meeting rows of every consultation a response level shows (a page of the dashboard's
 * week, say), in one read, as ConsultationDetails batches the other detail fields. One loader
 * per request (its EntityManager). Across tenants: MikroORM would apply the consultation's
 * tenant filter through the relation, hiding the row from the consultant (no organization);
 * each consultation was already checked against the caller.
 */
const meetingLoaders = new WeakMap<EntityManager, DataLoader<string, MeetingRow | null>>();
function meetingOf(em: EntityManager, consultationId: string): Promise<MeetingRow | null> {
  let loader = meetingLoaders.get(em);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = await em.find(MeetingRow, { consultation: { $in: [...ids] } }, ACROSS_TENANTS);
      const byConsultation = new Map(rows.map((row) => [row.consultation.id, row]));
      return ids.map((id) => byConsultation.get(id) ?? null);
    });
    meetingLoaders.set(em, loader);
  }
  return loader.load(consultationId);
}

/** `Consultation.meeting`, from the meeting table; the consultation itself was already checked against the caller. */
@Resolver(() => Consultation)
export class ConsultationMeetingResolver {
  @FieldResolver(() => Meeting)
  async meeting(@Root() c: Consultation, @Ctx() ctx: RequestContext): Promise<Meeting> {
    const row = await meetingOf(ctx.em, c.id);
    const hostSide = ctx.caller?.role === 'CONSULTANT' || ctx.caller?.role === 'ADMIN';
    // A session that ended before meetings existed has no row: nothing to join, nothing pending.
    if (!row) return { provider: c.meetingProvider, status: MeetingStatus.DELETED, joinUrl: null, passcode: null, dialIn: null, hostUrl: null, recordingUrl: null, startedAt: null, endedAt: null };
    return {
      provider: c.meetingProvider,
      status: row.status,
      joinUrl: row.joinUrl,
      passcode: row.passcode,
      dialIn: row.dialIn,
      hostUrl: hostSide ? row.hostUrl : null,
      recordingUrl: row.recordingUrl,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
    };
  }
}
