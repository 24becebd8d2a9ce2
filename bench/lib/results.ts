/**
 * bench/results.json: what `npm run bench` measured, where and when. Written after every run
 * with the figures of that run only (a filtered run says which benches ran and which goals it
 * did not measure; merging with an older run would mix machines and loads in one table).
 * The README's Performance table is markdownTable of the committed file.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { byGoal, GOALS, meets, notMeasured, targetText, valueText, type Figure, type Goal, type Row } from './summary.js';

export interface Machine {
  cpus: { model: string; count: number };
  memoryBytes: number;
  /** e.g. "Linux 6.1.0-28-cloud-amd64 (linux x64)". */
  os: string;
  /** The Node.js version that ran the benches (the servers they start run the same). */
  node: string;
  /** 1-, 5- and 15-minute load averages: the machine may be shared, and the figures show it. */
  loadAverage: { atStart: number[]; atEnd: number[] };
}

export interface Commit {
  /** git rev-parse HEAD; null outside a git checkout. */
  sha: string | null;
  /** Uncommitted changes to tracked files when the run started. */
  dirty: boolean | null;
}

export interface ResultFigure {
  goal: Goal | null;
  bench: string;
  name: string;
  /** null when it could not be computed (JSON has no NaN). */
  value: number | null;
  unit: string | null;
  target: Figure['target'];
  met: boolean;
}

export interface Results {
  machine: Machine;
  commit: Commit;
  startedAt: string;
  durationSeconds: number;
  /** The filters of `npm run bench -- <filter>…` (none: every bench). */
  filters: string[];
  /** The bench files this run ran. */
  benches: string[];
  figures: ResultFigure[];
  /** Goals no figure of this run reports. */
  notMeasured: Goal[];
  /** Benches that threw. */
  failed: string[];
}

/** The results of one run, its figures in goal order (P1 … P7, then the others) with their verdict. */
export function benchResults(run: {
  machine: Machine;
  commit: Commit;
  startedAt: Date;
  durationSeconds: number;
  filters: string[];
  benches: string[];
  rows: Row[];
  failed: string[];
}): Results {
  const { goals, other } = byGoal(run.rows);
  const figures = [...goals.flatMap((g) => g.rows), ...other].map(
    (row): ResultFigure => ({
      goal: row.goal ?? null,
      bench: row.bench,
      name: row.name,
      value: Number.isFinite(row.value) ? row.value : null,
      unit: row.unit ?? null,
      target: row.target,
      met: meets(row),
    }),
  );
  return {
    machine: run.machine,
    commit: run.commit,
    startedAt: run.startedAt.toISOString(),
    durationSeconds: Math.round(run.durationSeconds * 10) / 10,
    filters: run.filters,
    benches: run.benches,
    figures,
    notMeasured: notMeasured(run.rows),
    failed: run.failed,
  };
}

/** This machine now; `loadAtStart` is os.loadavg() taken before the first bench. */
export function machineNow(loadAtStart: number[]): Machine {
  const cpus = os.cpus();
  const round = (loads: number[]) => loads.map((l) => Math.round(l * 100) / 100);
  return {
    cpus: { model: cpus[0]?.model.trim() ?? 'unknown', count: cpus.length },
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} (${process.platform} ${process.arch})`,
    node: process.version,
    loadAverage: { atStart: round(loadAtStart), atEnd: round(os.loadavg()) },
  };
}

export function commitNow(cwd: string): Commit {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { sha: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no').length > 0 };
  } catch {
    return { sha: null, dirty: null };
  }
}

/** The README's table of `results`, and a last line naming the machine, the commit and the load. */
export function markdownTable(results: Results): string[] {
  const asFigure = (f: ResultFigure): Figure => ({ name: f.name, value: f.value ?? NaN, target: f.target, ...(f.unit ? { unit: f.unit } : {}) });
  const cells = (...c: string[]) => `|${c.map((cell) => (cell ? ` ${cell} ` : ' ')).join('|')}|`;
  const row = (goal: string, f: ResultFigure, name = f.name) => cells(goal, name, valueText(asFigure(f)), targetText(asFigure(f)), f.met ? '✓' : '✗');
  const { goals, other } = byGoal(results.figures);
  const lines = [cells('goal', 'figure', 'value', 'target', ''), '|---|---|--:|---|---|'];
  for (const { goal, rows } of goals) {
    const label = `${goal} ${GOALS[goal]}`;
    if (rows.length === 0) lines.push(cells(label, 'not measured in this run', '', '', ''));
    rows.forEach((f, i) => lines.push(row(i === 0 ? label : '', f)));
  }
  // The first row after the goals says the rest report none.
  other.forEach((f, i) => lines.push(row(i === 0 ? 'other' : '', f, `${f.name} (${f.bench})`)));
  results.failed.forEach((bench, i) => lines.push(cells(i === 0 && other.length === 0 ? 'other' : '', `${bench} failed: no figures`, '', '', '✗')));

  const { machine, commit } = results;
  const loads = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
  const at = `${results.startedAt.slice(0, 10)} ${results.startedAt.slice(11, 16)} UTC`;
  const where = commit.sha ? `at commit ${commit.sha.slice(0, 7)}${commit.dirty ? ' (uncommitted changes)' : ''}` : 'outside git';
  lines.push(
    '',
    `Measured ${at} ${where}, in ${(results.durationSeconds / 60).toFixed(1)} min, on ${machine.cpus.count} × ${machine.cpus.model}, ${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB, ${machine.os}, Node ${machine.node}; ` +
      `load average ${loads(machine.loadAverage.atStart)} at the start, ${loads(machine.loadAverage.atEnd)} at the end (1 / 5 / 15 min). Benches run: ${results.benches.join(', ')}.`,
  );
  return lines;
}
