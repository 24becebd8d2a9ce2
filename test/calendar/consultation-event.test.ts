import fc from 'fast-check';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { eventUid, feedCalendar, invitationCalendar, invitationMethod, type CalendarSession } from '../../src/calendar/consultation-event.js';
import { httpLink } from '../../src/platform/links.js';
import { notModified } from '../../src/calendar/conditional.js';

const PUBLIC_URL = 'https://app.serenity.test';

function session(overrides: Partial<CalendarSession> = {}): CalendarSession {
  return {
    id: '0b7d6a52-6a4e-4c57-9a43-7b0c6f0b4a11',
    code: 'CNS-ACME-20270328-001',
    purpose: 'Quarterly plan',
    start: new Date('2027-03-28T00:30:00Z'),
    end: new Date('2027-03-28T02:30:00Z'),
    status: 'SCHEDULED',
    sequence: 3,
    updatedAt: new Date('2027-03-01T10:00:00Z'),
    consultant: { name: 'Carla Consult', email: 'carla@serenity.test' },
    clientSide: [{ name: 'Ann Client', email: 'ann@acme.test' }],
    attendees: [{ name: 'Gus Guest', email: 'gus@acme.test' }],
    organizationName: 'Acme',
    meetingProvider: 'ZOOM',
    meetingUrl: null,
    ...overrides,
  };
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevents = calendar.getAllSubcomponents('vevent');
  return { calendar, vevents, events: vevents.map((v) => new ICAL.Event(v)) };
}

