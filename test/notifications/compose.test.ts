/**
 * composeMessage on a real PostgreSQL: a delivery row becomes the message its recipient reads —
 * their own zone (attendees: the booker's), the other side's names, the old and new time of a
 * move, whether the credit came back — and null once the subject or the recipient is gone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consultation } from '../../src/consultations/consultation.entity.js';
import { ConsultationStatus, CreditState } from '../../src/consultations/consultation.enums.js';
import { CreditsService } from '../../src/credits/credits.service.js';
import { Organization } from '../../src/identity/organization.entity.js';
import { ConsultantProfile } from '../../src/identity/profile.entity.js';
import { User } from '../../src/identity/user.entity.js';
import { composeMessage } from '../../src/notifications/compose.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from '../../src/notifications/notification.enums.js';
import { DomainEvents } from '../../src/platform/events.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
beforeAll(async () => {
  harness = await startServiceHarness();
});
afterAll(() => harness.stop());

const settings = { publicUrl: 'https://app.serenity.test/' };

interface World {
  consultation: Consultation;
  client: User;
  booker: User;
  consultant: User;
}

/** Acme's Jane (London) booked Sarah (New York) for Jane's colleague Omar (Tokyo), with a guest, after the US clocks went back. */
async function world(changes: Partial<Consultation> = {}): Promise<World> {
  const em = harness.acrossTenants();
  const tag = randomUUID().slice(0, 8);
  const organization = em.create(Organization, { name: `Acme ${tag}`, type: 'COMPANY' });
  const booker = em.create(User, { email: `jane-${tag}@acme.test`, passwordHash: 'x', role: 'CLIENT', firstName: 'Jane', lastName: 'Smith', timeZone: 'Europe/London' });
  const client = em.create(User, { email: `omar-${tag}@acme.test`, passwordHash: 'x', role: 'CLIENT', firstName: 'Omar', lastName: 'Haddad', timeZone: 'Asia/Tokyo' });
  const consultant = em.create(User, { email: `sarah-${tag}@serenity.test`, passwordHash: 'x', role: 'CONSULTANT', firstName: 'Sarah', lastName: 'Chen', timeZone: 'America/New_York' });
  const profile = em.create(ConsultantProfile, { user: consultant, code: `CON-${tag}` });
  const startAt = new Date('2026-11-03T14:00:00Z');
  const endAt = new Date('2026-11-03T15:00:00Z');
  const consultation = em.create(Consultation, {
    code: `CNS-${tag}`,
    organization,
    client,
    bookedBy: booker,
    consultant: profile,
    status: ConsultationStatus.SCHEDULED,
    startAt,
    endAt,
    durationMinutes: 60,
    bufferMinutes: 0,
    heldUntil: endAt,
    purpose: 'Supply chain review',
    attendees: [{ name: 'Guest Person', email: `Guest-${tag}@partner.test`, role: null }],
    ...changes,
  });
  await em.flush();
  return { consultation, client, booker, consultant };
}

function delivery(w: World, kind: MessageKind, side: RecipientSide, to: { userId?: string; email?: string }, payload: Record<string, unknown> | null = null): NotificationDelivery {
  return Object.assign(new NotificationDelivery(), {
    subjectType: SubjectType.CONSULTATION,
    subjectId: w.consultation.id,
    kind,
    channel: DeliveryChannel.EMAIL,
    side,
    recipientKey: to.userId ? `user:${to.userId}` : `email:${to.email}`,
    recipientUserId: to.userId ?? null,
    recipientEmail: to.email ?? null,
    payload,
    dueAt: new Date(),
    nextAttemptAt: new Date(),
    messageId: `<${randomUUID()}@serenity.test>`,
  });
}

