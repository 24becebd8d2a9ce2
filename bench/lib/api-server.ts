/**
 * A real API server for the benches, and setup through its API (what test/support does,
 * without vitest): `npm start` in a child process over a scratch database.
 */
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import pg from 'pg';
import { CreditSource, priorityOf } from '../../src/credits/credits.enums.js';

const PASSWORD = 'Correct-Horse-42';
/** The sessions grantSessions grants: 60 minutes. */
export const SESSION_MINUTES = 60;
/**
 * `npm start` (src/main.ts) — or, `built`, `npm run start:prod` (dist/src/main.js with its Node
 * flags, from package.json; build first) — in a child process over the scratch database: the load generator
 * does not share the server's event loop, and SIGTERM stops it the way production does (main.ts
 * exits once stopped; in-process, Agenda's lock timer would keep this process alive minutes).
 */
export async function startServer(databaseUrl: string, options: { env?: Record<string, string>; /** Before the script, e.g. --cpu-prof. */ nodeArgs?: string[]; /** The build (`npm run start:prod`'s command) instead of src/main.ts. */ built?: boolean } = {}): Promise<Server> {
  const started = performance.now();
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-bench-server-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (SERVER_SETTINGS.has(key)) delete env[key];
  const entry = options.built ? await startProdArgs() : ['--import', '@swc-node/register/esm-register', 'src/main.ts'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      SEED: 'false',
      // Every account of the setup registers from 127.0.0.1.
      AUTH_IP_LIMIT_PER_MINUTE: '100000',
      // One client asks for openSlots hundreds of times a minute: latency is measured, not the allowance.
      GRAPHQL_SEARCH_LIMIT_PER_MINUTE: '1000000',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      ...options.env,
    },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
      await rm(dataDir, { recursive: true, force: true });
    })());
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let waited = 0; ; waited += 100) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited during start-up:\n${output}`);
      if (waited > 120_000) throw new Error(`the server did not get ready in 2 minutes:\n${output}`);
      const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return new Server(base, child.pid!, performance.now() - started, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Node's arguments of `npm run start:prod` ("node --flag … dist/src/main.js"), so the bench measures what is shipped. */
async function startProdArgs(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = scripts['start:prod']!.split(/\s+/);
  if (command !== 'node') throw new Error(`start:prod is not "node …": ${scripts['start:prod']}`);
  return args;
}

/** Settings the server reads from the environment: only the bench's own reach it. */
const SERVER_SETTINGS = new Set([
  'NODE_ENV', 'HOST', 'PORT', 'TRUST_PROXY', 'DATA_DIR', 'DATABASE_URL', 'PUBLIC_URL', 'JWT_SECRET', 'LOG_LEVEL', 'LOG_PRETTY', 'SEED', 'BODY_LIMIT',
  'GRAPHQL_MAX_DEPTH', 'GRAPHQL_MAX_COMPLEXITY', 'GRAPHQL_MAX_ALIASES', 'GRAPHQL_MAX_ROOT_FIELDS', 'GRAPHQL_SEARCH_LIMIT_PER_MINUTE', 'GRAPHQL_IDE', 'JOBS_PROCESS_EVERY_MS', 'SHUTDOWN_TIMEOUT_MS', 'SMTP_URL', 'MAIL_FROM',
  'ACCESS_TOKEN_TTL_SECONDS', 'REFRESH_TOKEN_TTL_DAYS', 'AUTH_LOGIN_MAX_FAILURES', 'AUTH_LOGIN_WINDOW_MINUTES', 'AUTH_IP_LIMIT_PER_MINUTE',
]);

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export class Server {
  /** http://127.0.0.1:<port>/graphql */
  readonly url: string;

  constructor(
    readonly base: string,
    /** The server process: its memory is in /proc/<pid>/status. */
    readonly pid: number,
    readonly startupMs: number,
    readonly stop: () => Promise<void>,
  ) {
    this.url = `${base}/graphql`;
  }

  async gqlSized<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<{ data: T; size: number }> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let json: { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`Not a GraphQL response (HTTP ${response.status}): ${text.slice(0, 300)}`);
    }
    if (json.errors?.length) {
      throw new Error(`${query.slice(0, 60)}…: ${json.errors.map((e) => `${e.extensions?.code ?? ''} ${e.message}`).join('; ')}`);
    }
    return { data: json.data as T, size: text.length };
  }

  async gql<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
    return (await this.gqlSized<T>(query, variables, token)).data;
  }

  /** Like test/support/booking.ts: open every day around the clock, no notice, a 5-minute grid (unless told), no buffer, 90-day horizon. */
  async openAllHoursConsultant(email: string, slotStepMinutes = 5): Promise<{ id: string; token: string; firstMidnight: number }> {
    const data = await this.gql<{ register: { accessToken: string } }>(REGISTER, {
      input: { userType: 'CONSULTANT', email, password: PASSWORD, profile: { firstName: 'Sarah', lastName: 'White', title: 'Strategy Consultant' }, timeZone: 'America/New_York' },
    });
    const token = data.register.accessToken;
    const timeZone = noonZone();
    await this.gql(
      'mutation($input: WeeklyAvailabilityInput!) { setWeeklyAvailability(input: $input) { timeZone } }',
      {
        input: {
          timeZone,
          rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ start: '00:00', end: '24:00' }] })),
          slotStepMinutes,
          bufferMinutes: 0,
          maxSessionsPerDay: null,
          minNoticeMinutes: 0,
          horizonDays: 90,
        },
      },
      token,
    );
    const me = await this.gql<{ me: { consultantProfile: { id: string } } }>('{ me { consultantProfile { id } } }', {}, token);
    const firstMidnight = DateTime.now().setZone(timeZone).startOf('day').plus({ days: 1 }).toMillis();
    return { id: me.me.consultantProfile.id, token, firstMidnight };
  }

  /** Like test/support/booking.ts: a client of a new organization, verified through the emailed link (free trial included). */
  async verifiedClient(email: string, organizationName: string): Promise<{ token: string; userId: string; organizationId: string }> {
    const data = await this.gql<{ register: { accessToken: string; user: { id: string; organization: { id: string } } } }>(REGISTER, {
      input: {
        userType: 'CLIENT',
        email,
        password: PASSWORD,
        profile: { firstName: 'Wile', lastName: 'Coyote', title: 'CFO' },
        timeZone: 'Europe/Berlin',
        organizationName,
        organizationType: 'COMPANY',
      },
    });
    await this.gql('mutation($token: String!) { verifyEmail(token: $token) { id } }', { token: await this.verificationToken(email) });
    return { token: data.register.accessToken, userId: data.register.user.id, organizationId: data.register.user.organization.id };
  }

  /** The token of the verification mail to `email`, from the captured mail (GET /dev/mail.json). */
  private async verificationToken(email: string): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await fetch(`${this.base}/dev/mail.json?${new URLSearchParams({ to: email, kind: 'verify-email' })}`);
      const mails = (await response.json()) as Array<{ links: string[] }>;
      const link = mails[0]?.links.find((l) => l.includes('/verify-email?token='));
      const token = link && new URL(link).searchParams.get('token');
      if (token) return token;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no verification mail to ${email}`);
  }
}

