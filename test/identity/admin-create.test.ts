import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import pg from 'pg';

/** npm run admin:create, as an operator runs it, against a real database. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

function adminCreate(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'scripts/admin-create.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, JWT_SECRET: 'x'.repeat(40), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function admins(): Promise<Array<{ email: string; role: string; verified: boolean }>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string; role: string; verified: boolean }>(
      "SELECT email, role, email_verified_at IS NOT NULL AS verified FROM app_user WHERE role = 'ADMIN' ORDER BY email",
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe('npm run admin:create', () => {
  it('creates a verified admin, email lower-cased', async () => {
    const { code, out } = await adminCreate(['--email', 'Ops@Example.com', '--first-name', 'Olga', '--last-name', 'Ops'], { ADMIN_PASSWORD: 'Adm1n-Passw0rd!' });
    expect(out).toContain('Created admin ops@example.com');
    expect(code).toBe(0);
    expect(await admins()).toEqual([{ email: 'ops@example.com', role: 'ADMIN', verified: true }]);
  });

  it('refuses a duplicate email, a weak password and missing arguments, creating nothing', async () => {
    const duplicate = await adminCreate(['--email', 'ops@example.com', '--first-name', 'O', '--last-name', 'P', '--password', 'Adm1n-Passw0rd!']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.out).toContain('already exists');

    const weak = await adminCreate(['--email', 'weak@example.com', '--first-name', 'W', '--last-name', 'K', '--password', 'weak']);
    expect(weak.code).toBe(1);
    expect(weak.out).toContain('at least 10 characters');

    const missing = await adminCreate(['--email', 'x@example.com']);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('usage: npm run admin:create');

    expect((await admins()).map((a) => a.email)).toEqual(['ops@example.com']);
  });
});
