import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/platform/embedded-postgres.js';

/**
 * An npm script of package.json run as npm runs it, but with the project's Node directly:
 * npm adds half a second per run and would stand between the test and the process's signals.
 */
export function npmScriptCommand(script: string): { command: string; args: string[] } {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [program, ...args] = scripts[script]!.split(/\s+/);
  if (program !== 'node') throw new Error(`npm script ${script} does not start with node: ${scripts[script]}`);
  return { command: process.execPath, args };
}

export interface ApiProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** stdout and stderr interleaved as they came. */
  output(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the output matches; rejects when the process exits first or after timeoutMs. */
  waitForOutput(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves on the first 200 from /readyz. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Last lines of the output, for assertion messages. */
  tail(lines?: number): string;
}

/**
 * `npm start` (or another npm script) as a user runs it, with no DATABASE_URL unless given.
 * `detached` puts it in its own process group, so the test can send what Ctrl-C sends.
 */
export async function spawnScript(options: {
  script?: string;
  args?: string[];
  /** Node's arguments instead of the script's (e.g. a build in another folder than dist/). */
  nodeArgs?: string[];
  dataDir: string;
  env?: Record<string, string>;
  detached?: boolean;
}): Promise<ApiProcess> {
  const port = await freePort();
  const script = npmScriptCommand(options.script ?? 'start');
  const command = script.command;
  const args = options.nodeArgs ?? script.args;
  const child = spawn(command, [...args, ...(options.args ?? [])], {
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: options.dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
    stderr += c.toString();
  });
  // 'close': the output pipes are drained too, so output() is complete once this resolves.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));

  const poll = async (check: () => Promise<boolean> | boolean, what: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (done) throw new Error(`process exited before ${what}:\n${output.split('\n').slice(-30).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${output.split('\n').slice(-30).join('\n')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  return {
    child,
    pid: child.pid!,
    port,
    output: () => output,
    stderr: () => stderr,
    exited,
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      poll(() => (typeof pattern === 'string' ? output.includes(pattern) : pattern.test(output)), String(pattern), timeoutMs),
    waitReady: (timeoutMs = 60_000) =>
      poll(
        async () => {
          try {
            return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
          } catch {
            return false;
          }
        },
        '/readyz to answer 200',
        timeoutMs,
      ),
    tail: (lines = 25) => output.split('\n').slice(-lines).join('\n'),
  };
}

/** PostgreSQL processes (postmaster and backends) running on this cluster folder. */
export function postgresProcessesOn(clusterDir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter((line) => line.includes(`postgres -D ${clusterDir} `))
    .map((line) => line.trim());
}

/** What a clean stop leaves: no PostgreSQL process and no postmaster.pid in the cluster folder. */
export function leftoverPostgres(clusterDir: string): string[] {
  const left = postgresProcessesOn(clusterDir);
  if (existsSync(path.join(clusterDir, 'postmaster.pid'))) left.push(`${clusterDir}/postmaster.pid still exists`);
  return left;
}

/** The port the running cluster listens on (line 4 of postmaster.pid). */
export function clusterPort(clusterDir: string): number {
  return Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
}

/** The embedded cluster's superuser URL for one database, read from DATA_DIR like the API does. */
export function clusterUrl(dataDir: string, clusterDir: string, database = 'serenity'): string {
  const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
  return `postgres://serenity:${encodeURIComponent(password)}@127.0.0.1:${clusterPort(clusterDir)}/${database}`;
}

/** Cleanup after a failed test: stops any PostgreSQL still running on the cluster folder. */
export function killPostgresOn(clusterDir: string): void {
  for (const line of postgresProcessesOn(clusterDir)) {
    try {
      process.kill(Number(line.split(/\s+/)[0]), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
