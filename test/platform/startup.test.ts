import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSerenityClient } from '@serenity/sdk';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a user runs it: a real process with no DATABASE_URL, so it starts its own
 * embedded PostgreSQL in DATA_DIR.
 */
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-start-'));
  await chmod(dataDir, 0o755);
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  port: number;
  logs: () => string;
  exited: Promise<number | null>;
}

async function start(): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const up = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Serenity is up')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code} before it was up:\n${output}`));
    });
  });
  await up;
  return { child, port, logs: () => output, exited };
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return started.exited;
}

function embeddedPostgresPids(): Promise<number[]> {
  return new Promise((resolve) => {
    const ps = spawn('pgrep', ['-f', `postgres -D ${path.join(dataDir, 'postgres')}`]);
    let out = '';
    ps.stdout.on('data', (c: Buffer) => (out += c.toString()));
    ps.on('exit', () => resolve(out.split('\n').filter(Boolean).map(Number)));
  });
}

describe('npm start on an empty data folder', () => {
  it('starts, seeds, serves the 7 packages through the SDK, restarts without duplicates and stops cleanly on SIGTERM', async () => {
    const first = await start();
    const logs = first.logs();
    expect(logs).toContain('initialising embedded PostgreSQL cluster');
    expect(logs).toMatch(/"created":\{"catalog":7,"identity":4,"availability":2,"consultants":2\}/);
    expect(logs).toContain(`"graphql":"http://localhost:${first.port}/graphql"`);

    const client = createSerenityClient({ url: `http://127.0.0.1:${first.port}/graphql` });
    const packages = await client.packages();
    expect(packages.map((p) => p.code)).toEqual([
      'PKG-FREE-TRIAL',
      'PKG-DISCOVERY-ASSESSMENT',
      'PKG-STRATEGIC-PLANNING',
      'PKG-TRANSFORMATION-PARTNERSHIP',
      'PKG-QUARTERLY-ADVISORY',
      'PKG-ANNUAL-PARTNERSHIP',
      'PKG-WORKSHOP-TRAINING',
    ]);
    expect(await embeddedPostgresPids()).not.toEqual([]);

    // Exit code 0 without process.exit(): the event loop emptied, so no handle was left open.
    const tail = (s: Started) => s.logs().split('\n').slice(-15).join('\n');
    expect(await stop(first), tail(first)).toBe(0);
    expect(first.logs(), tail(first)).toContain('"openResources":[],"msg":"stopped"');
    expect(await embeddedPostgresPids()).toEqual([]);

    const second = await start();
    expect(second.logs()).not.toContain('initialising embedded PostgreSQL cluster');
    expect(second.logs()).toMatch(/"created":\{"catalog":0,"identity":0,"availability":0,"consultants":0\}/);
    const again = await createSerenityClient({ url: `http://127.0.0.1:${second.port}/graphql` }).packages(true);
    expect(again).toHaveLength(7);
    expect(await stop(second), tail(second)).toBe(0);
    expect(await embeddedPostgresPids()).toEqual([]);
  }, 120_000);
});