export const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id organization { id } } } }';

/** A fixed-offset zone (Etc/GMT±N; the sign is inverted by POSIX) where it is 11:30–12:30 now (test/support/booking.ts). */
function noonZone(now = new Date()): string {
  const hour = now.getUTCHours() + now.getUTCMinutes() / 60;
  const offset = Math.round(12 - hour);
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** A PROMOTIONAL lot of `units` 60-minute sessions and its GRANT entry (what grantCredits writes), in one statement. */
export async function grantSessions(pool: pg.Pool, organizationId: string, units: number): Promise<void> {
  await pool.query(
    `WITH lot AS (
       INSERT INTO credit_lot (id, organization_id, package_id, kind, source, priority, session_minutes, allowed_block_minutes,
                               granted, adjusted, available, reserved, consumed, expired, revoked, expires_at, granted_at, created_at)
       VALUES (gen_random_uuid(), $1, NULL, 'SESSION', 'PROMOTIONAL', $4, $3, ARRAY[$3::int], $2::int, 0, $2::int, 0, 0, 0, 0, now() + interval '120 days', now(), now())
       RETURNING id, organization_id, granted
     )
     INSERT INTO credit_ledger_entry (organization_id, lot_id, type, units, reason, created_at)
     SELECT organization_id, id, 'GRANT', granted, 'Benchmark credits', now() FROM lot`,
    [organizationId, units, SESSION_MINUTES, priorityOf(CreditSource.PROMOTIONAL)],
  );
}

/** `fn(0) … fn(count - 1)`, at most `parallel` at a time, results in order. */
export async function inBatches<T>(count: number, parallel: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

/** Resident memory of a process (VmRSS of /proc/<pid>/status), in bytes. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib[1]) * 1024;
}
