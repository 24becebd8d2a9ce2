import { describe, expect, it } from 'vitest';
import { benchResults, markdownTable, type Machine } from '../../bench/lib/results.js';
import { GOALS, meets, notMeasured, summaryTable, type Row } from '../../bench/lib/summary.js';

const rows: Row[] = [
  { bench: 'credits.bench.ts', name: 'reserve, 1 organization: ratio to raw SQL', value: 0.83, target: { atLeast: 0.5 } },
  { bench: 'booking.bench.ts', goal: 'P3', name: 'openSlots p95', value: 12.34, unit: 'ms', target: { below: 20 } },
  { bench: 'booking.bench.ts', goal: 'P1', name: 'bookConsultation, lean selection: ratio to raw SQL', value: 0.41, target: { atLeast: 0.5 } },
];

describe('bench summary table', () => {
  it('compares each figure with its target, at the bound too', () => {
    expect(meets({ name: 'r', value: 0.5, target: { atLeast: 0.5 } })).toBe(true);
    expect(meets({ name: 'r', value: 0.49, target: { atLeast: 0.5 } })).toBe(false);
    expect(meets({ name: 'p', value: 20, target: { below: 20 } })).toBe(false);
    expect(meets({ name: 'p', value: 19.9, target: { below: 20 } })).toBe(true);
    expect(meets({ name: 'd', value: 0, target: { atMost: 0 } })).toBe(true);
    expect(meets({ name: 'd', value: 1, target: { atMost: 0 } })).toBe(false);
    // A figure that could not be computed (an empty percentile) misses whatever its target.
    expect(meets({ name: 'n', value: NaN, target: { atMost: 5 } })).toBe(false);
  });

  it('prints an atMost target as ≤', () => {
    const lines = summaryTable([{ bench: 'reminders.bench.ts', goal: 'P5', name: 'lag p95', value: 1.5, unit: 's', target: { atMost: 5 } }]);
    expect(lines).toContain(`P5  ${GOALS.P5}`);
    expect(lines).toContain('    reminders.bench.ts  lag p95  1.50 s  ≤ 5 s   ✓');
  });

  it('prints counts as whole numbers', () => {
    expect(summaryTable([{ bench: 'race.bench.ts', goal: 'P2', name: 'overlaps', value: 0, target: { atMost: 0 } }, { bench: 'race.bench.ts', goal: 'P2', name: 'booked', value: 10, target: { atLeast: 10 } }])).toEqual(
      expect.arrayContaining(['    race.bench.ts  overlaps      0  ≤ 0     ✓', '    race.bench.ts  booked       10  ≥ 10    ✓']),
    );
  });

  it('groups the figures by goal, P1 … P7 in order with their label, a line for each goal not measured, then the other figures and failed benches', () => {
    const lines = summaryTable(rows, ['broken.bench.ts']);
    expect(lines).toEqual([
      '    bench             figure                                                value  target',
      '    ────────────────  ──────────────────────────────────────────────────  ───────  ───────  ─',
      `P1  ${GOALS.P1}`,
      '    booking.bench.ts  bookConsultation, lean selection: ratio to raw SQL     0.41  ≥ 0.5    ✗',
      `P2  ${GOALS.P2} — not measured in this run`,
      `P3  ${GOALS.P3}`,
      '    booking.bench.ts  openSlots p95                                       12.3 ms  < 20 ms  ✓',
      `P4  ${GOALS.P4} — not measured in this run`,
      `P5  ${GOALS.P5} — not measured in this run`,
      `P6  ${GOALS.P6} — not measured in this run`,
      `P7  ${GOALS.P7} — not measured in this run`,
      'other figures',
      '    credits.bench.ts  reserve, 1 organization: ratio to raw SQL              0.83  ≥ 0.5    ✓',
      '    broken.bench.ts   failed (see above): no figures                            —  —        ✗',
      '2 of 4 missed; not measured in this run: P2, P4, P5, P6, P7',
    ]);
    expect(summaryTable([]), 'nothing ran: no table').toEqual([]);
  });

  it('keeps the order of a goal’s figures, and says when every target is met and every goal measured', () => {
    const all: Row[] = (Object.keys(GOALS) as Array<keyof typeof GOALS>).flatMap((goal) => [
      { bench: 'b.bench.ts', goal, name: `${goal} first`, value: 1, target: { atLeast: 1 } },
      { bench: 'b.bench.ts', goal, name: `${goal} second`, value: 0, target: { atMost: 0 } },
    ]);
    const lines = summaryTable([...all].reverse());
    expect(lines.filter((line) => /^P\d/.test(line))).toEqual(Object.entries(GOALS).map(([goal, label]) => `${goal}  ${label}`));
    const p1 = lines.indexOf(`P1  ${GOALS.P1}`);
    expect(lines.slice(p1 + 1, p1 + 3).map((line) => line.split(/\s{2,}/)[2])).toEqual(['P1 second', 'P1 first']);
    expect(lines).not.toContain('other figures');
    expect(lines.at(-1)).toBe('every target met (14)');
    expect(notMeasured(all)).toEqual([]);
    expect(notMeasured(rows)).toEqual(['P2', 'P4', 'P5', 'P6', 'P7']);
  });
});

