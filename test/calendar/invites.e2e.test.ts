import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedMail } from '../../src/platform/mail-capture.js';
import { gridStart, grantSessions, openAllHoursConsultant, verifiedClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The calendar invitations as mail clients meet them: book → reschedule → cancel through the
 * API, each email's text/calendar part read back from the SMTP capture and parsed with ical.js.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const BOOK = 'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id } }';
const HOUR = 3_600_000;

interface Invite {
  method: string;
  partMethod: string | null;
  uid: string;
  sequence: number;
  status: string | null;
  start: ICAL.Time;
  end: ICAL.Time;
  organizer: string;
  attendees: string[];
}

function inviteOf(mail: CapturedMail): Invite {
  const parts = mail.attachments.filter((a) => a.contentType.startsWith('text/calendar'));
  expect(parts.length, `${mail.kind} to ${mail.to.join(', ')} carries a calendar part`).toBeGreaterThan(0);
  const part = parts[0]!;
  const calendar = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  const vevent = events[0]!;
  const event = new ICAL.Event(vevent);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    partMethod: part.method,
    uid: event.uid,
    sequence: event.sequence,
    status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
    start: event.startDate,
    end: event.endDate,
    organizer: String(vevent.getFirstPropertyValue('organizer')).toLowerCase(),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()),
  };
}

describe('calendar invitations in the consultation emails', () => {
  it('book → reschedule → cancel: one UID, SEQUENCE rising, REQUEST then CANCEL, UTC instants, to the client, the consultant and the attendees', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const consultant = await openAllHoursConsultant(server);
    const client = await verifiedClient(server, { timeZone: 'America/New_York' });
    const consultantEmail = (await gqlOk<{ me: { email: string } }>(server, '{ me { email } }', {}, consultant.token)).me.email;
    await grantSessions(server, admin, client.organizationId, 2);
    const guest = `guest.${Date.now()}@example.test`;
    const start = gridStart(48 * 60);
    const booked = await gqlOk<{ bookConsultation: { id: string } }>(
      server,
      BOOK,
      { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Pricing review', attendees: [{ name: 'Gus Guest', email: guest }] } },
      client.token,
    );
    const id = booked.bookConsultation.id;
    const capture = server.app.mailer.capture!;

    const confirmed = await capture.waitFor({ to: client.email, kind: 'booking-confirmed' }, 10_000);
    const request = inviteOf(confirmed);
    expect(request).toMatchObject({ method: 'REQUEST', partMethod: 'REQUEST', status: 'CONFIRMED' });
    expect(request.uid).toContain(id);
    // Instants in UTC (a "Z" time, no TZID), whatever zone the reader is in.
    expect(request.start.zone?.tzid).toBe('UTC');
    expect(request.start.toJSDate().toISOString()).toBe(start.toISOString());
    expect(request.end.toJSDate().toISOString()).toBe(new Date(start.getTime() + HOUR).toISOString());
    expect(request.organizer).toBe(`mailto:${consultantEmail.toLowerCase()}`);
    expect(request.attendees).toEqual(expect.arrayContaining([`mailto:${client.email.toLowerCase()}`, `mailto:${guest.toLowerCase()}`]));
    // The consultant and the attendee get the same event.
    for (const to of [consultantEmail, guest]) {
      const copy = inviteOf(await capture.waitFor({ to, kind: 'booking-confirmed' }, 10_000));
      expect(copy).toMatchObject({ method: 'REQUEST', uid: request.uid, sequence: request.sequence });
    }

    const moved = new Date(start.getTime() + 2 * HOUR);
    await gqlOk(server, 'mutation($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start) { id } }', { id, start: moved.toISOString() }, client.token);
    const rescheduled = inviteOf(await capture.waitFor({ to: client.email, kind: 'consultation-rescheduled' }, 10_000));
    expect(rescheduled).toMatchObject({ method: 'REQUEST', partMethod: 'REQUEST', uid: request.uid, status: 'CONFIRMED' });
    expect(rescheduled.sequence).toBeGreaterThan(request.sequence);
    expect(rescheduled.start.zone?.tzid).toBe('UTC');
    expect(rescheduled.start.toJSDate().toISOString()).toBe(moved.toISOString());
    const consultantMove = inviteOf(await capture.waitFor({ to: consultantEmail, kind: 'consultation-rescheduled' }, 10_000));
    expect(consultantMove).toMatchObject({ uid: request.uid, sequence: rescheduled.sequence });

    await gqlOk(server, 'mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased } }', { id }, client.token);
    for (const to of [client.email, consultantEmail, guest]) {
      const cancelled = inviteOf(await capture.waitFor({ to, kind: 'consultation-cancelled' }, 10_000));
      expect(cancelled).toMatchObject({ method: 'CANCEL', partMethod: 'CANCEL', uid: request.uid, status: 'CANCELLED' });
      expect(cancelled.sequence).toBeGreaterThan(rescheduled.sequence);
      expect(cancelled.start.toJSDate().toISOString()).toBe(moved.toISOString());
    }
  });
});
