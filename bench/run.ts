/**
 * npm run bench [-- <filter>...]
 *
 * Runs every bench/*.bench.ts (only those whose file name contains one of the filters, when
 * given), one after the other. Each file default-exports
 * `async function (ctx: BenchContext): Promise<void>` and prints, through `ctx.log`, a baseline
 * and candidates measured in the same run, as ratios against the baseline (machine-independent),
 * and hands each headline figure with its target to `ctx.figure`: the run ends with one table of
 * them, ✓ or ✗. A missed target does not fail the run (p95 latencies depend on the machine): a
 * benchmark fails only when it throws (e.g. a broken ledger), and then the run exits non-zero
 * after the remaining files have run.
 *
 * The table lists the performance goals P1 … P7 first (a figure names its goal), and the run
 * writes bench/results.json (bench/lib/results.ts): the machine, the commit, the load average,
 * and the figures of this run only, naming the benches that ran (a filtered run does not merge
 * with an older one: one file, one machine, one load). BENCH_RESULTS names another file.
 */
import 'reflect-metadata';
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchResults, commitNow, machineNow } from './lib/results.js';
import { summaryTable, type Figure, type Row } from './lib/summary.js';

export interface BenchContext {
  /** Prints one line of the benchmark's report. */
  log: (line: string) => void;
  /** Records a headline figure and its target for the summary table. */
  figure: (figure: Figure) => void;
}

export type Benchmark = (ctx: BenchContext) => Promise<void>;

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2).filter((arg) => arg !== '--');
const files = (await readdir(dir))
  .filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((filter) => f.includes(filter))))
  .sort();
if (files.length === 0) {
  console.log(filters.length > 0 ? `No benchmark matches ${filters.map((f) => `"${f}"`).join(', ')}.` : 'No benchmarks yet: add bench/<name>.bench.ts.');
}

const startedAt = new Date();
const loadAtStart = os.loadavg();
const commit = commitNow(dir);
const failed: string[] = [];
const figures: Row[] = [];
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: unknown };
    if (typeof module.default !== 'function') throw new Error(`${file} must default-export an async function (ctx) => Promise<void>`);
    await (module.default as Benchmark)({ log: (line) => console.log(`  ${line}`), figure: (figure) => figures.push({ ...figure, bench: file }) });
    console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed.push(file);
    console.error(`  ✗ ${file} failed:`, error);
  }
}
const table = summaryTable(figures, failed);
if (table.length > 0) console.log(`\nSummary\n${table.map((line) => `  ${line}`).join('\n')}`);
if (files.length > 0) {
  const machine = machineNow(loadAtStart);
  const results = benchResults({ machine, commit, startedAt, durationSeconds: (Date.now() - startedAt.getTime()) / 1000, filters, benches: files, rows: figures, failed });
  const file = process.env.BENCH_RESULTS ?? path.join(dir, 'results.json');
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
  console.log(`\n${path.relative(process.cwd(), file)} written (load average ${load(machine.loadAverage.atStart)} at the start, ${load(machine.loadAverage.atEnd)} at the end, on ${machine.cpus.count} CPUs)`);
}
if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
