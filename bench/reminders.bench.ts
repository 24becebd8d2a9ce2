/**
 * Reminder delivery at scale (issue 13): 10,000 email deliveries due within one minute, two
 * `npm run worker` processes on one database sending over SMTP into a sink in this process.
 * Reports the lag after each message's moment (received − dueAt) as p50/p95/max, and the
 * duplicates (a Message-ID received twice, a recipient without exactly one mail); every
 * delivery must end SENT.
 *
 * Env: BENCH_REMINDERS (how many, default 10000), BENCH_REMINDERS_PARSE (default true: the sink
 * parses each mail with mailparser as the dev mail capture does; false reads the header only),
 * BENCH_REMINDERS_SPREAD_MS (default 60000; 0: all due at the same moment, a burst),
 * BENCH_DATABASE_URL (see lib/scratch-database.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ENTITIES } from '../src/modules.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from '../src/notifications/notification.enums.js';
import { enqueue, type OutboxMessage } from '../src/notifications/outbox.js';
import { MikroORM, migrate, ormOptions } from '../src/platform/db.js';
import { withScratchDatabase } from './lib/scratch-database.js';
import { startSmtpSink, type SmtpSink } from './lib/smtp-sink.js';
import { spawnNpmScript, type WorkerProcess } from './lib/worker-process.js';
import type { BenchContext } from './run.js';

const COUNT = Number(process.env.BENCH_REMINDERS ?? 10_000);
const PARSE = process.env.BENCH_REMINDERS_PARSE !== 'false';
const WORKERS = 2;
const TRANSACTIONS = 10;
/** The first delivery's moment, after the inserts; the last one's is a minute later. */
const LEAD_MS = 20_000;
const SPREAD_MS = Number(process.env.BENCH_REMINDERS_SPREAD_MS ?? 60_000);
/** How long after the last moment everything must have arrived before the bench gives up. */
const DRAIN_MS = 180_000;
const TARGET = { p95Ms: 5000, maxMs: 30_000 };

export default async function remindersBench(ctx: BenchContext): Promise<void> {
  await withScratchDatabase(async (url) => {
    const orm = await MikroORM.init({ ...ormOptions(url, ENTITIES), pool: { min: 0, max: 4 } });
    const sink = await startSmtpSink({ parse: PARSE });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-bench-workers-'));
    const workers: WorkerProcess[] = [];
    try {
      await migrate(orm);
      const env = {
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
        PAYMENTS_MODE: 'off',
        TEST_PLAIN_MESSAGES: 'true',
      };
      const started = performance.now();
      // One after the other: two workers first started together on a fresh database race to
      // create Agenda's tables and one dies (duplicate key on agenda_jobs_single_job_idx).
      for (let i = 0; i < WORKERS; i += 1) {
        const worker = await spawnNpmScript('worker', env);
        workers.push(worker);
        await worker.waitForOutput('Serenity worker is up', 120_000);
      }
      ctx.log(`${WORKERS} workers up in ${((performance.now() - started) / 1000).toFixed(1)} s; sink ${PARSE ? 'parses each mail (as the mail capture does)' : 'reads headers only'}`);

      const first = Date.now() + LEAD_MS;
      const messages: OutboxMessage[] = Array.from({ length: COUNT }, (_, i) => ({
        subject: { type: SubjectType.CONSULTATION, id: randomUUID() },
        kind: MessageKind.REMINDER_24H,
        channel: DeliveryChannel.EMAIL,
        side: RecipientSide.ATTENDEE,
        recipient: { email: `reminder-${i}@client.test` },
        dueAt: new Date(first + Math.floor((i * SPREAD_MS) / COUNT)),
      }));
      const insertStarted = performance.now();
      const perTransaction = Math.ceil(COUNT / TRANSACTIONS);
      for (let i = 0; i < COUNT; i += perTransaction) {
        await orm.em.fork().transactional((tx) => enqueue(tx, messages.slice(i, i + perTransaction)));
      }
      const insertMs = performance.now() - insertStarted;
      ctx.log(`${COUNT} deliveries decided in ${TRANSACTIONS} transactions in ${(insertMs / 1000).toFixed(1)} s, due over ${SPREAD_MS / 1000} s from ${((first - Date.now()) / 1000).toFixed(1)} s on`);
      if (Date.now() > first) ctx.log('  (the inserts ran past the first moment: early lags include them)');

      // Until every message arrived (or the drain time ran out), then a little longer for late duplicates.
      const deadline = first + SPREAD_MS + DRAIN_MS;
      while (new Set(sink.mails.map((m) => m.messageId)).size < COUNT && Date.now() < deadline) await sleep(500);
      await sleep(3000);

      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await report(ctx, sink, pool);
      } finally {
        await pool.end();
      }

      for (const worker of workers) worker.child.kill('SIGTERM');
      const exits = await Promise.all(workers.map((w) => w.exited));
      if (exits.some((e) => e.code !== 0)) ctx.log(`worker exits: ${JSON.stringify(exits)}`);
    } finally {
      for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await sink.stop();
      await orm.close(true);
      await rm(dataDir, { recursive: true, force: true });
    }
  });
}

