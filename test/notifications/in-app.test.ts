import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../src/identity/user.entity.js';
import { createInAppSender } from '../../src/notifications/in-app.sender.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from '../../src/notifications/notification.enums.js';
import { Notification } from '../../src/notifications/notification.entity.js';
import { enqueue } from '../../src/notifications/outbox.js';
import { notificationWanted, preferencesOf, updatePreferences } from '../../src/notifications/preferences.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DomainEvents, type DomainEventMap } from '../../src/platform/events.js';
import { composedFor, inAppDelivery } from '../support/notifications.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
beforeAll(async () => {
  harness = await startServiceHarness();
});
afterAll(() => harness.stop());

async function aUser(): Promise<string> {
  const em = harness.acrossTenants();
  const user = em.create(User, { email: `inbox-${randomUUID()}@globex.test`, passwordHash: 'x', role: 'CLIENT', firstName: 'Ina', lastName: 'Box' });
  await em.flush();
  return user.id;
}

/** A bus that records the 'notification.created' events it carries. */
function recordingBus(): { events: DomainEvents; created: Array<DomainEventMap['notification.created']> } {
  const created: Array<DomainEventMap['notification.created']> = [];
  return { created, events: new DomainEvents({ 'notification.created': [async (payload) => void created.push(payload)] }) };
}

describe('the IN_APP sender', () => {
  it('writes one notification per delivery and emits notification.created once, however often the delivery is dispatched', async () => {
    const userId = await aUser();
    const delivery = await inAppDelivery(harness.acrossTenants(), userId, MessageKind.REMINDER_24H);
    const { events, created } = recordingBus();
    const at = new Date('2031-01-09T09:00:00.000Z');
    const send = createInAppSender(events, () => at);
    for (let run = 0; run < 3; run += 1) await harness.acrossTenants().transactional((tx) => send(tx, delivery, composedFor('Your session is tomorrow')));
    const rows = await harness.acrossTenants().find(Notification, { user: userId });
    expect(rows.map((n) => ({ kind: n.kind, title: n.title, body: n.body, link: n.link, readAt: n.readAt, createdAt: n.createdAt.toISOString(), subjectId: n.subjectId, deliveryId: n.deliveryId }))).toEqual([
      {
        kind: 'REMINDER_24H',
        title: 'Your session is tomorrow',
        body: 'About: Your session is tomorrow',
        link: 'https://app.serenity.test/consultations/1',
        readAt: null,
        createdAt: at.toISOString(),
        subjectId: delivery.subjectId,
        deliveryId: delivery.id,
      },
    ]);
    expect(created).toEqual([{ notificationId: rows[0]!.id, userId, kind: 'REMINDER_24H', at }]);
  });

  it('two dispatches at once still make one notification and one event', async () => {
    const userId = await aUser();
    const delivery = await inAppDelivery(harness.acrossTenants(), userId);
    const { events, created } = recordingBus();
    const send = createInAppSender(events);
    await Promise.all([1, 2].map(() => harness.acrossTenants().transactional((tx) => send(tx, delivery, composedFor('Session done')))));
    expect(await harness.acrossTenants().count(Notification, { user: userId })).toBe(1);
    expect(created).toHaveLength(1);
  });

  it('writes nothing when the dispatching transaction rolls back', async () => {
    const userId = await aUser();
    const delivery = await inAppDelivery(harness.acrossTenants(), userId);
    const { events, created } = recordingBus();
    await expect(
      harness.acrossTenants().transactional(async (tx) => {
        await createInAppSender(events)(tx, delivery, composedFor('Lost'));
        throw new Error('the send failed later');
      }),
    ).rejects.toThrow('the send failed later');
    expect(await harness.acrossTenants().count(Notification, { user: userId })).toBe(0);
    // Emitted inside the transaction: its handlers' writes rolled back with it.
    expect(created).toHaveLength(1);
  });

  it('has no inbox to write to for an address without an account', async () => {
    const subjectId = randomUUID();
    const em = harness.acrossTenants();
    await em.transactional((tx) =>
      enqueue(tx, [{ subject: { type: SubjectType.CONSULTATION, id: subjectId }, kind: MessageKind.BOOKING_CONFIRMED, channel: DeliveryChannel.IN_APP, side: RecipientSide.ATTENDEE, recipient: { email: 'guest@example.com' }, dueAt: new Date() }]),
    );
    const delivery = await em.fork().findOneOrFail(NotificationDelivery, { subjectId });
    const { events, created } = recordingBus();
    await em.fork().transactional((tx) => createInAppSender(events)(tx, delivery, composedFor('Booked')));
    expect(await em.fork().count(Notification, { subjectId })).toBe(0);
    expect(created).toEqual([]);
  });
});

describe('preferences and the wanted hook', () => {
  it('everything is wanted by default; a switch turned off skips its kind on its channel only; essential kinds always go', async () => {
    const userId = await aUser();
    const em = harness.acrossTenants();
    const reminderEmail = await inAppDelivery(em, userId, MessageKind.REMINDER_1H, DeliveryChannel.EMAIL);
    const reminderInApp = await inAppDelivery(em, userId, MessageKind.REMINDER_1H);
    const feedbackInApp = await inAppDelivery(em, userId, MessageKind.FEEDBACK_REQUEST);
    const confirmedEmail = await inAppDelivery(em, userId, MessageKind.BOOKING_CONFIRMED, DeliveryChannel.EMAIL);
    const all = [reminderEmail, reminderInApp, feedbackInApp, confirmedEmail];
    const wanted = async () => Promise.all(all.map((d) => notificationWanted(em.fork(), d)));

    expect(await wanted()).toEqual([true, true, true, true]);
    await updatePreferences(em.fork(), userId, { emailReminders: false, emailUpdates: false });
    expect(await wanted()).toEqual([false, true, true, true]);
    await updatePreferences(em.fork(), userId, { inAppReminders: false, inAppUpdates: false });
    expect(await wanted()).toEqual([false, false, false, true]);
    expect(await preferencesOf(em.fork(), userId)).toEqual({ emailReminders: false, emailUpdates: false, inAppReminders: false, inAppUpdates: false });
  });

  it('an attendee without an account has no preferences: everything goes to them', async () => {
    const subjectId = randomUUID();
    const em = harness.acrossTenants();
    await em.transactional((tx) =>
      enqueue(tx, [{ subject: { type: SubjectType.CONSULTATION, id: subjectId }, kind: MessageKind.REMINDER_24H, channel: DeliveryChannel.EMAIL, side: RecipientSide.ATTENDEE, recipient: { email: 'guest@example.com' }, dueAt: new Date() }]),
    );
    expect(await notificationWanted(em.fork(), await em.fork().findOneOrFail(NotificationDelivery, { subjectId }))).toBe(true);
  });

  it('two changes of different switches at once both stay', async () => {
    const userId = await aUser();
    await Promise.all([
      harness.acrossTenants().transactional((tx) => updatePreferences(tx, userId, { emailReminders: false })),
      harness.acrossTenants().transactional((tx) => updatePreferences(tx, userId, { inAppUpdates: false })),
    ]);
    expect(await preferencesOf(harness.acrossTenants(), userId)).toEqual({ emailReminders: false, emailUpdates: true, inAppReminders: true, inAppUpdates: false });
  });
});
