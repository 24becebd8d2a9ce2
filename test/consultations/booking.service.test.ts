/**
 * BookingService on a real PostgreSQL with an injected clock: the event bus (one event per
 * change, inside the change's transaction), the lifecycle's clock rules to the minute, a
 * booking across the EU daylight-saving change, and lapsed booking-fee holds.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { loadConfig } from '../../src/config.js';
import { BookingService } from '../../src/consultations/booking.service.js';
import { LifecycleService } from '../../src/consultations/lifecycle.service.js';
import { Consultation } from '../../src/consultations/consultation.entity.js';
import { PaymentMethod } from '../../src/consultations/consultation.enums.js';
import { expireHoldsJob } from '../../src/consultations/consultations.jobs.js';
import type { Payments } from '../../src/payments/stripe.js';
import type { EntityManager, MikroORM } from '../../src/platform/db.js';
import { DomainEvents, type ConsultationChange } from '../../src/platform/events.js';
import type { JobContext } from '../../src/platform/jobs.js';
import { localStart } from '../../src/scheduling/slots.js';
import { bookingWorld, type BookingWorld } from '../support/booking-world.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
let orm: MikroORM;
const logger = pino({ level: 'silent' });
const MINUTE = 60_000;
const published: ConsultationChange[] = [];
let failNext = false;
const events = new DomainEvents({
  'consultation.changed': [
    async (change) => {
      if (failNext) {
        failNext = false;
        throw new Error('a subscriber failed');
      }
      published.push(change);
    },
  ],
});

beforeAll(async () => {
  harness = await startServiceHarness({ seeders: [catalogSeeder] });
  ({ orm } = harness);
});
afterAll(() => harness.stop());

/** A client's EntityManager: scoped to its organization, as a request's is. */
function clientEm(organizationId: string): EntityManager {
  return harness.scoped({ organizationId });
}

function noTenantEm(): EntityManager {
  return harness.scoped({ none: true });
}

type World = BookingWorld;
const world = () => bookingWorld(harness);

function book(w: World, start: string, now: string, extra: Record<string, unknown> = {}) {
  return new BookingService(clientEm(w.client.organizationId), events).book(w.client, { consultantId: w.consultantId, start: new Date(start), durationMinutes: 60, purpose: 'Plan', ...extra }, new Date(now));
}

const asConsultant = () => new LifecycleService(noTenantEm(), events);

describe('the event bus', () => {
  it('publishes one event per change, in order, with ids only', async () => {
    const w = await world();
    published.length = 0;
    // Thursday 2031-01-09 10:00 Berlin (CET) = 09:00Z; booked the Monday before.
    const c = await book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z');
    await asConsultant().confirm(w.consultant, c.id, new Date('2031-01-07T08:00:00Z'));
    await asConsultant().start(w.consultant, c.id, new Date('2031-01-09T08:50:00Z'));
    await asConsultant().complete(w.consultant, c.id, { outcomes: { summary: 'Done' } }, new Date('2031-01-09T10:00:00Z'));
    expect(published.map((e) => [e.kind, e.status])).toEqual([
      ['BOOKED', 'SCHEDULED'],
      ['CONFIRMED', 'CONFIRMED'],
      ['STARTED', 'IN_PROGRESS'],
      ['COMPLETED', 'COMPLETED'],
    ]);
    expect(published.every((e) => e.consultationId === c.id && e.organizationId === w.client.organizationId && e.consultantId === w.consultantId)).toBe(true);
    expect(published[0]!.actorId).toBe(w.client.userId);
    expect(published[1]!.actorId).toBe(w.consultant.userId);
  });

  it('a failing subscriber rolls the change back: nothing is booked, no credit is held', async () => {
    const w = await world();
    failNext = true;
    await expect(book(w, '2031-01-09T09:00:00Z', '2031-01-06T08:00:00Z')).rejects.toThrow('a subscriber failed');
    const em = orm.em.fork();
    expect(await em.count(Consultation, { organization: w.client.organizationId }, { filters: { tenant: false } })).toBe(0);
    const [lot] = await em.getConnection().execute<{ reserved: number }[]>('SELECT reserved FROM credit_lot WHERE organization_id = ?', [w.client.organizationId]);
    expect(lot!.reserved).toBe(0);
  });
});