describe('a consultation as an iCalendar event', () => {
  it('across a DST change (Europe/Berlin, 28 Mar 2027) the instants stay UTC and the length stays two hours', () => {
    const s = session();
    // The clocks jump from 02:00 to 03:00 in Berlin at 01:00 UTC: 01:30 → 04:30 local, but 2 h long.
    expect(DateTime.fromJSDate(s.start, { zone: 'Europe/Berlin' }).isInDST).toBe(false);
    expect(DateTime.fromJSDate(s.end, { zone: 'Europe/Berlin' }).isInDST).toBe(true);
    const text = invitationCalendar(s, 'REQUEST', { publicUrl: PUBLIC_URL, stamp: new Date('2027-03-01T12:00:00Z') });
    expect(text).toContain('DTSTART:20270328T003000Z');
    expect(text).toContain('DTEND:20270328T023000Z');
    expect(text).not.toContain('TZID');
    const [event] = parse(text).events;
    expect(event!.startDate.zone?.tzid).toBe('UTC');
    expect(event!.endDate.toJSDate().getTime() - event!.startDate.toJSDate().getTime()).toBe(2 * 3_600_000);
    expect(event!.duration.toSeconds()).toBe(7200);
  });

  it('REQUEST: METHOD, UID, SEQUENCE, ORGANIZER (the consultant), each person once as ATTENDEE, no RSVP asked', () => {
    const s = session({ clientSide: [{ name: 'Ann Client', email: 'ann@acme.test' }, { name: 'Bob Booker', email: 'bob@acme.test' }], attendees: [{ name: 'Ann again', email: 'ANN@acme.test' }, { name: 'Gus Guest', email: 'gus@acme.test' }] });
    const { calendar, vevents, events } = parse(invitationCalendar(s, 'REQUEST', { publicUrl: PUBLIC_URL, stamp: new Date() }));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(events).toHaveLength(1);
    expect(events[0]!.uid).toBe(eventUid(s.id));
    expect(events[0]!.sequence).toBe(3);
    expect(vevents[0]!.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(String(vevents[0]!.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:carla@serenity.test');
    const attendees = vevents[0]!.getAllProperties('attendee');
    expect(attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual(['mailto:ann@acme.test', 'mailto:bob@acme.test', 'mailto:gus@acme.test']);
    for (const a of attendees) expect(a.getParameter('rsvp')).toBe('FALSE');
    // No link yet: the provider is named, no LOCATION or URL is made up.
    expect(vevents[0]!.getFirstPropertyValue('location')).toBeNull();
    expect(vevents[0]!.getFirstPropertyValue('url')).toBeNull();
    expect(String(vevents[0]!.getFirstPropertyValue('description'))).toContain('Meeting: Zoom (the link follows).');
  });

  it('a meeting link goes into LOCATION and URL; one that is not http(s) is never used', () => {
    const linked = parse(invitationCalendar(session({ meetingUrl: 'https://zoom.us/j/123456' }), 'REQUEST', { publicUrl: PUBLIC_URL, stamp: new Date() })).vevents[0]!;
    expect(linked.getFirstPropertyValue('location')).toBe('https://zoom.us/j/123456');
    expect(linked.getFirstPropertyValue('url')).toBe('https://zoom.us/j/123456');
    const unsafe = parse(invitationCalendar(session({ meetingUrl: 'javascript:alert(1)' }), 'REQUEST', { publicUrl: PUBLIC_URL, stamp: new Date() })).vevents[0]!;
    expect(unsafe.getFirstPropertyValue('location')).toBeNull();
    expect(httpLink('ftp://example.test/x')).toBeNull();
  });

  it('CANCEL: METHOD:CANCEL and STATUS:CANCELLED with the same UID', () => {
    const { calendar, vevents, events } = parse(invitationCalendar(session({ status: 'CANCELLED', sequence: 4 }), 'CANCEL', { publicUrl: PUBLIC_URL, stamp: new Date() }));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevents[0]!.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(events[0]!.uid).toBe(eventUid(session().id));
    expect(events[0]!.sequence).toBe(4);
  });

  it('a REQUEST for a session called off since is a CANCEL; otherwise the message’s method stands', () => {
    fc.assert(
      fc.property(fc.constantFrom('REQUEST' as const, 'CANCEL' as const), fc.constantFrom('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'), (wanted, status) => {
        const method = invitationMethod(wanted, status);
        expect(method).toBe(status === 'CANCELLED' || status === 'EXPIRED' ? 'CANCEL' : wanted);
      }),
    );
  });

  it('a feed is PUBLISH, one event per session, and the same text for the same sessions (its ETag is stable)', () => {
    const sessions = [session(), session({ id: '6c1f1c8e-35a5-4d3b-8d4e-1f8a4a7f2b22', start: new Date('2027-04-01T09:00:00Z'), end: new Date('2027-04-01T10:00:00Z') })];
    const text = feedCalendar(sessions, { publicUrl: PUBLIC_URL, name: 'Serenity sessions' });
    expect(feedCalendar(sessions, { publicUrl: PUBLIC_URL, name: 'Serenity sessions' })).toBe(text);
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(events.map((e) => e.uid)).toEqual(sessions.map((s) => eventUid(s.id)));
    expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(sessions.map((s) => s.start.toISOString()));
  });
});

describe('conditional GET of a feed', () => {
  const current = { etag: '"abc"', lastModified: new Date('2027-03-01T10:00:00.750Z') };

  it('If-None-Match decides when sent (weak comparison, lists, *), else If-Modified-Since by whole seconds', () => {
    expect(notModified({ ifNoneMatch: '"abc"' }, current)).toBe(true);
    expect(notModified({ ifNoneMatch: 'W/"abc"' }, current)).toBe(true);
    expect(notModified({ ifNoneMatch: '"x", "abc"' }, current)).toBe(true);
    expect(notModified({ ifNoneMatch: '*' }, current)).toBe(true);
    expect(notModified({ ifNoneMatch: '"old"', ifModifiedSince: current.lastModified.toUTCString() }, current)).toBe(false);
    expect(notModified({ ifModifiedSince: current.lastModified.toUTCString() }, current)).toBe(true);
    expect(notModified({ ifModifiedSince: new Date('2027-03-01T09:59:59Z').toUTCString() }, current)).toBe(false);
    expect(notModified({ ifModifiedSince: 'not a date' }, current)).toBe(false);
    expect(notModified({}, current)).toBe(false);
  });
});
