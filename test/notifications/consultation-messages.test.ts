/**
 * The consultation's messages at the outbox, on a real PostgreSQL with an injected clock: every
 * change of the services decides its delivery rows in its own transaction (kind, recipient,
 * exact dueAt, status), and consultationMessageRelevant says at send time whether one still
 * makes sense. Includes Cal.com's regressions as named tests (#10749, #7225, #12407, #7635).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { BookingService } from '../../src/consultations/booking.service.js';
import { FeeHoldService } from '../../src/consultations/fee-hold.service.js';
import { LifecycleService } from '../../src/consultations/lifecycle.service.js';
import { EVENT_HANDLERS } from '../../src/modules.js';
import { consultationMessageRelevant } from '../../src/notifications/consultation-messages.js';
import { insertConsultationMessages } from '../../src/notifications/consultation-messages.sql.js';
import { decideMessages } from '../../src/notifications/timing.js';
import { query } from '../../src/platform/sql.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import type { EntityManager } from '../../src/platform/db.js';
import { DomainEvents } from '../../src/platform/events.js';
import { bookingWorld, type BookingWorld } from '../support/booking-world.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
// The app's own handlers, in module order (notifications last), as the server wires them.
const events = new DomainEvents(EVENT_HANDLERS);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

beforeAll(async () => {
  harness = await startServiceHarness({ seeders: [catalogSeeder] });
});
afterAll(() => harness.stop());

/** The booking world, with a colleague who has an account of their own (an attendee). */
type World = BookingWorld & { colleague: NonNullable<BookingWorld['colleague']> };
const world = async (): Promise<World> => (await bookingWorld(harness, { withColleague: true })) as World;

const clientEm = (w: World): EntityManager => harness.scoped({ organizationId: w.client.organizationId });
const GUEST = { name: 'Guest', email: 'Guest@Outside.example' };

function book(w: World, start: string, now: string, extra: Record<string, unknown> = {}) {
  return new BookingService(clientEm(w), events).book(w.client, { consultantId: w.consultantId, start: new Date(start), durationMinutes: 60, purpose: 'Plan', attendees: [GUEST], ...extra }, new Date(now));
}
const asClient = (w: World) => new LifecycleService(clientEm(w), events);
const asConsultant = () => new LifecycleService(harness.scoped({ none: true }), events);

type Row = [kind: string, who: string, channel: string, dueAt: string, status: string];
/** A consultation's delivery rows as [kind, who, channel, dueAt, status], who = client | colleague | guest | consultant. */
async function rows(w: World, consultationId: string, filter: Record<string, unknown> = {}): Promise<Row[]> {
  const found = await harness.acrossTenants().find(NotificationDelivery, { subjectId: consultationId, ...filter });
  const who = (d: NotificationDelivery) =>
    d.recipientUserId === w.client.userId ? 'client' : d.recipientUserId === w.consultant.userId ? 'consultant' : d.recipientUserId === w.colleague.id ? 'colleague' : d.recipientKey === 'email:guest@outside.example' ? 'guest' : d.recipientKey;
  return found.map((d): Row => [d.kind, who(d), d.channel, d.dueAt.toISOString(), d.status]).sort((a, b) => a.join().localeCompare(b.join()));
}
/** The [who, channel] pairs a kind of message goes to, each on both channels when the person has an account. */
const everyone = (kind: string, dueAt: string, status = 'PENDING', people = ['client', 'consultant', 'guest']): Row[] =>
  people.flatMap((p): Row[] => (p === 'guest' ? [[kind, p, 'EMAIL', dueAt, status]] : [[kind, p, 'EMAIL', dueAt, status], [kind, p, 'IN_APP', dueAt, status]]));
const sorted = (list: Row[]) => [...list].sort((a, b) => a.join().localeCompare(b.join()));
const relevantAt = async (consultationId: string, kind: string, occurrence: string, at: string) =>
  consultationMessageRelevant(harness.acrossTenants(), { subjectType: 'CONSULTATION', subjectId: consultationId, kind: kind as never, occurrence }, new Date(at));

