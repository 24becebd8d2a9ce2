import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { tenantScopeOf, type Caller } from './auth.js';
import { errors } from './errors.js';
import type { Logger } from './logger.js';
import { query, sql } from './sql.js';
import { scopeToTenant } from './tenant.js';

/**
 * Live status across API instances: a message published inside a transaction reaches every
 * instance's subscribers once that transaction commits. Today PostgreSQL LISTEN/NOTIFY carries
 * it (NOTIFY is delivered on commit only, and never for a rollback: after-commit for free); a
 * Redis adapter could implement the same `LiveBus` at very large fan-out.
 */
export interface LiveBus {
  /**
   * Messages of `topic` from now on, until the consumer returns (a `for await` ends or breaks).
   * `accept`: a cheap check on the ids, before the message is queued, so that a burst of others'
   * messages never fills this subscriber's buffer. Every subscriber of one message receives the
   * same (frozen) object: what is loaded for it is loaded once (`oncePerMessage`).
   */
  subscribe<T = unknown>(topic: string, accept?: (message: T) => boolean): AsyncIterableIterator<T>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * `listener` runs each time the bus is back after a gap in which messages were lost (the
   * LISTEN connection dropped and is established again): what subscribers were shown may be
   * stale, and they must be told to reload.
   */
  onResumed(listener: () => void): void;
  /**
   * Whether messages reach this process now (the LISTEN connection is up): a cache that is
   * dropped on a message may be trusted only while this is true.
   */
  readonly listening: boolean;
  /**
   * `listener` runs on every message of `topic`, for the process itself rather than for a
   * subscription (not counted as one): e.g. a cache dropped when another instance changes what it holds.
   */
  onTopic(topic: string, listener: (payload: unknown) => void): void;
}

/** One channel for every topic: each instance LISTENs once. */
export const LIVE_CHANNEL = 'serenity_live';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; messages carry ids only. */
const MAX_PAYLOAD_BYTES = 7900;
/** Messages kept for a subscriber that reads slower than they arrive; past it, it is dropped, not buffered without bound. */
const MAX_QUEUED = 1000;
/** The LISTEN connection's name in pg_stat_activity (operators, and the reconnect test, find it by it). */
export const LIVE_APPLICATION_NAME = 'serenity-live';

/** Sends `payload` (ids, small values) to `topic`'s subscribers on every instance when `em`'s transaction commits. */
export async function publish(em: EntityManager, topic: string, payload: unknown): Promise<void> {
  // sentAt: the delivery lag a receiving instance measures (clocks of one cluster agree closely enough).
  const text = JSON.stringify({ topic, payload, sentAt: Date.now() });
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new Error(`Live message for ${topic} is too large (${Buffer.byteLength(text)} bytes): publish ids, not rows.`);
  await query(em, sql`SELECT pg_notify(${LIVE_CHANNEL}, ${text})`);
}

interface Subscriber {
  push(message: unknown): void;
}

/**
 * The LISTEN side: one dedicated `pg` client per process, outside the ORM pool (a pooled
 * connection would be handed to other work). When it drops (a restart, pg_terminate_backend),
 * it reconnects with backoff and LISTENs again; messages sent while it was away are lost, so
 * clients reload on reconnect anyway.
 */
