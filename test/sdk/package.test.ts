/**
 * The packed SDK (npm pack in sdk/, installed from the tarball into an empty folder): what it
 * ships, that it imports nothing of the server nor of Node (and its browser bundle nothing at
 * all), and that a partner's TypeScript project compiles against it under the strictest
 * settings a partner may use.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { preset as clientPreset } from '@graphql-codegen/client-preset';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall, ROOT, TSC, type PackedSdk } from '../support/sdk-package.js';

const run = promisify(execFile);
let sdk: PackedSdk & { tmp: string; project: string };
let installed: string;
beforeAll(async () => {
  sdk = await packAndInstall();
  installed = path.join(sdk.project, 'node_modules/@serenity/sdk');
});
afterAll(() => rm(sdk.tmp, { recursive: true, force: true }));

/** Every module specifier a file imports or re-exports (static, type-only and dynamic). */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((ref) => ref.fileName);
}

async function filesUnder(dir: string, ext: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && ext.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

describe('the packed SDK', () => {
  it('ships dist (JavaScript, .d.ts, schema.graphql), README, CHANGELOG and package.json only', async () => {
    const outside = sdk.files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'CHANGELOG.md'].includes(f));
    expect(outside).toEqual([]);
    expect(sdk.files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/client.js', 'dist/live.js', 'dist/generated/gql.js', 'dist/browser/serenity-sdk.js', 'dist/schema.graphql', 'CHANGELOG.md', 'README.md']),
    );
    expect(sdk.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);

    const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as Record<string, any>;
    expect(manifest['version']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest['exports']['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(manifest['exports']['./browser']).toEqual({ types: './dist/index.d.ts', default: './dist/browser/serenity-sdk.js' });
    expect(manifest['dependencies']).toEqual({ '@graphql-typed-document-node/core': expect.any(String), 'graphql-ws': expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    const changelog = await readFile(path.join(installed, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${manifest['version']}`);
    // The schema partners generate their types from is the API's, as committed.
    expect(await readFile(path.join(installed, 'dist/schema.graphql'), 'utf8')).toBe(await readFile(path.join(ROOT, 'schema.graphql'), 'utf8'));
  });

  it('imports nothing but its own files, graphql-ws’s client and a types-only dependency (no server code, no Node built-ins); the browser bundle nothing', async () => {
    const foreign: string[] = [];
    const allowed = (spec: string, file: string) =>
      file.endsWith('.d.ts') ? spec === '@graphql-typed-document-node/core' : spec === 'graphql-ws/client' && !file.includes(`${path.sep}browser${path.sep}`);
    for (const file of await filesUnder(path.join(installed, 'dist'), /\.(js|d\.ts)$/)) {
      for (const spec of specifiers(await readFile(file, 'utf8'))) {
        const ownFile = spec.startsWith('./') || spec.startsWith('../');
        if (!ownFile && !allowed(spec, file)) foreign.push(`${path.relative(installed, file)}: ${spec}`);
        if (ownFile && !path.resolve(path.dirname(file), spec).startsWith(path.join(installed, 'dist'))) foreign.push(`${path.relative(installed, file)}: ${spec}`);
      }
    }
    expect(foreign).toEqual([]);
    // One self-contained module: a page imports it as it is (no bare specifiers to resolve).
    const bundle = await readFile(path.join(installed, 'dist/browser/serenity-sdk.js'), 'utf8');
    expect(specifiers(bundle)).toEqual([]);
    expect(bundle).toMatch(/export\s*\{[^}]*createSerenityClient/);
    expect(bundle).not.toMatch(/\bnode:|require\(/);
    // The source too: nothing under sdk/src reaches out of it (into src/ of the server).
    const escapes: string[] = [];
    for (const file of await filesUnder(path.join(ROOT, 'sdk/src'), /\.ts$/)) {
      for (const spec of specifiers(await readFile(file, 'utf8'))) {
        if (spec.startsWith('.') && !path.resolve(path.dirname(file), spec).startsWith(path.join(ROOT, 'sdk/src'))) escapes.push(`${path.relative(ROOT, file)}: ${spec}`);
      }
    }
    expect(escapes).toEqual([]);
  });

  it("compiles a partner's TypeScript project under strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, noPropertyAccessFromIndexSignature", async () => {
    await writeFile(
      path.join(sdk.project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          // A browser partner's. No Node types; the SDK itself builds without DOM too
          // (sdk/tsconfig.build.json), but graphql's .d.ts (a peer of its types-only
          // dependency, which npm installs) name AbortSignal.
          lib: ['ES2022', 'DOM'],
          types: [],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noPropertyAccessFromIndexSignature: true,
          noImplicitOverride: true,
          skipLibCheck: false, // the SDK's .d.ts are checked too
          noEmit: true,
        },
        include: ['partner.ts', 'own/**/*.ts'],
      }),
    );
    await writeFile(
      path.join(sdk.project, 'partner.ts'),
      `import { ConsultantScheduleDocument, createSerenityClient, isSerenityError, MeDocument, OpenSlotsDocument, SerenityError, TypedDocumentString, type LiveStatusEvent, type Session } from '@serenity/sdk';
import { createSerenityClient as createBrowserClient } from '@serenity/sdk/browser';

declare const stored: { accessToken: string; refreshToken: string } | undefined;
let saved: Session | null = null;
const serenity = createSerenityClient({
  url: 'https://api.example.com/graphql',
  accessToken: stored?.accessToken,
  refreshToken: stored?.refreshToken,
  onTokens: (session) => { saved = session; },
});

export async function journey(): Promise<string> {
  const session = await serenity.login('jane.smith@acme.example', 'secret');
  const org: string | undefined = session.user.organization?.name;
  const slots = await serenity.openSlots({ skills: ['Business Strategy'], from: '2030-01-01T00:00:00Z', to: '2030-01-08T00:00:00Z', durationMinutes: 60, timeZone: 'Europe/London' });
  const first = slots[0];
  if (!first) return org ?? 'none';
  const booking = await serenity.bookConsultation({ consultantId: first.consultantId, start: first.start, durationMinutes: 60, purpose: 'Pricing' });
  const { me } = await serenity.request(MeDocument);
  const { openSlots } = await serenity.request(OpenSlotsDocument, { input: { consultantId: first.consultantId, from: first.start, to: first.end, durationMinutes: 60, timeZone: 'UTC' } });
  // @ts-expect-error: the variables are required
  await serenity.request(OpenSlotsDocument);
  // @ts-expect-error: a field the document does not select
  void booking.noSuchField;
  // A partner's own typed document (what graphql-codegen's client preset generates).
  const own = new TypedDocumentString<{ me: { id: string } | null }, { [key: string]: never }>('query Own { me { id } }');
  const mine = await serenity.request(own);
  return [booking.code, me?.email, openSlots.length, mine.me?.id, saved?.accessToken].join(' ');
}

declare const NodeWebSocket: unknown; // e.g. the ws package's default export on Node 20
const statuses: LiveStatusEvent[] = [];
const live = createBrowserClient({ url: '/graphql', webSocketImpl: NodeWebSocket, reconnectAttempts: 10, keepAliveMs: 15_000, onLiveStatus: (event) => { statuses.push(event); } });

export async function follow(id: string): Promise<string[]> {
  const seen: string[] = [];
  for await (const consultation of live.consultationUpdated({ id })) {
    seen.push(consultation.status, consultation.consultant.displayName);
    // @ts-expect-error: not selected
    void consultation.noSuchField;
    if (consultation.status === 'COMPLETED') break;
  }
  const schedule = serenity.subscribe(ConsultantScheduleDocument, { consultantId: 'c' });
  const next = await schedule.next();
  if (!next.done) seen.push(next.value.consultantSchedule.kind, next.value.consultantSchedule.previousStart ?? '');
  await schedule.return();
  // @ts-expect-error: consultantId is required
  serenity.subscribe(ConsultantScheduleDocument);
  for await (const balance of serenity.creditBalanceChanged()) seen.push(String(balance.availableCredits), String(balance.freeTrial.available));
  for await (const note of serenity.notificationReceived()) seen.push(note.title);
  const stop = serenity.onLiveStatus((event) => { if (event.status === 'live' && event.reconnected) seen.push('reload'); });
  stop();
  seen.push(serenity.liveStatus, statuses[0]?.closeCode?.toString() ?? '');
  await serenity.dispose();
  return seen;
}

export function describeError(error: unknown): string {
  if (isSerenityError(error, 'TOO_MANY_SUBSCRIPTIONS')) return String(error.closeCode ?? 4429);
  if (isSerenityError(error, 'PAYMENT_REQUIRED')) return error.reason ?? 'pay first';
  if (error instanceof SerenityError) return \`\${error.code} \${error.field ?? ''} \${error.retryAfterSeconds ?? 0}\`;
  return 'unknown';
}
`,
    );
    // Their own operation, typed by graphql-codegen's client preset from the shipped schema
    // (the README's "Your own operations, typed"), run through the SDK's request.
    await mkdir(path.join(sdk.project, 'own'));
    await writeFile(
      path.join(sdk.project, 'own/upcoming.ts'),
      `import type { SerenityClient } from '@serenity/sdk';
import { graphql } from './gql/index.js';

const Upcoming = graphql(\`query Upcoming($days: Int) { upcomingConsultations(days: $days) { date consultations { id start } } }\`);

export async function nextStart(serenity: SerenityClient): Promise<string | undefined> {
  const { upcomingConsultations } = await serenity.request(Upcoming, { days: 7 });
  // @ts-expect-error: not selected
  void upcomingConsultations[0]?.consultations[0]?.end;
  return upcomingConsultations[0]?.consultations[0]?.start;
}
`,
    );
    await generate(
      {
        cwd: sdk.project,
        silent: true,
        schema: 'node_modules/@serenity/sdk/dist/schema.graphql',
        documents: 'own/**/*.ts',
        emitLegacyCommonJSImports: false, // NodeNext wants the .js of relative imports
        generates: {
          'own/gql/': {
            preset: clientPreset,
            presetConfig: { fragmentMasking: false },
            config: { documentMode: 'string', useTypeImports: true, strictScalars: true, scalars: { DateTime: 'string', Date: 'string', TimeZone: 'string' } },
          },
        },
      },
      true,
    );
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: sdk.project }).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    expect(result).toEqual({ code: 0, output: '' });
  });
});