describe('booking', () => {
  it('#10749: a booking writes its confirmation now and its 24 h and 1 h reminders at start − 24 h and start − 1 h, not at booking', async () => {
    const w = await world();
    // Thursday 2031-01-09 10:00 Berlin = 09:00Z, booked the Monday before.
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    expect(await rows(w, c.id)).toEqual(
      sorted([
        ...everyone('BOOKING_CONFIRMED', '2031-01-06T08:00:00.000Z'),
        ...everyone('REMINDER_24H', '2031-01-08T09:00:00.000Z'),
        ...everyone('REMINDER_1H', '2031-01-09T08:00:00.000Z'),
      ]),
    );
    const reminders = await harness.acrossTenants().find(NotificationDelivery, { subjectId: c.id, kind: 'REMINDER_24H' });
    expect(new Set(reminders.map((r) => r.occurrence))).toEqual(new Set(['2031-01-09T09:00:00.000Z']));
    expect(reminders.every((r) => r.nextAttemptAt.getTime() === r.dueAt.getTime() && r.organizationId === w.client.organizationId)).toBe(true);
  });

  it('a late booking skips the 24 h reminder whose moment has passed (booked 13 h ahead), and writes the 1 h one', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-08T20:00:00Z');
    const kinds = (await rows(w, c.id)).map(([kind, , , dueAt]) => `${kind} ${dueAt}`);
    expect(new Set(kinds)).toEqual(new Set(['BOOKING_CONFIRMED 2031-01-08T20:00:00.000Z', 'REMINDER_1H 2031-01-09T08:00:00.000Z']));
  });

  it('#12407 (zones): a session the week after the DST change gets its reminders exactly 24 h and 1 h before in absolute time', async () => {
    const w = await world();
    // Berlin moves to CEST on Sunday 2031-03-30. Tuesday 2031-04-01 10:00 CEST = 08:00Z, booked in CET.
    const c = await book(w, '2031-04-01T08:00:00Z', '2031-03-24T08:00:00Z');
    const due = await harness.acrossTenants().find(NotificationDelivery, { subjectId: c.id, kind: { $in: ['REMINDER_24H', 'REMINDER_1H'] }, recipientUserId: w.client.userId, channel: 'EMAIL' });
    expect(due.map((d) => [d.kind, d.dueAt.toISOString(), c.startAt.getTime() - d.dueAt.getTime()]).sort()).toEqual([
      ['REMINDER_1H', '2031-04-01T07:00:00.000Z', HOUR],
      ['REMINDER_24H', '2031-03-31T08:00:00.000Z', DAY],
    ]);
  });

  it('an attendee with an account gets the client side’s messages on both channels, once; added attendees get theirs', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z', { attendees: [] });
    expect((await rows(w, c.id)).some(([, who]) => who === 'colleague' || who === 'guest')).toBe(false);
    await asClient(w).addAttendees(w.client, c.id, [{ name: 'Col', email: w.colleague.email.toUpperCase() }, GUEST], new Date('2031-01-07T08:00:00Z'));
    const added = (await rows(w, c.id)).filter(([, who]) => who === 'colleague' || who === 'guest');
    expect(added).toEqual(
      sorted([
        ...everyone('BOOKING_CONFIRMED', '2031-01-07T08:00:00.000Z', 'PENDING', ['colleague', 'guest']),
        ...everyone('REMINDER_24H', '2031-01-08T09:00:00.000Z', 'PENDING', ['colleague', 'guest']),
        ...everyone('REMINDER_1H', '2031-01-09T08:00:00.000Z', 'PENDING', ['colleague', 'guest']),
      ]),
    );
    // The others' messages were decided once: nothing new for them.
    expect((await rows(w, c.id)).filter(([kind, who]) => kind === 'BOOKING_CONFIRMED' && who === 'client').map(([, , , dueAt]) => dueAt)).toEqual(['2031-01-06T08:00:00.000Z', '2031-01-06T08:00:00.000Z']);
  });

  it('a booking without attendees (built from the event) writes exactly the rows the general statement decides', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z', { attendees: [] });
    const written = await rows(w, c.id);
    expect(written).toEqual(sorted([...everyone('BOOKING_CONFIRMED', '2031-01-06T08:00:00.000Z', 'PENDING', ['client', 'consultant']), ...everyone('REMINDER_24H', '2031-01-08T09:00:00.000Z', 'PENDING', ['client', 'consultant']), ...everyone('REMINDER_1H', '2031-01-09T08:00:00.000Z', 'PENDING', ['client', 'consultant'])]));
    const plan = decideMessages('BOOKED', { status: 'SCHEDULED', start: c.startAt, end: c.endAt }, new Date('2031-01-06T08:00:00Z')).enqueue;
    const [again] = await harness.acrossTenants().transactional((tx) => query<{ added: number }>(tx, insertConsultationMessages(c.id, plan, new Date('2031-01-06T08:00:00Z'))));
    expect(again!.added).toBe(0);
    const stored = await harness.acrossTenants().find(NotificationDelivery, { subjectId: c.id });
    expect(stored.every((d) => d.recipientEmail === null && d.organizationId === w.client.organizationId && d.messageId === `<${d.id}@serenity.notifications>`)).toBe(true);
  });

  it('a failed booking (CONFLICT) leaves no delivery rows', async () => {
    const w = await world();
    const first = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    const before = await harness.acrossTenants().count(NotificationDelivery, {});
    await expect(book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z')).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(await harness.acrossTenants().count(NotificationDelivery, {})).toBe(before);
    expect((await rows(w, first.id)).length).toBe(15);
  });
});