export class PgLiveBus implements LiveBus {
  private client: pg.Client | undefined;
  private readonly topics = new Map<string, Set<Subscriber>>();
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  /** Times the LISTEN connection was (re)established: tests and metrics follow reconnects with it. */
  connections = 0;
  private readonly resumed: Array<() => void> = [];
  private readonly topicListeners = new Map<string, Array<(payload: unknown) => void>>();
  /** Called for each message received: its topic, the subscribers it went to, seconds since it was published. */
  onMessage: ((topic: string, deliveries: number, lagSeconds: number | null) => void) | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly backoff = { initialMs: 100, maxMs: 5000 },
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  onResumed(listener: () => void): void {
    this.resumed.push(listener);
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  onTopic(topic: string, listener: (payload: unknown) => void): void {
    this.topicListeners.set(topic, [...(this.topicListeners.get(topic) ?? []), listener]);
  }

  /** Subscriptions this process serves now, over all topics. */
  subscriberCount(): number {
    let n = 0;
    for (const set of this.topics.values()) n += set.size;
    return n;
  }

  subscribe<T>(topic: string, accept?: (message: T) => boolean): AsyncIterableIterator<T> {
    const queue: unknown[] = [];
    let waiting: ((result: IteratorResult<T>) => void) | undefined;
    let failed: Error | undefined;
    let done = false;
    const set = this.topics.get(topic) ?? new Set<Subscriber>();
    this.topics.set(topic, set);
    const leave = () => {
      done = true;
      set.delete(subscriber);
      if (!set.size) this.topics.delete(topic);
    };
    const subscriber: Subscriber = {
      push: (message) => {
        if (accept && !accept(message as T)) return;
        if (waiting) {
          const resolve = waiting;
          waiting = undefined;
          resolve({ value: message as T, done: false });
        } else if (queue.length >= MAX_QUEUED) {
          // A typed error (SLOW_CONSUMER) that graphql-ws sends as the subscription's end.
          failed = errors.slowConsumer(MAX_QUEUED);
          this.logger.warn({ topic, limit: MAX_QUEUED }, 'slow live subscriber dropped');
          leave();
        } else queue.push(message);
      },
    };
    set.add(subscriber);
    const iterator: AsyncIterableIterator<T> = {
      next: () => {
        if (queue.length) return Promise.resolve({ value: queue.shift() as T, done: false });
        if (failed) return Promise.reject(failed);
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        leave();
        waiting?.({ value: undefined, done: true });
        waiting = undefined;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private dispatch(text: string | undefined): void {
    let message: { topic?: unknown; payload?: unknown; sentAt?: unknown };
    try {
      message = JSON.parse(text ?? '');
    } catch {
      this.logger.warn({ channel: LIVE_CHANNEL }, 'live message that is not JSON ignored');
      return;
    }
    if (typeof message.topic !== 'string') return;
    // One object for every subscriber (oncePerMessage keys its load by it): nobody may change it.
    if (message.payload !== null && typeof message.payload === 'object') Object.freeze(message.payload);
    const subscribers = [...(this.topics.get(message.topic) ?? [])];
    for (const subscriber of subscribers) subscriber.push(message.payload);
    for (const listener of this.topicListeners.get(message.topic) ?? []) listener(message.payload);
    this.onMessage?.(message.topic, subscribers.length, typeof message.sentAt === 'number' ? Math.max(0, Date.now() - message.sentAt) / 1000 : null);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: LIVE_APPLICATION_NAME, keepAlive: true });
    client.on('notification', (n) => {
      if (n.channel === LIVE_CHANNEL) this.dispatch(n.payload);
    });
    let established = false;
    let lost = false;
    const onLost = (error?: Error) => {
      // Before it is established, connect() rejects and its caller retries.
      if (lost || !established) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => {});
      if (this.stopped) return;
      this.logger.warn({ err: error }, 'live LISTEN connection lost: reconnecting');
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    established = true;
    this.client = client;
    this.attempt = 0;
    this.connections += 1;
    if (this.connections > 1) for (const listener of this.resumed) listener();
  }

  private scheduleReconnect(): void {
    const delay = Math.min(this.backoff.initialMs * 2 ** this.attempt, this.backoff.maxMs);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch((error: Error) => {
        this.logger.warn({ err: error, attempt: this.attempt }, 'live LISTEN reconnect failed: retrying');
        this.scheduleReconnect();
      });
    }, delay);
    this.retryTimer.unref();
  }
}

/** The bus of code that never serves subscriptions (scripts, service tests): publishing needs no bus at all. */
export const notListening: LiveBus = {
  subscribe() {
    throw new Error('This process does not serve live subscriptions.');
  },
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
  onResumed: () => undefined,
  listening: false,
  onTopic: () => undefined,
};

/**
 * `source`'s messages turned into what a subscriber receives, one at a time (`each` reloads and
 * authorizes; undefined: not for this subscriber). Not an async generator: ending the
 * subscription must end the wait for the next message at once, which a suspended generator
 * cannot do.
 */
