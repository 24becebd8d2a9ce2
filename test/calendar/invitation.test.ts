/**
 * The invitation an email carries, on a real PostgreSQL: the calendar sequence the database
 * keeps (raised by every change a calendar shows, whichever statement made it, and by nothing
 * else), and which messages composeMessage gives a calendar part — with which METHOD.
 */
import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consultation } from '../../src/consultations/consultation.entity.js';
import { ConsultationStatus } from '../../src/consultations/consultation.enums.js';
import { Organization } from '../../src/identity/organization.entity.js';
import { ConsultantProfile } from '../../src/identity/profile.entity.js';
import { User } from '../../src/identity/user.entity.js';
import { composeMessage } from '../../src/notifications/compose.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from '../../src/notifications/notification.enums.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
beforeAll(async () => {
  harness = await startServiceHarness();
});
afterAll(() => harness.stop());

interface World {
  id: string;
  client: User;
}

async function world(changes: Partial<Consultation> = {}): Promise<World> {
  const em = harness.acrossTenants();
  const tag = randomUUID().slice(0, 8);
  const organization = em.create(Organization, { name: `Acme ${tag}`, type: 'COMPANY' });
  const client = em.create(User, { email: `omar-${tag}@acme.test`, passwordHash: 'x', role: 'CLIENT', firstName: 'Omar', lastName: 'Haddad', timeZone: 'Asia/Tokyo' });
  const consultant = em.create(User, { email: `sarah-${tag}@serenity.test`, passwordHash: 'x', role: 'CONSULTANT', firstName: 'Sarah', lastName: 'Chen', timeZone: 'America/New_York' });
  const profile = em.create(ConsultantProfile, { user: consultant, code: `CON-${tag}` });
  const startAt = new Date('2027-05-04T14:00:00Z');
  const endAt = new Date('2027-05-04T15:00:00Z');
  const c = em.create(Consultation, {
    code: `CNS-${tag}`,
    organization,
    client,
    bookedBy: client,
    consultant: profile,
    status: ConsultationStatus.SCHEDULED,
    startAt,
    endAt,
    durationMinutes: 60,
    bufferMinutes: 0,
    heldUntil: endAt,
    purpose: 'Supply chain review',
    ...changes,
  });
  await em.flush();
  return { id: c.id, client };
}

async function sequenceOf(id: string): Promise<number> {
  const [row] = await harness.acrossTenants().getConnection().execute<Array<{ calendar_sequence: number }>>('select calendar_sequence from consultation where id = ?', [id]);
  return row!.calendar_sequence;
}

function delivery(w: World, kind: MessageKind, channel: DeliveryChannel = DeliveryChannel.EMAIL): NotificationDelivery {
  return Object.assign(new NotificationDelivery(), {
    subjectType: SubjectType.CONSULTATION,
    subjectId: w.id,
    kind,
    channel,
    side: RecipientSide.CLIENT,
    recipientKey: `user:${w.client.id}`,
    recipientUserId: w.client.id,
    recipientEmail: null,
    payload: null,
    dueAt: new Date(),
    nextAttemptAt: new Date(),
    messageId: `<${randomUUID()}@serenity.test>`,
  });
}

const compose = (d: NotificationDelivery) => composeMessage(harness.acrossTenants(), d, { publicUrl: 'https://app.serenity.test' });

function eventOf(content: string) {
  const calendar = new ICAL.Component(ICAL.parse(content));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return { method: calendar.getFirstPropertyValue('method'), status: vevent.getFirstPropertyValue('status'), sequence: new ICAL.Event(vevent).sequence };
}

describe('the calendar sequence of a consultation', () => {
  it('rises with each change a calendar shows (time, status, attendees, purpose), through the ORM or plain SQL, and not with anything else', async () => {
    const w = await world();
    expect(await sequenceOf(w.id)).toBe(0);
    const change = async (apply: (c: Consultation) => void) => {
      const em = harness.acrossTenants();
      apply(await em.findOneOrFail(Consultation, w.id));
      await em.flush();
    };
    await change((c) => Object.assign(c, { startAt: new Date('2027-05-04T16:00:00Z'), endAt: new Date('2027-05-04T17:00:00Z'), heldUntil: new Date('2027-05-04T17:00:00Z') }));
    expect(await sequenceOf(w.id)).toBe(1);
    await change((c) => void (c.internalNotes = 'Bring the Q1 numbers'));
    expect(await sequenceOf(w.id)).toBe(1);
    await change((c) => void (c.attendees = [{ name: 'Guest', email: 'guest@partner.test', role: null }]));
    expect(await sequenceOf(w.id)).toBe(2);
    await harness.acrossTenants().getConnection().execute("update consultation set status = 'CANCELLED' where id = ?", [w.id]);
    expect(await sequenceOf(w.id)).toBe(3);
    // Loaded with 3 and flushed with another change: the ORM writes only that change, the number stays.
    await change((c) => void (c.notes = 'after'));
    expect(await sequenceOf(w.id)).toBe(3);
  });
});

describe('which messages carry an invitation', () => {
  it('a lapsed hold’s email withdraws it (CANCEL, STATUS:CANCELLED, the current sequence); its in-app copy has none', async () => {
    const w = await world({ status: ConsultationStatus.PENDING_PAYMENT, holdExpiresAt: new Date('2027-05-01T00:00:00Z') });
    await harness.acrossTenants().getConnection().execute("update consultation set status = 'EXPIRED' where id = ?", [w.id]);
    const email = await compose(delivery(w, MessageKind.HOLD_EXPIRED));
    expect(email!.calendar?.method).toBe('CANCEL');
    expect(eventOf(email!.calendar!.content)).toEqual({ method: 'CANCEL', status: 'CANCELLED', sequence: await sequenceOf(w.id) });
    const inApp = await compose(delivery(w, MessageKind.HOLD_EXPIRED, DeliveryChannel.IN_APP));
    expect(inApp!.calendar).toBeUndefined();
  });

  it('a confirmation composed after the session was cancelled withdraws it instead of putting it back', async () => {
    const w = await world();
    expect(eventOf((await compose(delivery(w, MessageKind.BOOKING_CONFIRMED)))!.calendar!.content)).toMatchObject({ method: 'REQUEST', status: 'CONFIRMED', sequence: 0 });
    await harness.acrossTenants().getConnection().execute("update consultation set status = 'CANCELLED' where id = ?", [w.id]);
    const late = await compose(delivery(w, MessageKind.BOOKING_CONFIRMED));
    expect(late!.calendar?.method).toBe('CANCEL');
    expect(eventOf(late!.calendar!.content)).toEqual({ method: 'CANCEL', status: 'CANCELLED', sequence: 1 });
  });

  it('reminders, summaries and the other messages carry none', async () => {
    const w = await world();
    for (const kind of [MessageKind.REMINDER_24H, MessageKind.REMINDER_1H, MessageKind.SESSION_STARTED]) {
      const message = await compose(delivery(w, kind));
      expect(message, kind).not.toBeNull();
      expect(message!.calendar, kind).toBeUndefined();
    }
  });
});