describe('moves and cancellations', () => {
  it('#12407 / #7635: a reschedule withdraws the old time’s reminders, writes the new time’s, and tells each side (old and new time)', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    // To Friday 2031-01-10 13:00 Berlin = 12:00Z.
    await asClient(w).reschedule(w.client, c.id, new Date('2031-01-10T12:00:00Z'), 'Clash', new Date('2031-01-07T10:00:00Z'));
    const all = await rows(w, c.id);
    const reminders = all.filter(([kind]) => kind.startsWith('REMINDER'));
    expect(reminders).toEqual(
      sorted([
        ...everyone('REMINDER_24H', '2031-01-08T09:00:00.000Z', 'CANCELLED'),
        ...everyone('REMINDER_1H', '2031-01-09T08:00:00.000Z', 'CANCELLED'),
        ...everyone('REMINDER_24H', '2031-01-09T12:00:00.000Z'),
        ...everyone('REMINDER_1H', '2031-01-10T11:00:00.000Z'),
      ]),
    );
    expect(all.filter(([kind]) => kind === 'CONSULTATION_RESCHEDULED')).toEqual(sorted(everyone('CONSULTATION_RESCHEDULED', '2031-01-07T10:00:00.000Z')));
    const moved = await harness.acrossTenants().findOneOrFail(NotificationDelivery, { subjectId: c.id, kind: 'CONSULTATION_RESCHEDULED', recipientUserId: w.consultant.userId, channel: 'EMAIL' });
    expect(moved.payload).toMatchObject({ previousStart: '2031-01-09T09:00:00.000Z', previousEnd: '2031-01-09T10:00:00.000Z', start: '2031-01-10T12:00:00.000Z', end: '2031-01-10T13:00:00.000Z' });
    // The old time's reminder would not go even if it were still pending.
    expect(await relevantAt(c.id, 'REMINDER_24H', '2031-01-09T09:00:00.000Z', '2031-01-08T09:00:00Z')).toBe(false);
    expect(await relevantAt(c.id, 'REMINDER_24H', '2031-01-10T12:00:00.000Z', '2031-01-09T12:00:00Z')).toBe(true);
  });

  it('every move is a message of its own, and moving back revives the withdrawn reminders', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    await asClient(w).reschedule(w.client, c.id, new Date('2031-01-10T12:00:00Z'), null, new Date('2031-01-06T10:00:00Z'));
    await asClient(w).reschedule(w.client, c.id, new Date('2031-01-09T09:00:00Z'), null, new Date('2031-01-06T11:00:00Z'));
    const all = await rows(w, c.id, { recipientUserId: w.client.userId, channel: 'EMAIL' });
    expect(all).toEqual(
      sorted([
        ['BOOKING_CONFIRMED', 'client', 'EMAIL', '2031-01-06T08:00:00.000Z', 'PENDING'],
        ['CONSULTATION_RESCHEDULED', 'client', 'EMAIL', '2031-01-06T10:00:00.000Z', 'CANCELLED'],
        ['CONSULTATION_RESCHEDULED', 'client', 'EMAIL', '2031-01-06T11:00:00.000Z', 'PENDING'],
        ['REMINDER_24H', 'client', 'EMAIL', '2031-01-08T09:00:00.000Z', 'PENDING'],
        ['REMINDER_1H', 'client', 'EMAIL', '2031-01-09T08:00:00.000Z', 'PENDING'],
        ['REMINDER_24H', 'client', 'EMAIL', '2031-01-09T12:00:00.000Z', 'CANCELLED'],
        ['REMINDER_1H', 'client', 'EMAIL', '2031-01-10T11:00:00.000Z', 'CANCELLED'],
      ]),
    );
  });

  it('#7225: a cancellation withdraws the reminders (no reminder after it) and tells each side', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    await asClient(w).cancel(w.client, c.id, 'Not needed', new Date('2031-01-07T08:00:00Z'));
    const all = await rows(w, c.id);
    expect(all.filter(([kind]) => kind.startsWith('REMINDER')).every(([, , , , status]) => status === 'CANCELLED')).toBe(true);
    expect(all.filter(([kind]) => kind.startsWith('REMINDER')).length).toBe(10);
    expect(all.filter(([kind]) => kind === 'CONSULTATION_CANCELLED')).toEqual(sorted(everyone('CONSULTATION_CANCELLED', '2031-01-07T08:00:00.000Z')));
    const told = await harness.acrossTenants().findOneOrFail(NotificationDelivery, { subjectId: c.id, kind: 'CONSULTATION_CANCELLED', recipientUserId: w.client.userId, channel: 'EMAIL' });
    expect(told.payload).toMatchObject({ credit: 'RELEASED', late: false, start: '2031-01-09T09:00:00.000Z' });
    expect(await relevantAt(c.id, 'REMINDER_1H', '2031-01-09T09:00:00.000Z', '2031-01-09T08:00:00Z')).toBe(false);
  });

  it('a reschedule request goes to the client side; the client’s move answers it', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    await asConsultant().requestReschedule(w.consultant, c.id, [new Date('2031-01-10T12:00:00Z')], 'Travel', new Date('2031-01-06T09:00:00Z'));
    expect((await rows(w, c.id, { kind: 'RESCHEDULE_REQUESTED' })).map(([, who, channel]) => `${who} ${channel}`)).toEqual(['client EMAIL', 'client IN_APP']);
    expect(await relevantAt(c.id, 'RESCHEDULE_REQUESTED', '', '2031-01-06T09:00:00Z')).toBe(true);
    await asClient(w).reschedule(w.client, c.id, new Date('2031-01-10T12:00:00Z'), null, new Date('2031-01-06T09:00:01Z'));
    expect((await rows(w, c.id, { kind: 'RESCHEDULE_REQUESTED' })).map(([, , , , status]) => status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(await relevantAt(c.id, 'RESCHEDULE_REQUESTED', '', '2031-01-06T09:00:02Z')).toBe(false);
  });
});

