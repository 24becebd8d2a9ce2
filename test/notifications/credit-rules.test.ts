/** The credit messages' rules (credit-rules.ts), pure: crossings, balance effects, expiry warnings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aboveLine, balanceDelta, balanceEffect, crossedDown, expiryWarningRelevant, expiryWarnings, grantedKinds, LOW_CREDIT_LINE, loweredKinds } from '../../src/notifications/credit-rules.js';
import type { CreditMovement } from '../../src/platform/events.js';

const DAY = 86_400_000;
const at = new Date('2027-03-01T12:00:00Z');
const live = new Date(at.getTime() + 30 * DAY);
const past = new Date(at.getTime() - DAY);
const move = (type: string, units: number, options: Partial<CreditMovement> = {}): CreditMovement => ({ lotId: 'l', type, units, kind: 'SESSION', source: 'PURCHASE', expiresAt: live, ...options });

describe('low credit crossings', () => {
  it('crossedDown holds exactly when the balance goes from at or above the line to under it', () => {
    fc.assert(
      fc.property(fc.constantFrom('SESSION' as const, 'TIME' as const), fc.nat(400), fc.integer({ min: -400, max: 400 }), (kind, after, delta) => {
        const before = after - delta;
        expect(crossedDown(kind, after, delta)).toBe(before >= LOW_CREDIT_LINE[kind] && after < LOW_CREDIT_LINE[kind]);
      }),
    );
  });

  it('booking, cancelling and buying in any order: an alert exactly at the crossings after a grant lifted the balance to the line (or the first)', () => {
    const step = fc.oneof(fc.constant({ op: 'reserve' as const, units: 1 }), fc.constant({ op: 'release' as const, units: 1 }), fc.record({ op: fc.constant('grant' as const), units: fc.integer({ min: 1, max: 5 }) }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(step, { maxLength: 60 }), (start, steps) => {
        // By the rules' functions, as the handler runs them…
        let balance = start;
        let held = 0;
        let armed = true;
        const alerts: number[] = [];
        // …and by plain arithmetic, as the issue states it.
        let plain = start;
        let lifted = true;
        const expected: number[] = [];
        steps.forEach((s, i) => {
          if ((s.op === 'reserve' && balance === 0) || (s.op === 'release' && held === 0)) return;
          const change = { movements: [move(s.op.toUpperCase(), s.units)], consultationId: null, at };
          const delta = balanceDelta(change).SESSION ?? 0;
          balance += delta;
          held += s.op === 'reserve' ? 1 : s.op === 'release' ? -1 : 0;
          if (loweredKinds(change).includes('SESSION') && crossedDown('SESSION', balance, delta) && armed) {
            armed = false;
            alerts.push(i);
          }
          if (grantedKinds(change).includes('SESSION') && aboveLine('SESSION', balance)) armed = true;

          const before = plain;
          plain += s.op === 'reserve' ? -1 : s.units;
          if (s.op === 'grant' && plain >= 3) lifted = true;
          if (before >= 3 && plain < 3 && lifted) {
            expected.push(i);
            lifted = false;
          }
        });
        expect(balance).toBe(plain);
        expect(alerts).toEqual(expected);
      }),
    );
  });

  it('what a movement does to the balance: lots past their date no longer count, except the sweep that expires them', () => {
    expect(balanceEffect(move('RESERVE', 2), { consultationId: 'c', at })).toBe(-2);
    expect(balanceEffect(move('CONSUME', 2), { consultationId: 'c', at })).toBe(0);
    expect(balanceEffect(move('ADJUST', -3), { consultationId: null, at })).toBe(-3);
    expect(balanceEffect(move('REVOKE', 2, { expiresAt: past }), { consultationId: null, at })).toBe(0);
    // The sweep: its credits counted until the date.
    expect(balanceEffect(move('EXPIRE', 4, { expiresAt: past }), { consultationId: null, at })).toBe(-4);
    // A release after the date expires at once what was held: nothing free moved.
    expect(balanceDelta({ movements: [move('RELEASE', 1, { expiresAt: past }), move('EXPIRE', 1, { expiresAt: past })], consultationId: 'c', at })).toEqual({ SESSION: 0 });
    expect(balanceDelta({ movements: [move('GRANT', 90, { kind: 'TIME' }), move('RESERVE', 1)], consultationId: null, at })).toEqual({ TIME: 90, SESSION: -1 });
    expect(grantedKinds({ movements: [move('ADJUST', 2), move('RELEASE', 1, { kind: 'TIME' })], consultationId: null, at })).toEqual(['SESSION']);
  });
});

describe('expiry warnings', () => {
  it('7 days and 1 day before the expiry, only those still ahead of the grant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 * 24 }), (hours) => {
        const expiresAt = new Date(at.getTime() + hours * 3_600_000);
        const warnings = expiryWarnings(expiresAt, at);
        expect(warnings.every((w) => w.dueAt.getTime() > at.getTime())).toBe(true);
        expect(warnings.map((w) => w.kind)).toEqual(['CREDITS_EXPIRING_7D', 'CREDITS_EXPIRING_1D'].filter((k) => (k.endsWith('7D') ? hours > 7 * 24 : hours > 24)));
        for (const w of warnings) expect(expiresAt.getTime() - w.dueAt.getTime()).toBe(w.kind === 'CREDITS_EXPIRING_7D' ? 7 * DAY : DAY);
      }),
    );
  });

  it('go only while the lot has credits free and has not expired; the 7-day one gives way in the last day', () => {
    const lot = { available: 2, expiresAt: new Date(at.getTime() + 3 * DAY) };
    expect(expiryWarningRelevant('CREDITS_EXPIRING_7D', lot, at)).toBe(true);
    expect(expiryWarningRelevant('CREDITS_EXPIRING_7D', lot, new Date(lot.expiresAt.getTime() - DAY / 2))).toBe(false);
    expect(expiryWarningRelevant('CREDITS_EXPIRING_1D', lot, new Date(lot.expiresAt.getTime() - DAY / 2))).toBe(true);
    expect(expiryWarningRelevant('CREDITS_EXPIRING_1D', lot, lot.expiresAt)).toBe(false);
    expect(expiryWarningRelevant('CREDITS_EXPIRING_1D', { ...lot, available: 0 }, at)).toBe(false);
    expect(expiryWarningRelevant('CREDITS_EXPIRING_1D', null, at)).toBe(false);
  });
});
