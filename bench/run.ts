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
 */
import 'reflect-metadata';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
