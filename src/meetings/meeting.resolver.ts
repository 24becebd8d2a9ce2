import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Consultation } from '../consultations/consultation.entity.js';
import type { RequestContext } from '../platform/context.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { Meeting as MeetingRow } from './meeting.entity.js';
import { MeetingStatus } from './meeting.enums.js';
import { Meeting } from './meeting.types.js';

/** `Consultation.meeting`, from the meeting table; the consultation itself was already checked against the caller. */
@Resolver(() => Consultation)
export class ConsultationMeetingResolver {
  @FieldResolver(() => Meeting)
  async meeting(@Root() c: Consultation, @Ctx() ctx: RequestContext): Promise<Meeting> {
    // Across tenants: MikroORM would apply the consultation's tenant filter through the relation,
    // hiding the row from the consultant (no organization); the consultation was already checked.
    const row = await ctx.em.findOne(MeetingRow, { consultation: c.id }, ACROSS_TENANTS);
    const hostSide = ctx.caller?.role === 'CONSULTANT' || ctx.caller?.role === 'ADMIN';
    // A session that ended before meetings existed has no row: nothing to join, nothing pending.
    if (!row) return { provider: c.meetingProvider, status: MeetingStatus.DELETED, joinUrl: null, passcode: null, dialIn: null, hostUrl: null, recordingUrl: null };
    return {
      provider: c.meetingProvider,
      status: row.status,
      joinUrl: row.joinUrl,
      passcode: row.passcode,
      dialIn: row.dialIn,
      hostUrl: hostSide ? row.hostUrl : null,
      recordingUrl: row.recordingUrl,
    };
  }
}