describe('clock rules, to the minute', () => {
  it('starts from 15 minutes before; no-shows from the start; cancels until the start', async () => {
    const w = await world();
    const c = await book(w, '2031-01-10T09:00:00Z', '2031-01-06T08:00:00Z');
    const consultant = asConsultant();
    await consultant.confirm(w.consultant, c.id, new Date('2031-01-06T09:00:00Z'));
    await expect(consultant.start(w.consultant, c.id, new Date('2031-01-10T08:44:59Z'))).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    await expect(consultant.markNoShow(w.consultant, c.id, 'CLIENT', null, new Date('2031-01-10T08:59:59Z'))).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    await expect(new LifecycleService(clientEm(w.client.organizationId), events).cancel(w.client, c.id, null, new Date('2031-01-10T09:00:00Z'))).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });
    const started = await consultant.start(w.consultant, c.id, new Date('2031-01-10T08:45:00Z'));
    expect(started.actualStart).toEqual(new Date('2031-01-10T08:45:00Z'));
    const done = await consultant.complete(w.consultant, c.id, { actualEnd: new Date('2031-01-10T09:50:00Z') }, new Date('2031-01-10T10:00:00Z'));
    expect(done.actualDurationMinutes).toBe(65);
  });
});

describe('daylight saving (Europe/Berlin, 2031-03-30)', () => {
  it('books 09:00 local on both sides of the change at the right instants, and shows them in the viewer’s zone', async () => {
    const w = await world();
    // Friday before: CET (UTC+1) → 08:00Z. Monday after: CEST (UTC+2) → 07:00Z.
    const before = await book(w, '2031-03-28T08:00:00Z', '2031-03-20T08:00:00Z');
    const after = await book(w, '2031-03-31T07:00:00Z', '2031-03-20T08:00:00Z');
    expect([before.startAt.toISOString(), after.startAt.toISOString()]).toEqual(['2031-03-28T08:00:00.000Z', '2031-03-31T07:00:00.000Z']);
    // 08:00Z on the Monday is 10:00 Berlin: still on the grid; 07:00Z on the Friday was 08:00, before hours.
    await expect(book(w, '2031-03-28T07:00:00Z', '2031-03-20T08:00:00Z')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'OUTSIDE_HOURS' } });
    // The client in Los Angeles (its own change on 2031-03-09, already passed) sees 01:00 and 00:00.
    expect(localStart(before.startAt, 'America/Los_Angeles')).toBe('2031-03-28T01:00:00-07:00');
    expect(localStart(after.startAt, 'America/Los_Angeles')).toBe('2031-03-31T00:00:00-07:00');
    expect(localStart(after.startAt, 'Europe/Berlin')).toBe('2031-03-31T09:00:00+02:00');
  });
});

describe('booking-fee holds (PENDING_PAYMENT)', () => {
  async function hold(w: World, start: string, expiresAt: string): Promise<string> {
    const id = randomUUID();
    await orm.em.getConnection().execute(
      `INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes, buffer_minutes, held_until, hold_expires_at, purpose, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'PENDING_PAYMENT', ?, ?, 60, 0, ?, ?, 'Fee hold', now(), now())`,
      [id, `HOLD-${id}`, w.client.organizationId, w.client.userId, w.client.userId, w.consultantId, new Date(start), new Date(new Date(start).getTime() + 60 * MINUTE), new Date(new Date(start).getTime() + 60 * MINUTE), new Date(expiresAt)],
    );
    return id;
  }
  const statusOf = async (id: string) => (await orm.em.getConnection().execute<{ status: string }[]>('SELECT status FROM consultation WHERE id = ?', [id]))[0]!.status;

  it('a live hold holds the time; a lapsed one gives way to the next booking and becomes EXPIRED', async () => {
    const w = await world();
    const live = await hold(w, '2031-02-04T09:00:00Z', '2031-02-01T12:00:00Z');
    await expect(book(w, '2031-02-04T09:00:00Z', '2031-02-01T08:00:00Z')).rejects.toMatchObject({ extensions: { code: 'CONFLICT', reason: 'OVERLAPS' } });
    expect(await statusOf(live)).toBe('PENDING_PAYMENT');
    const booked = await book(w, '2031-02-04T09:00:00Z', '2031-02-01T12:00:00Z');
    expect(booked.status).toBe('SCHEDULED');
    expect(await statusOf(live)).toBe('EXPIRED');
    const history = await orm.em.getConnection().execute<{ event: string; from_status: string }[]>('SELECT event, from_status FROM consultation_status_change WHERE consultation_id = ?', [live]);
    expect(history).toEqual([{ event: 'EXPIRED', from_status: 'PENDING_PAYMENT' }]);
  });

  it('the sweeper job expires every lapsed hold once, with a history entry and an event', async () => {
    const w = await world();
    const lapsed = await hold(w, '2031-02-05T09:00:00Z', '2020-01-01T00:00:00Z');
    const future = await hold(w, '2031-02-05T11:00:00Z', '2099-01-01T00:00:00Z');
    published.length = 0;
    const context = { em: orm.em.fork(), logger, events } as unknown as JobContext;
    await expireHoldsJob.handler({}, context);
    await expireHoldsJob.handler({}, { ...context, em: orm.em.fork() });
    expect([await statusOf(lapsed), await statusOf(future)]).toEqual(['EXPIRED', 'PENDING_PAYMENT']);
    expect(published.filter((e) => e.consultationId === lapsed).map((e) => e.kind)).toEqual(['EXPIRED']);
    const history = await orm.em.getConnection().execute<{ event: string; actor_role: string }[]>('SELECT event, actor_role FROM consultation_status_change WHERE consultation_id = ?', [lapsed]);
    expect(history).toEqual([{ event: 'EXPIRED', actor_role: 'SYSTEM' }]);
  });
});