async function report(ctx: BenchContext, sink: SmtpSink, pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ message_id: string; recipient_email: string; due_at: Date; status: string; attempts: number; sent_at: Date | null }>(
    'SELECT message_id, recipient_email, due_at, status, attempts, sent_at FROM notification_delivery',
  );
  const byMessageId = new Map(rows.map((r) => [r.message_id, r]));
  const firstArrival = new Map<string, number>();
  let repeated = 0;
  let unknown = 0;
  const perRecipient = new Map<string, number>();
  for (const mail of sink.mails) {
    for (const to of mail.to) perRecipient.set(to.toLowerCase(), (perRecipient.get(to.toLowerCase()) ?? 0) + 1);
    if (!mail.messageId || !byMessageId.has(mail.messageId)) {
      unknown += 1;
      continue;
    }
    if (firstArrival.has(mail.messageId)) repeated += 1;
    else firstArrival.set(mail.messageId, mail.receivedAt);
  }
  const recipientsOff = rows.filter((r) => perRecipient.get(r.recipient_email.toLowerCase()) !== 1).length;
  const missing = rows.length - firstArrival.size;
  const notSent = rows.filter((r) => r.status !== 'SENT');
  const retried = rows.filter((r) => r.attempts !== 1).length;

  const lags = [...firstArrival].map(([id, at]) => at - byMessageId.get(id)!.due_at.getTime()).sort((a, b) => a - b);
  const early = lags.filter((l) => l < 0).length;
  const [p50, p95, max] = [quantile(lags, 0.5), quantile(lags, 0.95), lags.at(-1) ?? NaN];
  const arrivals = sink.mails.map((m) => m.receivedAt);
  const spanS = arrivals.length > 1 ? (Math.max(...arrivals) - Math.min(...arrivals)) / 1000 : 0;

  ctx.log(`received ${sink.mails.length} mails for ${rows.length} deliveries (${firstArrival.size} distinct, ${missing} missing, ${unknown} unknown) over ${spanS.toFixed(1)} s = ${(sink.mails.length / Math.max(spanS, 1e-3)).toFixed(0)} mails/s (needed: ${SPREAD_MS > 0 ? `${(rows.length / (SPREAD_MS / 1000)).toFixed(0)}/s` : 'all at once'})`);
  ctx.log(`lag after due: p50 ${sec(p50)}, p95 ${sec(p95)}, max ${sec(max)}, min ${sec(lags[0] ?? NaN)}${early > 0 ? ` — ${early} sent BEFORE their moment` : ''}`);
  ctx.log(`duplicates: ${repeated} Message-ID(s) received again; ${recipientsOff} recipient(s) without exactly one mail; ${retried} delivery(ies) with attempts ≠ 1`);
  ctx.log(`statuses: ${notSent.length === 0 ? `all ${rows.length} SENT` : `${notSent.length} not SENT (${[...new Set(notSent.map((r) => r.status))].join(', ')})`}`);
  if (PARSE) ctx.log(`sink parsing (mailparser, as the mail capture): ${(sink.parseMs() / Math.max(sink.mails.length, 1)).toFixed(2)} ms/mail (wall, overlapping), ${(sink.parseMs() / 1000).toFixed(1)} s in all`);

  ctx.figure({ goal: 'P5', name: `lag after due, p95 (${rows.length} due within ${SPREAD_MS / 1000} s, ${WORKERS} workers)`, value: p95 / 1000, unit: 's', target: { atMost: TARGET.p95Ms / 1000 } });
  ctx.figure({ goal: 'P5', name: 'lag after due, max', value: max / 1000, unit: 's', target: { atMost: TARGET.maxMs / 1000 } });
  ctx.figure({ goal: 'P5', name: 'duplicates (repeated Message-IDs + recipients ≠ 1 mail)', value: repeated + recipientsOff, target: { atMost: 0 } });

  const problems = [
    notSent.length > 0 && `${notSent.length} deliveries not SENT`,
    missing > 0 && `${missing} deliveries never received`,
    early > 0 && `${early} sent before their moment`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`reminders check failed: ${problems.join('; ')}`);
}

const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
