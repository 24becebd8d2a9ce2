import { describe, expect, it } from 'vitest';
import { meets, summaryTable, type Row } from '../../bench/lib/summary.js';

const rows: Row[] = [
  { bench: 'credits.bench.ts', name: 'reserve, 1 organization: ratio to raw SQL', value: 0.83, target: { atLeast: 0.5 } },
  { bench: 'booking.bench.ts', name: 'bookConsultation, lean selection: ratio to raw SQL', value: 0.41, target: { atLeast: 0.5 } },
  { bench: 'booking.bench.ts', name: 'openSlots p95', value: 12.34, unit: 'ms', target: { below: 20 } },
];

describe('bench summary table', () => {
  it('compares each figure with its target, at the bound too', () => {
    expect(meets({ name: 'r', value: 0.5, target: { atLeast: 0.5 } })).toBe(true);
    expect(meets({ name: 'r', value: 0.49, target: { atLeast: 0.5 } })).toBe(false);
    expect(meets({ name: 'p', value: 20, target: { below: 20 } })).toBe(false);
    expect(meets({ name: 'p', value: 19.9, target: { below: 20 } })).toBe(true);
    expect(meets({ name: 'd', value: 0, target: { atMost: 0 } })).toBe(true);
    expect(meets({ name: 'd', value: 1, target: { atMost: 0 } })).toBe(false);
  });

  it('prints an atMost target as ≤', () => {
    expect(summaryTable([{ bench: 'reminders.bench.ts', name: 'lag p95', value: 1.5, unit: 's', target: { atMost: 5 } }])[2]).toBe('reminders.bench.ts  lag p95  1.50 s  ≤ 5 s   ✓');
  });

  it('prints one aligned row per figure with ✓/✗, failed benches, and a count', () => {
    const lines = summaryTable(rows, ['broken.bench.ts']);
    expect(lines).toEqual([
      'bench             figure                                                value  target',
      '────────────────  ──────────────────────────────────────────────────  ───────  ───────  ─',
      'credits.bench.ts  reserve, 1 organization: ratio to raw SQL              0.83  ≥ 0.5    ✓',
      'booking.bench.ts  bookConsultation, lean selection: ratio to raw SQL     0.41  ≥ 0.5    ✗',
      'booking.bench.ts  openSlots p95                                       12.3 ms  < 20 ms  ✓',
      'broken.bench.ts   failed (see above): no figures                            —  —        ✗',
      '2 of 4 missed',
    ]);
    expect(summaryTable([rows[0]!])).toContain('every target met (1)');
    expect(summaryTable([])).toEqual([]);
  });
});
