// npm run build (sdk/): a clean dist/ with the ES modules, their .d.ts and the API's
// schema.graphql (partners type their own operations against it; production has no
// introspection), and dist/browser/serenity-sdk.js: the same API as one ES module with
// graphql-ws inside, for a page that loads it without a bundler (the dashboard serves it).
// npm pack runs it first (prepack), so a tarball never ships a stale build.
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const sdk = fileURLToPath(new URL('..', import.meta.url));
const tsc = require.resolve('typescript/bin/tsc');

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: sdk, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
copyFileSync(new URL('../../schema.graphql', import.meta.url), new URL('../dist/schema.graphql', import.meta.url));

// From the built JavaScript (what tsc checked), resolved as a browser would: graphql-ws's
// "browser" export is its client alone.
const { build } = await import('esbuild');
await build({
  absWorkingDir: sdk,
  entryPoints: ['dist/index.js'],
  outfile: 'dist/browser/serenity-sdk.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
