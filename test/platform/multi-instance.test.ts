/**
 * Many instances on one database (issue 18): two API processes (`npm start`, JOBS=off) and one
 * worker (`npm run worker`) as real child processes on one PostgreSQL, Stripe's double and an
 * SMTP server, under a mixed load spread over both APIs (mixed-load.ts). Then: no booking lost,
 * doubled or invented and every conflict a CONFLICT; every purchase granted once whichever API
 * took its webhook(s); every email sent exactly once; subscribers on either API saw the
 * bookings made on the other; a SIGTERM of one API mid-load lost nothing it answered, and what
 * it refused went to the other; the invariant checks count 0.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterRig, type Cluster, type ClusterRig, type SmtpRecorder } from '../support/cluster.js';
import { liveClient, subscribe, subscribersAtLeast, type LiveSubscription } from '../support/live.js';
import { bookingProblems, invariantResults, mailCounts, purchaseProblems, waitForDrain } from '../support/load-checks.js';
import { emptyRecord, prepareWorld, startMixedLoad, type LoadWorld } from '../support/mixed-load.js';
import type { StripeDouble } from '../support/stripe-double.js';

let rig: ClusterRig;
let stripe: StripeDouble;
let mail: SmtpRecorder;
let cluster: Cluster;
let db: pg.Client;
const disposers: Array<() => unknown> = [];

beforeAll(async () => {
  rig = await startClusterRig();
  ({ stripe, mail, cluster, db } = rig);
}, 180_000);
afterAll(async () => {
  for (const dispose of disposers) await dispose();
  await rig?.close();
});

type ScheduleEvent = { consultantSchedule: { kind: string; consultation: { id: string } } };
const SCHEDULE = 'subscription($c: ID!) { consultantSchedule(consultantId: $c) { kind consultation { id } } }';

/** The admin's subscriptions to every racing consultant's schedule, on API `slot`. */
async function watch(world: LoadWorld, slot: number): Promise<{ subscriptions: Array<LiveSubscription<ScheduleEvent>>; booked(): Set<string>; closed: Promise<{ code: number }> }> {
  const url = cluster.graphqlUrl(slot)!;
  const live = liveClient(url, world.admin);
  disposers.push(() => live.client.dispose());
  const subscriptions = world.racing.map((c) => subscribe<ScheduleEvent>(live.client, SCHEDULE, { c: c.id }));
  await subscribersAtLeast(url, subscriptions.length);
  return {
    subscriptions,
    booked: () => new Set(subscriptions.flatMap((s) => s.events.filter((e) => e.consultantSchedule.kind === 'BOOKED').map((e) => e.consultantSchedule.consultation.id))),
    closed: live.closed,
  };
}

