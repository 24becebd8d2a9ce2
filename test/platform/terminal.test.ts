import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** `npm start` in a terminal (a pseudo-terminal from util-linux `script`), as a developer sees it. */
let dataDir: string;
let database: TestDatabase;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-terminal-'));
  database = await createTestDatabase();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
const count = (text: string, needle: string) => text.split(needle).length - 1;

async function until(condition: () => boolean, what: string, output: () => string): Promise<void> {
  for (const deadline = Date.now() + 30_000; !condition(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
  }
}

describe('npm start in a terminal', () => {
  it('prints the addresses and demo accounts once, then one line per request', async () => {
    const port = await freePort();
    const command = [process.execPath, '--import', '@swc-node/register/esm-register', 'src/main.ts'].map((a) => `'${a}'`).join(' ');
    child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', DATA_DIR: dataDir, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let raw = '';
    child.stdout!.on('data', (c: Buffer) => (raw += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (raw += c.toString()));
    const output = () => plain(raw);
    await until(() => output().includes('Serenity is up') && output().includes('/healthz'), 'start-up', output);
    // The seed's demo owner is welcomed to the free trial: that message goes out after start,
    // on its own schedule; wait for it, so it is not taken for a line of the request below.
    await until(() => output().includes('notifications dispatched'), 'the seeded welcome message', output);
    await new Promise((r) => setTimeout(r, 300)); // anything start-up still writes

    const banner = output();
    expect(count(banner, `http://localhost:${port}/healthz`), banner).toBe(1);
    expect(count(banner, 'admin@serenity.local'), banner).toBe(1);

    const before = banner.length;
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Catalog { packages { code } }' }),
    });
    expect(response.status).toBe(200);
    await until(() => output().length > before && output().endsWith('\n'), 'the request line', output);
    await new Promise((r) => setTimeout(r, 300));
    const after = output().slice(before).split('\n').filter((l) => l.trim() !== '');
    expect(after, after.join('\n')).toEqual([expect.stringMatching(/INFO.*POST \/graphql 200 \d+ ms query Catalog \{packages\} ok/)]);
  }, 60_000);
});
