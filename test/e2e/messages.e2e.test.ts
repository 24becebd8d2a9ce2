import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { formatLocalSpan } from '../../src/platform/local-time.js';
import { gridStart, grantSessions, openAllHoursConsultant, verifiedClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The whole messaging path as a user meets it, nothing stubbed: a booking decides its messages in
 * its transaction, the dispatcher sends them after commit from the MJML templates into the SMTP
 * capture and as in-app notifications; a cancellation withdraws the reminders and tells each side.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const BOOK = 'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id } }';
const INBOX = '{ notifications { edges { node { kind title link } } } me { unreadNotificationCount } }';

describe('messages of a consultation, end to end', () => {
  it('a booking is confirmed by email (local time, zone named) and in the app; cancelling withdraws its reminders and says the credit came back', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const consultant = await openAllHoursConsultant(server);
    // The client reads times in their own zone, which is neither UTC nor the consultant's.
    const client = await verifiedClient(server, { timeZone: 'Asia/Tokyo' });
    const zone = (await gqlOk<{ me: { timeZone: string } }>(server, '{ me { timeZone } }', {}, client.token)).me.timeZone;
    expect(zone).toBe('Asia/Tokyo');
    await grantSessions(server, admin, client.organizationId, 2);
    const start = gridStart(30 * 60);
    const booked = await gqlOk<{ bookConsultation: { id: string } }>(server, BOOK, { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Quarterly plan' } }, client.token);
    const id = booked.bookConsultation.id;

    const capture = server.app.mailer.capture!;
    const confirmation = await capture.waitFor({ to: client.email, kind: 'booking-confirmed' }, 10_000);
    const when = formatLocalSpan(start, new Date(start.getTime() + 3_600_000), zone);
    expect(when).toMatch(/\(Asia\/Tokyo\)$/);
    expect(confirmation.text).toContain(when);
    expect(confirmation.html).toContain(when);
    expect(confirmation.links.some((link) => link.endsWith(`/consultations/${id}`))).toBe(true);
    expect(confirmation.messageId).toMatch(/@serenity\.notifications>$/);

    await expect
      .poll(async () => (await gqlOk<{ notifications: { edges: Array<{ node: { kind: string } }> } }>(server, INBOX, {}, client.token)).notifications.edges.map((e) => e.node.kind), { timeout: 10_000 })
      .toContain('BOOKING_CONFIRMED');
    await expect
      .poll(async () => (await gqlOk<{ notifications: { edges: Array<{ node: { kind: string } }> } }>(server, INBOX, {}, consultant.token)).notifications.edges.map((e) => e.node.kind), { timeout: 10_000 })
      .toContain('BOOKING_CONFIRMED');

    // The 24 h and 1 h reminders wait for their moments (not sent at booking: Cal.com #10749).
    const reminders = () => server.app.orm.em.fork().find(NotificationDelivery, { subjectId: id, kind: { $in: ['REMINDER_24H', 'REMINDER_1H'] } });
    const pending = await reminders();
    expect(pending.length).toBeGreaterThan(0);
    expect(new Set(pending.map((r) => r.status))).toEqual(new Set(['PENDING']));
    expect(new Set(pending.map((r) => r.dueAt.getTime()))).toEqual(new Set([start.getTime() - 86_400_000, start.getTime() - 3_600_000]));

    await gqlOk(server, 'mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased } }', { id }, client.token);
    const cancelled = await capture.waitFor({ to: client.email, kind: 'consultation-cancelled' }, 10_000);
    // Cancelled 30 h ahead: the credit goes back.
    expect(cancelled.text).toContain('The credit is back on');
    expect(new Set((await reminders()).map((r) => r.status))).toEqual(new Set(['CANCELLED']));
    // Exactly one confirmation reached the client.
    expect(capture.list().filter((m) => m.to.includes(client.email) && m.kind === 'booking-confirmed')).toHaveLength(1);
  });
});
