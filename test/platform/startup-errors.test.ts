import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * `npm start` as an operator meets it when something outside is wrong: the process must say
 * which setting to fix and why in one line, and exit non-zero at once.
 */
let dataDir: string;
let database: TestDatabase;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-start-errors-'));
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  return new Promise<{ code: number | null; lines: string[] }>((resolve) => {
    const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_PRETTY: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    // Not a clean stop within 20 s is a failure of its own; the assertions below say which.
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, lines: output.split('\n').filter((l) => l.trim() !== '') });
    });
  });
}

/** Lines about the failure: the error line itself, or any stack frame or raw error dump. */
const failureLines = (lines: string[], pattern: RegExp) => lines.filter((l) => pattern.test(l) || /^\s+at |^\s*code: '|failed to start/.test(l));

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

describe('npm start with a database it cannot use', () => {
  it('names DATABASE_URL and "connection refused" in one line when nothing listens there', async () => {
    const port = await freePort();
    // It exits by itself (code 1, not the guard's SIGKILL): no retrying a refused connection.
    // How long it takes is mostly compiling the app at start, which depends on the machine's load.
    const { code, lines } = await start({ DATABASE_URL: `postgres://serenity:pw@127.0.0.1:${port}/serenity`, PORT: '0' });
    expect(code).toBe(1);
    const failure = failureLines(lines, /DATABASE_URL|ECONNREFUSED/);
    expect(failure).toEqual([expect.stringMatching(new RegExp(`^serenity: .*DATABASE_URL.*127\\.0\\.0\\.1:${port}.*refused.*\\(ECONNREFUSED\\)`))]);
    expect(failure[0]).not.toContain(':pw@');
  }, 30_000);

  it('names DATABASE_URL and the wrong password (28P01) in one line, without echoing it', async () => {
    const { code, lines } = await start({ DATABASE_URL: withPassword(database.url, 'not-the-password'), PORT: '0' });
    expect(code).toBe(1);
    const failure = failureLines(lines, /DATABASE_URL|28P01/);
    expect(failure).toEqual([expect.stringMatching(/^serenity: .*DATABASE_URL.*password.*\(28P01\)/)]);
    expect(failure[0]).not.toContain('not-the-password');
  }, 30_000);

  it('names DATABASE_URL and the missing database (3D000) in one line', async () => {
    const url = new URL(database.url);
    url.pathname = '/no_such_database';
    const { code, lines } = await start({ DATABASE_URL: url.toString(), PORT: '0' });
    expect(code).toBe(1);
    expect(failureLines(lines, /DATABASE_URL|3D000/)).toEqual([expect.stringMatching(/^serenity: .*DATABASE_URL.*database "no_such_database" does not exist.*\(3D000\)/)]);
  }, 30_000);
});

describe('npm start on a port already taken', () => {
  it('says once that PORT is in use, and exits 1', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const { code, lines } = await start({ DATABASE_URL: database.url, PORT: String(port) });
      expect(code).toBe(1);
      expect(lines.join('\n')).not.toContain('check your implementation');
      expect(failureLines(lines, /EADDRINUSE|in use/)).toEqual([expect.stringMatching(new RegExp(`^serenity: PORT ${port} is already in use on 127\\.0\\.0\\.1 .*\\(EADDRINUSE\\)`))]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 30_000);
});
