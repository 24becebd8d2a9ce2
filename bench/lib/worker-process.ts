import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../src/platform/embedded-postgres.js';

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the output contains `text`; rejects when the process exits first or after timeoutMs. */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
}

/**
 * An npm script (e.g. `worker`) as npm runs it but with this Node directly (as
 * test/support/api-process.ts does: npm would stand between us and the child's signals).
 */
export async function spawnNpmScript(script: string, env: Record<string, string>): Promise<WorkerProcess> {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [program, ...args] = scripts[script]!.split(/\s+/);
  if (program !== 'node') throw new Error(`npm script ${script} does not start with node: ${scripts[script]}`);
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  void exited.then(() => (done = true));
  const tail = () => output.split('\n').slice(-30).join('\n');
  return {
    child,
    output: () => output,
    exited,
    async waitForOutput(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (done) throw new Error(`${script} exited before "${text}":\n${tail()}`);
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for "${text}":\n${tail()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
