import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { LIVE_APPLICATION_NAME, PgLiveBus, publish } from '../../src/platform/live.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

/** The PostgreSQL bus on its own: delivery on commit only, bounded buffers, small payloads. */
let harness: ServiceHarness;
let bus: PgLiveBus;
beforeAll(async () => {
  harness = await startServiceHarness();
  bus = new PgLiveBus(harness.database.url, pino({ level: 'silent' }));
  await bus.start();
});
afterAll(async () => {
  await bus?.stop();
  await harness?.stop();
});

describe('PgLiveBus', () => {
  it('delivers what a transaction published once it commits, and nothing of a rolled-back one', async () => {
    const received = bus.subscribe<{ n: number }>('test.commit');
    await harness
      .acrossTenants()
      .transactional(async (tx) => {
        await publish(tx, 'test.commit', { n: 1 });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await harness.acrossTenants().transactional((tx) => publish(tx, 'test.commit', { n: 2 }));
    expect((await received.next()).value).toEqual({ n: 2 });
    await received.return!();
    expect(bus.subscriberCount()).toBe(0);
  });

  it("hands a topic's messages to the process's own listeners (onTopic) without counting them as subscriptions, and says when it listens", async () => {
    const heard: unknown[] = [];
    bus.onTopic('test.process', (payload) => heard.push(payload));
    expect(bus.listening).toBe(true);
    await harness.acrossTenants().transactional((tx) => publish(tx, 'test.process', { n: 1 }));
    await expect.poll(() => heard).toEqual([{ n: 1 }]);
    expect(bus.subscriberCount()).toBe(0);
    const stopped = new PgLiveBus(harness.database.url, pino({ level: 'silent' }));
    expect(stopped.listening).toBe(false);
  });

  it('drops a subscriber that falls more than 1000 messages behind instead of buffering without bound', async () => {
    const slow = bus.subscribe<{ n: number }>('test.slow');
    const fast = bus.subscribe<{ n: number }>('test.slow');
    const seen: number[] = [];
    const reading = (async () => {
      for await (const m of fast) if (seen.push(m.n) === 1100) break;
    })();
    // Commits of 100, the reader keeping up between them (one commit's burst arrives at once).
    for (let batch = 0; batch < 11; batch++) {
      await harness.acrossTenants().transactional(async (tx) => {
        for (let n = batch * 100; n < (batch + 1) * 100; n++) await publish(tx, 'test.slow', { n });
      });
      await expect.poll(() => seen.length).toBe((batch + 1) * 100);
    }
    await reading;
    expect(seen).toHaveLength(1100);
    const kept: number[] = [];
    let dropped: unknown;
    try {
      for await (const m of slow) kept.push(m.n);
    } catch (error) {
      dropped = error;
    }
    // A typed error a client can act on (subscribe again, reload), kept as graphql-ws wraps
    // what a subscription's iterator throws into the error message it sends.
    expect(dropped).toBeInstanceOf(GraphQLError);
    expect((dropped as GraphQLError).message).toMatch(/more than 1000 events behind.*subscribe again/);
    const sent = new GraphQLError((dropped as Error).message, { originalError: dropped as Error }).toJSON();
    expect(sent.extensions).toEqual({ code: 'SLOW_CONSUMER', limit: 1000 });
    expect(kept).toEqual(Array.from({ length: 1000 }, (_, n) => n));
  });

  it('queues only what a subscriber accepts: a burst of others’ messages does not drop it', async () => {
    const mine = bus.subscribe<{ n: number }>('test.accept', (m) => m.n === 1999);
    await harness.acrossTenants().transactional(async (tx) => {
      for (let n = 0; n < 2000; n++) await publish(tx, 'test.accept', { n });
    });
    expect((await mine.next()).value).toEqual({ n: 1999 });
    await mine.return!();
  });

  it('refuses a payload PostgreSQL would refuse (8000 bytes), saying to publish ids', async () => {
    await expect(harness.acrossTenants().transactional((tx) => publish(tx, 'test.big', { blob: 'x'.repeat(8000) }))).rejects.toThrow(/publish ids, not rows/);
  });
  it('says when it is back after losing its LISTEN connection — not at the first start — and delivers again', async () => {
    const fresh = new PgLiveBus(harness.database.url, pino({ level: 'silent' }), { initialMs: 10, maxMs: 100 });
    let resumed = 0;
    fresh.onResumed(() => (resumed += 1));
    await fresh.start();
    try {
      expect(resumed).toBe(0);
      const admin = new pg.Client({ connectionString: harness.database.url });
      await admin.connect();
      try {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LIVE_APPLICATION_NAME]);
      } finally {
        await admin.end();
      }
      await expect.poll(() => fresh.connections, { timeout: 10_000, interval: 20 }).toBe(2);
      expect(resumed).toBe(1);
      const received = fresh.subscribe<{ n: number }>('test.resumed');
      await harness.acrossTenants().transactional((tx) => publish(tx, 'test.resumed', { n: 3 }));
      expect((await received.next()).value).toEqual({ n: 3 });
      await received.return!();
    } finally {
      await fresh.stop();
    }
  });
});
