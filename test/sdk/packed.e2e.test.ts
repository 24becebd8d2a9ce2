/**
 * A partner's plain JavaScript against a running server, with the SDK installed from its
 * tarball into an empty folder: no TypeScript anywhere. Run with the project's Node and, when
 * the machine has one, the system's (Node 20, the oldest the SDK supports).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall } from '../support/sdk-package.js';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
let server: TestServer;
let sdk: Awaited<ReturnType<typeof packAndInstall>>;
beforeAll(async () => {
  [server, sdk] = await Promise.all([startTestServer(), packAndInstall()]);
  await writeFile(path.join(sdk.project, 'journey.mjs'), JOURNEY);
});
afterAll(async () => {
  await rm(sdk.tmp, { recursive: true, force: true });
  await server.stop();
});

// Sign in, find slots, book with the free trial, see a typed error, survive an access token
// the server refuses (automatic refresh, tokens handed to onTokens), cancel (so it reruns).
const JOURNEY = `
import { createSerenityClient, MeDocument, SerenityError } from '@serenity/sdk';

const persisted = [];
const serenity = createSerenityClient({ url: process.argv[2], onTokens: (session) => { persisted.push(session && session.refreshToken); } });
const out = { node: process.versions.node };

const session = await serenity.login('jane.smith@acme.example', 'Serenity-Demo-2026!');
out.user = session.user.displayName;

const from = new Date(Date.now() + 26 * 3_600_000);
const to = new Date(from.getTime() + 14 * 86_400_000);
const slots = await serenity.openSlots({ skills: ['Business Strategy'], from: from.toISOString(), to: to.toISOString(), durationMinutes: 15, timeZone: 'Europe/London' });
out.slots = slots.length;

const booking = await serenity.bookConsultation({ consultantId: slots[0].consultantId, start: slots[0].start, durationMinutes: 15, useFreeTrial: true, purpose: 'Partner smoke test', idempotencyKey: crypto.randomUUID() });
out.booking = { status: booking.status, start: booking.start === slots[0].start, code: booking.code };

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
  for (const [label, node] of [['the project\'s Node', process.execPath], ['the system Node', systemNode]] as const) {
    it.skipIf(node === undefined)(`signs in, finds slots, books, refreshes and cancels with ${label}`, async () => {
      const { stdout } = await run(node!, ['journey.mjs', server.graphqlUrl], { cwd: sdk.project });
      const out = JSON.parse(stdout) as Record<string, any>;
      expect(out).toMatchObject({
        user: 'Jane Smith',
        booking: { status: 'SCHEDULED', start: true },
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