export function liveMap<M, T>(source: AsyncIterableIterator<M>, each: (message: M) => Promise<T | undefined>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const message = await source.next();
        if (message.done) return { value: undefined, done: true };
        const value = await each(message.value);
        if (value !== undefined) return { value, done: false };
      }
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * `load` run once per message on this process, however many subscribers it reaches (each
 * subscriber then decides in memory whether the result is theirs): with 10,000 subscribers an
 * event is one read, not 10,000. Keyed by the message object, which the bus hands to every
 * subscriber alike, so it is forgotten with the message. The read crosses tenants on purpose
 * (a fresh EntityManager forked from the first subscriber's): the per-subscriber check after it
 * is the authorization, with the rules the queries use.
 */
export function oncePerMessage<M extends object, R>(topic: string, load: (message: M, em: EntityManager) => Promise<R>): (message: M, em: EntityManager) => Promise<R> {
  const loaded = new WeakMap<M, Promise<R>>();
  return (message, em) => {
    let result = loaded.get(message);
    if (!result) {
      liveLoads.inc({ topic });
      result = load(message, scopeToTenant(em.fork({ clear: true }), { all: true }));
      loaded.set(message, result);
    }
    return result;
  };
}

/** Loads of live messages (oncePerMessage), by topic: next to deliveries, what one event costs this process. */
const LOADS_METRIC = 'serenity_live_loads_total';
const liveLoads = new Counter({ name: LOADS_METRIC, help: 'Reads of what a live message names, once per message and process (not per subscriber), by topic.', labelNames: ['topic'] as const, registers: [] });

/**
 * A subscription's context, renewed for the next event: a fresh EntityManager (scoped to the
 * caller's tenant as at connect) so that each event reads current rows and per-request caches
 * (DataLoaders keyed by the EntityManager) do not grow for the subscription's lifetime.
 * Forked when first used: most selections of an event read nothing more, and 10,000 forks per
 * event would be 10,000 identity maps and units of work for the collector. Events of one
 * subscription are resolved one after the other, so replacing `em` is safe.
 */
export function renewForEvent<C extends { em: EntityManager; caller: Caller | null }>(ctx: C): C {
  const root = (roots.get(ctx) ?? roots.set(ctx, ctx.em).get(ctx))!;
  let em: EntityManager | undefined;
  Object.defineProperty(ctx, 'em', {
    configurable: true,
    enumerable: true,
    get: () => (em ??= scopeToTenant(root.fork({ clear: true }), tenantScopeOf(ctx.caller))),
    set: (value: EntityManager) => (em = value),
  });
  return ctx;
}

/** The EntityManager each subscription's context had at subscribe: its events' forks start from it, not from one another. */
const roots = new WeakMap<object, EntityManager>();

/** The bus's gauges on the app's registry: what /metrics shows of live status. */
export function registerLiveMetrics(registry: Registry, bus: PgLiveBus): void {
  // The loads are counted per process (the resolvers' loaders are module-level), on each app's registry.
  if (!registry.getSingleMetric(LOADS_METRIC)) registry.registerMetric(liveLoads);
  new Gauge({
    name: 'serenity_live_subscriptions',
    help: 'Live subscriptions this process serves.',
    registers: [registry],
    collect() {
      this.set(bus.subscriberCount());
    },
  });
  const events = new Counter({ name: 'serenity_live_events_total', help: 'Live messages received, by topic.', labelNames: ['topic'] as const, registers: [registry] });
  const deliveries = new Counter({ name: 'serenity_live_deliveries_total', help: 'Live messages handed to subscriptions (before their per-subscriber check), by topic.', labelNames: ['topic'] as const, registers: [registry] });
  const lag = new Histogram({
    name: 'serenity_live_delivery_lag_seconds',
    help: 'From publish (inside the transaction) to receipt by this instance.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  bus.onMessage = (topic, n, seconds) => {
    events.inc({ topic });
    deliveries.inc({ topic }, n);
    if (seconds !== null) lag.observe(seconds);
  };
  new Gauge({
    name: 'serenity_live_listen_connections',
    help: 'Times the LISTEN connection was established (1 + reconnects).',
    registers: [registry],
    collect() {
      this.set(bus.connections);
    },
  });
}
