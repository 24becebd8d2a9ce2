/**
 * npm run bench [-- <filter>]
 *
 * Runs every bench/*.bench.ts. Each exports `suite: BenchSuite`: a baseline and candidates
 * measured in the same run, reported as ratios against the baseline (machine-independent),
 * never as absolute times to assert on.
 */
import 'reflect-metadata';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';

export interface BenchSuite {
  name: string;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  baseline: { name: string; fn: () => unknown };
  candidates: Array<{ name: string; fn: () => unknown }>;
}

const dir = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
if (files.length === 0) {
  console.log(filter ? `No benchmark matches "${filter}".` : 'No benchmarks yet: add bench/<name>.bench.ts exporting `suite`.');
}

for (const file of files) {
  const { suite } = (await import(pathToFileURL(path.join(dir, file)).href)) as { suite: BenchSuite };
  await suite.setup?.();
  try {
    const bench = new Bench({ name: suite.name, time: 1000 });
    for (const task of [suite.baseline, ...suite.candidates]) bench.add(task.name, task.fn);
    await bench.run();
    const baseline = bench.getTask(suite.baseline.name)?.result;
    const baselineMean = baseline && 'latency' in baseline ? baseline.latency.mean : NaN;
    console.log(`\n${suite.name} (${file})`);
    for (const task of bench.tasks) {
      const result = task.result;
      const mean = result && 'latency' in result ? result.latency.mean : NaN;
      console.log(`  ${task.name.padEnd(40)} ${(mean / baselineMean).toFixed(2)}× baseline`);
    }
  } finally {
    await suite.teardown?.();
  }
}
