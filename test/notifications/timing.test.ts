import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsultationChangeKind } from '../../src/platform/events.js';
import { consultationRelevant, decideMessages, reminderOccurrence, rescheduleOccurrence, type ConsultationFacts } from '../../src/notifications/timing.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = new Date('2031-01-09T09:00:00.000Z');
const facts = (over: Partial<ConsultationFacts> = {}): ConsultationFacts => ({ status: 'SCHEDULED', start: START, end: new Date(START.getTime() + HOUR), ...over });
const before = (ms: number) => new Date(START.getTime() - ms);
/** The decision as "KIND audience dueAt" lines. */
const lines = (change: ConsultationChangeKind, f: ConsultationFacts, now: Date) =>
  decideMessages(change, f, now)
    .enqueue.map((m) => `${m.kind} ${m.audience} ${m.dueAt.toISOString()}`)
    .sort();

const KINDS: ConsultationChangeKind[] = ['BOOKED', 'PAID', 'CONFIRMED', 'RESCHEDULED', 'RESCHEDULE_REQUESTED', 'CANCELLED', 'STARTED', 'COMPLETED', 'NO_SHOW', 'EXPIRED', 'ATTENDEES_ADDED'];
const STATUSES = ['PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW', 'EXPIRED'];

describe('decideMessages: the table', () => {
  const now = before(3 * DAY);
  const at = now.toISOString();
  it.each<[ConsultationChangeKind, Partial<ConsultationFacts>, string[]]>([
    [
      'BOOKED',
      {},
      [
        `BOOKING_CONFIRMED ATTENDEES ${at}`,
        `BOOKING_CONFIRMED CLIENT ${at}`,
        `BOOKING_CONFIRMED CONSULTANT ${at}`,
        'REMINDER_1H ATTENDEES 2031-01-09T08:00:00.000Z',
        'REMINDER_1H CLIENT 2031-01-09T08:00:00.000Z',
        'REMINDER_1H CONSULTANT 2031-01-09T08:00:00.000Z',
        'REMINDER_24H ATTENDEES 2031-01-08T09:00:00.000Z',
        'REMINDER_24H CLIENT 2031-01-08T09:00:00.000Z',
        'REMINDER_24H CONSULTANT 2031-01-08T09:00:00.000Z',
      ],
    ],
    ['BOOKED', { status: 'PENDING_PAYMENT' }, []],
    ['ATTENDEES_ADDED', { status: 'PENDING_PAYMENT' }, []],
    ['ATTENDEES_ADDED', {}, [`BOOKING_CONFIRMED ATTENDEES ${at}`, 'REMINDER_1H ATTENDEES 2031-01-09T08:00:00.000Z', 'REMINDER_24H ATTENDEES 2031-01-08T09:00:00.000Z']],
    ['CANCELLED', { status: 'CANCELLED' }, [`CONSULTATION_CANCELLED ATTENDEES ${at}`, `CONSULTATION_CANCELLED CLIENT ${at}`, `CONSULTATION_CANCELLED CONSULTANT ${at}`]],
    ['CANCELLED', { status: 'CANCELLED', fromStatus: 'PENDING_PAYMENT' }, [`CONSULTATION_CANCELLED BOOKER ${at}`]],
    ['EXPIRED', { status: 'EXPIRED' }, [`HOLD_EXPIRED BOOKER ${at}`]],
    ['NO_SHOW', { status: 'NO_SHOW' }, []],
    ['STARTED', { status: 'IN_PROGRESS' }, [`SESSION_STARTED ATTENDEES ${at}`, `SESSION_STARTED CLIENT ${at}`]],
    ['COMPLETED', { status: 'COMPLETED' }, [`FEEDBACK_REQUEST MEMBER ${new Date(now.getTime() + DAY).toISOString()}`, `SESSION_COMPLETED CLIENT ${at}`, `SESSION_COMPLETED CONSULTANT ${at}`]],
    ['RESCHEDULE_REQUESTED', { rescheduleRequest: { suggestedStarts: ['2031-01-10T09:00:00.000Z'], reason: null } }, [`RESCHEDULE_REQUESTED CLIENT ${at}`]],
  ])('%s (%o)', (change, over, expected) => {
    expect(lines(change, facts(over), now)).toEqual(expected);
  });

  it('a cancellation, a lapse and a no-show withdraw everything that has not gone; a move withdraws the old time’s reminders only', () => {
    for (const change of ['CANCELLED', 'EXPIRED', 'NO_SHOW'] as const) expect(decideMessages(change, facts({ status: change }), START).withdraw).toEqual([{}]);
    const moved = decideMessages('RESCHEDULED', facts({ previous: { start: before(DAY), end: before(23 * HOUR) }, rescheduleCount: 2 }), before(3 * DAY));
    expect(moved.withdraw[0]).toEqual({ kinds: ['REMINDER_24H', 'REMINDER_1H'], keepOccurrence: START.toISOString() });
    const told = moved.enqueue.filter((m) => m.kind === 'CONSULTATION_RESCHEDULED');
    expect(told.map((m) => m.audience).sort()).toEqual(['ATTENDEES', 'CLIENT', 'CONSULTANT']);
    expect(told[0]!.occurrence).toBe(`${START.toISOString()}#2`);
    expect(told[0]!.payload).toMatchObject({ previousStart: before(DAY).toISOString(), previousEnd: before(23 * HOUR).toISOString(), start: START.toISOString() });
  });

  it('a late booking: 13 h ahead, only the 1 h reminder; 50 minutes ahead, none; exactly 24 h ahead, both', () => {
    expect(lines('BOOKED', facts(), before(13 * HOUR)).filter((l) => l.startsWith('REMINDER')).map((l) => l.split(' ')[0])).toEqual(['REMINDER_1H', 'REMINDER_1H', 'REMINDER_1H']);
    expect(lines('BOOKED', facts(), before(50 * MIN)).filter((l) => l.startsWith('REMINDER'))).toEqual([]);
    expect(new Set(lines('BOOKED', facts(), before(DAY)).map((l) => l.split(' ')[0]))).toEqual(new Set(['BOOKING_CONFIRMED', 'REMINDER_24H', 'REMINDER_1H']));
  });
});

