/**
 * A partner's plain JavaScript against a running server, with the SDK installed from its
 * tarball into an empty folder: no TypeScript anywhere. Run with the project's Node and, when
 * the machine has one, the system's (Node 20, the oldest the SDK supports: no global
 * WebSocket, so the script passes the `ws` package, installed next to the SDK); and the
 * browser bundle (@serenity/sdk/browser) with the project's Node (global fetch and WebSocket).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall, ROOT } from '../support/sdk-package.js';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
let server: TestServer;
let sdk: Awaited<ReturnType<typeof packAndInstall>>;
beforeAll(async () => {
  [server, sdk] = await Promise.all([startTestServer(), packAndInstall()]);
  await writeFile(path.join(sdk.project, 'journey.mjs'), JOURNEY);
  // From npm's cache (ws is in the repository's lockfile): what a Node 20 partner adds.
  const ws = JSON.parse(await readFile(path.join(ROOT, 'node_modules/ws/package.json'), 'utf8')) as { version: string };
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `ws@${ws.version}`], { cwd: sdk.project });
});
afterAll(async () => {
  await rm(sdk.tmp, { recursive: true, force: true });
  await server.stop();
});

// Sign in, subscribe, find slots, book with the free trial and receive the booking's event,
// see a typed error, survive an access token the server refuses (automatic refresh, tokens
// handed to onTokens), cancel (so it reruns). argv: the URL, and the module to import.
const JOURNEY = `
const { createSerenityClient, MeDocument, SerenityError } = await import(process.argv[3]);
// Node 20 has no global WebSocket: the ws package stands in.
const webSocketImpl = globalThis.WebSocket ?? (await import('ws')).default;

const persisted = [];
const statuses = [];
const serenity = createSerenityClient({
  url: process.argv[2],
  webSocketImpl,
  onTokens: (session) => { persisted.push(session && session.refreshToken); },
  onLiveStatus: (event) => { statuses.push(event.status); },
});
const out = { node: process.versions.node };

const session = await serenity.login('jane.smith@acme.example', 'Serenity-Demo-2026!');
out.user = session.user.displayName;

// Every consultation Jane may see, as it changes.
const gauge = async () => Number(/^serenity_live_subscriptions (\\S+)$/m.exec(await (await fetch(new URL('/metrics', process.argv[2]))).text())?.[1]);
const before = await gauge();
const updates = serenity.consultationUpdated();
const nextUpdate = updates.next();
// Test scaffolding, not partner code: the server's gauge says the subscription is in place.
while (!((await gauge()) > before)) await new Promise((resolve) => setTimeout(resolve, 20));

const from = new Date(Date.now() + 26 * 3_600_000);
const to = new Date(from.getTime() + 14 * 86_400_000);
const slots = await serenity.openSlots({ skills: ['Business Strategy'], from: from.toISOString(), to: to.toISOString(), durationMinutes: 15, timeZone: 'Europe/London' });
out.slots = slots.length;

const booking = await serenity.bookConsultation({ consultantId: slots[0].consultantId, start: slots[0].start, durationMinutes: 15, useFreeTrial: true, purpose: 'Partner smoke test', idempotencyKey: crypto.randomUUID() });
out.booking = { status: booking.status, start: booking.start === slots[0].start, code: booking.code };
const { value: event } = await nextUpdate;
out.event = { sameBooking: event.id === booking.id, status: event.status, consultant: event.consultant.id === slots[0].consultantId };
await updates.return();
out.statuses = statuses;

try {
  await serenity.bookConsultation({ consultantId: slots[0].consultantId, start: slots[0].start, durationMinutes: 7, purpose: 'Odd length' });
} catch (error) {
  out.error = { isSerenityError: error instanceof SerenityError, code: error.code, field: error.field };
}

serenity.setAccessToken('not-a-token');
const { me } = await serenity.request(MeDocument);
out.afterRefresh = { email: me && me.email, persisted: persisted.length, rotated: persisted[1] !== persisted[0] && persisted[1] === serenity.tokens.refreshToken };

out.cancelled = (await serenity.cancelConsultation(booking.id, 'Smoke test over')).creditReleased;
await serenity.logout();
out.afterLogout = { tokens: serenity.tokens, lastPersisted: persisted.at(-1) };
console.log(JSON.stringify(out));
`;

const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((file) => existsSync(file) && file !== process.execPath);

describe('the packed SDK from plain JavaScript', () => {
  const runs = [
    ["the project's Node", process.execPath, '@serenity/sdk'],
    ['the system Node', systemNode, '@serenity/sdk'],
    ["the browser bundle on the project's Node", process.execPath, '@serenity/sdk/browser'],
  ] as const;
  for (const [label, node, entry] of runs) {
    it.skipIf(node === undefined)(`signs in, subscribes, finds slots, books, receives the event, refreshes and cancels with ${label}`, async () => {
      const { stdout } = await run(node!, ['journey.mjs', server.graphqlUrl, entry], { cwd: sdk.project, timeout: 25_000 });
      const out = JSON.parse(stdout) as Record<string, any>;
      expect(out).toMatchObject({
        user: 'Jane Smith',
        booking: { status: 'SCHEDULED', start: true },
        event: { sameBooking: true, status: 'SCHEDULED', consultant: true },
        statuses: ['connecting', 'live', 'idle'],
        error: { isSerenityError: true, code: 'BAD_USER_INPUT', field: 'input.durationMinutes' },
        afterRefresh: { email: 'jane.smith@acme.example', persisted: 2, rotated: true },
        cancelled: true,
        afterLogout: { tokens: null, lastPersisted: null },
      });
      expect(out['slots']).toBeGreaterThan(0);
      expect(out['booking'].code).toMatch(/^CNS-ACME-/);
    });
  }
});
