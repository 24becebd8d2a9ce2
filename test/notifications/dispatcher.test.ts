import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEvents } from '../../src/platform/events.js';
import { deliveryChannels } from '../../src/notifications/channels.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { createDispatcher, type DispatcherOptions } from '../../src/notifications/dispatcher.js';
import { DeliveryStatus } from '../../src/notifications/notification.enums.js';
import { enqueue, type OutboxMessage } from '../../src/notifications/outbox.js';
import { createMailer, type Mailer } from '../../src/platform/mailer.js';
import { startMailCapture, type MailCapture } from '../../src/platform/mail-capture.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';
import { emailTo, startScriptedSmtp, testCompose } from '../support/notifications.js';

const logger = pino({ level: 'silent' });
const LEASE_MS = 60_000;
let harness: ServiceHarness;
let capture: MailCapture;
let mailer: Mailer;
beforeAll(async () => {
  harness = await startServiceHarness();
  capture = await startMailCapture(logger);
  mailer = await createMailer({ smtpUrl: `smtp://127.0.0.1:${capture.port}`, from: 'Serenity <no-reply@serenity.local>', logger });
});
afterAll(async () => {
  await mailer?.close();
  await capture?.stop();
  await harness?.stop();
});

function dispatcher(overrides: Partial<DispatcherOptions> = {}) {
  return createDispatcher({
    fork: () => harness.acrossTenants(),
    compose: testCompose,
    channels: deliveryChannels(mailer, new DomainEvents({})),
    relevant: () => Promise.resolve(true),
    wanted: () => Promise.resolve(true),
    publicUrl: 'http://serenity.test',
    logger,
    leaseMs: LEASE_MS,
    ...overrides,
  });
}

async function decide(messages: OutboxMessage[]): Promise<NotificationDelivery[]> {
  await harness.acrossTenants().transactional((tx) => enqueue(tx, messages));
  return harness.acrossTenants().find(NotificationDelivery, { subjectId: { $in: messages.map((m) => m.subject.id) } });
}

const reload = (id: string) => harness.acrossTenants().findOneOrFail(NotificationDelivery, id);
// Far from the wall clock, so rows of one test are not due in another's runs.
let epoch = Date.parse('2031-01-01T00:00:00Z');
const freshMoment = () => new Date((epoch += 400 * 86_400_000));

