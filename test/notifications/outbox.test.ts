import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DeliveryChannel, DeliveryStatus, MessageKind, RecipientSide, SubjectType } from '../../src/notifications/notification.enums.js';
import { enqueue, withdraw, type OutboxMessage } from '../../src/notifications/outbox.js';
import { OUTBOX_CHANNEL } from '../../src/notifications/outbox.sql.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
beforeAll(async () => {
  harness = await startServiceHarness();
});
afterAll(() => harness.stop());

function reminder(consultationId: string, start: string, userId: string): OutboxMessage {
  return {
    subject: { type: SubjectType.CONSULTATION, id: consultationId },
    kind: MessageKind.REMINDER_24H,
    channel: DeliveryChannel.EMAIL,
    side: RecipientSide.CLIENT,
    recipient: { userId },
    dueAt: new Date(Date.parse(start) - 86_400_000),
    occurrence: start,
  };
}

const rowsOf = (consultationId: string) => harness.acrossTenants().find(NotificationDelivery, { subjectId: consultationId }, { orderBy: { occurrence: 'asc' } });

describe('the outbox (I11)', () => {
  it('stores a message once however often it is decided, each with its own Message-ID', async () => {
    const id = randomUUID();
    const user = randomUUID();
    const em = harness.acrossTenants();
    const first = await em.transactional((tx) => enqueue(tx, [reminder(id, '2031-01-10T09:00:00.000Z', user), { ...reminder(id, '2031-01-10T09:00:00.000Z', user), recipient: { email: 'Guest@Example.com' }, side: RecipientSide.ATTENDEE }]));
    const again = await em.transactional((tx) => enqueue(tx, [reminder(id, '2031-01-10T09:00:00.000Z', user), { ...reminder(id, '2031-01-10T09:00:00.000Z', user), recipient: { email: 'guest@example.com' }, side: RecipientSide.ATTENDEE }]));
    expect([first, again]).toEqual([2, 0]);
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.recipientKey, r.status, r.dueAt.toISOString()])).toEqual(
      expect.arrayContaining([
        [`user:${user}`, DeliveryStatus.PENDING, '2031-01-09T09:00:00.000Z'],
        ['email:guest@example.com', DeliveryStatus.PENDING, '2031-01-09T09:00:00.000Z'],
      ]),
    );
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(2);
  });

  it('writes nothing when the deciding transaction rolls back', async () => {
    const id = randomUUID();
    await expect(
      harness.acrossTenants().transactional(async (tx) => {
        await enqueue(tx, [reminder(id, '2031-01-10T09:00:00.000Z', randomUUID())]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rowsOf(id)).toEqual([]);
  });

  it('wakes a listener only when the transaction commits', async () => {
    const listener = new pg.Client({ connectionString: harness.database.url });
    await listener.connect();
    const heard: number[] = [];
    listener.on('notification', (n) => n.channel === OUTBOX_CHANNEL && heard.push(Date.now()));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      let beforeCommit = -1;
      await harness.acrossTenants().transactional(async (tx) => {
        await enqueue(tx, [reminder(randomUUID(), '2031-01-10T09:00:00.000Z', randomUUID())]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        beforeCommit = heard.length;
      });
      await expect.poll(() => heard.length).toBe(1);
      expect(beforeCommit).toBe(0);
    } finally {
      await listener.end();
    }
  });

  it('withdraws what has not gone yet, keeping the occurrence asked for', async () => {
    const id = randomUUID();
    const user = randomUUID();
    const em = harness.acrossTenants();
    await em.transactional((tx) => enqueue(tx, [reminder(id, '2031-01-10T09:00:00.000Z', user), reminder(id, '2031-01-12T09:00:00.000Z', user)]));
    await em.nativeUpdate(NotificationDelivery, { subjectId: id, occurrence: '2031-01-10T09:00:00.000Z' }, { status: DeliveryStatus.SENT });
    await em.transactional((tx) => enqueue(tx, [reminder(id, '2031-01-14T09:00:00.000Z', user)]));
    const withdrawn = await em.transactional((tx) => withdraw(tx, { type: SubjectType.CONSULTATION, id }, { kinds: [MessageKind.REMINDER_24H], keepOccurrence: '2031-01-14T09:00:00.000Z' }));
    expect(withdrawn).toBe(1);
    expect((await rowsOf(id)).map((r) => [r.occurrence, r.status])).toEqual([
      ['2031-01-10T09:00:00.000Z', DeliveryStatus.SENT],
      ['2031-01-12T09:00:00.000Z', DeliveryStatus.CANCELLED],
      ['2031-01-14T09:00:00.000Z', DeliveryStatus.PENDING],
    ]);
  });
});
