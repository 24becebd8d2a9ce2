import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DeliveryStatus } from '../../src/notifications/notification.enums.js';
import { enqueue } from '../../src/notifications/outbox.js';
import { startMailCapture, type MailCapture } from '../../src/platform/mail-capture.js';
import { spawnScript, type ApiProcess } from '../support/api-process.js';
import { emailTo } from '../support/notifications.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

/**
 * `npm run worker` as production runs it: real child processes on one database, sending into
 * one SMTP server (the capture, here in the test process).
 */
let harness: ServiceHarness;
let capture: MailCapture;
let dataDir: string;
const running = new Set<ApiProcess>();
beforeAll(async () => {
  harness = await startServiceHarness();
  capture = await startMailCapture(pino({ level: 'silent' }));
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-workers-'));
});
afterAll(async () => {
  for (const worker of running) worker.child.kill('SIGKILL');
  await capture?.stop();
  await harness?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function startWorker(env: Record<string, string> = {}): Promise<ApiProcess> {
  const worker = await spawnScript({
    script: 'worker',
    dataDir,
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: harness.database.url,
      SMTP_URL: `smtp://127.0.0.1:${capture.port}`,
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      PAYMENTS_MODE: 'off',
      // Long enough that a slow machine never reaches it in normal sending; the crash test shortens it.
      NOTIFICATION_LEASE_SECONDS: '30',
      TEST_PLAIN_MESSAGES: 'true',
      ...env,
    },
  });
  running.add(worker);
  void worker.exited.then(() => running.delete(worker));
  await worker.waitForOutput('Serenity worker is up', 60_000);
  return worker;
}

async function stopGracefully(worker: ApiProcess): Promise<void> {
  worker.child.kill('SIGTERM');
  const exit = await worker.exited;
  expect(exit, worker.tail()).toEqual({ code: 0, signal: null });
  expect(worker.output()).toContain('"msg":"stopped"');
}

const decide = (emails: string[], dueAt = new Date()) => harness.acrossTenants().transactional((tx) => enqueue(tx, emails.map((email) => emailTo(email, dueAt))));
const sentTo = (prefix: string) => capture.list().filter((m) => m.to[0]?.startsWith(prefix));

describe('worker processes', () => {
  it('two workers on one database deliver every email exactly once, as it is decided and at its moment; both stop cleanly', async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    // Jobs only: nothing answers HTTP on the port it was given.
    await expect(fetch(`http://127.0.0.1:${a.port}/healthz`)).rejects.toThrow();
    const emails = Array.from({ length: 120 }, (_, i) => `pair-${i}@client.test`);
    // Decided in several transactions while both run, some due a moment later.
    for (let i = 0; i < emails.length; i += 30) await decide(emails.slice(i, i + 30), i >= 90 ? new Date(Date.now() + 1500) : new Date());
    await expect.poll(() => sentTo('pair-').length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(120);
    await expect
      .poll(async () => (await harness.acrossTenants().find(NotificationDelivery, { recipientEmail: { $like: 'pair-%' }, status: DeliveryStatus.SENT })).length, { timeout: 10_000 })
      .toBe(120);
    const rows = await harness.acrossTenants().find(NotificationDelivery, { recipientEmail: { $like: 'pair-%' } });
    const ids = sentTo('pair-').map((m) => m.messageId);
    expect(ids).toHaveLength(120);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.messageId)));
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    await Promise.all([stopGracefully(a), stopGracefully(b)]);
  });

  it('a worker SIGKILLed between the SMTP answer and the mark: after a restart the delivery completes — one duplicate at most, with the same Message-ID', async () => {
    const crashing = await startWorker({ TEST_PAUSE_DISPATCH_BEFORE_MARK: 'true', NOTIFICATION_LEASE_SECONDS: '2' });
    await decide(['crash@client.test']);
    await crashing.waitForOutput('test switch: dispatch paused before marking SENT', 15_000);
    const [row] = await harness.acrossTenants().find(NotificationDelivery, { recipientEmail: 'crash@client.test' });
    expect(row).toMatchObject({ status: DeliveryStatus.SENDING, attempts: 1 });
    expect(capture.list({ to: 'crash@client.test' }).map((m) => m.messageId)).toEqual([row!.messageId]);
    crashing.child.kill('SIGKILL');
    expect((await crashing.exited).signal).toBe('SIGKILL');

    const restarted = await startWorker();
    // Taken over once the crashed claim's lease (2 s) ran out: the worker wakes for it.
    await expect.poll(() => capture.list({ to: 'crash@client.test' }).length, { timeout: 15_000, interval: 100 }).toBe(2);
    await expect.poll(async () => (await harness.acrossTenants().findOneOrFail(NotificationDelivery, row!.id)).status, { timeout: 5000 }).toBe(DeliveryStatus.SENT);
    expect(capture.list({ to: 'crash@client.test' }).map((m) => m.messageId)).toEqual([row!.messageId, row!.messageId]);
    expect(await harness.acrossTenants().findOneOrFail(NotificationDelivery, row!.id)).toMatchObject({ attempts: 2, leaseUntil: null });
    // And never a third.
    await new Promise((r) => setTimeout(r, 2500));
    expect(capture.list({ to: 'crash@client.test' })).toHaveLength(2);
    await stopGracefully(restarted);
  });
});
