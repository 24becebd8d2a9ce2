import type { EntityManager } from '@mikro-orm/postgresql';
import { Consultation } from '../consultations/consultation.entity.js';
import type { MailCalendarEvent } from '../platform/mailer.js';
import { meetingLinkOf, type MeetingLink } from '../meetings/index.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { invitationCalendar, invitationMethod, type CalendarSession, type InvitationMethod } from './consultation-event.js';

/**
 * The calendar's view of a loaded consultation (client, booker, consultant.user and organization
 * populated) and its meeting: the link once there is one to use, and a SEQUENCE that rises with
 * each new link as well as with each change of the session (both only ever rise).
 */
export function calendarSession(c: Consultation, meeting: MeetingLink | null): CalendarSession {
  const clientSide = [c.client, c.bookedBy].filter((u, i, all) => all.findIndex((v) => v.id === u.id) === i);
  return {
    id: c.id,
    code: c.code,
    purpose: c.purpose,
    start: c.startAt,
    end: c.endAt,
    status: c.status,
    sequence: c.calendarSequence + (meeting?.linkSequence ?? 0),
    updatedAt: meeting?.linkChangedAt && meeting.linkChangedAt > c.updatedAt ? meeting.linkChangedAt : c.updatedAt,
    consultant: { name: c.consultant.user.displayName, email: c.consultant.user.email },
    clientSide: clientSide.map((u) => ({ name: u.displayName, email: u.email })),
    attendees: c.attendees.map((a) => ({ name: a.name, email: a.email })),
    organizationName: c.organization.name,
    meetingProvider: c.meetingProvider,
    meetingUrl: meeting?.joinUrl ?? null,
    meetingPasscode: meeting?.passcode ?? null,
    meetingDialIn: meeting?.dialIn ?? null,
  };
}

/**
 * The invitation an email about a consultation carries: REQUEST or CANCEL (invitationMethod may
 * turn a late REQUEST into CANCEL), as the mailer's calendar part. Null when the consultation is
 * gone. Read across tenants: deliveries are jobs, like the rest of compose.
 */
export async function consultationInvitation(em: EntityManager, consultationId: string, method: InvitationMethod, options: { publicUrl: string; now?: Date }): Promise<MailCalendarEvent | null> {
  const c = await em.findOne(Consultation, { id: consultationId }, { ...ACROSS_TENANTS, populate: ['client', 'bookedBy', 'consultant.user', 'organization'] });
  if (!c) return null;
  const chosen = invitationMethod(method, c.status);
  return { method: chosen, content: invitationCalendar(calendarSession(c, await meetingLinkOf(em, c.id)), chosen, { publicUrl: options.publicUrl, stamp: options.now ?? new Date() }), filename: 'invite.ics' };
}
