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
    const duplicate = await adminCreate(['--email', 'ops@example.com', '--first-name', 'O', '--last-name', 'P'], { ADMIN_PASSWORD: 'Adm1n-Passw0rd!' });
    expect(duplicate.code).toBe(1);
    expect(duplicate.out).toContain('already exists');

    const weak = await adminCreate(['--email', 'weak@example.com', '--first-name', 'W', '--last-name', 'K'], { ADMIN_PASSWORD: 'weak' });
    expect(weak.code).toBe(1);
    expect(weak.out).toContain('at least 10 characters');

    const missing = await adminCreate(['--email', 'x@example.com']);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('usage: npm run admin:create');

    expect((await admins()).map((a) => a.email)).toEqual(['ops@example.com']);
  });

  it('refuses --password (it would stay in the shell history), creating nothing', async () => {
    const { code, out } = await adminCreate(['--email', 'argv@example.com', '--first-name', 'A', '--last-name', 'V', '--password', 'Adm1n-Passw0rd!']);
    expect(code).toBe(2);
    expect(out).toContain('--password is not accepted');
    expect(out).toContain('ADMIN_PASSWORD');
    expect((await admins()).map((a) => a.email)).toEqual(['ops@example.com']);
  });

  it('fails without a terminal to ask on and no ADMIN_PASSWORD, creating nothing', async () => {
    const { code, out } = await adminCreate(['--email', 'nostdin@example.com', '--first-name', 'N', '--last-name', 'S']);
    expect(code).toBe(1);
    expect(out).toMatch(/no terminal to ask for the password.*ADMIN_PASSWORD/);
    expect((await admins()).map((a) => a.email)).toEqual(['ops@example.com']);
  });

  it('asks twice in a terminal without showing what is typed', async () => {
    const { code, out } = await inTerminal(['--email', 'tty@example.com', '--first-name', 'T', '--last-name', 'Y'], ['Typed-Passw0rd-42', 'Typed-Passw0rd-42']);
    expect(out).toContain('Created admin tty@example.com');
    expect(out).not.toContain('Typed-Passw0rd-42');
    expect(code).toBe(0);
    expect((await admins()).map((a) => a.email)).toEqual(['ops@example.com', 'tty@example.com']);
  });

  it('creates nothing when the two typed passwords differ', async () => {
    const { code, out } = await inTerminal(['--email', 'typo@example.com', '--first-name', 'T', '--last-name', 'P'], ['Typed-Passw0rd-42', 'Typed-Passw0rd-43']);
    expect(code).toBe(1);
    expect(out).toContain('do not match');
    expect((await admins()).map((a) => a.email)).toEqual(['ops@example.com', 'tty@example.com']);
  });
});

/**
 * Runs admin:create in a pseudo-terminal (util-linux `script`), typing each answer once the
 * prompt for it has appeared; `out` is everything the terminal showed.
 */
function inTerminal(args: string[], answers: string[]) {
  const command = [process.execPath, '--import', '@swc-node/register/esm-register', 'scripts/admin-create.ts', ...args].map((a) => `'${a}'`).join(' ');
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', DATABASE_URL: database.url, JWT_SECRET: 'x'.repeat(40) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let prompts = 0;
    const onOutput = (c: Buffer) => {
      out += c.toString();
      const seen = out.match(/password/gi)?.length ?? 0;
      // Each prompt names the password; answer it once, then wait for the next.
      while (prompts < answers.length && seen > prompts) child.stdin.write(`${answers[prompts++]}\r`);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('exit', (code) => resolve({ code, out }));
  });
}
