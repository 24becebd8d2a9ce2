// npm run build (sdk/): a clean dist/ with the ES modules, their .d.ts and the API's
// schema.graphql (partners type their own operations against it; production has no
// introspection). npm pack runs it first (prepack), so a tarball never ships a stale build.
import { spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const sdk = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: sdk, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
copyFileSync(new URL('../../schema.graphql', import.meta.url), new URL('../dist/schema.graphql', import.meta.url));
