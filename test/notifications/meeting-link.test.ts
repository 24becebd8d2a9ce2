/**
 * The meeting's link in the messages, end to end on a real PostgreSQL with an injected clock:
 * the booking (the app's own handlers), the meetings job with a scripted provider, and the
 * dispatcher composing from the templates and sending through a real SMTP capture. The
 * confirmation waits (a bounded time) for a link being made; one that went without it is
 * followed by ONE meeting-link email carrying the link and the same invitation with a higher
 * SEQUENCE; reminders carry the current link; a phone meeting reads "Call …".
 */
import ICAL from 'ical.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { BookingService } from '../../src/consultations/booking.service.js';
import { LifecycleService } from '../../src/consultations/lifecycle.service.js';
import { syncDueMeetings } from '../../src/meetings/meetings.job.js';
import { jitsiProvider, phoneProvider, type MeetingFacts, type MeetingProvider } from '../../src/meetings/providers.js';
import { EVENT_HANDLERS } from '../../src/modules.js';
import { deliveryChannels } from '../../src/notifications/channels.js';
import { composeMessage } from '../../src/notifications/compose.js';
import { createDispatcher } from '../../src/notifications/dispatcher.js';
import { notificationWanted } from '../../src/notifications/preferences.js';
import { messageRelevant } from '../../src/notifications/relevance.js';
import { DomainEvents } from '../../src/platform/events.js';
import type { CapturedMail } from '../../src/platform/mail-capture.js';
import { createMailer, type Mailer } from '../../src/platform/mailer.js';
import { bookingWorld, type BookingWorld } from '../support/booking-world.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
let mailer: Mailer;
const events = new DomainEvents(EVENT_HANDLERS);
const MINUTE = 60_000;
const WAIT_MS = 90_000;
const PUBLIC_URL = 'https://app.serenity.test';

