import type { EntityManager } from '@mikro-orm/postgresql';
import { Consultation } from '../consultations/consultation.entity.js';
import type { MailCalendarEvent } from '../platform/mailer.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { invitationCalendar, invitationMethod, type CalendarSession, type InvitationMethod } from './consultation-event.js';

/**
 * The meeting's link: the meetings work (issue 17) stores it on the consultation as `meetingUrl`;
 * until then there is none and invitations name the provider instead.
 */
function storedMeetingUrl(c: Consultation): string | null {
  const link = (c as Consultation & { meetingUrl?: string | null }).meetingUrl;
  return typeof link === 'string' ? link : null;
}

/** The calendar's view of a loaded consultation (client, booker, consultant.user and organization populated). */
export function calendarSession(c: Consultation): CalendarSession {
  const clientSide = [c.client, c.bookedBy].filter((u, i, all) => all.findIndex((v) => v.id === u.id) === i);
  return {
    id: c.id,
    code: c.code,
    purpose: c.purpose,
    start: c.startAt,
    end: c.endAt,
    status: c.status,
    sequence: c.calendarSequence,
    updatedAt: c.updatedAt,
    consultant: { name: c.consultant.user.displayName, email: c.consultant.user.email },
    clientSide: clientSide.map((u) => ({ name: u.displayName, email: u.email })),
    attendees: c.attendees.map((a) => ({ name: a.name, email: a.email })),
    organizationName: c.organization.name,
    meetingProvider: c.meetingProvider,
    meetingUrl: storedMeetingUrl(c),
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
  return { method: chosen, content: invitationCalendar(calendarSession(c), chosen, { publicUrl: options.publicUrl, stamp: options.now ?? new Date() }), filename: 'invite.ics' };
}
