import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsultationStatus, CreditState, NoShowParty } from '../../src/consultations/consultation.enums.js';
import {
  cancellationCredit,
  isLateCancellation,
  LATE_CANCEL_HOURS,
  lateAfterReschedule,
  mayAct,
  noShowCredit,
  START_EARLY_MINUTES,
  TERMINAL_STATUSES,
  transition,
  type LifecycleAction,
  type LifecycleActor,
  type TransitionResult,
} from '../../src/consultations/lifecycle.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = new Date('2030-06-03T10:00:00.000Z');
const END = new Date(START.getTime() + 60 * MIN);
/** An instant `minutes` (may be fractional or negative) from START. */
const at = (minutes: number): Date => new Date(START.getTime() + minutes * MIN);

const STATUSES = Object.values(ConsultationStatus);
const ACTIONS: readonly LifecycleAction[] = ['PAY', 'EXPIRE', 'CONFIRM', 'START', 'COMPLETE', 'CANCEL', 'NO_SHOW', 'RESCHEDULE', 'REQUEST_RESCHEDULE'];
const ACTORS: readonly LifecycleActor[] = ['CLIENT', 'CONSULTANT', 'ADMIN', 'SYSTEM'];

/**
 * The whole expected state machine, written out by hand: every allowed (status, action) pair
 * and where it leads (for a consultant actor). Everything else must be refused.
 */
const ALLOWED: ReadonlyArray<readonly [ConsultationStatus, LifecycleAction, ConsultationStatus]> = [
  ['PENDING_PAYMENT', 'PAY', 'SCHEDULED'],
  ['PENDING_PAYMENT', 'EXPIRE', 'EXPIRED'],
  ['PENDING_PAYMENT', 'CANCEL', 'CANCELLED'],
  ['SCHEDULED', 'CONFIRM', 'CONFIRMED'],
  ['SCHEDULED', 'CANCEL', 'CANCELLED'],
  ['SCHEDULED', 'NO_SHOW', 'NO_SHOW'],
  ['SCHEDULED', 'RESCHEDULE', 'SCHEDULED'],
  ['SCHEDULED', 'REQUEST_RESCHEDULE', 'SCHEDULED'],
  ['CONFIRMED', 'START', 'IN_PROGRESS'],
  ['CONFIRMED', 'CANCEL', 'CANCELLED'],
  ['CONFIRMED', 'NO_SHOW', 'NO_SHOW'],
  ['CONFIRMED', 'RESCHEDULE', 'CONFIRMED'],
  ['CONFIRMED', 'REQUEST_RESCHEDULE', 'CONFIRMED'],
  ['IN_PROGRESS', 'COMPLETE', 'COMPLETED'],
  ['IN_PROGRESS', 'NO_SHOW', 'NO_SHOW'],
];
const expectedNext = (status: ConsultationStatus, action: LifecycleAction) => ALLOWED.find(([s, a]) => s === status && a === action)?.[2];

/** A moment at which the clock rules of `action` are satisfied. */
function validTime(action: LifecycleAction): Date {
  switch (action) {
    case 'START':
      return at(-5);
    case 'NO_SHOW':
      return at(10);
    case 'CANCEL':
    case 'RESCHEDULE':
    case 'REQUEST_RESCHEDULE':
      return at(-60 * 48);
    case 'PAY':
    case 'EXPIRE':
    case 'CONFIRM':
    case 'COMPLETE':
      return at(0);
  }
}

const run = (status: ConsultationStatus, action: LifecycleAction, now: Date, actor: LifecycleActor = 'CONSULTANT'): TransitionResult =>
  transition(status, action, { actor, now, start: START, end: END });
const outcome = (r: TransitionResult): string => (r.ok ? r.next : 'REFUSED');
function refusal(r: TransitionResult): string {
  if (r.ok) throw new Error(`expected a refusal, got ${r.next}`);
  return r.message;
}

