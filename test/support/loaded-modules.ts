// A preload (node --import, through NODE_OPTIONS so the command line stays as it is) for tests,
// run by Node's own type stripping (erasable syntax only, no imports of our code):
// records the URL of every module the process loads, ES modules and require()d ones alike
// (module.registerHooks sees both), and writes them, one a line, to LOADED_MODULES_FILE at exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.LOADED_MODULES_FILE;
if (!file) throw new Error('loaded-modules.ts: set LOADED_MODULES_FILE');
const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(file, [...loaded].join('\n')));
