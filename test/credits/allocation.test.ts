import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CreditLotKind } from '../../src/catalog/package.entity.js';
import { allocate, sortLots, type AllocatableLot, type Allocation, type AllocationRequest } from '../../src/credits/allocation.js';
import { CreditSource, NoCreditReason } from '../../src/credits/credits.enums.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3_600_000;
/** An instant `hours` after T0. */
const at = (hours: number, ms = 0): Date => new Date(T0 + hours * HOUR + ms);

let counter = 0;
function sessionLot(over: Partial<AllocatableLot> = {}): AllocatableLot {
  const sessionMinutes = over.sessionMinutes ?? 90;
  return {
    id: `s${++counter}`,
    kind: 'SESSION',
    source: CreditSource.PURCHASE,
    priority: 10,
    sessionMinutes,
    allowedBlockMinutes: [sessionMinutes],
    available: 4,
    reserved: 0,
    expiresAt: at(24 * 60),
    grantedAt: at(-24),
    ...over,
  };
}
function timeLot(over: Partial<AllocatableLot> = {}): AllocatableLot {
  return {
    id: `t${++counter}`,
    kind: 'TIME',
    source: CreditSource.SUBSCRIPTION,
    priority: 10,
    sessionMinutes: 60,
    allowedBlockMinutes: [60, 90, 120],
    available: 960,
    reserved: 0,
    expiresAt: at(24 * 90),
    grantedAt: at(-24),
    ...over,
  };
}
function freeTrialLot(over: Partial<AllocatableLot> = {}): AllocatableLot {
  return sessionLot({ source: CreditSource.FREE_TRIAL, priority: 0, sessionMinutes: 15, allowedBlockMinutes: [15], available: 1, expiresAt: at(24 * 30), ...over });
}

/** A session of `minutes` starting at T0 + 1 h. */
const session = (minutes: number, over: Partial<AllocationRequest> = {}): AllocationRequest => ({
  durationMinutes: minutes,
  sessionEnd: new Date(at(1).getTime() + minutes * 60_000),
  ...over,
});