describe('transition: the (status × action) table', () => {
  it('the expected table names only real statuses and has no duplicate pairs', () => {
    expect(STATUSES).toHaveLength(8);
    expect(ACTIONS).toHaveLength(9);
    const pairs = ALLOWED.map(([s, a]) => `${s}/${a}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const [from, , to] of ALLOWED) {
      expect(STATUSES).toContain(from);
      expect(STATUSES).toContain(to);
    }
  });

  const grid = STATUSES.flatMap((status) => ACTIONS.map((action) => [status, action, expectedNext(status, action) ?? 'REFUSED'] as const));
  it.each(grid)('%s + %s → %s', (status, action, expected) => {
    const result = run(status, action, validTime(action));
    expect(outcome(result)).toBe(expected);
    if (!result.ok) {
      // A refusal says what was refused, in words.
      expect(result.message).toMatch(/^An? .+ consultation cannot be .+\.$/);
      expect(result.message).toContain(status.toLowerCase().split('_')[0]);
    }
  });

  it('covers all 72 pairs, exactly 15 of them allowed', () => {
    expect(grid).toHaveLength(72);
    expect(grid.filter(([, , e]) => e !== 'REFUSED')).toHaveLength(15);
  });

  it.each(TERMINAL_STATUSES.map((s) => [s]))('terminal %s allows no action, at any time, for any actor', (status) => {
    for (const action of ACTIONS) {
      for (const actor of ACTORS) {
        for (const now of [at(-60 * 48), at(-5), at(0), at(10), at(120)]) expect(run(status, action, now, actor).ok, `${action} by ${actor}`).toBe(false);
      }
    }
  });

  it('the terminal statuses are exactly COMPLETED, CANCELLED, NO_SHOW and EXPIRED', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['CANCELLED', 'COMPLETED', 'EXPIRED', 'NO_SHOW']);
  });
});

describe('mayAct: who may do what', () => {
  const EXPECTED: Record<LifecycleAction, readonly LifecycleActor[]> = {
    PAY: ['SYSTEM'],
    EXPIRE: ['SYSTEM'],
    CONFIRM: ['CONSULTANT', 'ADMIN'],
    START: ['CONSULTANT', 'ADMIN'],
    COMPLETE: ['CONSULTANT', 'ADMIN'],
    NO_SHOW: ['CONSULTANT', 'ADMIN'],
    CANCEL: ['CLIENT', 'CONSULTANT', 'ADMIN'],
    RESCHEDULE: ['CLIENT', 'CONSULTANT', 'ADMIN'],
    REQUEST_RESCHEDULE: ['CONSULTANT', 'ADMIN'],
  };
  const grid = ACTIONS.flatMap((action) => ACTORS.map((actor) => [action, actor, EXPECTED[action].includes(actor)] as const));
  it.each(grid)('%s by %s → %s', (action, actor, allowed) => {
    expect(mayAct(action, actor)).toBe(allowed);
  });

  it('a client may only cancel and reschedule; the system only pays and expires', () => {
    expect(ACTIONS.filter((a) => mayAct(a, 'CLIENT'))).toEqual(['CANCEL', 'RESCHEDULE']);
    expect(ACTIONS.filter((a) => mayAct(a, 'SYSTEM'))).toEqual(['PAY', 'EXPIRE']);
    expect(ACTIONS.filter((a) => mayAct(a, 'ADMIN'))).toEqual(ACTIONS.filter((a) => a !== 'PAY' && a !== 'EXPIRE'));
  });
});

describe('transition: clock rules', () => {
  it(`START: from ${START_EARLY_MINUTES} minutes before the start, until (not at) the end`, () => {
    expect(START_EARLY_MINUTES).toBe(15);
    expect(outcome(run('CONFIRMED', 'START', at(-60)))).toBe('REFUSED');
    expect(outcome(run('CONFIRMED', 'START', new Date(at(-15).getTime() - 1)))).toBe('REFUSED');
    expect(outcome(run('CONFIRMED', 'START', at(-15)))).toBe('IN_PROGRESS');
    expect(outcome(run('CONFIRMED', 'START', at(0)))).toBe('IN_PROGRESS');
    expect(outcome(run('CONFIRMED', 'START', new Date(END.getTime() - 1)))).toBe('IN_PROGRESS');
    expect(outcome(run('CONFIRMED', 'START', END))).toBe('REFUSED');
    expect(outcome(run('CONFIRMED', 'START', at(24 * 60)))).toBe('REFUSED');
  });

  it('START refusals explain themselves (too early vs. too late)', () => {
    expect(refusal(run('CONFIRMED', 'START', at(-16)))).toMatch(/15 minutes before/);
    expect(refusal(run('CONFIRMED', 'START', END))).toMatch(/no-show/);
  });

  it.each(['SCHEDULED', 'CONFIRMED', 'IN_PROGRESS'] as const)('NO_SHOW of %s only at or after the start', (status) => {
    expect(outcome(run(status, 'NO_SHOW', at(-60)))).toBe('REFUSED');
    expect(outcome(run(status, 'NO_SHOW', new Date(START.getTime() - 1)))).toBe('REFUSED');
    expect(outcome(run(status, 'NO_SHOW', START))).toBe('NO_SHOW');
    expect(outcome(run(status, 'NO_SHOW', at(5 * 60)))).toBe('NO_SHOW');
  });

  const beforeStartOnly: ReadonlyArray<readonly [ConsultationStatus, LifecycleAction, ConsultationStatus]> = [
    ['PENDING_PAYMENT', 'CANCEL', 'CANCELLED'],
    ['SCHEDULED', 'CANCEL', 'CANCELLED'],
    ['CONFIRMED', 'CANCEL', 'CANCELLED'],
    ['SCHEDULED', 'RESCHEDULE', 'SCHEDULED'],
    ['CONFIRMED', 'RESCHEDULE', 'CONFIRMED'],
    ['SCHEDULED', 'REQUEST_RESCHEDULE', 'SCHEDULED'],
    ['CONFIRMED', 'REQUEST_RESCHEDULE', 'CONFIRMED'],
  ];
  it.each(beforeStartOnly)('%s + %s only before the start', (status, action, next) => {
    expect(outcome(run(status, action, at(-60 * 24 * 30)))).toBe(next);
    expect(outcome(run(status, action, new Date(START.getTime() - 1)))).toBe(next);
    expect(refusal(run(status, action, START))).toMatch(/already begun/);
    expect(outcome(run(status, action, at(30)))).toBe('REFUSED');
    expect(outcome(run(status, action, at(24 * 60)))).toBe('REFUSED');
  });

  it.each([
    ['PENDING_PAYMENT', 'PAY', 'SCHEDULED'],
    ['PENDING_PAYMENT', 'EXPIRE', 'EXPIRED'],
    ['SCHEDULED', 'CONFIRM', 'CONFIRMED'],
    ['IN_PROGRESS', 'COMPLETE', 'COMPLETED'],
  ] as const)('%s + %s has no clock rule', (status, action, next) => {
    for (const now of [at(-60 * 24 * 30), at(-1), at(0), at(90), at(60 * 24 * 30)]) expect(outcome(run(status, action, now, 'SYSTEM'))).toBe(next);
  });

  it('a client rescheduling a CONFIRMED session sends it back to SCHEDULED; consultant and admin keep it CONFIRMED', () => {
    const now = at(-60 * 48);
    expect(outcome(run('CONFIRMED', 'RESCHEDULE', now, 'CLIENT'))).toBe('SCHEDULED');
    expect(outcome(run('CONFIRMED', 'RESCHEDULE', now, 'CONSULTANT'))).toBe('CONFIRMED');
    expect(outcome(run('CONFIRMED', 'RESCHEDULE', now, 'ADMIN'))).toBe('CONFIRMED');
    // A SCHEDULED session stays SCHEDULED whoever moves it; asking to move changes nothing.
    for (const actor of ACTORS) {
      expect(outcome(run('SCHEDULED', 'RESCHEDULE', now, actor))).toBe('SCHEDULED');
      expect(outcome(run('CONFIRMED', 'REQUEST_RESCHEDULE', now, actor))).toBe('CONFIRMED');
    }
    // The client's reschedule is still bound by the clock.
    expect(outcome(run('CONFIRMED', 'RESCHEDULE', START, 'CLIENT'))).toBe('REFUSED');
  });
});

describe('credit policy', () => {
  const cancel = (actor: LifecycleActor, hoursBefore: number, lateCancelConsumes = true, movedLate = false) =>
    cancellationCredit({ actor, now: new Date(START.getTime() - hoursBefore * HOUR), start: START, lateCancelConsumes, movedLate });

  it(`a client cancelling less than ${LATE_CANCEL_HOURS} h before the start loses the credit when the package says so`, () => {
    expect(LATE_CANCEL_HOURS).toBe(24);
    expect(cancel('CLIENT', 23.99)).toBe(CreditState.CONSUMED);
    expect(cancel('CLIENT', 1)).toBe(CreditState.CONSUMED);
    expect(cancellationCredit({ actor: 'CLIENT', now: new Date(START.getTime() - 24 * HOUR + 1), start: START, lateCancelConsumes: true, movedLate: false })).toBe(CreditState.CONSUMED);
  });

  it('exactly 24 h before the start (or earlier) gives the credit back', () => {
    expect(cancel('CLIENT', 24)).toBe(CreditState.RELEASED);
    expect(cancel('CLIENT', 24.01)).toBe(CreditState.RELEASED);
    expect(cancel('CLIENT', 24 * 30)).toBe(CreditState.RELEASED);
  });

  it('a package without the late-cancel rule always gives it back', () => {
    expect(cancel('CLIENT', 1, false)).toBe(CreditState.RELEASED);
    expect(cancel('CLIENT', 23.99, false)).toBe(CreditState.RELEASED);
    expect(cancel('CLIENT', 48, false)).toBe(CreditState.RELEASED);
  });

  it.each(['CONSULTANT', 'ADMIN'] as const)('a cancellation by %s always gives it back', (actor) => {
    for (const hours of [0.01, 1, 23.99, 24, 48]) {
      expect(cancel(actor, hours, true)).toBe(CreditState.RELEASED);
      expect(cancel(actor, hours, false)).toBe(CreditState.RELEASED);
    }
  });

  it('a session the client moved inside the late window stays late: cancelling it any time later costs the credit', () => {
    for (const hours of [0.5, 23.99, 24, 72, 24 * 30]) expect(cancel('CLIENT', hours, true, true)).toBe(CreditState.CONSUMED);
    // The package's rule and the consultant side still decide as for any late cancellation.
    expect(cancel('CLIENT', 72, false, true)).toBe(CreditState.RELEASED);
    for (const actor of ['CONSULTANT', 'ADMIN'] as const) expect(cancel(actor, 72, true, true)).toBe(CreditState.RELEASED);
    expect(isLateCancellation({ now: new Date(START.getTime() - 72 * HOUR), start: START, movedLate: true })).toBe(true);
    expect(isLateCancellation({ now: new Date(START.getTime() - 72 * HOUR), start: START, movedLate: false })).toBe(false);
  });

  it('a client no-show uses the credit; a consultant no-show gives it back', () => {
    expect(noShowCredit(NoShowParty.CLIENT)).toBe(CreditState.CONSUMED);
    expect(noShowCredit(NoShowParty.CONSULTANT)).toBe(CreditState.RELEASED);
  });
});

describe('reschedule and the late window', () => {
  /** The move's verdict: `hoursBefore` the current start, by `actor`. */
  const move = (actor: LifecycleActor, hoursBefore: number, options: { answersRequest?: boolean; movedLate?: boolean } = {}) =>
    lateAfterReschedule({ actor, now: new Date(START.getTime() - hoursBefore * HOUR), start: START, answersRequest: options.answersRequest ?? false, movedLate: options.movedLate ?? false });

  // [actor, hours before the current start, answers a consultant's request, already marked] → marked after the move
  const TABLE: ReadonlyArray<readonly [LifecycleActor, number, boolean, boolean, boolean]> = [
    ['CLIENT', 3, false, false, true], // the dodge: moved inside the window
    ['CLIENT', 23.99, false, false, true],
    ['CLIENT', 24, false, false, false], // 24 h ahead is in time, as for a cancellation
    ['CLIENT', 48, false, false, false], // the normal reschedule
    ['CLIENT', 48, false, true, true], // moving a marked session again keeps the mark
    ['CLIENT', 3, true, false, false], // answering the consultant's request costs nothing
    ['CLIENT', 3, true, true, false], // … and clears an earlier mark: the time is the consultant's now
    ['CONSULTANT', 3, false, false, false],
    ['CONSULTANT', 48, false, true, false],
    ['ADMIN', 3, false, false, false],
    ['ADMIN', 3, false, true, false],
  ];
  it.each(TABLE)('%s moving %s h ahead (answers request: %s, marked: %s) → marked: %s', (actor, hours, answersRequest, movedLate, expected) => {
    expect(move(actor, hours, { answersRequest, movedLate })).toBe(expected);
  });

  it('the dodge is closed: moved late, then cancelled well ahead of the new time, the credit is still used', () => {
    const movedLate = move('CLIENT', 3);
    const newStart = new Date(START.getTime() + 7 * 24 * HOUR);
    const cancelledAt = new Date(newStart.getTime() - 6 * 24 * HOUR);
    expect(cancellationCredit({ actor: 'CLIENT', now: cancelledAt, start: newStart, lateCancelConsumes: true, movedLate })).toBe(CreditState.CONSUMED);
    // The same moves made 24 h or more ahead give the credit back.
    const inTime = move('CLIENT', 48);
    expect(cancellationCredit({ actor: 'CLIENT', now: cancelledAt, start: newStart, lateCancelConsumes: true, movedLate: inTime })).toBe(CreditState.RELEASED);
  });
});

describe('properties', () => {
  const status = fc.constantFrom(...STATUSES);
  const action = fc.constantFrom(...ACTIONS);
  const actor = fc.constantFrom(...ACTORS);
  /** now, start, end within a few days of each other, end after start. */
  const times = fc
    .record({ now: fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }), duration: fc.integer({ min: 15, max: 480 }), jitterMs: fc.integer({ min: -MIN, max: MIN }) })
    .map(({ now, duration, jitterMs }) => ({ now: new Date(at(now).getTime() + jitterMs), start: START, end: at(duration) }));

  it('an ok result leads to a real status, one the expected table allows', () => {
    fc.assert(
      fc.property(status, action, actor, times, (s, a, who, t) => {
        const result = transition(s, a, { actor: who, ...t });
        if (!result.ok) return;
        expect(STATUSES).toContain(result.next);
        const expected = expectedNext(s, a);
        expect(expected).toBeDefined();
        // The only deviation from the table: a client moving a CONFIRMED session.
        if (a === 'RESCHEDULE' && who === 'CLIENT' && s === 'CONFIRMED') expect(result.next).toBe('SCHEDULED');
        else expect(result.next).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('no transition ever leaves a terminal status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_STATUSES), action, actor, times, (s, a, who, t) => {
        const result = transition(s, a, { actor: who, ...t });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('the clock never turns a refused pair into an allowed one, and refusals always carry a message', () => {
    fc.assert(
      fc.property(status, action, actor, times, (s, a, who, t) => {
        const result = transition(s, a, { actor: who, ...t });
        if (expectedNext(s, a) === undefined) expect(result.ok).toBe(false);
        if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('cancellationCredit is CONSUMED only for a client, only with the late-cancel rule, only within 24 h or after a late move', () => {
    fc.assert(
      fc.property(actor, fc.integer({ min: -24 * 60 * 60 * 1000, max: 10 * 24 * 60 * 60 * 1000 }), fc.boolean(), fc.boolean(), (who, msBefore, lateCancelConsumes, movedLate) => {
        const credit = cancellationCredit({ actor: who, now: new Date(START.getTime() - msBefore), start: START, lateCancelConsumes, movedLate });
        expect([CreditState.CONSUMED, CreditState.RELEASED]).toContain(credit);
        const expected = who === 'CLIENT' && lateCancelConsumes && (movedLate || msBefore < LATE_CANCEL_HOURS * HOUR);
        expect(credit === CreditState.CONSUMED).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  const ms = fc.integer({ min: 0, max: 10 * 24 * 60 * 60 * 1000 });
  it('no chain of client moves makes a late session cancellable for free: cancel after a late move is late, wherever the session went', () => {
    fc.assert(
      // A session start, and a chain of client moves, each `before` ms ahead of the then-current start, each to `gap` ms after the move.
      fc.property(fc.array(fc.record({ before: ms, gap: ms }), { minLength: 1, maxLength: 6 }), ms, fc.boolean(), (moves, cancelBefore, lateCancelConsumes) => {
        let start = START.getTime();
        let movedLate = false;
        let anyLateMove = false;
        for (const m of moves) {
          const now = start - m.before;
          anyLateMove ||= m.before < LATE_CANCEL_HOURS * HOUR;
          movedLate = lateAfterReschedule({ actor: 'CLIENT', now: new Date(now), start: new Date(start), answersRequest: false, movedLate });
          start = now + m.gap;
        }
        expect(movedLate).toBe(anyLateMove);
        const credit = cancellationCredit({ actor: 'CLIENT', now: new Date(start - cancelBefore), start: new Date(start), lateCancelConsumes, movedLate });
        const late = anyLateMove || cancelBefore < LATE_CANCEL_HOURS * HOUR;
        expect(credit).toBe(late && lateCancelConsumes ? CreditState.CONSUMED : CreditState.RELEASED);
      }),
      { numRuns: 1000 },
    );
  });

  it('a move by the consultant side, or the client answering its request, never leaves the client marked', () => {
    fc.assert(
      fc.property(actor, fc.integer({ min: -10 * 24 * 60 * 60 * 1000, max: 10 * 24 * 60 * 60 * 1000 }), fc.boolean(), fc.boolean(), (who, msBefore, answersRequest, movedLate) => {
        const marked = lateAfterReschedule({ actor: who, now: new Date(START.getTime() - msBefore), start: START, answersRequest, movedLate });
        if (who !== 'CLIENT' || answersRequest) expect(marked).toBe(false);
        else expect(marked).toBe(movedLate || msBefore < LATE_CANCEL_HOURS * HOUR);
      }),
      { numRuns: 1000 },
    );
  });
});
