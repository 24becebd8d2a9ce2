/**
 * Chaos (issue 18): the multi-instance cluster (two APIs with JOBS=off, one worker) under the
 * same mixed load, while an API or the worker is SIGKILLed at seeded random moments and started
 * again. Killed mid-request, mid-transaction, mid-send: afterwards nothing answered is lost,
 * nothing is doubled, every payment Stripe (re)delivers is granted once, and every due email is
 * sent once — or twice with the same Message-ID, only where a kill fell between the SMTP
 * server's answer and the mark (invariants.md, I11; README "Delivering notifications").
 *
 * The seed is printed; CHAOS_SEED=<seed> replays the same choices (which process, when, the
 * load's picks). The machine's timing still varies, so a replay is the same plan, not the same
 * interleaving.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterRig, type Cluster, type ClusterRig, type SmtpRecorder } from '../support/cluster.js';
import { bookingProblems, invariantResults, mailCounts, purchaseProblems, waitForDrain } from '../support/load-checks.js';
import { emptyRecord, prepareWorld, startMixedLoad } from '../support/mixed-load.js';
import { seededRandom } from '../support/seeded-random.js';
import type { StripeDouble } from '../support/stripe-double.js';

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1_000_000));
/** Kills during the load (each followed by a restart). */
const KILLS = Number(process.env.CHAOS_KILLS ?? 3);

let rig: ClusterRig;
let stripe: StripeDouble;
let mail: SmtpRecorder;
let cluster: Cluster;
let db: pg.Client;