describe('the dispatcher (I11)', () => {
  it('sends a delivery at its moment, not before, with its own Message-ID, and a second run sends nothing', async () => {
    const due = freshMoment();
    const [delivery] = await decide([emailTo('ada@client.test', due)]);
    const run = dispatcher();
    expect((await run.dispatchDue(new Date(due.getTime() - 1000))).sent).toBe(0);
    expect(capture.list({ to: 'ada@client.test' })).toHaveLength(0);

    expect(await run.dispatchDue(due)).toMatchObject({ claimed: 1, sent: 1 });
    const mails = capture.list({ to: 'ada@client.test' });
    expect(mails.map((m) => [m.kind, m.messageId, m.subject])).toEqual([['booking-confirmed', delivery!.messageId, `BOOKING_CONFIRMED for email:ada@client.test`]]);
    expect(await reload(delivery!.id)).toMatchObject({ status: DeliveryStatus.SENT, attempts: 1, leaseUntil: null, sentAt: due });

    expect((await run.dispatchDue(new Date(due.getTime() + 3_600_000))).claimed).toBe(0);
    expect(capture.list({ to: 'ada@client.test' })).toHaveLength(1);
  });

  it('two dispatchers racing over 200 due deliveries send each exactly once, even when both wait on the same locked rows', async () => {
    const due = freshMoment();
    const deliveries = await decide(Array.from({ length: 200 }, (_, i) => emailTo(`race-${i}@client.test`, due)));
    const [a, b] = [dispatcher({ batchSize: 20 }), dispatcher({ batchSize: 20 })];
    // Another transaction holds every row for a moment: both claimers meet the locks at once
    // (a claim that did not skip locked rows would wait, then take the same rows as the other).
    const locker = new pg.Client({ connectionString: harness.database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM notification_delivery WHERE id = ANY($1::uuid[]) FOR UPDATE', [deliveries.map((d) => d.id)]);
    const blocked = Promise.all([a.dispatchDue(due), b.dispatchDue(due)]);
    await new Promise((r) => setTimeout(r, 300));
    await locker.query('COMMIT');
    await locker.end();
    const reports = [...(await blocked), ...(await Promise.all([a.dispatchDue(due), b.dispatchDue(due), a.dispatchDue(due)]))];
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(200);
    expect(reports.every((r) => r.lost === 0)).toBe(true);
    const sentIds = capture.list().filter((m) => m.to[0]?.startsWith('race-')).map((m) => m.messageId);
    expect(sentIds).toHaveLength(200);
    expect(new Set(sentIds)).toEqual(new Set(deliveries.map((d) => d.messageId)));
    const rows = await harness.acrossTenants().find(NotificationDelivery, { id: { $in: deliveries.map((d) => d.id) } });
    expect(rows.map((r) => `${r.status}/${r.attempts}`)).toEqual(Array(200).fill('SENT/1'));
  });

  it('skips a delivery that is no longer relevant, not wanted, or whose subject is gone — nothing is sent', async () => {
    const due = freshMoment();
    const [stale, unwanted, gone] = [emailTo('stale@client.test', due), emailTo('unwanted@client.test', due), emailTo('gone@client.test', due)];
    const rows = await decide([stale, unwanted, gone]);
    const byEmail = (email: string) => rows.find((r) => r.recipientEmail === email)!;
    const report = await dispatcher({
      relevant: (_em, d, now) => Promise.resolve(!(d.recipientEmail === 'stale@client.test' && now.getTime() === due.getTime())),
      wanted: (_em, d) => Promise.resolve(d.recipientEmail !== 'unwanted@client.test'),
      compose: (em, d) => (d.recipientEmail === 'gone@client.test' ? Promise.resolve(null) : testCompose(em, d)),
    }).dispatchDue(due);
    expect(report).toMatchObject({ claimed: 3, skipped: 3, sent: 0 });
    for (const [email, reason] of [['stale@client.test', 'no longer relevant'], ['unwanted@client.test', 'turned off'], ['gone@client.test', 'subject is gone']] as const) {
      expect(await reload(byEmail(email).id)).toMatchObject({ status: DeliveryStatus.SKIPPED, lastError: expect.stringContaining(reason) });
      expect(capture.list({ to: email })).toHaveLength(0);
    }
  });

  it('a transient SMTP error (451) retries after the backoff: 1 min, then 2 min — and is sent once the server accepts', async () => {
    const answers = [451, 451, 250];
    const smtp = await startScriptedSmtp(() => answers.shift() ?? 250);
    const flaky = await createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Serenity <no-reply@serenity.local>', logger });
    const metrics = createMetrics();
    try {
      const due = freshMoment();
      const [delivery] = await decide([emailTo('retry@client.test', due)]);
      const run = dispatcher({ channels: deliveryChannels(flaky, new DomainEvents({})), metrics });
      const at = (ms: number) => new Date(due.getTime() + ms);

      expect(await run.dispatchDue(at(0))).toMatchObject({ claimed: 1, retried: 1 });
      expect(await reload(delivery!.id)).toMatchObject({ status: DeliveryStatus.PENDING, attempts: 1, nextAttemptAt: at(60_000), lastError: expect.stringContaining('451') });
      expect((await run.dispatchDue(at(59_999))).claimed).toBe(0);
      expect(await run.dispatchDue(at(60_000))).toMatchObject({ claimed: 1, retried: 1 });
      expect(await reload(delivery!.id)).toMatchObject({ status: DeliveryStatus.PENDING, attempts: 2, nextAttemptAt: at(180_000) });
      expect(await run.dispatchDue(at(180_000))).toMatchObject({ claimed: 1, sent: 1 });
      expect(await reload(delivery!.id)).toMatchObject({ status: DeliveryStatus.SENT, attempts: 3, sentAt: at(180_000) });
      expect(smtp.answered).toEqual([451, 451, 250]);

      const exposition = await metrics.registry.metrics();
      expect(exposition).toContain('serenity_notification_deliveries_total{channel="EMAIL",outcome="retried"} 2');
      expect(exposition).toContain('serenity_notification_deliveries_total{channel="EMAIL",outcome="sent"} 1');
      expect(exposition).toContain('serenity_notification_lag_seconds_sum{channel="EMAIL"} 180');
    } finally {
      await flaky.close();
      await smtp.stop();
    }
  });

  it('a permanent SMTP error (550) is FAILED at once; a transient one still failing 24 h after its moment is FAILED', async () => {
    const codes = new Map<string, number>();
    const smtp = await startScriptedSmtp(() => codes.get('next') ?? 250);
    const flaky = await createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Serenity <no-reply@serenity.local>', logger });
    try {
      const due = freshMoment();
      const run = dispatcher({ channels: deliveryChannels(flaky, new DomainEvents({})) });
      codes.set('next', 550);
      const [bounced] = await decide([emailTo('nobody@client.test', due)]);
      expect(await run.dispatchDue(due)).toMatchObject({ claimed: 1, failed: 1 });
      expect(await reload(bounced!.id)).toMatchObject({ status: DeliveryStatus.FAILED, attempts: 1, lastError: expect.stringContaining('550') });

      codes.set('next', 451);
      const later = new Date(due.getTime() + 1000);
      const [stuck] = await decide([emailTo('greylisted@client.test', later)]);
      expect(await run.dispatchDue(later)).toMatchObject({ retried: 1 });
      // The next try would be 1 min later, past the 24 h window: given up.
      expect(await run.dispatchDue(new Date(later.getTime() + 24 * 3_600_000 - 30_000))).toMatchObject({ claimed: 1, failed: 1 });
      expect(await reload(stuck!.id)).toMatchObject({ status: DeliveryStatus.FAILED, attempts: 2, lastError: expect.stringContaining('451') });
      expect((await run.dispatchDue(new Date(later.getTime() + 48 * 3_600_000))).claimed).toBe(0);
    } finally {
      await flaky.close();
      await smtp.stop();
    }
  });

  it('a slow batch leaves the claims past half their lease unsent, to be claimed again once it ends: each goes once', async () => {
    const lease = 600;
    // Due now by the wall clock: this run uses the real clock, as production does.
    const deliveries = await decide(['slow-0', 'slow-1', 'slow-2'].map((name) => emailTo(`${name}@client.test`, new Date(Date.now() - 1000))));
    const channels = deliveryChannels(mailer, new DomainEvents({}));
    let calls = 0;
    const slow = { ...channels, EMAIL: async (...args: Parameters<typeof channels.EMAIL>) => {
      // The first send takes more than half the lease: the rest of the batch must wait for the next claim.
      if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, lease * 0.6));
      await channels.EMAIL(...args);
    } };
    const run = dispatcher({ channels: slow, leaseMs: lease, batchSize: 3, concurrency: 1 });
    expect(await run.dispatchDue()).toMatchObject({ claimed: 3, sent: 1, deferred: 2 });
    const left = await Promise.all(deliveries.map((d) => reload(d.id)));
    expect(left.map((d) => d.status).sort()).toEqual([DeliveryStatus.SENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT]);

    await new Promise((resolve) => setTimeout(resolve, lease + 50));
    expect(await run.dispatchDue()).toMatchObject({ claimed: 2, sent: 2, deferred: 0 });
    const sent = ['slow-0', 'slow-1', 'slow-2'].flatMap((name) => capture.list({ to: `${name}@client.test` }));
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.messageId))).toEqual(new Set(deliveries.map((d) => d.messageId)));
  });

  it('a delivery left SENDING by a crashed sender is taken over once its lease ran out, with the same Message-ID; the stale sender marks nothing', async () => {
    const due = freshMoment();
    const [delivery] = await decide([emailTo('takeover@client.test', due)]);
    /** A sender that gets the SMTP server's yes, then stalls before marking (as if it hung or crashed) until released. */
    const stalling = () => {
      let release!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const atMark = new Promise<void>((resolve) => (reached = resolve));
      return { run: dispatcher({ afterSend: () => (reached(), gate) }), atMark, release };
    };
    const first = stalling();
    const firstRun = first.run.dispatchDue(due);
    await first.atMark;
    expect(await reload(delivery!.id)).toMatchObject({ status: DeliveryStatus.SENDING, attempts: 1, leaseUntil: new Date(due.getTime() + LEASE_MS) });

    expect((await dispatcher().dispatchDue(new Date(due.getTime() + LEASE_MS - 1))).claimed).toBe(0);
    const second = stalling();
    const secondRun = second.run.dispatchDue(new Date(due.getTime() + LEASE_MS));
    await second.atMark;
    // The stale sender wakes up while the delivery is the new claim's: its mark changes nothing.
    first.release();
    expect(await firstRun).toMatchObject({ claimed: 1, sent: 0, lost: 1 });
    expect(await reload(delivery!.id)).toMatchObject({ status: DeliveryStatus.SENDING, attempts: 2 });
    second.release();
    expect(await secondRun).toMatchObject({ claimed: 1, sent: 1, lost: 0 });

    const mails = capture.list({ to: 'takeover@client.test' });
    expect(mails.map((m) => m.messageId)).toEqual([delivery!.messageId, delivery!.messageId]);
    expect(await reload(delivery!.id)).toMatchObject({ status: DeliveryStatus.SENT, attempts: 2, sentAt: new Date(due.getTime() + LEASE_MS) });
  });
});
