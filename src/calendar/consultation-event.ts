/**
 * A consultation as an iCalendar event (RFC 5545, with ical-generator): pure, from the facts of
 * one session. The same event goes to everyone in it — one UID per consultation, its SEQUENCE
 * the consultation's calendar sequence (a trigger raises it on every change a calendar shows),
 * times as UTC instants, the consultant as ORGANIZER, the client side and the attendees as
 * ATTENDEEs. Emails carry it as REQUEST (booked, moved) or CANCEL (cancelled, lapsed hold); the
 * feed as PUBLISH.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { meetingProviderName } from '../identity/meeting-providers.js';
import { httpLink } from '../platform/links.js';

export interface Person {
  name: string;
  email: string;
}

export interface CalendarSession {
  id: string;
  code: string;
  purpose: string;
  start: Date;
  end: Date;
  status: string;
  /** The consultation's calendar sequence: only ever rises. */
  sequence: number;
  /** When it last changed (the feed's DTSTAMP, so an unchanged feed is byte for byte the same). */
  updatedAt: Date;
  consultant: Person;
  /** The member it is for and, when someone else booked it, the booker. */
  clientSide: Person[];
  attendees: Person[];
  organizationName: string;
  /** e.g. 'ZOOM'. */
  meetingProvider: string;
  /** The meeting's link once there is one to use: https:, or tel: for a phone call. */
  meetingUrl: string | null;
  meetingPasscode?: string | null;
  meetingDialIn?: string | null;
}

export type InvitationMethod = 'REQUEST' | 'CANCEL';

/** Statuses in which the session no longer takes place: any invitation for it is a withdrawal. */
const CALLED_OFF: readonly string[] = ['CANCELLED', 'EXPIRED'];

/**
 * The method an email's invitation has: the message's, except that a REQUEST for a session
 * called off since (a confirmation sent late) withdraws it instead — it must never put a
 * cancelled session back into a calendar.
 */
export function invitationMethod(wanted: InvitationMethod, status: string): InvitationMethod {
  return CALLED_OFF.includes(status) ? 'CANCEL' : wanted;
}

/** The UID: the consultation's, the same in every message and feed. */
export const eventUid = (consultationId: string): string => `${consultationId}@serenity.consultations`;

function newCalendar(method: ICalCalendarMethod, name?: string): ICalCalendar {
  return ical({ prodId: { company: 'Serenity', product: 'Consultations', language: 'EN' }, method, ...(name ? { name } : {}) });
}

function addSession(calendar: ICalCalendar, s: CalendarSession, options: { publicUrl: string; stamp: Date; cancelled: boolean }): void {
  const page = `${options.publicUrl.replace(/\/+$/, '')}/consultations/${s.id}`;
  const link = httpLink(s.meetingUrl);
  const phone = !link && s.meetingUrl?.startsWith('tel:') ? s.meetingUrl : null;
  const provider = meetingProviderName(s.meetingProvider);
  const clientNames = s.clientSide.map((p) => p.name).join(', ');
  const number = phone ? (s.meetingDialIn ?? phone.slice('tel:'.length)) : null;
  const description = [
    `Consultation ${s.code} with ${s.consultant.name} for ${clientNames} (${s.organizationName}).`,
    `Purpose: ${s.purpose}`,
    link ? `Join (${provider}): ${link}` : number ? `Call ${number}` : `Meeting: ${provider} (the link follows).`,
    ...(link && s.meetingPasscode ? [`Passcode: ${s.meetingPasscode}`] : []),
    ...(link && s.meetingDialIn ? [`Dial in: ${s.meetingDialIn}`] : []),
    `Details and changes: ${page}`,
  ].join('\n');
  const seen = new Set<string>([s.consultant.email.toLowerCase()]);
  const once = (p: Person) => {
    const key = p.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  calendar.createEvent({
    id: eventUid(s.id),
    sequence: s.sequence,
    stamp: options.stamp,
    // Dates without a zone: ical-generator writes them as UTC instants ("…Z").
    start: s.start,
    end: s.end,
    summary: `Serenity: ${s.purpose}`,
    description,
    status: options.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: s.consultant.name, email: s.consultant.email },
    // Replies are not read: nobody is asked for one.
    attendees: [
      ...s.clientSide.filter(once).map((p) => ({ name: p.name, email: p.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.ACCEPTED, rsvp: false })),
      ...s.attendees.filter(once).map((p) => ({ name: p.name, email: p.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION, rsvp: false })),
    ],
    // A phone call's number is where it happens: LOCATION; URL only takes a web link.
    ...(link ? { location: link, url: link } : number ? { location: `Call ${number}` } : {}),
  });
}

/** The invitation (REQUEST) or withdrawal (CANCEL, STATUS:CANCELLED) of one session, as VCALENDAR text. */
export function invitationCalendar(s: CalendarSession, method: InvitationMethod, options: { publicUrl: string; stamp: Date }): string {
  const calendar = newCalendar(method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);
  addSession(calendar, s, { ...options, cancelled: method === 'CANCEL' });
  return calendar.toString();
}

/** Subscribed calendars are asked to look again after this long (Outlook honours it; Google polls on its own). */
export const FEED_REFRESH_SECONDS = 3600;

/**
 * A feed (METHOD:PUBLISH) of sessions. DTSTAMP is each session's last change, so the text only
 * changes when a session does (the route's ETag is its hash).
 */
export function feedCalendar(sessions: readonly CalendarSession[], options: { publicUrl: string; name: string }): string {
  const calendar = newCalendar(ICalCalendarMethod.PUBLISH, options.name);
  calendar.ttl(FEED_REFRESH_SECONDS);
  for (const s of sessions) addSession(calendar, s, { publicUrl: options.publicUrl, stamp: s.updatedAt, cancelled: false });
  return calendar.toString();
}