beforeAll(async () => {
  rig = await startClusterRig();
  ({ stripe, mail, cluster, db } = rig);
}, 180_000);
afterAll(async () => {
  await rig?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: SIGKILL an API or the worker at random moments under load', () => {
  it(`loses and doubles nothing, grants each payment once, sends each due email once (CHAOS_SEED=${SEED})`, { timeout: 300_000 }, async () => {
    console.log(`chaos seed: CHAOS_SEED=${SEED} (CHAOS_KILLS=${KILLS})`);
    const world = await prepareWorld(cluster, mail, { clients: 8, racing: 2, slotsEach: 5, credits: 60 });
    const record = emptyRecord();
    const random = seededRandom(SEED);
    const load = startMixedLoad({ cluster, world, stripe, databaseUrl: rig.database.url, seed: SEED + 1, record });

    const began = Date.now();
    const at = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
    const plan: string[] = [];
    let workerKills = 0;
    // Each process's restart runs in the background while the load and the plan go on.
    const restarting = new Map<string, Promise<unknown>>();
    for (let k = 0; k < KILLS; k += 1) {
      await sleep(500 + Math.floor(random() * 2500));
      const target = random() < 0.4 ? 'worker' : `api ${Math.floor(random() * 2)}`;
      const downFor = Math.floor(random() * 1000);
      // Only a running process can be killed, and never both APIs at once: a client behind the
      // balancer always has one to retry on. Waiting keeps the plan the seed's, whatever the timing.
      await restarting.get(target);
      if (target !== 'worker') await restarting.get(`api ${1 - Number(target.slice(4))}`);
      plan.push(`${at()}: ${target} killed, down ${downFor} ms`);
      if (target === 'worker') {
        await cluster.killWorker();
        workerKills += 1;
      } else {
        await cluster.killApi(Number(target.slice(4)));
      }
      restarting.set(
        target,
        sleep(downFor).then(() => (target === 'worker' ? cluster.startWorker() : cluster.startApi(Number(target.slice(4))))),
      );
    }
    await Promise.all(restarting.values());
    await sleep(1000);
    await load.stop();
    console.log(`chaos plan: ${plan.join('; ')}; load stopped at ${at()}`);

    // Stripe retries every event until it gets a 2xx: redeliver them all to both APIs.
    for (const p of record.purchases) {
      const event = stripe.events.find((e) => e.id === p.eventId)!;
      const answers = await Promise.all([0, 1].map((slot) => stripe.deliver(cluster.webhookUrl(slot)!, event)));
      for (const response of answers) {
        expect(response.status, response.text).toBe(200);
        record.webhookOutcomes.set(p.eventId, [...(record.webhookOutcomes.get(p.eventId) ?? []), (JSON.parse(response.text) as { outcome: string }).outcome]);
      }
    }
    await waitForDrain(db, 120_000, () => cluster.logs());
    console.log(`chaos: redelivered and drained at ${at()}`);

    // I1–I12 as the operator's check counts them.
    const results = await invariantResults(rig.database.url);
    expect(results.filter((r) => r.violations > 0), cluster.logs()).toEqual([]);

    // No booking lost, invented or doubled; no overlapping holding consultations.
    const bookings = await bookingProblems(db, world, record);
    expect(bookings).toEqual({ lost: [], extra: [], doubledAnswers: [], slotsHeldTwice: [], overlaps: [], cancelledStillHolding: [], wonNotScheduled: [], unexpectedAnswers: [] });
    expect(record.bookings.filter((b) => b.outcome === 'OK').length).toBeGreaterThan(0);

    // Every lot equals its ledger.
    const { rows: unequalLots } = await db.query(
      `SELECT l.id FROM credit_lot l LEFT JOIN (
         SELECT lot_id, sum(units) FILTER (WHERE type = 'GRANT') AS granted, sum(units) FILTER (WHERE type = 'RESERVE') AS reserved_in,
                coalesce(sum(units) FILTER (WHERE type = 'RELEASE'), 0) AS released, coalesce(sum(units) FILTER (WHERE type = 'CONSUME'), 0) AS consumed
           FROM credit_ledger_entry GROUP BY lot_id) t ON t.lot_id = l.id
        WHERE l.granted IS DISTINCT FROM t.granted OR l.consumed <> t.consumed
           OR l.reserved <> coalesce(t.reserved_in, 0) - t.released - t.consumed
           OR l.available <> l.granted + l.adjusted - l.reserved - l.consumed - l.expired - l.revoked`,
    );
    expect(unequalLots).toEqual([]);

    // No consultation without its reservation: every one of the load's (all paid by credits) drew from a lot.
    const { rows: unreserved } = await db.query(
      `SELECT c.id, c.status FROM consultation c
        WHERE c.consultant_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM credit_ledger_entry e WHERE e.consultation_id = c.id AND e.type = 'RESERVE')`,
      [[...world.racing.map((c) => c.id), world.runner.id]],
    );
    expect(unreserved).toEqual([]);
    const { rows: completedWithoutConsume } = await db.query(
      `SELECT c.id FROM consultation c WHERE c.status = 'COMPLETED' AND c.consultant_id = $1
          AND NOT EXISTS (SELECT 1 FROM credit_ledger_entry e WHERE e.consultation_id = c.id AND e.type = 'CONSUME')`,
      [world.runner.id],
    );
    expect(completedWithoutConsume).toEqual([]);

    // Every succeeded payment granted once, however many deliveries and kills; at most one delivery processed it.
    expect(record.purchases.length).toBeGreaterThan(0);
    expect(await purchaseProblems(db, record)).toEqual([]);
    expect([...record.webhookOutcomes].filter(([, o]) => o.filter((x) => x === 'PROCESSED').length > 1)).toEqual([]);

    // Every due email sent; a second copy only after a crash of its sender (same Message-ID, a second attempt).
    const mails = await mailCounts(db, mail);
    expect(mails.sent.filter((m) => m.received < 1 || m.received > 2 || (m.received === 2 && (m.attempts < 2 || workerKills === 0)))).toEqual([]);
    // A delivery the crashed sender had sent and a later run found no longer relevant (skipped) was still sent once at most.
    expect(mails.unsentReceived.filter((m) => m.received > 1 || workerKills === 0)).toEqual([]);
    const { rows: dueReminders } = await db.query<{ id: string; status: string }>("SELECT id, status FROM notification_delivery WHERE id = ANY($1) AND channel = 'EMAIL'", [[...record.remindersMadeDue]]);
    expect(dueReminders.length).toBeGreaterThan(0);
    expect(dueReminders.filter((r) => !['SENT', 'CANCELLED', 'SKIPPED'].includes(r.status))).toEqual([]);
    const duplicates = mails.sent.filter((m) => m.received === 2).length;
    console.log(
      `chaos: ${record.bookings.filter((b) => b.outcome === 'OK').length} bookings won, ${record.cancelled.length} cancelled, ${record.purchases.length} purchases, ${record.completed.length} completed, ${mails.sent.length} emails (${duplicates} sent twice after a worker kill), ${record.retried} requests retried`,
    );
  });
});
