/**
 * The consultant told when their meeting could not be made: meeting.changed FAILED (as the
 * meetings job emits it, in the transaction that marks the meeting FAILED) writes an email and an
 * in-app notification for the consultant alone, once per failure however often the event comes;
 * the email says which provider, which session, when in the consultant's zone, what to do, and
 * the provider's error cut short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_HANDLERS } from '../../src/modules.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DomainEvents, type MeetingChange } from '../../src/platform/events.js';
import { formatLocalTime } from '../../src/platform/local-time.js';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type ConsultationJson } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const events = () => new DomainEvents(EVENT_HANDLERS);
const INBOX = '{ notifications { edges { node { kind title body link } } } }';
type Inbox = { notifications: { edges: Array<{ node: { kind: string; title: string; body: string; link: string | null } }> } };

/** What meetings.job.ts does when it gives up: the row FAILED with its error, and the event, in one transaction. */
async function failMeeting(consultationId: string, error: string, at: Date): Promise<void> {
  await server.app.orm.em.fork().transactional(async (tx) => {
    await tx.getConnection().execute("update meeting set status = 'FAILED', action = null, lease_until = null, last_error = ?, updated_at = ? where consultation_id = ?", [error, at, consultationId], 'run', tx.getTransactionContext());
    await emitFailed(tx, consultationId, error, at);
  });
}
function emitFailed(tx: Parameters<DomainEvents['emit']>[2], consultationId: string, error: string, at: Date) {
  const change: MeetingChange = { consultationId, provider: 'JITSI', status: 'FAILED', joinUrlChanged: false, error, at };
  return events().emit('meeting.changed', change, tx);
}

describe('meeting.changed FAILED', () => {
  it('emails the consultant and puts it in their inbox, once per failure even when the event repeats; the client hears nothing', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const consultant = await openAllHoursConsultant(server);
    const { email: consultantEmail, timeZone: consultantZone } = (await gqlOk<{ me: { email: string; timeZone: string } }>(server, '{ me { email timeZone } }', {}, consultant.token)).me;
    const client = await verifiedClient(server);
    await grantSessions(server, admin, client.organizationId, 2);
    const start = gridStart(3 * 60);
    const booked = (await gqlOk<{ bookConsultation: ConsultationJson }>(server, BOOK, { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Plan' } }, client.token)).bookConsultation;

    // A long provider error (as stored: already free of secrets) is cut short in the message.
    const error = `Zoom answered 400: host user does not exist ${'x'.repeat(900)}`;
    const failedAt = new Date();
    await failMeeting(booked.id, error, failedAt);
    // The same failure told again (a repeated event, a later instant): nothing more is written.
    await server.app.orm.em.fork().transactional((tx) => emitFailed(tx, booked.id, error, new Date(failedAt.getTime() + 5_000)));

    const capture = server.app.mailer.capture!;
    const mail = await capture.waitFor({ to: consultantEmail, kind: 'meeting-failed' }, 10_000);
    const when = formatLocalTime(start, consultantZone);
    expect(mail.subject).toContain(booked.code);
    expect(mail.text).toContain(`We could not set up the Jitsi meeting for ${booked.code} on ${when}`);
    expect(mail.text).toMatch(/share a link with the client or change the provider/);
    expect(mail.text).toContain('Zoom answered 400: host user does not exist');
    expect(mail.text).not.toContain('x'.repeat(400));
    expect(mail.html).toContain(booked.code);
    expect(mail.links.some((link) => link.endsWith(`/consultations/${booked.id}`))).toBe(true);

    await expect
      .poll(async () => (await gqlOk<Inbox>(server, INBOX, {}, consultant.token)).notifications.edges.filter((e) => e.node.kind === 'MEETING_FAILED').length, { timeout: 10_000 })
      .toBe(1);
    const [inApp] = (await gqlOk<Inbox>(server, INBOX, {}, consultant.token)).notifications.edges.filter((e) => e.node.kind === 'MEETING_FAILED');
    expect(inApp!.node.title).toContain(booked.code);
    expect(inApp!.node.link).toMatch(new RegExp(`/consultations/${booked.id}$`));

    const rows = await server.app.orm.em.fork().find(NotificationDelivery, { kind: 'MEETING_FAILED' as never, subjectId: booked.id });
    expect(rows.map((r) => `${r.channel} ${r.recipientUserId === null ? 'address' : 'user'}`).sort()).toEqual(['EMAIL user', 'IN_APP user']);
    expect(capture.list().filter((m) => m.kind === 'meeting-failed')).toHaveLength(1);
    expect((await gqlOk<Inbox>(server, INBOX, {}, client.token)).notifications.edges.map((e) => e.node.kind)).not.toContain('MEETING_FAILED');
  });

  it('a meeting no longer FAILED when the event is handled (moved again meanwhile) writes nothing', async () => {
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const consultant = await openAllHoursConsultant(server);
    const client = await verifiedClient(server);
    await grantSessions(server, admin, client.organizationId, 1);
    const booked = (await gqlOk<{ bookConsultation: ConsultationJson }>(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(5 * 60).toISOString(), durationMinutes: 60, purpose: 'Plan' } }, client.token)).bookConsultation;
    await server.app.orm.em.fork().transactional((tx) => emitFailed(tx, booked.id, 'stale', new Date()));
    expect(await server.app.orm.em.fork().count(NotificationDelivery, { kind: 'MEETING_FAILED' as never, subjectId: booked.id })).toBe(0);
  });
});
