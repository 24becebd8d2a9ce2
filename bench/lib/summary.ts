/**
 * The figures each benchmark reports against its target, and the table `npm run bench` ends
 * with: one row per figure, ✓ when its target is met, ✗ when not (a benchmark that threw has
 * one ✗ row saying so). Targets live in the benches; this only compares and prints.
 */

/** The performance goals of issue 18 the README's table reports (P1 booking ratio … P7 memory). */
export type Goal = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7';

export interface Figure {
  /** Which performance goal this figure reports, when it reports one. */
  goal?: Goal;
  /** What was measured, e.g. "reserve, 1 organization: ratio to raw SQL". */
  name: string;
  value: number;
  /** Printed after the value and the target ("ms"); none for ratios. */
  unit?: string;
  /** Met when value ≥ atLeast, value ≤ atMost, or value < below. */
  target: { atLeast: number } | { atMost: number } | { below: number };
}

export interface Row extends Figure {
  bench: string;
}

export const meets = (figure: Figure): boolean =>
  'atLeast' in figure.target ? figure.value >= figure.target.atLeast : 'atMost' in figure.target ? figure.value <= figure.target.atMost : figure.value < figure.target.below;

const targetText = ({ target, unit }: Figure): string =>
  'atLeast' in target ? `≥ ${withUnit(String(target.atLeast), unit)}` : 'atMost' in target ? `≤ ${withUnit(String(target.atMost), unit)}` : `< ${withUnit(String(target.below), unit)}`;

const withUnit = (value: string, unit?: string) => (unit ? `${value} ${unit}` : value);
const decimals = (value: number) => (Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

/** The summary table's lines; `failed` names the benches that threw (their figures are missing). */
export function summaryTable(rows: Row[], failed: string[] = []): string[] {
  const body = [
    ...rows.map((row) => [
      row.bench,
      row.name,
      withUnit(decimals(row.value), row.unit),
      targetText(row),
      meets(row) ? '✓' : '✗',
    ]),
    ...failed.map((bench) => [bench, 'failed (see above): no figures', '—', '—', '✗']),
  ];
  if (body.length === 0) return [];
  const header = ['bench', 'figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const missed = body.filter((cells) => cells[4] === '✗').length;
  return [
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...body.map(line),
    missed === 0 ? `every target met (${body.length})` : `${missed} of ${body.length} missed`,
  ];
}
