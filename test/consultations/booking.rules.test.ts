import fc from 'fast-check';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  BOOKING_LIMITS,
  bookingHash,
  checkBooking,
  checkCompletion,
  chooseMeetingProvider,
  checkFeedback,
  type BookingData,
  type CompletionData,
  type FeedbackData,
} from '../../src/consultations/booking.rules.js';
import { ActionItemPriority, ActionItemStatus, DeliverableStatus, MeetingProvider } from '../../src/consultations/consultation.enums.js';

const MIN = 60_000;
const NOW = new Date('2030-01-01T12:00:00.000Z');
const TOMORROW = new Date(NOW.getTime() + 24 * 60 * MIN);

function booking(over: Partial<BookingData> = {}): BookingData {
  return { start: TOMORROW, durationMinutes: 60, purpose: 'Review our data model', ...over };
}

/** Runs `fn`, which must throw BAD_USER_INPUT naming `field`; returns the error. */
function badInput(fn: () => unknown, field: string): GraphQLError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected BAD_USER_INPUT on ${field}, nothing was thrown`).toBeInstanceOf(GraphQLError);
  const error = thrown as GraphQLError;
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

const attendee = (i: number) => ({ name: `Person ${i}`, email: `person${i}@example.com` });

describe('chooseMeetingProvider', () => {
  const ZOOM_ONLY_MISSING = { defaultProvider: MeetingProvider.JITSI, unconfigured: { ZOOM: 'ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET' } };

  it('none named: the consultant’s first offered (and configured) one, else the platform default', () => {
    expect(chooseMeetingProvider(null, ['TEAMS', 'PHONE'], ZOOM_ONLY_MISSING)).toBe('TEAMS');
    expect(chooseMeetingProvider(null, ['ZOOM', 'PHONE'], ZOOM_ONLY_MISSING)).toBe('PHONE');
    expect(chooseMeetingProvider(null, [], ZOOM_ONLY_MISSING)).toBe('JITSI');
    expect(chooseMeetingProvider(null, ['ZOOM'], ZOOM_ONLY_MISSING)).toBe('JITSI');
  });

  it('a named provider must be one the consultant offers; the error says which they do', () => {
    expect(chooseMeetingProvider(MeetingProvider.PHONE, ['TEAMS', 'PHONE'], ZOOM_ONLY_MISSING)).toBe('PHONE');
    const error = badInput(() => chooseMeetingProvider(MeetingProvider.JITSI, ['TEAMS', 'PHONE'], ZOOM_ONLY_MISSING), 'input.meetingProvider');
    expect(error.message).toMatch(/offers TEAMS, PHONE/);
    expect(error.extensions.offered).toEqual(['TEAMS', 'PHONE']);
    // Listing none offers the platform default alone.
    expect(badInput(() => chooseMeetingProvider(MeetingProvider.PHONE, [], ZOOM_ONLY_MISSING), 'input.meetingProvider').message).toMatch(/offers JITSI/);
  });

  it('a default that is not configured is refused naming MEETING_PROVIDER and the settings', () => {
    const error = badInput(() => chooseMeetingProvider(null, [], { ...ZOOM_ONLY_MISSING, defaultProvider: MeetingProvider.ZOOM }), 'MEETING_PROVIDER');
    expect(error.message).toMatch(/ZOOM meeting provider is not configured.*ZOOM_ACCOUNT_ID/);
  });

  it('property: the chosen provider is always offered and configured, or the platform default', () => {
    const provider = fc.constantFrom(...Object.values(MeetingProvider));
    const settings = fc.record({
      defaultProvider: provider,
      unconfigured: fc.subarray(Object.values(MeetingProvider)).map((missing) => Object.fromEntries(missing.map((p) => [p, `${p}_SETTING`]))),
    });
    fc.assert(
      fc.property(fc.option(provider, { nil: null }), fc.array(provider, { maxLength: 7 }), settings, (named, listed, s) => {
        let chosen: string;
        try {
          chosen = chooseMeetingProvider(named, listed, s);
        } catch (error) {
          // Refused only for a name not offered, or an unusable default.
          const field = (error as GraphQLError).extensions.field;
          expect(field === 'input.meetingProvider' || (field === 'MEETING_PROVIDER' && s.unconfigured[s.defaultProvider])).toBeTruthy();
          return;
        }
        const offeredAndConfigured = listed.includes(chosen as MeetingProvider) && !s.unconfigured[chosen as MeetingProvider];
        expect(offeredAndConfigured || chosen === s.defaultProvider).toBe(true);
        expect(s.unconfigured[chosen as MeetingProvider]).toBeUndefined();
        if (named) expect(chosen).toBe(named);
        else if (offeredAndConfigured) expect(chosen).toBe(listed.find((p) => !s.unconfigured[p]));
      }),
    );
  });
});

describe('checkBooking', () => {
  it('keeps the meeting provider asked for (none: the consultant decides) and refuses one not configured, naming the setting', () => {
    const settings = { defaultProvider: MeetingProvider.PHONE, unconfigured: { ZOOM: 'ZOOM_ACCOUNT_ID' } };
    expect(checkBooking(booking(), NOW, settings).meetingProvider).toBeNull();
    expect(checkBooking(booking({ meetingProvider: MeetingProvider.PHONE }), NOW, settings).meetingProvider).toBe(MeetingProvider.PHONE);
    const named = badInput(() => checkBooking(booking({ meetingProvider: MeetingProvider.ZOOM }), NOW, settings), 'input.meetingProvider');
    expect(named.message).toMatch(/ZOOM meeting provider is not configured.*ZOOM_ACCOUNT_ID/);
  });

  it('returns the normalized booking with its defaults', () => {
    expect(checkBooking(booking(), NOW)).toEqual({
      consultantId: null,
      start: TOMORROW,
      durationMinutes: 60,
      useFreeTrial: false,
      purpose: 'Review our data model',
      notes: null,
      meetingProvider: null,
      skills: [],
      attendees: [],
      idempotencyKey: null,
      payWith: 'CREDITS',
    });
    expect(() => checkBooking(booking({ durationMinutes: 15, useFreeTrial: true, payWith: 'BOOKING_FEE' }), NOW)).toThrow(/free trial or by a booking fee/);
    const full = checkBooking(
      booking({ consultantId: 'k1', purpose: '  Plan  ', notes: '  bring diagrams ', meetingProvider: MeetingProvider.TEAMS, idempotencyKey: 'key-1' }),
      NOW,
    );
    expect(full).toMatchObject({ consultantId: 'k1', purpose: 'Plan', notes: 'bring diagrams', meetingProvider: 'TEAMS', idempotencyKey: 'key-1' });
    expect(checkBooking(booking({ notes: '   ' }), NOW).notes).toBeNull();
  });

  it.each([0, -15, 14, 20, 495, 15.5, 481, 490, Number.NaN, Number.POSITIVE_INFINITY])('refuses durationMinutes %s', (minutes) => {
    const error = badInput(() => checkBooking(booking({ durationMinutes: minutes }), NOW), 'input.durationMinutes');
    expect(error.message).toMatch(/multiple of 15 from 15 to 480/);
  });

  it.each([15, 30, 45, 90, 465, 480])('accepts durationMinutes %s', (minutes) => {
    expect(checkBooking(booking({ durationMinutes: minutes }), NOW).durationMinutes).toBe(minutes);
  });

  it('the free trial is 15 minutes exactly', () => {
    for (const minutes of [30, 60, 480]) {
      const error = badInput(() => checkBooking(booking({ useFreeTrial: true, durationMinutes: minutes }), NOW), 'input.durationMinutes');
      expect(error.message).toMatch(/free trial/);
    }
    expect(checkBooking(booking({ useFreeTrial: true, durationMinutes: 15 }), NOW).useFreeTrial).toBe(true);
    expect(checkBooking(booking({ useFreeTrial: null }), NOW).useFreeTrial).toBe(false);
    expect(checkBooking(booking({ useFreeTrial: false, durationMinutes: 15 }), NOW).useFreeTrial).toBe(false);
  });

  it('purpose is required (after trimming) and at most 2000 characters', () => {
    expect(BOOKING_LIMITS.purpose).toBe(2000);
    for (const purpose of ['', '   ', '\n\t']) {
      expect(badInput(() => checkBooking(booking({ purpose }), NOW), 'input.purpose').message).toMatch(/required/);
    }
    expect(badInput(() => checkBooking(booking({ purpose: 'x'.repeat(2001) }), NOW), 'input.purpose').message).toMatch(/at most 2000/);
    expect(checkBooking(booking({ purpose: 'x'.repeat(2000) }), NOW).purpose).toHaveLength(2000);
    // Trimmed before measuring.
    expect(checkBooking(booking({ purpose: ` ${'x'.repeat(2000)} ` }), NOW).purpose).toHaveLength(2000);
  });

  it('notes are optional, at most 4000 characters', () => {
    badInput(() => checkBooking(booking({ notes: 'n'.repeat(4001) }), NOW), 'input.notes');
    expect(checkBooking(booking({ notes: 'n'.repeat(4000) }), NOW).notes).toHaveLength(4000);
  });

  it('skills are trimmed and deduplicated case-insensitively, keeping the first spelling and the order', () => {
    expect(checkBooking(booking({ skills: [' TypeScript ', 'go', 'typescript', 'GO', 'SQL', 'Go'] }), NOW).skills).toEqual(['TypeScript', 'go', 'SQL']);
    expect(checkBooking(booking({ skills: null }), NOW).skills).toEqual([]);
  });

  it('refuses a blank or overlong skill, naming its index, and more than 10 skills', () => {
    badInput(() => checkBooking(booking({ skills: ['go', '  '] }), NOW), 'input.skills.1');
    badInput(() => checkBooking(booking({ skills: ['s'.repeat(81)] }), NOW), 'input.skills.0');
    expect(checkBooking(booking({ skills: ['s'.repeat(80)] }), NOW).skills).toEqual(['s'.repeat(80)]);
    const eleven = Array.from({ length: 11 }, (_, i) => `skill-${i}`);
    badInput(() => checkBooking(booking({ skills: eleven }), NOW), 'input.skills');
    expect(checkBooking(booking({ skills: eleven.slice(0, 10) }), NOW).skills).toHaveLength(10);
    // The limit counts distinct skills: repeats of one are one.
    expect(checkBooking(booking({ skills: Array<string>(11).fill('go') }), NOW).skills).toEqual(['go']);
  });

  it('attendees: emails trimmed and lowercased, names trimmed, role optional', () => {
    const { attendees } = checkBooking(
      booking({ attendees: [{ name: ' Ann Lee ', email: '  Ann.Lee@Example.COM ', role: ' CTO ' }, { name: 'Bo', email: 'bo@example.com', role: '' }] }),
      NOW,
    );
    expect(attendees).toEqual([
      { name: 'Ann Lee', email: 'ann.lee@example.com', role: 'CTO' },
      { name: 'Bo', email: 'bo@example.com', role: null },
    ]);
  });

  it('attendees: duplicate emails (after normalization) are refused at the duplicate', () => {
    const error = badInput(
      () => checkBooking(booking({ attendees: [attendee(1), attendee(2), { name: 'Again', email: ' PERSON1@example.com' }] }), NOW),
      'input.attendees.2.email',
    );
    expect(error.message).toContain('person1@example.com is already an attendee');
  });

  it.each(['not-an-email', 'a@b', 'a b@example.com', '@example.com', 'ann@', ''])('attendees: refuses the email %j', (email) => {
    badInput(() => checkBooking(booking({ attendees: [attendee(1), { name: 'X', email }] }), NOW), 'input.attendees.1.email');
  });

  it('attendees: refuses an email longer than 254 characters, and a blank name', () => {
    badInput(() => checkBooking(booking({ attendees: [{ name: 'X', email: `${'a'.repeat(250)}@example.com` }] }), NOW), 'input.attendees.0.email');
    badInput(() => checkBooking(booking({ attendees: [{ name: '  ', email: 'x@example.com' }] }), NOW), 'input.attendees.0.name');
    badInput(() => checkBooking(booking({ attendees: [{ name: 'X', email: 'x@example.com', role: 'r'.repeat(101) }] }), NOW), 'input.attendees.0.role');
  });

  it('at most 10 attendees', () => {
    const ten = Array.from({ length: 10 }, (_, i) => attendee(i));
    expect(checkBooking(booking({ attendees: ten }), NOW).attendees).toHaveLength(10);
    const error = badInput(() => checkBooking(booking({ attendees: [...ten, attendee(10)] }), NOW), 'input.attendees');
    expect(error.message).toMatch(/At most 10 attendees/);
  });

  it('idempotencyKey is 1 to 200 characters when given', () => {
    badInput(() => checkBooking(booking({ idempotencyKey: '' }), NOW), 'input.idempotencyKey');
    badInput(() => checkBooking(booking({ idempotencyKey: 'k'.repeat(201) }), NOW), 'input.idempotencyKey');
    expect(checkBooking(booking({ idempotencyKey: 'k' }), NOW).idempotencyKey).toBe('k');
    expect(checkBooking(booking({ idempotencyKey: 'k'.repeat(200) }), NOW).idempotencyKey).toHaveLength(200);
    expect(checkBooking(booking({ idempotencyKey: null }), NOW).idempotencyKey).toBeNull();
  });

  it('start must be a valid date strictly in the future', () => {
    expect(badInput(() => checkBooking(booking({ start: new Date(NOW.getTime() - MIN) }), NOW), 'input.start').message).toMatch(/past/);
    badInput(() => checkBooking(booking({ start: new Date(NOW) }), NOW), 'input.start');
    expect(badInput(() => checkBooking(booking({ start: new Date('not a date') }), NOW), 'input.start').message).toMatch(/date-time/);
    badInput(() => checkBooking(booking({ start: '2030-02-01T10:00:00Z' as unknown as Date }), NOW), 'input.start');
    const soon = new Date(NOW.getTime() + 1);
    expect(checkBooking(booking({ start: soon }), NOW).start).toEqual(soon);
  });
});

describe('bookingHash', () => {
  const hash = (over: Partial<BookingData> = {}) => bookingHash(checkBooking(booking(over), NOW));

  it('ignores the spelling of skills, which match case-insensitively', () => {
    expect(hash({ skills: ['go', 'SQL'] })).toBe(hash({ skills: ['Go', 'sql'] }));
  });
  const base: Partial<BookingData> = {
    consultantId: 'k1',
    skills: ['Go'],
    notes: 'n',
    attendees: [attendee(1)],
    meetingProvider: MeetingProvider.JITSI,
  };

  it('is a sha-256 hex digest, equal for identical requests whatever the idempotency key', () => {
    expect(hash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(base)).toBe(hash(base));
    expect(hash({ ...base, idempotencyKey: 'one' })).toBe(hash({ ...base, idempotencyKey: 'two' }));
    expect(hash({ ...base, idempotencyKey: 'one' })).toBe(hash({ ...base, idempotencyKey: null }));
  });

  it('is equal for requests that normalize the same (spacing, case of emails, defaults, duplicate skills)', () => {
    expect(hash({ ...base, purpose: '  Review our data model ' })).toBe(hash(base));
    expect(hash({ ...base, attendees: [{ name: 'Person 1', email: ' PERSON1@example.com ' }] })).toBe(hash(base));
    expect(hash({ ...base, skills: ['Go', 'go'] })).toBe(hash(base));
    expect(hash({ start: new Date(TOMORROW.getTime()) })).toBe(hash({ start: TOMORROW }));
  });

  it.each<[string, Partial<BookingData>]>([
    ['consultantId', { consultantId: 'k2' }],
    ['no consultantId', { consultantId: null }],
    ['start', { start: new Date(TOMORROW.getTime() + 15 * MIN) }],
    ['durationMinutes', { durationMinutes: 90 }],
    ['purpose', { purpose: 'Something else' }],
    ['notes', { notes: 'other' }],
    ['no notes', { notes: null }],
    ['meetingProvider', { meetingProvider: MeetingProvider.PHONE }],
    // None named is the consultant's first, which need not be JITSI.
    ['no meetingProvider', { meetingProvider: null }],
    ['skills', { skills: ['Rust'] }],
    ['more skills', { skills: ['Go', 'Rust'] }],
    ['attendee email', { attendees: [{ ...attendee(1), email: 'other@example.com' }] }],
    ['attendee name', { attendees: [{ ...attendee(1), name: 'Someone' }] }],
    ['attendee role', { attendees: [{ ...attendee(1), role: 'CFO' }] }],
    ['more attendees', { attendees: [attendee(1), attendee(2)] }],
  ])('differs when %s differs', (_label, change) => {
    expect(hash({ ...base, ...change })).not.toBe(hash(base));
  });

  it('differs with the free trial', () => {
    expect(hash({ durationMinutes: 15, useFreeTrial: true })).not.toBe(hash({ durationMinutes: 15, useFreeTrial: false }));
  });

  it('property: two bookings hash alike exactly when they check to the same value (key and skill spelling aside)', () => {
    const request = fc.record({
      consultantId: fc.constantFrom(null, 'k1', 'k2'),
      startOffset: fc.integer({ min: 1, max: 4 }),
      durationMinutes: fc.constantFrom(15, 30, 60),
      purpose: fc.constantFrom('a', 'b', ' a '),
      notes: fc.constantFrom(null, 'n', ''),
      skills: fc.subarray(['Go', 'go', 'SQL']),
      key: fc.option(fc.string({ minLength: 1, maxLength: 5 })),
    });
    const toBooking = (r: typeof request extends fc.Arbitrary<infer R> ? R : never) =>
      checkBooking(
        booking({ consultantId: r.consultantId, start: new Date(NOW.getTime() + r.startOffset * 60 * MIN), durationMinutes: r.durationMinutes, purpose: r.purpose, notes: r.notes, skills: r.skills, idempotencyKey: r.key }),
        NOW,
      );
    fc.assert(
      fc.property(request, request, (a, b) => {
        const [ca, cb] = [toBooking(a), toBooking(b)];
        const canonical = (c: typeof ca) => JSON.stringify({ ...c, idempotencyKey: null, skills: c.skills.map((x) => x.toLowerCase()) });
        const same = canonical(ca) === canonical(cb);
        expect(bookingHash(ca) === bookingHash(cb)).toBe(same);
      }),
      { numRuns: 500 },
    );
  });
});

describe('checkCompletion', () => {
  const STARTED = new Date(NOW.getTime() - 60 * MIN);

  it('defaults: actualEnd now, no outcomes, empty lists, PENDING / MEDIUM / OPEN', () => {
    expect(checkCompletion({}, STARTED, NOW)).toEqual({ actualEnd: NOW, outcomes: null, deliverables: [], actionItems: [], nextSteps: null, internalNotes: null });
    const checked = checkCompletion(
      {
        deliverables: [{ name: ' Report ', type: 'pdf' }],
        actionItems: [{ title: 'Migrate', assignee: 'Ann' }],
        outcomes: { summary: ' Went well ' },
        nextSteps: '  ',
      },
      STARTED,
      NOW,
    );
    expect(checked.deliverables).toEqual([{ name: 'Report', type: 'pdf', description: null, status: DeliverableStatus.PENDING, dueDate: null, fileUrl: null }]);
    expect(checked.actionItems).toEqual([{ title: 'Migrate', assignee: 'Ann', dueDate: null, priority: ActionItemPriority.MEDIUM, status: ActionItemStatus.OPEN }]);
    expect(checked.outcomes).toEqual({ summary: 'Went well', keyPoints: [], recommendations: [] });
    expect(checked.nextSteps).toBeNull();
  });

  it('keeps explicit statuses, priorities, dates and URLs', () => {
    const checked = checkCompletion(
      {
        actualEnd: new Date(NOW.getTime() - 5 * MIN),
        deliverables: [{ name: 'R', type: 't', status: DeliverableStatus.DELIVERED, dueDate: '2028-02-29', fileUrl: 'https://files.example.com/r.pdf' }],
        actionItems: [{ title: 'T', assignee: 'A', dueDate: '2030-12-24', priority: ActionItemPriority.HIGH, status: ActionItemStatus.DONE }],
      },
      STARTED,
      NOW,
    );
    expect(checked.actualEnd).toEqual(new Date(NOW.getTime() - 5 * MIN));
    expect(checked.deliverables[0]).toMatchObject({ status: 'DELIVERED', dueDate: '2028-02-29', fileUrl: 'https://files.example.com/r.pdf' });
    expect(checked.actionItems[0]).toMatchObject({ dueDate: '2030-12-24', priority: 'HIGH', status: 'DONE' });
  });

  it('actualEnd must be after the start and not in the future (a minute of clock skew allowed)', () => {
    expect(badInput(() => checkCompletion({ actualEnd: new Date(STARTED.getTime() - MIN) }, STARTED, NOW), 'input.actualEnd').message).toMatch(/after/);
    badInput(() => checkCompletion({ actualEnd: STARTED }, STARTED, NOW), 'input.actualEnd');
    expect(badInput(() => checkCompletion({ actualEnd: new Date(NOW.getTime() + 2 * MIN) }, STARTED, NOW), 'input.actualEnd').message).toMatch(/future/);
    badInput(() => checkCompletion({ actualEnd: new Date(NOW.getTime() + MIN + 1) }, STARTED, NOW), 'input.actualEnd');
    badInput(() => checkCompletion({ actualEnd: new Date('nope') }, STARTED, NOW), 'input.actualEnd');
    expect(checkCompletion({ actualEnd: new Date(NOW.getTime() + MIN) }, STARTED, NOW).actualEnd).toEqual(new Date(NOW.getTime() + MIN));
    // Completed "now" before the session even started.
    badInput(() => checkCompletion({}, new Date(NOW.getTime() + MIN), NOW), 'input.actualEnd');
  });

  it.each(['2026-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-01-01', '2026-1-1', '2026/01/01', '2026-01-01T00:00:00Z', 'tomorrow'])(
    'refuses the due date %j on deliverables and action items',
    (dueDate) => {
      badInput(() => checkCompletion({ deliverables: [{ name: 'R', type: 't' }, { name: 'R', type: 't', dueDate }] }, STARTED, NOW), 'input.deliverables.1.dueDate');
      badInput(() => checkCompletion({ actionItems: [{ title: 'T', assignee: 'A', dueDate }] }, STARTED, NOW), 'input.actionItems.0.dueDate');
    },
  );

  it('an empty due date means none', () => {
    expect(checkCompletion({ actionItems: [{ title: 'T', assignee: 'A', dueDate: '' }] }, STARTED, NOW).actionItems[0]!.dueDate).toBeNull();
  });

  it.each(['ftp://files.example.com/r.pdf', 'javascript:alert(1)', 'file:///etc/passwd', 'mailto:a@example.com', 'not a url', '/relative/path'])(
    'refuses the fileUrl %j',
    (fileUrl) => {
      const error = badInput(() => checkCompletion({ deliverables: [{ name: 'R', type: 't', fileUrl }] }, STARTED, NOW), 'input.deliverables.0.fileUrl');
      expect(error.message).toMatch(/http\(s\) URL/);
    },
  );

  it('accepts http and https URLs (normalized), and a blank one as none', () => {
    const urls = (fileUrl: string) => checkCompletion({ deliverables: [{ name: 'R', type: 't', fileUrl }] }, STARTED, NOW).deliverables[0]!.fileUrl;
    expect(urls('http://example.com/a')).toBe('http://example.com/a');
    expect(urls(' HTTPS://Example.com ')).toBe('https://example.com/');
    expect(urls('  ')).toBeNull();
  });

  it('refuses blank required texts, naming the field', () => {
    badInput(() => checkCompletion({ deliverables: [{ name: ' ', type: 't' }] }, STARTED, NOW), 'input.deliverables.0.name');
    badInput(() => checkCompletion({ deliverables: [{ name: 'R', type: '' }] }, STARTED, NOW), 'input.deliverables.0.type');
    badInput(() => checkCompletion({ actionItems: [{ title: '', assignee: 'A' }] }, STARTED, NOW), 'input.actionItems.0.title');
    badInput(() => checkCompletion({ actionItems: [{ title: 'T', assignee: ' ' }] }, STARTED, NOW), 'input.actionItems.0.assignee');
    badInput(() => checkCompletion({ outcomes: { summary: '  ' } }, STARTED, NOW), 'input.outcomes.summary');
    badInput(() => checkCompletion({ outcomes: { summary: 'S', keyPoints: ['a', ''] } }, STARTED, NOW), 'input.outcomes.keyPoints.1');
  });

  it('at most 50 deliverables, action items and list entries', () => {
    const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
    badInput(() => checkCompletion({ deliverables: many(51, (i) => ({ name: `D${i}`, type: 't' })) }, STARTED, NOW), 'input.deliverables');
    badInput(() => checkCompletion({ actionItems: many(51, (i) => ({ title: `T${i}`, assignee: 'A' })) }, STARTED, NOW), 'input.actionItems');
    badInput(() => checkCompletion({ outcomes: { summary: 'S', recommendations: many(51, (i) => `r${i}`) } }, STARTED, NOW), 'input.outcomes.recommendations');
    const data: CompletionData = { deliverables: many(50, (i) => ({ name: `D${i}`, type: 't' })), actionItems: many(50, (i) => ({ title: `T${i}`, assignee: 'A' })) };
    const checked = checkCompletion(data, STARTED, NOW);
    expect([checked.deliverables.length, checked.actionItems.length]).toEqual([50, 50]);
  });
});

describe('checkFeedback', () => {
  const feedback = (over: Partial<FeedbackData> = {}): FeedbackData => ({ overall: 5, expertise: 4, communication: 3, helpfulness: 1, wouldRecommend: true, ...over });

  it('returns the normalized feedback', () => {
    expect(checkFeedback(feedback({ strengths: ' Clear ', improvements: '', testimonial: ' Great ', publicTestimonial: true }))).toEqual({
      overall: 5,
      expertise: 4,
      communication: 3,
      helpfulness: 1,
      wouldRecommend: true,
      strengths: 'Clear',
      improvements: null,
      testimonial: 'Great',
      publicTestimonial: true,
    });
    expect(checkFeedback(feedback()).publicTestimonial).toBe(false);
  });

  const ratingFields = ['overall', 'expertise', 'communication', 'helpfulness'] as const;
  it.each(ratingFields.flatMap((field) => [0, 6, 2.5, -1, Number.NaN].map((value) => [field, value] as const)))('refuses %s = %s', (field, value) => {
    const error = badInput(() => checkFeedback(feedback({ [field]: value })), `input.${field}`);
    expect(error.message).toMatch(/whole rating from 1 to 5/);
  });

  it('accepts every whole rating from 1 to 5 in each field', () => {
    for (const field of ratingFields) for (const value of [1, 2, 3, 4, 5]) expect(checkFeedback(feedback({ [field]: value }))[field]).toBe(value);
  });

  it('consent to show a testimonial needs a testimonial', () => {
    for (const testimonial of [undefined, null, '', '   ']) {
      badInput(() => checkFeedback(feedback({ publicTestimonial: true, testimonial })), 'input.publicTestimonial');
    }
    // A private testimonial, or none at all without consent, is fine.
    expect(checkFeedback(feedback({ publicTestimonial: false, testimonial: null })).testimonial).toBeNull();
    expect(checkFeedback(feedback({ testimonial: 'Nice' }))).toMatchObject({ testimonial: 'Nice', publicTestimonial: false });
  });

  it('texts are at most 2000 characters', () => {
    badInput(() => checkFeedback(feedback({ testimonial: 't'.repeat(2001) })), 'input.testimonial');
    badInput(() => checkFeedback(feedback({ strengths: 's'.repeat(2001) })), 'input.strengths');
    badInput(() => checkFeedback(feedback({ improvements: 'i'.repeat(2001) })), 'input.improvements');
    expect(checkFeedback(feedback({ testimonial: 't'.repeat(2000) })).testimonial).toHaveLength(2000);
  });
});
