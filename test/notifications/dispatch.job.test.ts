import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DeliveryStatus } from '../../src/notifications/notification.enums.js';
import { enqueue } from '../../src/notifications/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { emailTo } from '../support/notifications.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';

/** The dispatcher as the app runs it: woken by the outbox's NOTIFY at commit, and at the next delivery's moment — not by the 30 s sweep. */
let api: TestServer;
let apiWithoutJobs: TestServer;
beforeAll(async () => {
  // Agenda polls rarely here, so only the wake-up can be what sends quickly.
  [api, apiWithoutJobs] = await Promise.all([startTestServer({ JOBS_PROCESS_EVERY_MS: '600000', TEST_PLAIN_MESSAGES: 'true' }), startTestServer({ JOBS: 'off', TEST_PLAIN_MESSAGES: 'true' })]);
  // The seed's demo client got its free trial, and its welcome: sent once, then set aside, so
  // what follows counts this file's messages only.
  for (const deadline = Date.now() + 10_000; (await api.app.orm.em.fork().count(NotificationDelivery, { kind: 'FREE_TRIAL_GRANTED', status: DeliveryStatus.SENT })) < 2; ) {
    if (Date.now() > deadline) throw new Error('the seeded free-trial welcome was not sent');
    await new Promise((r) => setTimeout(r, 50));
  }
  seededSent = sentMetric(await metricsText());
  for (const server of [api, apiWithoutJobs]) await server.app.orm.em.fork().nativeDelete(NotificationDelivery, {});
});
let seededSent = 0;
const metricsText = async () => (await fetch(`http://127.0.0.1:${api.app.port}/metrics`)).text();
const sentMetric = (metrics: string) => Number(/serenity_notification_deliveries_total\{channel="EMAIL",outcome="sent"\} (\d+)/.exec(metrics)?.[1] ?? 0);
afterAll(() => Promise.all([api?.stop(), apiWithoutJobs?.stop()]));

const decide = (server: TestServer, email: string, dueAt: Date) => server.app.orm.em.fork().transactional((tx) => enqueue(tx, [emailTo(email, dueAt)]));

describe('the dispatch job', () => {
  it('sends a message decided now within moments of its commit, and one due in 1.5 s at its moment', async () => {
    const capture = api.app.mailer.capture!;
    const committed = Date.now();
    await decide(api, 'now@client.test', new Date());
    const mail = await capture.waitFor({ to: 'now@client.test' }, 3000);
    expect(Date.parse(mail.receivedAt) - committed).toBeLessThan(1000);
    expect(mail.kind).toBe('booking-confirmed');

    const due = new Date(Date.now() + 1500);
    await decide(api, 'soon@client.test', due);
    const soon = await capture.waitFor({ to: 'soon@client.test' }, 5000);
    const lag = Date.parse(soon.receivedAt) - due.getTime();
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(1000);

    // The mail arrives a moment before its delivery is marked (and counted) SENT.
    await expect.poll(async () => (await api.app.orm.em.fork().find(NotificationDelivery, { status: DeliveryStatus.SENT })).length, { timeout: 5000 }).toBe(2);
    const metrics = await metricsText();
    expect(sentMetric(metrics) - seededSent).toBe(2);
    expect(metrics).toMatch(new RegExp(`serenity_notification_lag_seconds_count\\{channel="EMAIL"\\} ${seededSent + 2}`));
    expect(metrics).toContain('serenity_notification_pending_due 0');
  });

  it('admins page through the deliveries by status (latest moment first), without their payload', async () => {
    const admin = await demoSignIn(api, 'admin@serenity.local');
    const page = (status: string, after: string | null) =>
      gqlOk(api, 'query($s: DeliveryStatus, $a: String) { notificationDeliveries(status: $s, first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { recipientEmail status attempts messageId sentAt } } } }', { s: status, a: after }, admin);
    const first = (await page('SENT', null)).notificationDeliveries;
    expect(first).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, edges: [{ node: { recipientEmail: 'soon@client.test', status: 'SENT', attempts: 1 } }] });
    const second = (await page('SENT', first.pageInfo.endCursor)).notificationDeliveries;
    expect(second).toMatchObject({ pageInfo: { hasNextPage: false }, edges: [{ node: { recipientEmail: 'now@client.test', status: 'SENT' } }] });
    expect((await page('FAILED', null)).notificationDeliveries.totalCount).toBe(0);
    const fields = await gqlOk(api, '{ __type(name: "NotificationDelivery") { fields { name } } }', {}, admin);
    expect(fields.__type.fields.map((f: { name: string }) => f.name)).not.toContain('payload');
  });

  it('JOBS=off: the API process runs no jobs and sends nothing (a worker would)', async () => {
    expect(apiWithoutJobs.app.jobs).toBeUndefined();
    await decide(apiWithoutJobs, 'later@client.test', new Date());
    await new Promise((r) => setTimeout(r, 1000));
    expect(apiWithoutJobs.app.mailer.capture!.list({ to: 'later@client.test' })).toEqual([]);
    const rows = await apiWithoutJobs.app.orm.em.fork().find(NotificationDelivery, { recipientEmail: 'later@client.test' });
    expect(rows.map((r) => r.status)).toEqual([DeliveryStatus.PENDING]);
  });
});
