/**
 * The figures each benchmark reports against its target, and the table `npm run bench` ends
 * with: the performance goals P1 … P7 of issue 18 in order, each with its label and its
 * figures (or a line saying it was not measured in this run, e.g. under a filter), then the
 * other figures and the benches that threw; ✓ when a target is met, ✗ when not. Targets live in
 * the benches; this only compares, orders and prints.
 */

/** The performance goals of issue 18 the README's table reports (P1 booking ratio … P7 memory). */
export type Goal = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7';

/** What each goal measures, as the table labels it. */
export const GOALS: Record<Goal, string> = {
  P1: 'bookConsultation through GraphQL vs the same transaction in raw SQL, 32 clients',
  P2: '200 clients racing for 10 slots',
  P3: 'openSlots p95, 30 days, 1,000 bookings',
  P4: 'read path (packages, openSlots) through the server vs bare graphql-js + pg, 32 clients',
  P5: 'reminders: 10,000 emails due within a minute, two workers',
  P6: 'live subscribers on one instance, and from instance A to B',
  P7: 'RSS of the built server, idle and during the booking load',
};

const GOAL_ORDER = Object.keys(GOALS) as Goal[];

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

export const targetText = ({ target, unit }: Figure): string =>
  'atLeast' in target ? `≥ ${withUnit(String(target.atLeast), unit)}` : 'atMost' in target ? `≤ ${withUnit(String(target.atMost), unit)}` : `< ${withUnit(String(target.below), unit)}`;

const withUnit = (value: string, unit?: string) => (unit ? `${value} ${unit}` : value);
/** Counts as they are (10, 0); measurements with 3 significant digits or one decimal. */
const decimals = (value: number) => (Number.isInteger(value) ? String(value) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));
export const valueText = (figure: Figure): string => withUnit(decimals(figure.value), figure.unit);

/** The rows of each goal in goal order (each goal's rows as reported), then the rows of no goal. */
export function byGoal<T extends { goal?: Goal | null }>(rows: T[]): { goals: Array<{ goal: Goal; rows: T[] }>; other: T[] } {
  return { goals: GOAL_ORDER.map((goal) => ({ goal, rows: rows.filter((row) => row.goal === goal) })), other: rows.filter((row) => row.goal == null) };
}

/** The goals no row reports. */
export const notMeasured = (rows: Array<{ goal?: Goal | null }>): Goal[] => GOAL_ORDER.filter((goal) => !rows.some((row) => row.goal === goal));

/** The summary table's lines; `failed` names the benches that threw (their figures are missing). */
export function summaryTable(rows: Row[], failed: string[] = []): string[] {
  if (rows.length === 0 && failed.length === 0) return [];
  const cells = (row: Row) => [row.bench, row.name, valueText(row), targetText(row), meets(row) ? '✓' : '✗'];
  const { goals, other } = byGoal(rows);
  const failedCells = failed.map((bench) => [bench, 'failed (see above): no figures', '—', '—', '✗']);
  const body = [...goals.flatMap((g) => g.rows.map(cells)), ...other.map(cells), ...failedCells];
  const header = ['bench', 'figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
  const line = (c: string[]) => `    ${c.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd();

  const lines = [line(header), line(widths.map((w) => '─'.repeat(w)))];
  for (const { goal, rows: mine } of goals) {
    lines.push(mine.length > 0 ? `${goal}  ${GOALS[goal]}` : `${goal}  ${GOALS[goal]} — not measured in this run`);
    lines.push(...mine.map(cells).map(line));
  }
  if (other.length + failedCells.length > 0) lines.push('other figures', ...other.map(cells).map(line), ...failedCells.map(line));
  const missed = body.filter((c) => c[4] === '✗').length;
  const missing = notMeasured(rows);
  lines.push(
    (missed === 0 ? `every target met (${body.length})` : `${missed} of ${body.length} missed`) + (missing.length > 0 ? `; not measured in this run: ${missing.join(', ')}` : ''),
  );
  return lines;
}
