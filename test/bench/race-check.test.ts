import { describe, expect, it } from 'vitest';
import { creditCheck, type Balance } from '../../bench/lib/race-check.js';

const ids = ['winner', 'loser'];
const before = new Map<string, Balance>([
  ['winner', { available: 4, reserved: 0, bookings: 0, reserves: 0, unbalancedLots: 0 }],
  ['loser', { available: 4, reserved: 0, bookings: 0, reserves: 0, unbalancedLots: 0 }],
]);
const right = new Map<string, Balance>([
  ['winner', { available: 3, reserved: 1, bookings: 1, reserves: 1, unbalancedLots: 0 }],
  ['loser', { available: 4, reserved: 0, bookings: 0, reserves: 0, unbalancedLots: 0 }],
]);
const after = (id: string, change: Partial<Balance>) => new Map([...right, [id, { ...right.get(id)!, ...change }]]);

describe('race bench credit check', () => {
  it('passes a round where the winner moved one credit to reserved and the loser nothing', () => {
    expect(creditCheck(ids, before, right, new Set(['winner']))).toEqual([]);
  });

  it('catches a loser charged, a winner not charged, a ledger that disagrees, a lot that does not add up, a missing organization', () => {
    expect(creditCheck(ids, before, after('loser', { available: 3, reserved: 1 }), new Set(['winner']))).toEqual([
      'loser (loser): available 4 → 3, reserved 0 → 1, bookings 0 → 0',
      'loser: 1 reserved units, 0 RESERVE units for 0 bookings',
    ]);
    expect(creditCheck(ids, before, after('winner', { available: 4, reserved: 0 }), new Set(['winner']))).toHaveLength(2);
    expect(creditCheck(ids, before, after('winner', { reserves: 2 }), new Set(['winner']))).toEqual(['winner: 1 reserved units, 2 RESERVE units for 1 bookings']);
    expect(creditCheck(ids, before, after('loser', { unbalancedLots: 1 }), new Set(['winner']))).toEqual(['loser: 1 lot(s) do not add up']);
    expect(creditCheck([...ids, 'ghost'], before, right, new Set(['winner']))).toEqual(['organization ghost missing']);
  });
});