describe('two API processes and a worker on one database', () => {
  it('a mixed load across both loses and doubles nothing, runs every job once, carries events across, and survives a SIGTERM of one API', { timeout: 240_000 }, async () => {
    const world = await prepareWorld(cluster, mail, { clients: 8, racing: 2, slotsEach: 5, credits: 60 });
    const onA = await watch(world, 0);
    const onB = await watch(world, 1);
    const record = emptyRecord();
    const seed = Number(process.env.LOAD_SEED ?? Date.now() % 1_000_000);
    console.log(`multi-instance load seed: LOAD_SEED=${seed}`);

    // Phase 1: both APIs up. Every booking reaches the subscribers of both, whichever took it.
    let load = startMixedLoad({ cluster, world, stripe, databaseUrl: rig.database.url, seed, record });
    await new Promise((r) => setTimeout(r, 5000));
    await load.stop();
    const phaseOne = record.bookings.filter((b) => b.outcome === 'OK');
    expect(new Set(phaseOne.map((b) => b.api)), 'both APIs took bookings').toEqual(new Set([0, 1]));
    for (const watcher of [onA, onB]) {
      await expect.poll(() => phaseOne.filter((b) => !watcher.booked().has(b.id!)).map((b) => b.id), { timeout: 20_000, interval: 100 }).toEqual([]);
    }

    // Phase 2: SIGTERM API 1 while the load runs: it finishes what it took, refuses the rest, exits 0.
    load = startMixedLoad({ cluster, world, stripe, databaseUrl: rig.database.url, seed: seed + 1, record });
    await new Promise((r) => setTimeout(r, 1500));
    const stoppedUrl = cluster.graphqlUrl(1)!;
    const exit = await cluster.stopApi(1);
    expect(exit, cluster.logs()).toEqual({ code: 0, signal: null });
    await expect(fetch(stoppedUrl, { method: 'POST' })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 2500));
    await load.stop();
    expect(await onB.closed).toMatchObject({ code: expect.any(Number) });
    // What API 1 could not answer went to API 0 (the same idempotency key).
    expect(record.retried, 'requests retried on the other API after the stop').toBeGreaterThan(0);

    await waitForDrain(db);
    const bookings = await bookingProblems(db, world, record);
    expect(bookings).toEqual({ lost: [], extra: [], doubledAnswers: [], slotsHeldTwice: [], overlaps: [], cancelledStillHolding: [], wonNotScheduled: [], unexpectedAnswers: [] });
    const ok = record.bookings.filter((b) => b.outcome === 'OK');
    const conflicts = record.bookings.filter((b) => b.outcome === 'CONFLICT');
    // The load really raced: many lost, some were won on each API, some cancelled and won again.
    expect(conflicts.length).toBeGreaterThan(ok.length);
    expect(new Set(conflicts.map((b) => b.reason))).toEqual(new Set(['OVERLAPS']));
    expect(record.cancelled.length).toBeGreaterThan(0);
    // Every booking after phase 1 reached the subscriber of API 0 too.
    await expect.poll(() => ok.filter((b) => !onA.booked().has(b.id!)).map((b) => b.id), { timeout: 20_000, interval: 100 }).toEqual([]);

    expect(record.purchases.length).toBeGreaterThan(0);
    expect(await purchaseProblems(db, record)).toEqual([]);
    // However many deliveries, to one API or both at once: exactly one was processed.
    const processed = [...record.webhookOutcomes].filter(([, outcomes]) => outcomes.filter((o) => o === 'PROCESSED').length !== 1);
    expect(processed).toEqual([]);
    expect([...record.webhookOutcomes.values()].some((o) => o.length > 1)).toBe(true);

    expect(record.completed.length).toBeGreaterThan(0);
    const { rows: completed } = await db.query<{ id: string }>("SELECT id FROM consultation WHERE id = ANY($1) AND status = 'COMPLETED'", [record.completed]);
    expect(completed).toHaveLength(record.completed.length);

    // Every email sent exactly once (no duplicate across processes), the reminders made due among them.
    const mails = await mailCounts(db, mail);
    expect(mails.sent.filter((m) => m.received !== 1)).toEqual([]);
    expect(mails.unsentReceived).toEqual([]);
    const reminders = mails.sent.filter((m) => m.kind.startsWith('REMINDER'));
    expect(reminders.length).toBeGreaterThan(0);
    const { rows: dueReminders } = await db.query<{ id: string; status: string }>("SELECT id, status FROM notification_delivery WHERE id = ANY($1) AND channel = 'EMAIL'", [[...record.remindersMadeDue]]);
    expect(dueReminders.filter((r) => !['SENT', 'CANCELLED', 'SKIPPED'].includes(r.status))).toEqual([]);

    const results = await invariantResults(rig.database.url);
    expect(results.filter((r) => r.violations > 0)).toEqual([]);
    console.log(
      `multi-instance: ${ok.length} bookings won, ${conflicts.length} conflicts, ${record.cancelled.length} cancelled, ${record.purchases.length} purchases, ${record.completed.length} completed, ${reminders.length} reminder emails, ${mails.sent.length} emails, ${record.retried} retried after the stop`,
    );
  });
});