describe('the session and after', () => {
  it('started tells the client side and withdraws what reminders are left; completion writes the summary and the feedback request 24 h later', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    await asConsultant().confirm(w.consultant, c.id, new Date('2031-01-06T09:00:00Z'));
    await asConsultant().start(w.consultant, c.id, new Date('2031-01-09T08:50:00Z'));
    expect((await rows(w, c.id, { kind: 'REMINDER_1H' })).map(([, , , , status]) => status)).toEqual(Array(5).fill('CANCELLED'));
    expect(await rows(w, c.id, { kind: 'SESSION_STARTED' })).toEqual(sorted(everyone('SESSION_STARTED', '2031-01-09T08:50:00.000Z', 'PENDING', ['client', 'guest'])));
    await asConsultant().complete(w.consultant, c.id, { outcomes: { summary: 'Done' } }, new Date('2031-01-09T10:05:00Z'));
    expect(await rows(w, c.id, { kind: { $in: ['SESSION_COMPLETED', 'FEEDBACK_REQUEST'] } })).toEqual(
      sorted([...everyone('SESSION_COMPLETED', '2031-01-09T10:05:00.000Z', 'PENDING', ['client', 'consultant']), ...everyone('FEEDBACK_REQUEST', '2031-01-10T10:05:00.000Z', 'PENDING', ['client'])]),
    );
    // A "started" that did not go before the end no longer makes sense.
    expect(await relevantAt(c.id, 'SESSION_STARTED', '', '2031-01-09T10:06:00Z')).toBe(false);
    expect(await relevantAt(c.id, 'FEEDBACK_REQUEST', '', '2031-01-10T10:05:00Z')).toBe(true);
    await asClient(w).submitFeedback(w.client, c.id, { overall: 5, expertise: 5, communication: 5, helpfulness: 5, wouldRecommend: true }, new Date('2031-01-09T12:00:00Z'));
    expect(await relevantAt(c.id, 'FEEDBACK_REQUEST', '', '2031-01-10T10:05:00Z')).toBe(false);
  });

  it('catch-up: a reminder that fell due while no worker ran still goes until the session starts, then not; the 24 h one gives way to the 1 h one', async () => {
    const w = await world();
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    const start = '2031-01-09T09:00:00.000Z';
    expect(await relevantAt(c.id, 'REMINDER_1H', start, '2031-01-09T08:50:00Z')).toBe(true);
    expect(await relevantAt(c.id, 'REMINDER_24H', start, '2031-01-09T02:00:00Z')).toBe(true);
    expect(await relevantAt(c.id, 'REMINDER_24H', start, '2031-01-09T08:00:00Z')).toBe(false);
    expect(await relevantAt(c.id, 'REMINDER_1H', start, '2031-01-09T09:00:00Z')).toBe(false);
    expect(await relevantAt(randomUUID(), 'REMINDER_1H', start, '2031-01-09T08:00:00Z')).toBe(false);
  });
});