beforeAll(async () => {
  harness = await startServiceHarness({ seeders: [catalogSeeder] });
  mailer = await createMailer({ smtpUrl: undefined, from: 'Serenity <no-reply@serenity.test>', logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await mailer?.close();
  await harness?.stop();
});

const dispatcher = () =>
  createDispatcher({
    fork: () => harness.acrossTenants(),
    compose: composeMessage,
    relevant: messageRelevant,
    wanted: notificationWanted,
    // In-app rows without live pushes: no server here.
    channels: deliveryChannels(mailer, new DomainEvents({})),
    publicUrl: PUBLIC_URL,
    logger: pino({ level: 'silent' }),
    leaseMs: 60_000,
    meetingWaitMs: WAIT_MS,
  });
const dispatchAt = (at: Date) => dispatcher().dispatchDue(at);
const syncAt = (provider: MeetingProvider, at: Date, name = 'JITSI') => syncDueMeetings(harness.acrossTenants(), { providers: { [name]: provider }, events, now: () => at });

function book(w: BookingWorld, start: string, now: Date, meetingProvider?: 'PHONE') {
  return new BookingService(harness.scoped({ organizationId: w.client.organizationId }), events).book(
    w.client,
    { consultantId: w.consultantId, start: new Date(start), durationMinutes: 60, purpose: 'Plan', ...(meetingProvider ? { meetingProvider } : {}) },
    now,
  );
}

/** Jitsi rooms that fail the first `failures` calls. */
function flakyJitsi(failures: number): MeetingProvider & { calls: number } {
  const jitsi = jitsiProvider('https://jitsi.test');
  let left = failures;
  const provider = {
    calls: 0,
    create: async (facts: MeetingFacts) => {
      provider.calls += 1;
      if (left-- > 0) throw new Error('provider down');
      return jitsi.create(facts);
    },
    update: (id: string, facts: MeetingFacts) => jitsi.update(id, facts),
    delete: (id: string) => jitsi.delete(id),
  };
  return provider;
}

const emailOf = async (userId: string) => (await harness.orm.em.getConnection().execute<Array<{ email: string }>>('SELECT email FROM app_user WHERE id = ?', [userId]))[0]!.email;
const mailsTo = (to: string, kind: string): CapturedMail[] => mailer.capture!.list({ to, kind });
const joinUrlOf = async (consultationId: string) =>
  (await harness.orm.em.getConnection().execute<Array<{ join_url: string | null }>>('SELECT join_url FROM meeting WHERE consultation_id = ?', [consultationId]))[0]?.join_url ?? null;

interface Invite {
  method: string;
  uid: string;
  sequence: number;
  location: string | null;
  url: string | null;
  description: string;
}
function inviteOf(mail: CapturedMail): Invite {
  const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(part, `${mail.kind} carries an invitation`).toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    location: (vevent.getFirstPropertyValue('location') as string | null) ?? null,
    url: (vevent.getFirstPropertyValue('url') as string | null) ?? null,
    description: String(vevent.getFirstPropertyValue('description')),
  };
}

describe('the meeting link in the messages', () => {
  it('a Jitsi meeting READY before the confirmation goes: the confirmation email and its invitation carry the join URL, and no link email follows', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-04-01T08:00:00Z');
    const booked = await book(w, '2031-04-08T09:00:00Z', now);
    await syncAt(jitsiProvider('https://jitsi.test'), now);
    const link = await joinUrlOf(booked.id);
    expect(link).toMatch(/^https:\/\/jitsi\.test\/Serenity-/);

    await dispatchAt(now);
    const client = await emailOf(w.client.userId);
    const [confirmation] = mailsTo(client, 'booking-confirmed');
    expect(confirmation!.text).toContain(`Meeting:    ${link}`);
    expect(confirmation!.links).toContain(link);
    const invite = inviteOf(confirmation!);
    expect(invite).toMatchObject({ method: 'REQUEST', location: link, url: link });
    expect(invite.description).toContain(`Join (Jitsi): ${link}`);
    // The consultant's confirmation carries it too.
    expect(mailsTo(await emailOf(w.consultant.userId), 'booking-confirmed')[0]!.text).toContain(link);
    expect(mailer.capture!.list({ kind: 'meeting-link' }).filter((m) => m.to.includes(client))).toEqual([]);
  });

  it('a provider failing twice then working: the confirmation waits, goes after the wait without the link, then ONE meeting-link email with it and a higher SEQUENCE', async () => {
    const w = await bookingWorld(harness);
    const t0 = new Date('2031-04-02T08:00:00Z');
    const provider = flakyJitsi(2);
    const booked = await book(w, '2031-04-09T09:00:00Z', t0);
    const client = await emailOf(w.client.userId);
    const consultant = await emailOf(w.consultant.userId);

    await syncAt(provider, t0);
    // Held for the meeting being made: nothing goes yet, and the dispatcher knows when to look again.
    expect((await dispatchAt(t0)).claimed).toBe(0);
    expect(mailsTo(client, 'booking-confirmed')).toEqual([]);
    expect(await dispatcher().nextDueAt(t0)).toEqual(new Date(t0.getTime() + WAIT_MS));
    expect((await dispatchAt(new Date(t0.getTime() + WAIT_MS - 1000))).claimed).toBe(0);

    // The first retry fails too (at +1 min); the wait ends at +90 s: the confirmation goes without the link.
    await syncAt(provider, new Date(t0.getTime() + MINUTE));
    await dispatchAt(new Date(t0.getTime() + WAIT_MS));
    const [confirmation] = mailsTo(client, 'booking-confirmed');
    expect(confirmation!.text).toContain('Meeting:    Jitsi (the link follows by email)');
    const first = inviteOf(confirmation!);
    expect(first.location).toBeNull();
    expect(first.description).toContain('the link follows');

    // The third call works (+3 min): one meeting-link email to each of them, with the link and the same event, SEQUENCE higher.
    const ready = new Date(t0.getTime() + 3 * MINUTE);
    await syncAt(provider, ready);
    expect(provider.calls).toBe(3);
    const link = (await joinUrlOf(booked.id))!;
    await dispatchAt(ready);
    const linkMails = mailsTo(client, 'meeting-link');
    expect(linkMails).toHaveLength(1);
    expect(linkMails[0]!.text).toContain(`Meeting:    ${link}`);
    const updated = inviteOf(linkMails[0]!);
    expect(updated).toMatchObject({ method: 'REQUEST', uid: first.uid, location: link, url: link });
    expect(updated.sequence).toBeGreaterThan(first.sequence);
    expect(mailsTo(consultant, 'meeting-link')).toHaveLength(1);
    // In the app too.
    const inApp = await harness.orm.em.getConnection().execute<Array<{ status: string }>>(
      `SELECT status FROM notification_delivery WHERE subject_id = ? AND kind = 'MEETING_LINK' AND channel = 'IN_APP'`,
      [booked.id],
    );
    expect(inApp.map((r) => r.status)).toEqual(['SENT', 'SENT']);

    // Exactly once: running everything again sends nothing more.
    await syncAt(provider, new Date(ready.getTime() + MINUTE));
    await dispatchAt(new Date(ready.getTime() + MINUTE));
    expect(mailsTo(client, 'meeting-link')).toHaveLength(1);
    expect(mailsTo(client, 'booking-confirmed')).toHaveLength(1);
  });

  it('a move: its message waits for the meeting being moved and carries the link; a new link after it went is told once, with a higher SEQUENCE', async () => {
    const w = await bookingWorld(harness);
    const t0 = new Date('2031-04-05T08:00:00Z');
    let room = 0;
    // A provider whose move makes a new room (as some do), the second time failing first.
    let failUpdate = false;
    const provider: MeetingProvider = {
      create: async () => ({ externalId: 'r0', joinUrl: 'https://meet.test/r0', passcode: '111', dialIn: null, hostUrl: null }),
      update: async () => {
        if (failUpdate) {
          failUpdate = false;
          throw new Error('provider down');
        }
        room += 1;
        return { externalId: `r${room}`, joinUrl: `https://meet.test/r${room}`, passcode: '111', dialIn: null, hostUrl: null };
      },
      delete: async () => undefined,
    };
    const booked = await book(w, '2031-04-14T09:00:00Z', t0);
    await syncAt(provider, t0);
    await dispatchAt(t0);
    const client = await emailOf(w.client.userId);
    const confirmation = inviteOf(mailsTo(client, 'booking-confirmed')[0]!);

    const lifecycle = new LifecycleService(harness.scoped({ none: true }), events);
    const t1 = new Date(t0.getTime() + 10 * MINUTE);
    await lifecycle.reschedule(w.consultant, booked.id, new Date('2031-04-15T09:00:00Z'), null, t1);
    // Held while the meeting is being moved; the move's message then carries the new link.
    expect((await dispatchAt(t1)).claimed).toBe(0);
    await syncAt(provider, t1);
    await dispatchAt(t1);
    const [moved] = mailsTo(client, 'consultation-rescheduled');
    expect(moved!.text).toContain('Meeting:    https://meet.test/r1');
    expect(moved!.text).toContain('Passcode:   111');
    const movedInvite = inviteOf(moved!);
    expect(movedInvite.location).toBe('https://meet.test/r1');
    expect(movedInvite.sequence).toBeGreaterThan(confirmation.sequence);
    expect(mailsTo(client, 'meeting-link')).toEqual([]);

    // Moved again, the provider failing past the wait: the message goes with the link it had, then the new one follows once.
    failUpdate = true;
    const t2 = new Date(t1.getTime() + 10 * MINUTE);
    await lifecycle.reschedule(w.consultant, booked.id, new Date('2031-04-16T09:00:00Z'), null, t2);
    await syncAt(provider, t2);
    await dispatchAt(new Date(t2.getTime() + WAIT_MS));
    const second = mailsTo(client, 'consultation-rescheduled').find((m) => m.text.includes('Wed 16 Apr 2031'))!;
    expect(second.text).toContain('Meeting:    https://meet.test/r1');
    const t3 = new Date(t2.getTime() + MINUTE);
    await syncAt(provider, t3);
    await dispatchAt(t3);
    await dispatchAt(new Date(t3.getTime() + MINUTE));
    const linkMails = mailsTo(client, 'meeting-link');
    expect(linkMails).toHaveLength(1);
    expect(linkMails[0]!.text).toContain('Meeting:    https://meet.test/r2');
    expect(inviteOf(linkMails[0]!).sequence).toBeGreaterThan(inviteOf(second).sequence);
  });

  it('the 1 h reminder carries the current link', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-04-03T08:00:00Z');
    const start = new Date('2031-04-10T09:00:00Z');
    const booked = await book(w, start.toISOString(), now);
    await syncAt(jitsiProvider('https://jitsi.test'), now);
    const link = (await joinUrlOf(booked.id))!;
    await dispatchAt(new Date(start.getTime() - 60 * MINUTE));
    const [reminder] = mailsTo(await emailOf(w.client.userId), 'reminder-1h');
    expect(reminder!.text).toContain(`Meeting:    ${link}`);
    expect(reminder!.html).toContain(`href="${link}"`);
  });

  it('a PHONE meeting reads "Call <number>" with a tel: link, in the email and the invitation', async () => {
    const w = await bookingWorld(harness, { meetingProviders: ['JITSI', 'PHONE'] });
    await harness.orm.em.getConnection().execute('UPDATE app_user SET phone = ? WHERE id = ?', ['+44 20 7946 0000', w.consultant.userId]);
    const now = new Date('2031-04-04T08:00:00Z');
    await book(w, '2031-04-11T09:00:00Z', now, 'PHONE');
    await syncAt(phoneProvider(null), now, 'PHONE');
    await dispatchAt(now);
    const [confirmation] = mailsTo(await emailOf(w.client.userId), 'booking-confirmed');
    expect(confirmation!.text).toContain('Meeting:    Call +44 20 7946 0000 (tel:+442079460000)');
    expect(confirmation!.html).toContain('href="tel:+442079460000"');
    expect(inviteOf(confirmation!)).toMatchObject({ location: 'Call +44 20 7946 0000', url: null });
  });
});
