import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_APPLICATION_NAME } from '../../src/platform/live.js';
import { spawnScript, type ApiProcess } from '../support/api-process.js';
import { BOOK, grantSessions, gridStart, openAllHoursConsultant, type TestConsultant } from '../support/booking.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { liveClient, metric, subscribe, subscribersAtLeast } from '../support/live.js';
import type { TestServer } from '../support/server.js';

/**
 * Two API processes (`npm start`, as production runs them) on one database: a change made
 * through A reaches a subscriber connected to B, through PostgreSQL NOTIFY; B's LISTEN
 * connection, killed, comes back by itself.
 */
let database: TestDatabase;
let dataDir: string;
let a: ApiProcess;
let b: ApiProcess;
const running: ApiProcess[] = [];
const disposers: Array<() => unknown> = [];
const urlOf = (p: ApiProcess) => `http://127.0.0.1:${p.port}/graphql`;
// The test helpers only need the GraphQL URL of a server.
const asServer = (p: ApiProcess) => ({ graphqlUrl: urlOf(p) }) as TestServer;

async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const api = await spawnScript({
    dataDir,
    env: { NODE_ENV: 'test', DATABASE_URL: database.url, JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789', PAYMENTS_MODE: 'off', AUTH_IP_LIMIT_PER_MINUTE: '100000', ...env },
  });
  running.push(api);
  await api.waitReady(90_000);
  return api;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-live-'));
  // One after the other: A seeds the demo accounts, B finds them there.
  a = await startApi({});
  b = await startApi({ JOBS: 'off' });
}, 180_000);
afterAll(async () => {
  for (const dispose of disposers) await dispose();
  for (const api of running) api.child.kill('SIGKILL');
  await Promise.all(running.map((api) => api.exited));
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let day = 0;
const book = (token: string, consultant: TestConsultant) =>
  gqlOk<{ bookConsultation: { id: string } }>(asServer(a), BOOK, { input: { consultantId: consultant.id, start: gridStart(++day * 24 * 60 + 120).toISOString(), durationMinutes: 60, purpose: 'Across' } }, token).then(
    (d) => d.bookConsultation,
  );

describe('live status across API processes', () => {
  it('a booking on A reaches a subscriber on B within 1 s; after B’s LISTEN connection is killed, B closes its sockets with 1012 (reload) and later events arrive', { timeout: 90_000 }, async () => {
    const admin = await demoSignIn(asServer(a), 'admin@serenity.local');
    const jane = await demoSignIn(asServer(a), 'jane.smith@acme.example');
    const me = await gqlOk<{ me: { organization: { id: string } } }>(asServer(a), '{ me { organization { id } } }', {}, jane);
    await grantSessions(asServer(a), admin, me.me.organization.id, 5);
    const consultant = await openAllHoursConsultant(asServer(a));

    const live = liveClient(urlOf(b), admin);
    disposers.push(() => live.client.dispose());
    const schedule = subscribe<{ consultantSchedule: { kind: string; consultation: { id: string } } }>(live.client, 'subscription($c: ID!) { consultantSchedule(consultantId: $c) { kind consultation { id } } }', { c: consultant.id });
    await subscribersAtLeast(urlOf(b), 1);

    const started = Date.now();
    const first = await book(jane, consultant);
    const event = await schedule.event(0, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(event.consultantSchedule).toEqual({ kind: 'BOOKED', consultation: { id: first.id } });

    // Kill every LISTEN connection on the database (A's and B's): each process reconnects.
    const before = await metric(urlOf(b), 'serenity_live_listen_connections');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const killed = await client.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LIVE_APPLICATION_NAME]);
      expect(killed.rows).toHaveLength(2);
      await expect.poll(() => metric(urlOf(b), 'serenity_live_listen_connections'), { timeout: 10_000, interval: 50 }).toBeGreaterThan(before);
      await expect
        .poll(async () => (await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LIVE_APPLICATION_NAME])).rows[0].n, { timeout: 10_000 })
        .toBe(2);
    } finally {
      await client.end();
    }

    // Events published while B was deaf are lost: B tells its clients to reconnect and reload.
    expect(await live.closed).toEqual({ code: 1012, reason: 'Live updates were interrupted: reconnect and reload what you show.' });
    const again = liveClient(urlOf(b), admin);
    disposers.push(() => again.client.dispose());
    const resumed = subscribe<{ consultantSchedule: { kind: string; consultation: { id: string } } }>(again.client, 'subscription($c: ID!) { consultantSchedule(consultantId: $c) { kind consultation { id } } }', { c: consultant.id });
    await subscribersAtLeast(urlOf(b), 1);
    const second = await book(jane, consultant);
    expect((await resumed.event(0, 5000)).consultantSchedule).toEqual({ kind: 'BOOKED', consultation: { id: second.id } });
    expect(resumed.errors).toEqual([]);
    expect(schedule.events).toHaveLength(1);
    expect(b.output()).toContain('live LISTEN connection lost: reconnecting');
    // What operators see: events received and their lag on B.
    expect(await metric(urlOf(b), 'serenity_live_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(await metric(urlOf(b), 'serenity_live_connections')).toBe(1);
  });
});
