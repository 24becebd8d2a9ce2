import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, claimable, describeFailure, FIRST_RETRY_MS, heldForMeeting, heldUntil, isTransient, MAX_RETRY_MS, retryDelayMs, RETRY_WINDOW_MS, WAITS_FOR_MEETING } from '../../src/notifications/dispatch.rules.js';

const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2036-01-01T00:00:00Z') });
const status = fc.constantFrom('PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED', 'SKIPPED');

describe('the dispatcher rules', () => {
  it('the backoff starts at 1 min, doubles, never shrinks and never exceeds the cap', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (attempt) => {
        const delay = retryDelayMs(attempt);
        expect(delay).toBeGreaterThanOrEqual(FIRST_RETRY_MS);
        expect(delay).toBeLessThanOrEqual(MAX_RETRY_MS);
        expect(retryDelayMs(attempt + 1)).toBeGreaterThanOrEqual(delay);
        expect(retryDelayMs(attempt + 1)).toBe(Math.min(delay * 2, MAX_RETRY_MS));
      }),
    );
  });

  it('a transient failure is retried after the backoff, never past 24 h after its moment; a permanent one fails at once', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 2 * RETRY_WINDOW_MS }), fc.integer({ min: 1, max: 200 }), fc.boolean(), (due, elapsed, attempts, transient) => {
        const dueAt = new Date(due);
        const now = new Date(due + elapsed);
        const outcome = afterFailure({ dueAt, attempts, now, transient });
        if (!transient) {
          expect(outcome).toEqual({ status: 'FAILED' });
          return;
        }
        const wouldRetryAt = now.getTime() + retryDelayMs(attempts);
        if (outcome.status === 'PENDING') {
          expect(outcome.nextAttemptAt.getTime()).toBe(wouldRetryAt);
          expect(outcome.nextAttemptAt.getTime()).toBeLessThanOrEqual(due + RETRY_WINDOW_MS);
        } else {
          expect(wouldRetryAt).toBeGreaterThan(due + RETRY_WINDOW_MS);
        }
      }),
    );
  });

  it('retrying a delivery that always fails transiently ends FAILED within 24 h after its moment, after a bounded number of tries', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 * 60_000 }), (due, firstDelay) => {
        let now = due + firstDelay;
        let attempts = 1;
        for (;;) {
          const outcome = afterFailure({ dueAt: new Date(due), attempts, now: new Date(now), transient: true });
          if (outcome.status === 'FAILED') break;
          expect(outcome.nextAttemptAt.getTime()).toBeGreaterThan(now);
          now = outcome.nextAttemptAt.getTime();
          attempts += 1;
        }
        expect(now).toBeLessThanOrEqual(due + RETRY_WINDOW_MS);
        // 1+2+…+32 min ≈ 1 h, then hourly: about 30 tries in the day.
        expect(attempts).toBeLessThanOrEqual(32);
      }),
    );
  });

  it('SMTP 4xx and failures without a reply are transient, 5xx permanent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), (code) => {
        const error = Object.assign(new Error('smtp said no'), { responseCode: code, code: 'EENVELOPE' });
        expect(isTransient(error)).toBe(code < 500);
        expect(describeFailure(error)).toContain(String(code));
      }),
    );
    for (const code of ['ECONNREFUSED', 'ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']) expect(isTransient(Object.assign(new Error(code), { code }))).toBe(true);
    expect(isTransient('not even an error')).toBe(true);
  });

  it('a delivery is claimable when PENDING and due, or SENDING with its lease run out — never otherwise', () => {
    fc.assert(
      fc.property(status, instant, fc.option(instant, { nil: null }), instant, (state, next, lease, now) => {
        const result = claimable({ status: state, nextAttemptAt: new Date(next), leaseUntil: lease === null ? null : new Date(lease) }, new Date(now));
        const expected = state === 'PENDING' ? next <= now : state === 'SENDING' ? lease === null || lease <= now : false;
        expect(result).toBe(expected);
        // A claim's lease taken at `now` for a positive span is not claimable again before it ends.
        if (state === 'SENDING' && lease !== null && lease > now) expect(result).toBe(false);
      }),
    );
  });
});

describe('waiting for the meeting link (heldForMeeting)', () => {
  const kind = fc.constantFrom('BOOKING_CONFIRMED', 'CONSULTATION_RESCHEDULED', 'REMINDER_1H', 'REMINDER_24H', 'MEETING_LINK', 'CONSULTATION_CANCELLED', 'SESSION_STARTED');
  const waitMs = fc.integer({ min: 0, max: 900_000 });

  it('holds only a confirmation or a move, only while its meeting is being made, and never past its moment plus the wait', () => {
    fc.assert(
      fc.property(kind, instant, fc.integer({ min: -86_400_000, max: 86_400_000 }), fc.boolean(), waitMs, (k, due, offset, beingMade, wait) => {
        const delivery = { kind: k, dueAt: new Date(due) };
        const now = new Date(due + offset);
        const held = heldForMeeting(delivery, beingMade, now, wait);
        if (held) {
          expect(WAITS_FOR_MEETING).toContain(k);
          expect(beingMade).toBe(true);
          expect(now.getTime()).toBeLessThan(heldUntil(delivery, wait).getTime());
        }
        // Once the wait is over, or the meeting settled, it goes: a bounded wait, never a stuck message.
        expect(heldForMeeting(delivery, beingMade, heldUntil(delivery, wait), wait)).toBe(false);
        expect(heldForMeeting(delivery, false, now, wait)).toBe(false);
        // Nothing else waits.
        if (!WAITS_FOR_MEETING.includes(k)) expect(held).toBe(false);
      }),
    );
  });

  it('holds a confirmation from its moment for exactly the wait, in instants (no local time: a DST change is not a thing here)', () => {
    const due = new Date('2031-03-30T00:59:30Z'); // 30 s before Europe's clocks go forward
    const delivery = { kind: 'BOOKING_CONFIRMED', dueAt: due };
    expect(heldForMeeting(delivery, true, due, 90_000)).toBe(true);
    expect(heldForMeeting(delivery, true, new Date(due.getTime() + 89_999), 90_000)).toBe(true);
    expect(heldForMeeting(delivery, true, new Date(due.getTime() + 90_000), 90_000)).toBe(false);
    expect(heldUntil(delivery, 90_000).toISOString()).toBe('2031-03-30T01:01:00.000Z');
    expect(heldForMeeting(delivery, true, due, 0)).toBe(false);
  });
});
