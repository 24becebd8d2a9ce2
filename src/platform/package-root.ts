import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the nearest package.json above this module: the repository, whether the code
 * runs as src/ (npm start) or compiled in dist/src/ (npm run start:prod). Files read at run
 * time that are not compiled (emails/, the browser sources, the SDK source) are found from it.
 */
export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = packageRoot();