describe('bench/results.json', () => {
  const machine: Machine = {
    cpus: { model: 'AMD EPYC 7B13', count: 2 },
    memoryBytes: 24 * 1024 ** 3,
    os: 'Linux 6.1.0 (linux x64)',
    node: 'v24.11.0',
    loadAverage: { atStart: [11.5, 5.8, 4.2], atEnd: [9, 8, 6] },
  };
  const results = benchResults({
    machine,
    commit: { sha: '95dccc1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', dirty: true },
    startedAt: new Date('2026-12-01T23:00:00.000Z'),
    durationSeconds: 612.345,
    filters: ['booking', 'credits'],
    benches: ['booking.bench.ts', 'credits.bench.ts'],
    rows,
    failed: ['broken.bench.ts'],
  });

  it('holds the machine, the commit, the time, what ran, and the figures ordered by goal with their verdict', () => {
    expect(results).toEqual({
      machine,
      commit: { sha: '95dccc1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', dirty: true },
      startedAt: '2026-12-01T23:00:00.000Z',
      durationSeconds: 612.3,
      filters: ['booking', 'credits'],
      benches: ['booking.bench.ts', 'credits.bench.ts'],
      figures: [
        { goal: 'P1', bench: 'booking.bench.ts', name: 'bookConsultation, lean selection: ratio to raw SQL', value: 0.41, unit: null, target: { atLeast: 0.5 }, met: false },
        { goal: 'P3', bench: 'booking.bench.ts', name: 'openSlots p95', value: 12.34, unit: 'ms', target: { below: 20 }, met: true },
        { goal: null, bench: 'credits.bench.ts', name: 'reserve, 1 organization: ratio to raw SQL', value: 0.83, unit: null, target: { atLeast: 0.5 }, met: true },
      ],
      notMeasured: ['P2', 'P4', 'P5', 'P6', 'P7'],
      failed: ['broken.bench.ts'],
    });
    // What is written is JSON: a value that could not be computed becomes null, not a string.
    const nan = benchResults({ ...results, machine, startedAt: new Date(0), filters: [], rows: [{ ...rows[0]!, value: NaN }], failed: [] });
    expect(JSON.parse(JSON.stringify(nan)).figures[0]).toMatchObject({ value: null, met: false });
  });

  it('renders as the README’s Markdown table: one row per figure, goals not measured, and the machine it came from', () => {
    const md = markdownTable(results);
    expect(md.slice(0, 5)).toEqual([
      '| goal | figure | value | target | |',
      '|---|---|--:|---|---|',
      `| P1 ${GOALS.P1} | bookConsultation, lean selection: ratio to raw SQL | 0.41 | ≥ 0.5 | ✗ |`,
      `| P2 ${GOALS.P2} | not measured in this run | | | |`,
      `| P3 ${GOALS.P3} | openSlots p95 | 12.3 ms | < 20 ms | ✓ |`,
    ]);
    expect(md).toContain('| other | reserve, 1 organization: ratio to raw SQL (credits.bench.ts) | 0.83 | ≥ 0.5 | ✓ |');
    expect(md).toContain('| | broken.bench.ts failed: no figures | | | ✗ |');
    expect(md.at(-1)).toBe(
      'Measured 2026-12-01 23:00 UTC at commit 95dccc1 (uncommitted changes), in 10.2 min, on 2 × AMD EPYC 7B13, 24.0 GiB, Linux 6.1.0 (linux x64), Node v24.11.0; load average 11.50 / 5.80 / 4.20 at the start, 9.00 / 8.00 / 6.00 at the end (1 / 5 / 15 min). Benches run: booking.bench.ts, credits.bench.ts.',
    );
  });
});