describe('an organization that no longer exists', () => {
  it('books nothing, paid by credits or by a booking fee alike: FORBIDDEN (one preparation for both)', async () => {
    const w = await world();
    // The caller's session still names an organization that is not there (any more).
    const gone = { ...w.client, organizationId: randomUUID() };
    const input = { consultantId: w.consultantId, start: new Date('2031-01-09T09:00:00Z'), durationMinutes: 60, purpose: 'Plan' };
    const now = new Date('2031-01-06T08:00:00Z');
    const forbidden = { extensions: { code: 'FORBIDDEN' }, message: 'Your organization no longer exists.' };
    await expect(new BookingService(clientEm(gone.organizationId), events).book(gone, input, now)).rejects.toMatchObject(forbidden);
    // A platform fee, so that the fee booking gets as far as the organization.
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp', BOOKING_FEE_AMOUNT: '1000' });
    // Never reached: the booking is refused before any payment starts.
    const payments = {} as unknown as Payments;
    const withFee = new BookingService(clientEm(gone.organizationId), events, { config, payments });
    await expect(withFee.book(gone, { ...input, payWith: PaymentMethod.BOOKING_FEE }, now)).rejects.toMatchObject(forbidden);
    expect(await orm.em.fork().count(Consultation, { consultant: w.consultantId }, { filters: { tenant: false } })).toBe(0);
  });
});

describe('the meeting provider of a booking', () => {
  const settings = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp', BOOKING_FEE_AMOUNT: '1000' });
  const offers = (w: World, providers: string[]) => orm.em.getConnection().execute("update consultant_profile set meeting_providers = string_to_array(?, ',') where id = ?", [providers.join(','), w.consultantId]);

  it('is one the consultant offers, paid by credits or by a booking fee alike (one preparation for both); none named: their first', async () => {
    const w = await world();
    await offers(w, ['PHONE']);
    const input = { consultantId: w.consultantId, start: new Date('2031-01-09T09:00:00Z'), durationMinutes: 60, purpose: 'Plan' };
    const now = new Date('2031-01-06T08:00:00Z');
    const notOffered = { extensions: { code: 'BAD_USER_INPUT', field: 'input.meetingProvider', offered: ['PHONE'] } };
    const service = new BookingService(clientEm(w.client.organizationId), events, { config: settings, payments: {} as unknown as Payments });
    await expect(service.book(w.client, { ...input, meetingProvider: 'JITSI' }, now)).rejects.toMatchObject(notOffered);
    // Refused before any payment starts (the payments double has nothing to call).
    await expect(service.book(w.client, { ...input, meetingProvider: 'JITSI', payWith: PaymentMethod.BOOKING_FEE }, now)).rejects.toMatchObject(notOffered);
    expect(await orm.em.fork().count(Consultation, { consultant: w.consultantId }, { filters: { tenant: false } })).toBe(0);
    const booked = await service.book(w.client, input, now);
    expect(booked.meetingProvider).toBe('PHONE');
  });
});
