import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmScriptCommand, spawnScript, type ApiProcess } from '../support/api-process.js';
import { BOOK, grantSessions, gridStart, openAllHoursConsultant } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, REGISTER } from '../support/identity.js';
import type { TestServer } from '../support/server.js';

/**
 * `npm run build` and `npm run start:prod`: tsc's JavaScript in an out folder (inside the
 * repository, as dist/ is, so node_modules/ and the package root are found), started by plain
 * Node on an embedded PostgreSQL. It migrates from the compiled migrations, seeds, books, and
 * serves a web page, with no TypeScript runtime loaded.
 */
const run = promisify(execFile);
let outDir: string;
let dataDir: string;
const running: ApiProcess[] = [];

/** VmRSS of a process, in MB. */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function startIdle(options: { nodeArgs?: string[]; script?: string; env?: Record<string, string> }): Promise<{ api: ApiProcess; idleRssMb: number }> {
  const api = await spawnScript({
    ...options,
    dataDir,
    env: { NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789', PAYMENTS_MODE: 'off', AUTH_IP_LIMIT_PER_MINUTE: '100000', ...options.env },
  });
  running.push(api);
  await api.waitReady(120_000);
  // Idle: after start-up's seeding and first job runs have settled.
  await new Promise((r) => setTimeout(r, 3000));
  return { api, idleRssMb: rssMb(api.pid) };
}

async function stop(api: ApiProcess): Promise<void> {
  api.child.kill('SIGTERM');
  expect((await api.exited).code, api.tail()).toBe(0);
}

beforeAll(async () => {
  await mkdir('test-artifacts', { recursive: true });
  outDir = await mkdtemp(path.join('test-artifacts', 'build-'));
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-build-'));
}, 30_000);
afterAll(async () => {
  for (const api of running) if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
  await Promise.all(running.map((api) => api.exited));
  if (outDir) await rm(outDir, { recursive: true, force: true });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the production build', () => {
  it('start:prod runs dist/src/main.js with plain Node (a small young generation and a heap that grows slowly: README, Production build)', () => {
    expect(npmScriptCommand('start:prod').args).toEqual(['--max-semi-space-size=2', '--optimize-for-size', 'dist/src/main.js']);
    expect(npmScriptCommand('worker:prod').args).toEqual(['dist/src/worker.js']);
  });

  it('npm run build is tsc, then the prebuilt emails and pages (scripts/build-assets.ts)', () => {
    expect(npmScriptCommand('build').args.join(' ')).toMatch(/tsc -p tsconfig\.build\.json && node --import @swc-node\/register\/esm-register scripts\/build-assets\.ts dist$/);
  });

  it('compiles with tsc; the built server migrates, seeds, books a session, mails and serves /dashboard from its prebuilt files without loading mjml, esbuild, pdfkit or GraphiQL, and the built worker starts, without a TypeScript runtime', { timeout: 300_000 }, async () => {
    const tsc = path.join('node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { timeout: 120_000 });
    // What npm run build does next: the emails and pages prepared, beside the compiled code.
    await run(process.execPath, ['--import', '@swc-node/register/esm-register', 'scripts/build-assets.ts', outDir], { timeout: 120_000 });
    const main = path.join(outDir, 'src', 'main.js');

    // Every module the server loads, listed at its exit (the preload goes in NODE_OPTIONS: the command line stays [node, main]).
    const modulesFile = path.join(outDir, 'loaded-modules.txt');
    const { api, idleRssMb } = await startIdle({
      nodeArgs: [main],
      env: { NODE_OPTIONS: `--import=${pathToFileURL(path.resolve('test/support/loaded-modules.ts')).href}`, LOADED_MODULES_FILE: modulesFile },
    });
    const output = api.output();
    expect(output).toContain('"msg":"migrations applied"');
    // Nothing of swc in the process: no --import on its command line, no native binding mapped.
    const cmdline = readFileSync(`/proc/${api.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(cmdline.slice(1)).toEqual([main]);
    const maps = readFileSync(`/proc/${api.pid}/maps`, 'utf8');
    expect(maps).not.toMatch(/swc/);

    const server = { graphqlUrl: `http://127.0.0.1:${api.port}/graphql` } as TestServer;
    const admin = await demoSignIn(server, 'admin@serenity.local');
    const jane = await demoSignIn(server, 'jane.smith@acme.example');
    const me = await gqlOk<{ me: { organization: { id: string } } }>(server, '{ me { organization { id } } }', {}, jane);
    await grantSessions(server, admin, me.me.organization.id, 2);
    const consultant = await openAllHoursConsultant(server);
    const start = gridStart(24 * 60 + 120);
    const booked = await gqlOk<{ bookConsultation: { id: string; status: string; start: string } }>(
      server,
      BOOK,
      { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Built server' } },
      jane,
    );
    expect(booked.bookConsultation).toMatchObject({ status: 'SCHEDULED', start: start.toISOString() });

    // A mail: the verification email, its HTML from the prebuilt templates (MJML already turned into HTML).
    await gqlOk(server, REGISTER, {
      input: { userType: 'CLIENT', email: 'built@initech.example', password: 'Correct-Horse-42', profile: { firstName: 'Peter', lastName: 'Gibbons', title: 'Engineer' }, timeZone: 'UTC', organizationName: 'Initech', organizationType: 'COMPANY' },
    });
    const mails = (await (await fetch(`http://127.0.0.1:${api.port}/dev/mail.json?to=built@initech.example`)).json()) as Array<{ html: string; links: string[] }>;
    expect(mails).toHaveLength(1);
    expect(mails[0]!.html).toMatch(/^<!doctype html>/i);
    expect(mails[0]!.html).not.toContain('<mj-');
    expect(mails[0]!.links.some((link) => link.includes('/verify-email?token='))).toBe(true);

    // A web page and the widget's loader: bundled by npm run build, read from the out folder's prebuilt/.
    const dashboard = await fetch(`http://127.0.0.1:${api.port}/dashboard`);
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    const script = /src="(\/assets\/dashboard\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html.slice(0, 500)).toBeDefined();
    const asset = await fetch(`http://127.0.0.1:${api.port}${script}`);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(1000);
    const embed = await fetch(`http://127.0.0.1:${api.port}/book/embed.js`);
    expect(embed.status).toBe(200);
    expect(await embed.text()).toContain('postMessage');
    await stop(api);

    // What the built server loaded, start to stop: none of the tools the build ran for it, nor
    // the ones only a rare request needs (an invoice PDF, the IDE page).
    const loaded = readFileSync(modulesFile, 'utf8').split('\n');
    expect(loaded.length).toBeGreaterThan(500);
    expect(loaded.some((url) => url.includes('/node_modules/handlebars/'))).toBe(true);
    const heavy = loaded.filter((url) => /\/node_modules\/(mjml[^/]*|esbuild|pdfkit|fontkit|@graphql-yoga\/render-graphiql|cheerio|juice)\//.test(url));
    expect(heavy).toEqual([]);

    // The built worker on the same data folder: up, with no swc either.
    const worker = await spawnScript({ nodeArgs: [path.join(outDir, 'src', 'worker.js')], dataDir, env: { NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789', PAYMENTS_MODE: 'off' } });
    running.push(worker);
    await worker.waitForOutput('Serenity worker is up', 60_000);
    expect(readFileSync(`/proc/${worker.pid}/maps`, 'utf8')).not.toMatch(/swc/);
    await stop(worker);

    // The same data folder under `npm start`, for the figures (not asserted: a benchmark keeps them).
    const dev = await startIdle({ script: 'start' });
    await stop(dev.api);
    console.log(`idle RSS: built server ${idleRssMb.toFixed(0)} MB, npm start ${dev.idleRssMb.toFixed(0)} MB`);
  });
});
