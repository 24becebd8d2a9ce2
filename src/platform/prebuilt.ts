import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What `npm run build` prepares beside the compiled code (scripts/build-assets.ts): dist/prebuilt/
 * holds the email templates already turned from MJML into HTML and the web pages already bundled,
 * so the built server loads neither mjml nor esbuild (about 60 MB of resident memory between
 * them) and needs no emails/ or browser sources beside dist/. Found from this module: under
 * dist/src/platform/ it is dist/prebuilt/; under src/platform/ (npm start, the tests) there is
 * none, and the server compiles and bundles at run time from the sources, as it always did.
 */
export const PREBUILT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prebuilt');

/** A prebuilt JSON file (relative to PREBUILT_DIR), or undefined when the code runs from its sources. */
export function readPrebuiltJson<T>(file: string, dir: string = PREBUILT_DIR): T | undefined {
  const at = path.join(dir, file);
  return existsSync(at) ? (JSON.parse(readFileSync(at, 'utf8')) as T) : undefined;
}