describe('booking-fee holds', () => {
  async function hold(w: World, start: string, expiresAt: string): Promise<string> {
    const id = randomUUID();
    await harness.orm.em.getConnection().execute(
      `INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes, buffer_minutes, held_until, hold_expires_at, purpose,
                                 payment_method, fee_amount, fee_currency, credit_state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'PENDING_PAYMENT', ?, ?, 60, 0, ?, ?, 'Fee hold', 'BOOKING_FEE', 5000, 'EUR', 'RELEASED', now(), now())`,
      [id, `HOLD-${id}`, w.client.organizationId, w.client.userId, w.client.userId, w.consultantId, new Date(start), new Date(Date.parse(start) + HOUR), new Date(Date.parse(start) + HOUR), new Date(expiresAt)],
    );
    return id;
  }

  it('the confirmation and reminders are decided when the hold is paid, from then on', async () => {
    const w = await world();
    const id = await hold(w, '2031-01-09T09:00:00Z', '2031-01-08T09:30:00Z');
    expect(await rows(w, id)).toEqual([]);
    const em = harness.acrossTenants();
    // Paid 23 h 30 min before: the 24 h reminder's moment has passed.
    await em.transactional((tx) => new FeeHoldService(tx, events).settleFee(tx, { id: `pi_${id}`, metadata: { consultationId: id } }, new Date('2031-01-08T09:30:00Z')));
    const kinds = (await rows(w, id)).map(([kind, , , dueAt]) => `${kind} ${dueAt}`);
    expect(new Set(kinds)).toEqual(new Set(['BOOKING_CONFIRMED 2031-01-08T09:30:00.000Z', 'REMINDER_1H 2031-01-09T08:00:00.000Z']));
  });

  it('a lapsed hold tells its booker, and nobody else', async () => {
    const w = await world();
    const id = await hold(w, '2031-01-09T09:00:00Z', '2031-01-06T08:10:00Z');
    await new FeeHoldService(harness.acrossTenants(), events).expireLapsedHolds(new Date('2031-01-06T08:15:00Z'));
    expect(await rows(w, id)).toEqual(sorted(everyone('HOLD_EXPIRED', '2031-01-06T08:15:00.000Z', 'PENDING', ['client'])));
  });
});