describe('composeMessage', () => {
  it('writes the booking confirmation for each reader in their own zone, attendees in the booker’s', async () => {
    const w = await world();
    const url = `https://app.serenity.test/consultations/${w.consultation.id}`;
    const compose = (side: RecipientSide, to: { userId?: string; email?: string }) => composeMessage(harness.acrossTenants(), delivery(w, MessageKind.BOOKING_CONFIRMED, side, to), settings);

    const forClient = (await compose(RecipientSide.CLIENT, { userId: w.client.id }))!;
    expect(forClient.subject).toBe('Booked: consultation with Sarah Chen, Tue 3 Nov 2026, 23:00 (Asia/Tokyo)');
    expect(forClient.text).toContain('Hello Omar Haddad');
    expect(forClient.text).toContain('When:       Tue 3 Nov 2026, 23:00–Wed 4 Nov 2026, 00:00 (Asia/Tokyo)');
    expect(forClient.text).toContain('Meeting:    Jitsi');
    expect(forClient.html).toContain(url);
    expect(forClient.inApp).toEqual({ title: forClient.subject, body: expect.stringContaining('Sarah Chen'), link: url });

    const forBooker = (await compose(RecipientSide.CLIENT, { userId: w.booker.id }))!;
    expect(forBooker.text).toContain('Tue 3 Nov 2026, 14:00–15:00 (Europe/London)');

    const forConsultant = (await compose(RecipientSide.CONSULTANT, { userId: w.consultant.id }))!;
    expect(forConsultant.subject).toBe(`New booking: Omar Haddad (${w.consultation.organization.name}), Tue 3 Nov 2026, 09:00 (America/New_York)`);
    expect(forConsultant.text).toContain('Omar Haddad of Acme');

    const forGuest = (await compose(RecipientSide.ATTENDEE, { email: w.consultation.attendees[0]!.email.toLowerCase() }))!;
    expect(forGuest.text).toContain('Hello Guest Person');
    expect(forGuest.text).toContain('Tue 3 Nov 2026, 14:00–15:00 (Europe/London)');
  });

  it('tells the client side of a credit booking what the organization has left, and the consultant nothing of it', async () => {
    const w = await world();
    const organizationId = w.consultation.organization.id;
    await harness.acrossTenants().transactional(async (em) => {
      const credits = new CreditsService(em, new DomainEvents({}));
      await credits.grant({ organizationId, source: 'PURCHASE', kind: 'SESSION', units: 6, sessionMinutes: 60, expiresAt: new Date('2032-01-01') });
      await credits.grant({ organizationId, source: 'PURCHASE', kind: 'TIME', units: 90, sessionMinutes: 60, expiresAt: new Date('2032-01-01') });
      // Expired credits are not left.
      await credits.grant({ organizationId, source: 'PURCHASE', kind: 'SESSION', units: 4, sessionMinutes: 60, expiresAt: new Date('2020-01-01'), grantedAt: new Date('2019-01-01') });
    });
    const name = w.consultation.organization.name;
    const forClient = (await composeMessage(harness.acrossTenants(), delivery(w, MessageKind.BOOKING_CONFIRMED, RecipientSide.CLIENT, { userId: w.client.id }), settings))!;
    expect(forClient.text).toContain(`${name} has 6 credits and 90 minutes left.`);
    expect(forClient.html).toContain(`${name} has 6 credits and 90 minutes left.`);
    const forConsultant = (await composeMessage(harness.acrossTenants(), delivery(w, MessageKind.BOOKING_CONFIRMED, RecipientSide.CONSULTANT, { userId: w.consultant.id }), settings))!;
    expect(forConsultant.text).not.toContain('left.');
  });

  it('states the old and the new time of a move (payload previousStart/previousEnd)', async () => {
    const w = await world();
    const moved = delivery(w, MessageKind.CONSULTATION_RESCHEDULED, RecipientSide.CLIENT, { userId: w.booker.id }, { previousStart: '2026-10-30T14:00:00.000Z', previousEnd: '2026-10-30T15:00:00.000Z' });
    const message = (await composeMessage(harness.acrossTenants(), moved, settings))!;
    expect(message.subject).toBe('Moved: consultation with Sarah Chen, now Tue 3 Nov 2026, 14:00 (Europe/London)');
    // 30 Oct London was on GMT already (BST ended 25 Oct): 14:00 UTC is 14:00 there too.
    expect(message.text).toContain('It was:     Fri 30 Oct 2026, 14:00–15:00 (Europe/London)');
    expect(message.html).toContain('Fri 30 Oct 2026, 14:00–15:00 (Europe/London)');
  });

  it('says who cancelled and whether the credit came back', async () => {
    const released = await world({ status: ConsultationStatus.CANCELLED, creditState: CreditState.RELEASED, cancellationReason: 'Budget freeze' });
    await harness.acrossTenants().nativeUpdate(Consultation, { id: released.consultation.id }, { cancelledBy: released.booker.id });
    const back = (await composeMessage(harness.acrossTenants(), delivery(released, MessageKind.CONSULTATION_CANCELLED, RecipientSide.CLIENT, { userId: released.client.id }), settings))!;
    expect(back.text).toContain('Jane Smith cancelled the session with Sarah Chen');
    expect(back.text).toContain('Reason given: Budget freeze');
    expect(back.text).toContain(`The credit is back on ${released.consultation.organization.name}'s balance.`);

    const consumed = await world({ status: ConsultationStatus.CANCELLED, creditState: CreditState.CONSUMED });
    const used = (await composeMessage(harness.acrossTenants(), delivery(consumed, MessageKind.CONSULTATION_CANCELLED, RecipientSide.CLIENT, { userId: consumed.client.id }), settings))!;
    expect(used.text).toContain('The credit was used');
    expect(used.text).toContain('Serenity cancelled');
  });

  it('is null when the consultation is gone or the recipient is no longer part of it', async () => {
    const w = await world();
    const stranger = delivery(w, MessageKind.REMINDER_24H, RecipientSide.ATTENDEE, { email: 'someone-else@partner.test' });
    expect(await composeMessage(harness.acrossTenants(), stranger, settings)).toBeNull();
    const notTheirs = delivery(w, MessageKind.REMINDER_24H, RecipientSide.CONSULTANT, { userId: w.client.id });
    expect(await composeMessage(harness.acrossTenants(), notTheirs, settings)).toBeNull();

    const reminder = delivery(w, MessageKind.REMINDER_24H, RecipientSide.CLIENT, { userId: w.client.id });
    expect(await composeMessage(harness.acrossTenants(), reminder, settings)).not.toBeNull();
    await harness.acrossTenants().nativeDelete(Consultation, { id: w.consultation.id });
    expect(await composeMessage(harness.acrossTenants(), reminder, settings)).toBeNull();
  });
});