function drawsOf(result: Allocation) {
  if (!result.ok) throw new Error(`expected a success, got ${result.reason}: ${result.message}`);
  return result.draws;
}
function failureOf(result: Allocation) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.draws)}`);
  return result;
}

describe('allocate: which lot pays', () => {
  it('draws the free-trial lot first for a 15-minute session (priority 0)', () => {
    const purchase = sessionLot({ expiresAt: at(2) });
    const trial = freeTrialLot();
    expect(drawsOf(allocate([purchase, trial], session(15)))).toEqual([{ lotId: trial.id, units: 1 }]);
  });

  it('skips the free trial when it is too short, paying with the next lot', () => {
    const purchase = sessionLot();
    expect(drawsOf(allocate([freeTrialLot(), purchase], session(30)))).toEqual([{ lotId: purchase.id, units: 1 }]);
  });

  it('a 60-minute SESSION credit pays 45 and 60 minutes but never 90', () => {
    const sixty = sessionLot({ sessionMinutes: 60, allowedBlockMinutes: [60] });
    expect(drawsOf(allocate([sixty], session(45)))).toEqual([{ lotId: sixty.id, units: 1 }]);
    expect(drawsOf(allocate([sixty], session(60)))).toEqual([{ lotId: sixty.id, units: 1 }]);
    const failure = failureOf(allocate([sixty], session(90)));
    expect(failure.reason).toBe(NoCreditReason.WRONG_LENGTH);
    expect(failure.message).toMatch(/^None of your credits pays a 90-minute session: they pay sessions of up to 60 minutes/);
  });

  it('TIME lots combine across two lots, one draw each, in draw-down order', () => {
    const first = timeLot({ available: 40, expiresAt: at(24 * 10) });
    const second = timeLot({ available: 500, expiresAt: at(24 * 20) });
    const third = timeLot({ available: 500, expiresAt: at(24 * 30) });
    expect(drawsOf(allocate([third, second, first], session(90)))).toEqual([
      { lotId: first.id, units: 40 },
      { lotId: second.id, units: 50 },
    ]);
  });

  it('a TIME lot pays only its listed block lengths', () => {
    const lot = timeLot({ allowedBlockMinutes: [60, 120] });
    expect(drawsOf(allocate([lot], session(120)))).toEqual([{ lotId: lot.id, units: 120 }]);
    const failure = failureOf(allocate([lot], session(90)));
    expect(failure.reason).toBe(NoCreditReason.WRONG_LENGTH);
    expect(failure.message).toContain('blocks of 60 or 120 minutes');
  });

  it('TIME lots that cannot cover the whole session give nothing (no partial draw)', () => {
    const a = timeLot({ available: 20 });
    const b = timeLot({ available: 30 });
    const failure = failureOf(allocate([a, b], session(60)));
    expect(failure.reason).toBe(NoCreditReason.NO_CREDITS);
    expect(failure.message).toBe('Your time credits have only 50 of the 60 minutes this session needs. Buy more hours, or book a shorter session.');
  });

  it('skips a lot that expires 1 ms before the session ends; one expiring exactly then pays', () => {
    const request = session(60);
    const early = sessionLot({ priority: 0, expiresAt: new Date(request.sessionEnd.getTime() - 1) });
    const exact = sessionLot({ expiresAt: new Date(request.sessionEnd.getTime()) });
    const later = sessionLot({ expiresAt: at(24 * 100) });
    expect(drawsOf(allocate([later, exact, early], request))).toEqual([{ lotId: exact.id, units: 1 }]);
  });

  it('breaks ties by priority, then expiry, then grant time, then id', () => {
    const base = { expiresAt: at(24 * 30), grantedAt: at(-48) };
    const byId = [sessionLot({ ...base, id: 'lot-b' }), sessionLot({ ...base, id: 'lot-a' }), sessionLot({ ...base, id: 'lot-c' })];
    expect(drawsOf(allocate(byId, session(60)))).toEqual([{ lotId: 'lot-a', units: 1 }]);

    const older = sessionLot({ ...base, id: 'z-older', grantedAt: at(-72) });
    expect(drawsOf(allocate([...byId, older], session(60)))).toEqual([{ lotId: 'z-older', units: 1 }]);

    const sooner = sessionLot({ ...base, id: 'z-sooner', grantedAt: at(-1), expiresAt: at(24 * 29) });
    expect(drawsOf(allocate([...byId, older, sooner], session(60)))).toEqual([{ lotId: 'z-sooner', units: 1 }]);

    const promo = sessionLot({ ...base, id: 'z-promo', source: CreditSource.PROMOTIONAL, priority: 0, expiresAt: at(24 * 300), grantedAt: at(-1) });
    expect(drawsOf(allocate([...byId, older, sooner, promo], session(60)))).toEqual([{ lotId: 'z-promo', units: 1 }]);

    expect(sortLots([...byId, older, sooner, promo]).map((lot) => lot.id)).toEqual(['z-promo', 'z-sooner', 'z-older', 'lot-a', 'lot-b', 'lot-c']);
  });

  it('sortLots returns a new array and leaves the input alone', () => {
    const lots = Object.freeze([sessionLot({ id: 'b' }), sessionLot({ id: 'a' })]);
    const sorted = sortLots(lots);
    expect(sorted.map((lot) => lot.id)).toEqual(['a', 'b']);
    expect(lots.map((lot) => lot.id)).toEqual(['b', 'a']);
  });

  it('chooses between a SESSION credit and a TIME chain by which first lot ranks earlier', () => {
    const sessionCredit = sessionLot({ expiresAt: at(24 * 30) });
    const timeSooner = timeLot({ expiresAt: at(24 * 10) });
    const timeLater = timeLot({ expiresAt: at(24 * 40) });
    expect(drawsOf(allocate([sessionCredit, timeSooner], session(60)))).toEqual([{ lotId: timeSooner.id, units: 60 }]);
    expect(drawsOf(allocate([sessionCredit, timeLater], session(60)))).toEqual([{ lotId: sessionCredit.id, units: 1 }]);
    // The earlier TIME lot can't cover it alone and nothing else TIME exists: the SESSION credit pays.
    const smallTime = timeLot({ available: 30, expiresAt: at(24 * 10) });
    expect(drawsOf(allocate([sessionCredit, smallTime], session(60)))).toEqual([{ lotId: sessionCredit.id, units: 1 }]);
  });

  it('skips lots with nothing available', () => {
    const empty = sessionLot({ priority: 0, available: 0, reserved: 2 });
    const emptyTime = timeLot({ priority: 0, available: 0 });
    const full = sessionLot();
    expect(drawsOf(allocate([empty, emptyTime, full], session(60)))).toEqual([{ lotId: full.id, units: 1 }]);
  });

  it('refuses a malformed request', () => {
    expect(() => allocate([], session(0))).toThrow(RangeError);
    expect(() => allocate([], session(-15))).toThrow(RangeError);
    expect(() => allocate([], session(22.5))).toThrow(RangeError);
    expect(() => allocate([], { durationMinutes: 60, sessionEnd: new Date(Number.NaN) })).toThrow(RangeError);
  });
});

describe('allocate: useFreeTrial', () => {
  it('forces the free-trial lot even when another lot ranks earlier', () => {
    const promo = sessionLot({ source: CreditSource.PROMOTIONAL, priority: 0, expiresAt: at(3) });
    const trial = freeTrialLot();
    expect(drawsOf(allocate([promo, trial], session(15)))).toEqual([{ lotId: promo.id, units: 1 }]);
    expect(drawsOf(allocate([promo, trial], session(15, { useFreeTrial: true })))).toEqual([{ lotId: trial.id, units: 1 }]);
  });

  it('without a trial → NO_CREDITS with a trial message, even when other credits exist', () => {
    const failure = failureOf(allocate([sessionLot()], session(15, { useFreeTrial: true })));
    expect(failure.reason).toBe(NoCreditReason.NO_CREDITS);
    expect(failure.message).toMatch(/^useFreeTrial: your organization has no free trial left/);
    const used = failureOf(allocate([freeTrialLot({ available: 0 })], session(15, { useFreeTrial: true })));
    expect(used.reason).toBe(NoCreditReason.NO_CREDITS);
    expect(used.message).toMatch(/no free trial left/);
  });

  it('an expired, too short or held trial says so', () => {
    const expired = failureOf(allocate([freeTrialLot({ expiresAt: at(0) })], session(15, { useFreeTrial: true })));
    expect(expired.reason).toBe(NoCreditReason.EXPIRED);
    expect(expired.message).toMatch(/^Your free trial expires before this session ends/);
    const tooShort = failureOf(allocate([freeTrialLot(), sessionLot()], session(30, { useFreeTrial: true })));
    expect(tooShort.reason).toBe(NoCreditReason.WRONG_LENGTH);
    expect(tooShort.message).toBe('Your free trial does not pay a 30-minute session: it pays sessions of up to 15 minutes. Book a shorter session, or book without useFreeTrial.');
    const held = failureOf(allocate([freeTrialLot({ available: 0, reserved: 1 })], session(15, { useFreeTrial: true })));
    expect(held.reason).toBe(NoCreditReason.ALL_RESERVED);
    expect(held.message).toMatch(/^Your free trial is held by an upcoming booking/);
  });
});

describe('allocate: failure reasons', () => {
  it('NO_CREDITS when there are no lots, or all are spent and none is held', () => {
    const none = failureOf(allocate([], session(60)));
    expect(none).toEqual({ ok: false, reason: NoCreditReason.NO_CREDITS, message: 'Your organization has no credits. Buy a package to book this session.' });
    const spent = failureOf(allocate([sessionLot({ available: 0 }), timeLot({ available: 0, expiresAt: at(-1) })], session(60)));
    expect(spent.reason).toBe(NoCreditReason.NO_CREDITS);
    expect(spent.message).toBe('All your credits have been used. Buy a package to book this session.');
  });

  it('EXPIRED when every lot of this length expires before the session ends, whatever lots of other lengths there are', () => {
    const request = session(60);
    const lots = [sessionLot({ expiresAt: new Date(request.sessionEnd.getTime() - 1) }), timeLot({ expiresAt: at(0) }), freeTrialLot(), sessionLot({ sessionMinutes: 30 })];
    const failure = failureOf(allocate(lots, request));
    expect(failure.reason).toBe(NoCreditReason.EXPIRED);
    expect(failure.message).toBe(
      `All your credits that could pay a 60-minute session expire before this session ends (the last one is valid until ${new Date(request.sessionEnd.getTime() - 1).toISOString()}, the session ends ${request.sessionEnd.toISOString()}). Book a session that ends by then, or buy a package.`,
    );
    const one = failureOf(allocate([freeTrialLot(), sessionLot({ sessionMinutes: 60, expiresAt: at(1) })], request));
    expect(one.message).toBe(
      `Your credits that could pay a 60-minute session expire before this session ends (valid until ${at(1).toISOString()}, the session ends ${request.sessionEnd.toISOString()}). Book a session that ends by then, or buy a package.`,
    );
  });

  it('WRONG_LENGTH when no lot is of this length, listing what the valid ones pay', () => {
    const lots = [sessionLot({ sessionMinutes: 60 }), sessionLot({ sessionMinutes: 90 }), timeLot({ allowedBlockMinutes: [90, 60] }), sessionLot({ sessionMinutes: 105, expiresAt: at(0) })];
    const failure = failureOf(allocate(lots, session(120)));
    expect(failure.reason).toBe(NoCreditReason.WRONG_LENGTH);
    expect(failure.message).toBe(
      'None of your credits pays a 120-minute session: they pay sessions of up to 90 minutes, or blocks of 60 or 90 minutes. Choose a length your credits pay, or buy a package that covers 120 minutes.',
    );
  });

  it('ALL_RESERVED when the lots that could pay are held by upcoming bookings', () => {
    const failure = failureOf(allocate([sessionLot({ available: 0, reserved: 4 })], session(60)));
    expect(failure.reason).toBe(NoCreditReason.ALL_RESERVED);
    expect(failure.message).toBe('All your credits that could pay this session are held by upcoming bookings (4 session credits reserved). Cancel one of those bookings, or buy a package.');
    const partly = failureOf(allocate([timeLot({ available: 30, reserved: 90 })], session(60)));
    expect(partly.reason).toBe(NoCreditReason.ALL_RESERVED);
    expect(partly.message).toContain('90 minutes reserved; only 30 of the 60 minutes needed are free');
  });

  it('MEMBER_CAP when the only options are beyond the member cap', () => {
    const sessions = failureOf(allocate([sessionLot()], session(60, { memberCap: { sessionsLeft: 0, minutesLeft: null } })));
    expect(sessions.reason).toBe(NoCreditReason.MEMBER_CAP);
    expect(sessions.message).toBe("You have reached the credit cap your organization set for you (0 sessions left). Ask your organization's owner to raise your cap.");
    const minutes = failureOf(allocate([timeLot()], session(90, { memberCap: { sessionsLeft: null, minutesLeft: 60 } })));
    expect(minutes.reason).toBe(NoCreditReason.MEMBER_CAP);
    expect(minutes.message).toContain('60 minutes left, this session needs 90');
  });

  it('a member cap skips only the option it forbids', () => {
    const sessionCredit = sessionLot({ priority: 0 });
    const time = timeLot();
    expect(drawsOf(allocate([sessionCredit, time], session(60, { memberCap: { sessionsLeft: 0, minutesLeft: 60 } })))).toEqual([{ lotId: time.id, units: 60 }]);
    expect(drawsOf(allocate([sessionCredit, time], session(60, { memberCap: { sessionsLeft: 1, minutesLeft: 0 } })))).toEqual([{ lotId: sessionCredit.id, units: 1 }]);
    expect(drawsOf(allocate([sessionCredit, time], session(60, { memberCap: { sessionsLeft: null, minutesLeft: null } })))).toEqual([{ lotId: sessionCredit.id, units: 1 }]);
    expect(failureOf(allocate([sessionCredit, time], session(60, { memberCap: { sessionsLeft: 0, minutesLeft: 59 } }))).reason).toBe(NoCreditReason.MEMBER_CAP);
  });

  it('a real shortage wins over the cap: no option at all is not MEMBER_CAP', () => {
    const failure = failureOf(allocate([sessionLot({ available: 0, reserved: 1 })], session(60, { memberCap: { sessionsLeft: 0, minutesLeft: 0 } })));
    expect(failure.reason).toBe(NoCreditReason.ALL_RESERVED);
  });

  it('the lots that could pay decide: held before expiring before of another length', () => {
    const request = session(90);
    const expiredFitting = sessionLot({ expiresAt: at(0) });
    const validShort = sessionLot({ sessionMinutes: 60 });
    const heldFitting = sessionLot({ available: 0, reserved: 2 });
    expect(failureOf(allocate([expiredFitting, validShort, heldFitting], request)).reason).toBe(NoCreditReason.ALL_RESERVED);
    expect(failureOf(allocate([expiredFitting, validShort], request)).reason).toBe(NoCreditReason.EXPIRED);
    expect(failureOf(allocate([validShort], request)).reason).toBe(NoCreditReason.WRONG_LENGTH);
  });
});

describe('allocate: the reason comes from the lots that could pay (issue 10)', () => {
  // A 60-minute session beside the organization's 15-minute free trial, as booked in the issue.
  const request = session(60);
  const sixty = (over: Partial<AllocatableLot> = {}) => sessionLot({ source: CreditSource.PROMOTIONAL, priority: 0, sessionMinutes: 60, available: 10, ...over });
  const beforeEnd = new Date(request.sessionEnd.getTime() - 1);
  type Row = [name: string, lots: () => AllocatableLot[], request: AllocationRequest, expected: NoCreditReason | 'OK'];
  const table: Row[] = [
    ['trial + 60-minute lot with free credits', () => [freeTrialLot(), sixty()], request, 'OK'],
    ['trial only', () => [freeTrialLot()], request, NoCreditReason.WRONG_LENGTH],
    ['trial + spent 60-minute lot (as if absent)', () => [freeTrialLot(), sixty({ available: 0 })], request, NoCreditReason.WRONG_LENGTH],
    ['trial + 60-minute lot all held', () => [freeTrialLot(), sixty({ available: 0, reserved: 10 })], request, NoCreditReason.ALL_RESERVED],
    ['held trial + 60-minute lot all held', () => [freeTrialLot({ available: 0, reserved: 1 }), sixty({ available: 0, reserved: 10 })], request, NoCreditReason.ALL_RESERVED],
    ['trial + 60-minute lot expiring before the end', () => [freeTrialLot(), sixty({ expiresAt: beforeEnd })], request, NoCreditReason.EXPIRED],
    ['trial + held 60-minute lot expiring before the end', () => [freeTrialLot(), sixty({ available: 0, reserved: 3, expiresAt: beforeEnd })], request, NoCreditReason.EXPIRED],
    ['trial + expiring 60 + held valid 60', () => [freeTrialLot(), sixty({ expiresAt: beforeEnd }), sixty({ available: 0, reserved: 2 })], request, NoCreditReason.ALL_RESERVED],
    ['trial + expiring 60 + valid 30', () => [freeTrialLot(), sixty({ expiresAt: beforeEnd }), sessionLot({ sessionMinutes: 30 })], request, NoCreditReason.EXPIRED],
    ['trial + 30-minute lot', () => [freeTrialLot(), sessionLot({ sessionMinutes: 30 })], request, NoCreditReason.WRONG_LENGTH],
    ['trial + TIME lot with 30 of 60 minutes free, none held', () => [freeTrialLot(), timeLot({ available: 30 })], request, NoCreditReason.NO_CREDITS],
    ['trial + TIME lot with 30 free and 90 held', () => [freeTrialLot(), timeLot({ available: 30, reserved: 90 })], request, NoCreditReason.ALL_RESERVED],
    ['trial + TIME lot of 90-minute blocks only', () => [freeTrialLot(), timeLot({ allowedBlockMinutes: [90] })], request, NoCreditReason.WRONG_LENGTH],
    ['trial + 60-minute lot, member cap reached', () => [freeTrialLot(), sixty()], { ...request, memberCap: { sessionsLeft: 0, minutesLeft: null } }, NoCreditReason.MEMBER_CAP],
    ['trial + held 60 + member cap reached: the shortage wins', () => [freeTrialLot(), sixty({ available: 0, reserved: 1 })], { ...request, memberCap: { sessionsLeft: 0, minutesLeft: 0 } }, NoCreditReason.ALL_RESERVED],
    ['nothing', () => [], request, NoCreditReason.NO_CREDITS],
    ['useFreeTrial: held trial beside a free 15-minute lot', () => [freeTrialLot({ available: 0, reserved: 1 }), sessionLot({ sessionMinutes: 15 })], session(15, { useFreeTrial: true }), NoCreditReason.ALL_RESERVED],
    ['useFreeTrial: expired trial beside a valid 15-minute lot', () => [freeTrialLot({ expiresAt: at(0) }), sessionLot({ sessionMinutes: 15 })], session(15, { useFreeTrial: true }), NoCreditReason.EXPIRED],
    ['useFreeTrial: no trial, other lots held', () => [sessionLot({ sessionMinutes: 15, available: 0, reserved: 1 })], session(15, { useFreeTrial: true }), NoCreditReason.NO_CREDITS],
  ];

  for (const [name, lots, req, expected] of table) {
    it(`${name} → ${expected}`, () => {
      const result = allocate(lots(), req);
      expect(result.ok ? 'OK' : result.reason).toBe(expected);
    });
  }

  it('the issue\'s two cases say what to do about the lot that could pay', () => {
    const held = failureOf(allocate([freeTrialLot(), sixty({ available: 0, reserved: 10 })], request));
    expect(held.message).toBe('All your credits that could pay this session are held by upcoming bookings (10 session credits reserved). Cancel one of those bookings, or buy a package.');
    const expiring = failureOf(allocate([freeTrialLot(), sixty({ expiresAt: beforeEnd })], request));
    expect(expiring.message).toBe(
      `Your credits that could pay a 60-minute session expire before this session ends (valid until ${beforeEnd.toISOString()}, the session ends ${request.sessionEnd.toISOString()}). Book a session that ends by then, or buy a package.`,
    );
  });
});

// --- properties ---------------------------------------------------------------------------

/** A few instants, some 1 ms apart, so ties and boundary cases are common. */
const instantArb = (...hours: number[]) => fc.tuple(fc.constantFrom(...hours), fc.constantFrom(-1, 0, 0, 1)).map(([h, ms]) => at(h, ms));
const LOT_HOURS = [0, 12, 24, 48, 72];

const lotBodyArb = fc
  .record({
    kind: fc.constantFrom<CreditLotKind>('SESSION', 'TIME', 'TIME'),
    source: fc.constantFrom(...Object.values(CreditSource)),
    priority: fc.constantFrom(0, 10, 10),
    sessionMinutes: fc.constantFrom(15, 60, 90, 120, 180),
    blocks: fc.subarray([60, 90, 120], { minLength: 1 }),
    sessions: fc.integer({ min: 0, max: 3 }),
    minutes: fc.constantFrom(0, 15, 30, 30, 45, 60, 90, 240),
    reserved: fc.constantFrom(0, 0, 1, 30),
    expiresAt: instantArb(...LOT_HOURS),
    grantedAt: instantArb(...LOT_HOURS),
  })
  .map(
    (r): Omit<AllocatableLot, 'id'> => ({
      kind: r.kind,
      source: r.source,
      priority: r.priority,
      sessionMinutes: r.sessionMinutes,
      allowedBlockMinutes: r.kind === 'SESSION' ? [r.sessionMinutes] : r.blocks,
      available: r.kind === 'SESSION' ? r.sessions : r.minutes,
      reserved: r.reserved,
      expiresAt: r.expiresAt,
      grantedAt: r.grantedAt,
    }),
  );

/** Lots with unique ids (random, so id order is unrelated to anything else). */
const lotsArb = fc
  .uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 1, maxLength: 3 }), { maxLength: 8 })
  .chain((ids) => fc.tuple(...ids.map((id) => lotBodyArb.map((body): AllocatableLot => Object.freeze({ id, ...body })))))
  .map((lots): readonly AllocatableLot[] => Object.freeze<AllocatableLot[]>(lots));

const requestArb = fc.record(
  {
    durationMinutes: fc.constantFrom(15, 30, 45, 60, 60, 90, 90, 120, 180),
    sessionEnd: instantArb(0, 12, 24, 48),
    useFreeTrial: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 4, arbitrary: fc.constant(false) }),
    memberCap: fc.option(
      fc.record({ sessionsLeft: fc.option(fc.integer({ min: 0, max: 2 })), minutesLeft: fc.option(fc.constantFrom(0, 30, 60, 90, 120, 240)) }),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['durationMinutes', 'sessionEnd'] },
);

// The test's own statement of the rules, written independently of the implementation.
const rankKey = (lot: AllocatableLot) => [lot.priority, lot.expiresAt.getTime(), lot.grantedAt.getTime(), lot.id] as const;
function ranksBefore(a: AllocatableLot, b: AllocatableLot): boolean {
  const ka = rankKey(a);
  const kb = rankKey(b);
  for (let i = 0; i < ka.length; i++) if (ka[i]! !== kb[i]!) return ka[i]! < kb[i]!;
  return false;
}
const earliest = (lots: readonly AllocatableLot[]) => lots.reduce<AllocatableLot | undefined>((best, lot) => (best === undefined || ranksBefore(lot, best) ? lot : best), undefined);
const validAt = (lot: AllocatableLot, end: Date) => lot.expiresAt.getTime() >= end.getTime();
const fits = (lot: AllocatableLot, minutes: number) => (lot.kind === 'SESSION' ? minutes <= lot.sessionMinutes : lot.allowedBlockMinutes.includes(minutes));

function brute(lots: readonly AllocatableLot[], req: AllocationRequest) {
  const pool = req.useFreeTrial ? lots.filter((lot) => lot.source === CreditSource.FREE_TRIAL) : lots;
  const eligible = pool.filter((lot) => validAt(lot, req.sessionEnd) && fits(lot, req.durationMinutes));
  const sessionPayers = eligible.filter((lot) => lot.kind === 'SESSION' && lot.available >= 1);
  const timePayers = eligible.filter((lot) => lot.kind === 'TIME' && lot.available > 0);
  const sessionsLeft = req.memberCap?.sessionsLeft ?? null;
  const minutesLeft = req.memberCap?.minutesLeft ?? null;
  const sExists = sessionPayers.length > 0;
  // Any set of TIME lots covering the session exists iff all of them together cover it.
  const tExists = timePayers.reduce((total, lot) => total + lot.available, 0) >= req.durationMinutes;
  return {
    pool,
    eligible,
    sessionPayers,
    timePayers,
    sExists,
    tExists,
    sAllowed: sExists && (sessionsLeft === null || sessionsLeft >= 1),
    tAllowed: tExists && (minutesLeft === null || minutesLeft >= req.durationMinutes),
  };
}

const isLive = (lot: AllocatableLot) => lot.available > 0 || lot.reserved > 0;
/** The lots in play with anything left; those of the session's length; those also valid at its end (the ones that could pay). */
function couldPay(lots: readonly AllocatableLot[], req: AllocationRequest) {
  const live = brute(lots, req).pool.filter(isLive);
  const fitting = live.filter((lot) => fits(lot, req.durationMinutes));
  return { live, fitting, payers: fitting.filter((lot) => validAt(lot, req.sessionEnd)) };
}

describe('allocate properties', () => {
  it('a success draws exactly what the session costs, from valid fitting lots, within what they have, each lot once', () => {
    fc.assert(
      fc.property(lotsArb, requestArb, (lots, req) => {
        const result = allocate(lots, req);
        if (!result.ok) return;
        const byId = new Map(lots.map((lot) => [lot.id, lot]));
        const drawn = result.draws.map((draw) => byId.get(draw.lotId)!);
        expect(drawn.every(Boolean)).toBe(true);
        expect(new Set(result.draws.map((draw) => draw.lotId)).size).toBe(result.draws.length);
        for (const [i, lot] of drawn.entries()) {
          const units = result.draws[i]!.units;
          expect(validAt(lot, req.sessionEnd)).toBe(true);
          expect(fits(lot, req.durationMinutes)).toBe(true);
          expect(units).toBeGreaterThan(0);
          expect(units).toBeLessThanOrEqual(lot.available);
          if (req.useFreeTrial) expect(lot.source).toBe(CreditSource.FREE_TRIAL);
        }
        const total = result.draws.reduce((sum, draw) => sum + draw.units, 0);
        if (drawn[0]!.kind === 'SESSION') {
          expect(result.draws).toHaveLength(1);
          expect(total).toBe(1);
        } else {
          expect(drawn.every((lot) => lot.kind === 'TIME')).toBe(true);
          expect(total).toBe(req.durationMinutes);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('the first lot drawn is the earliest-ranked lot that could pay, and a TIME chain is greedy in rank order', () => {
    fc.assert(
      fc.property(lotsArb, requestArb, (lots, req) => {
        const result = allocate(lots, req);
        if (!result.ok) return;
        const b = brute(lots, req);
        const byId = new Map(lots.map((lot) => [lot.id, lot]));
        const first = byId.get(result.draws[0]!.lotId)!;
        const sFirst = earliest(b.sessionPayers);
        const tFirst = earliest(b.timePayers);
        if (first.kind === 'SESSION') {
          expect(b.sAllowed).toBe(true);
          expect(first).toBe(sFirst);
          if (b.tAllowed) expect(ranksBefore(first, tFirst!)).toBe(true);
        } else {
          expect(b.tAllowed).toBe(true);
          expect(first).toBe(tFirst);
          if (b.sAllowed) expect(ranksBefore(first, sFirst!)).toBe(true);
          // Greedy: the chain is a prefix of the TIME payers in rank order, all but the last drawn dry.
          const ordered = [...b.timePayers].sort((x, y) => (ranksBefore(x, y) ? -1 : ranksBefore(y, x) ? 1 : 0));
          expect(result.draws.map((draw) => draw.lotId)).toEqual(ordered.slice(0, result.draws.length).map((lot) => lot.id));
          for (const draw of result.draws.slice(0, -1)) expect(draw.units).toBe(byId.get(draw.lotId)!.available);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('fails exactly when no option exists (brute force), with the reason the lots that could pay give', () => {
    fc.assert(
      fc.property(lotsArb, requestArb, (lots, req) => {
        const result = allocate(lots, req);
        const b = brute(lots, req);
        expect(result.ok).toBe(b.sAllowed || b.tAllowed);
        if (result.ok) return;
        expect(result.message.length).toBeGreaterThan(20);
        const { live, fitting, payers } = couldPay(lots, req);
        const expected =
          live.length === 0
            ? NoCreditReason.NO_CREDITS
            : fitting.length === 0
              ? NoCreditReason.WRONG_LENGTH
              : payers.length === 0
                ? NoCreditReason.EXPIRED
                : b.sExists || b.tExists
                  ? NoCreditReason.MEMBER_CAP
                  : payers.some((lot) => lot.reserved > 0)
                    ? NoCreditReason.ALL_RESERVED
                    : NoCreditReason.NO_CREDITS;
        expect(result.reason).toBe(expected);
        if (req.useFreeTrial && live.length === 0) expect(result.message).toMatch(/free trial/);
      }),
      { numRuns: 1000 },
    );
  });

  it('only the lots that could pay decide: lots of another length, expiring ones, spent ones or (useFreeTrial) other than the trial change nothing', () => {
    fc.assert(
      fc.property(lotsArb, requestArb, (lots, req) => {
        const result = allocate(lots, req);
        const { live, fitting, payers } = couldPay(lots, req);
        if (req.useFreeTrial) expect(result).toEqual(allocate(lots.filter((lot) => lot.source === CreditSource.FREE_TRIAL), req));
        // Valid lots of this length exist: the outcome (draws, or reason and message) is theirs alone.
        if (payers.length > 0) expect(result).toEqual(allocate(payers, req));
        // Only expiring ones: EXPIRED, from them alone.
        else if (fitting.length > 0) expect(result).toEqual(allocate(fitting, req));
        // A spent lot is no lot (the locked read leaves them out); only "no credits" and "all used" tell them apart.
        const withoutSpent = allocate(lots.filter(isLive), req);
        if (live.length > 0) expect(result).toEqual(withoutSpent);
        else expect(failureOf(result).reason).toBe(failureOf(withoutSpent).reason);
      }),
      { numRuns: 1000 },
    );
  });

  it('the result does not depend on the order of the lots', () => {
    const shuffled = lotsArb.chain((lots) => fc.tuple(fc.constant(lots), fc.shuffledSubarray([...lots], { minLength: lots.length, maxLength: lots.length })));
    fc.assert(
      fc.property(shuffled, requestArb, ([lots, permuted], req) => {
        expect(allocate(permuted, req)).toEqual(allocate(lots, req));
        expect(sortLots(permuted).map((lot) => lot.id)).toEqual(sortLots(lots).map((lot) => lot.id));
      }),
      { numRuns: 500 },
    );
  });
});
