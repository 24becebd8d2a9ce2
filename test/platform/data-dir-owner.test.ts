import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPostgresOn, postgresProcessesOn, spawnScript, type ApiProcess } from '../support/api-process.js';

/**
 * Two processes on one DATA_DIR: the second must never stop the PostgreSQL of a live first
 * one. A second `npm start` refuses, naming the first; `admin:create` uses the running database.
 */
let dataDir: string;
let clusterDir: string;
let first: ApiProcess;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-owner-'));
  await chmod(dataDir, 0o755); // reachable by the postgres user when tests run as root
  clusterDir = path.join(dataDir, 'postgres');
  first = await spawnScript({ dataDir });
  await first.waitReady();
}, 120_000);
afterAll(async () => {
  first.child.kill('SIGKILL');
  killPostgresOn(clusterDir);
  await rm(dataDir, { recursive: true, force: true });
});

const postmasterPid = () => Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

async function graphql(api: ApiProcess, query: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(`http://127.0.0.1:${api.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function stillServing(api: ApiProcess, postgresPid: number) {
  expect((await fetch(`http://127.0.0.1:${api.port}/readyz`)).status).toBe(200);
  expect((await graphql(api, '{ packages { code } }')).data?.packages).toHaveLength(7);
  expect(postmasterPid()).toBe(postgresPid);
}

describe('a second process on the DATA_DIR of a running npm start', () => {
  it('a second npm start refuses, naming the running one (pid, API and database ports); the first keeps answering', async () => {
    const postgresPid = postmasterPid();
    const second = await spawnScript({ dataDir });
    const giveUp = setTimeout(() => second.child.kill('SIGTERM'), 30_000); // it must not keep running
    const { code } = await second.exited;
    clearTimeout(giveUp);
    expect(code, second.output()).toBe(1);
    expect(second.stderr()).toContain(`DATA_DIR ${dataDir} is in use by a running node src/main.ts (pid ${first.pid}`);
    expect(second.stderr()).toContain(`API on http://localhost:${first.port}`);
    expect(second.stderr()).toContain(`embedded PostgreSQL on 127.0.0.1:${Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[3])}`);
    expect(second.output()).not.toContain('stopping a PostgreSQL left running');
    expect(second.stderr().trim().split('\n')).toHaveLength(1); // one line, no stack
    await stillServing(first, postgresPid);
  }, 60_000);

  it('admin:create creates the admin in the running database, which the first API then signs in', async () => {
    const postgresPid = postmasterPid();
    const admin = await spawnScript({
      script: 'admin:create',
      args: ['--email', 'owner-test@example.com', '--first-name', 'Olga', '--last-name', 'Ops'],
      dataDir,
      env: { ADMIN_PASSWORD: 'Adm1n-Passw0rd!' },
    });
    const { code } = await admin.exited;
    expect(code, admin.output()).toBe(0);
    expect(admin.output()).toContain('Created admin owner-test@example.com');
    await stillServing(first, postgresPid);
    const login = await graphql(first, 'mutation { login(email: "owner-test@example.com", password: "Adm1n-Passw0rd!") { accessToken } }');
    expect(login.errors).toBeUndefined();
    expect(login.data?.login).toMatchObject({ accessToken: expect.any(String) });
  }, 60_000);

  it('a PostgreSQL whose owner died (killed) is stopped and the cluster reused by the next npm start', async () => {
    const orphan = postmasterPid();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(postgresProcessesOn(clusterDir).join('\n')).toContain(String(orphan)); // left running

    first = await spawnScript({ dataDir });
    await first.waitReady();
    expect(first.output()).toContain('stopping a PostgreSQL left running on this data folder by an earlier run');
    expect(postmasterPid()).not.toBe(orphan);
    expect(() => process.kill(orphan, 0)).toThrow(); // stopped
    // The admin made above is still there: same cluster, same password.
    const login = await graphql(first, 'mutation { login(email: "owner-test@example.com", password: "Adm1n-Passw0rd!") { accessToken } }');
    expect(login.errors).toBeUndefined();

    process.kill(first.pid, 'SIGTERM');
    expect((await first.exited).code, first.tail()).toBe(0);
  }, 120_000);
});