const instant = fc.integer({ min: Date.parse('2030-01-01T00:00:00Z'), max: Date.parse('2033-01-01T00:00:00Z') }).map((ms) => new Date(ms));

describe('decideMessages: properties', () => {
  it('no message is ever due before the change, and every reminder is due before its session, keyed by its start', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.constantFrom(...STATUSES), instant, fc.integer({ min: -3 * DAY, max: 30 * DAY }), (change, status, start, lead) => {
        const now = new Date(start.getTime() - lead);
        const decision = decideMessages(change, facts({ status, start, end: new Date(start.getTime() + HOUR), rescheduleRequest: { suggestedStarts: [], reason: null } }), now);
        for (const m of decision.enqueue) {
          expect(m.dueAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
          if (m.kind.startsWith('REMINDER')) {
            expect(m.dueAt.getTime()).toBeLessThan(start.getTime());
            expect(m.occurrence).toBe(reminderOccurrence(start));
            expect(start.getTime() - m.dueAt.getTime()).toBe(m.kind === 'REMINDER_24H' ? DAY : HOUR);
          }
        }
      }),
    );
  });

  it('reminders exist only for a session still to come, and exactly those whose moment has not passed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.constantFrom(...STATUSES), instant, fc.integer({ min: -3 * DAY, max: 3 * DAY }), (change, status, start, lead) => {
        const now = new Date(start.getTime() - lead);
        const kinds = decideMessages(change, facts({ status, start }), now).enqueue.filter((m) => m.audience === 'CONSULTANT' && m.kind.startsWith('REMINDER')).map((m) => m.kind);
        const upcoming = status === 'SCHEDULED' || status === 'CONFIRMED';
        const derives = ['BOOKED', 'PAID', 'CONFIRMED', 'RESCHEDULED'].includes(change);
        const expected = upcoming && derives ? [...(lead >= DAY ? ['REMINDER_24H'] : []), ...(lead >= HOUR ? ['REMINDER_1H'] : [])] : [];
        expect(kinds).toEqual(expected);
      }),
    );
  });

  it('every move is a message of its own: distinct moves never share an occurrence', () => {
    fc.assert(
      fc.property(instant, instant, fc.nat(50), fc.nat(50), (a, b, n, m) => {
        fc.pre(n !== m);
        expect(rescheduleOccurrence(a, n)).not.toBe(rescheduleOccurrence(b, m));
      }),
    );
  });
});

describe('consultationRelevant (at send time)', () => {
  const upcoming = { status: 'SCHEDULED', start: START, feedbackGiven: false, rescheduleRequested: false };
  const reminder = (kind: string, start = START) => ({ kind, occurrence: reminderOccurrence(start) });

  it('a reminder goes while its session is to come at the time it reminds of, whenever the worker comes back', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2 * DAY, max: 2 * DAY }), fc.constantFrom(...STATUSES), (lead, status) => {
        const now = new Date(START.getTime() - lead);
        const state = { ...upcoming, status };
        const toCome = status === 'SCHEDULED' || status === 'CONFIRMED';
        expect(consultationRelevant(reminder('REMINDER_1H'), state, now)).toBe(toCome && lead > 0);
        // The 24 h one gives way once the 1 h one's moment has come.
        expect(consultationRelevant(reminder('REMINDER_24H'), state, now)).toBe(toCome && lead > HOUR);
      }),
    );
  });

  it('a reminder for another time (the session moved), for a gone consultation, and a feedback request after feedback: no', () => {
    expect(consultationRelevant(reminder('REMINDER_1H', before(DAY)), upcoming, before(2 * DAY))).toBe(false);
    expect(consultationRelevant(reminder('REMINDER_1H'), null, before(2 * HOUR))).toBe(false);
    expect(consultationRelevant({ kind: 'FEEDBACK_REQUEST', occurrence: '' }, { ...upcoming, status: 'COMPLETED' }, START)).toBe(true);
    expect(consultationRelevant({ kind: 'FEEDBACK_REQUEST', occurrence: '' }, { ...upcoming, status: 'COMPLETED', feedbackGiven: true }, START)).toBe(false);
    expect(consultationRelevant({ kind: 'SESSION_STARTED', occurrence: '' }, { ...upcoming, status: 'COMPLETED' }, START)).toBe(false);
    expect(consultationRelevant({ kind: 'CONSULTATION_CANCELLED', occurrence: '' }, { ...upcoming, status: 'CANCELLED' }, START)).toBe(true);
  });
});
