/**
 * Meetings on a real PostgreSQL: the booking's transaction writes the meeting PENDING (no
 * provider call), the job makes it after commit, a reschedule moves it, a cancellation deletes
 * it, and a provider that fails retries with backoff without ever touching the booking.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { BookingService } from '../../src/consultations/booking.service.js';
import { LifecycleService } from '../../src/consultations/lifecycle.service.js';
import { meetingFollowsConsultation } from '../../src/meetings/meeting.handlers.js';
import { syncDueMeetings } from '../../src/meetings/meetings.job.js';
import { jitsiProvider, type MeetingFacts, type MeetingProvider } from '../../src/meetings/providers.js';
import { DomainEvents } from '../../src/platform/events.js';
import { createLogger } from '../../src/platform/logger.js';
import { bookingWorld, type BookingWorld } from '../support/booking-world.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
beforeAll(async () => {
  harness = await startServiceHarness({ seeders: [catalogSeeder] });
});
afterAll(() => harness.stop());

const events = new DomainEvents({ 'consultation.changed': [meetingFollowsConsultation] });
const MINUTE = 60_000;

interface MeetingRow {
  status: string;
  action: string | null;
  provider: string;
  external_id: string | null;
  join_url: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
}
const meetingOf = async (id: string): Promise<MeetingRow | undefined> => {
  const [row] = await harness.orm.em.getConnection().execute<Array<Omit<MeetingRow, 'next_attempt_at'> & { next_attempt_at: string | null }>>(
    'SELECT status, action, provider, external_id, join_url, attempts, next_attempt_at, last_error FROM meeting WHERE consultation_id = ?',
    [id],
  );
  return row && { ...row, next_attempt_at: row.next_attempt_at ? new Date(row.next_attempt_at) : null };
};

/** A provider that records its calls and fails the first `failures` of them. */
function recordingProvider(failures = 0): MeetingProvider & { calls: string[] } {
  const jitsi = jitsiProvider('https://jitsi.test');
  let left = failures;
  const calls: string[] = [];
  const maybeFail = (what: string) => {
    calls.push(what);
    if (left-- > 0) throw new Error(`provider down (${what})`);
  };
  return {
    calls,
    create: async (facts: MeetingFacts) => (maybeFail(`create ${facts.start.toISOString()}`), jitsi.create(facts)),
    update: async (id: string, facts: MeetingFacts) => (maybeFail(`update ${facts.start.toISOString()}`), jitsi.update(id, facts)),
    delete: async (id: string) => (maybeFail('delete'), jitsi.delete(id)),
  };
}

function book(w: BookingWorld, start: string, now: Date) {
  return new BookingService(harness.scoped({ organizationId: w.client.organizationId }), events).book(w.client, { consultantId: w.consultantId, start: new Date(start), durationMinutes: 60, purpose: 'Plan' }, now);
}
const sync = (provider: MeetingProvider, now: Date) => syncDueMeetings(harness.acrossTenants(), { providers: { JITSI: provider }, now: () => now });

describe('a booking and its meeting', () => {
  it('is PENDING in the booking transaction, READY with a Jitsi link after the job, moved on reschedule, deleted on cancel', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-03T08:00:00Z');
    const provider = recordingProvider();
    const booked = await book(w, '2031-03-10T09:00:00Z', now);
    expect(provider.calls).toEqual([]);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'PENDING', action: 'CREATE', provider: 'JITSI', join_url: null });

    expect((await sync(provider, now)).claimed).toBe(1);
    const ready = await meetingOf(booked.id);
    expect(ready).toMatchObject({ status: 'READY', action: null, attempts: 0 });
    expect(ready!.join_url).toBe(`https://jitsi.test/${ready!.external_id}`);
    // Idempotent: a second run finds nothing to do.
    expect((await sync(provider, now)).claimed).toBe(0);

    const lifecycle = new LifecycleService(harness.scoped({ none: true }), events);
    await lifecycle.reschedule(w.consultant, booked.id, new Date('2031-03-11T09:00:00Z'), null, now);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'PENDING', action: 'UPDATE' });
    await sync(provider, now);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'READY', external_id: ready!.external_id, join_url: ready!.join_url });

    await lifecycle.cancel(w.consultant, booked.id, 'ill', now);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'PENDING', action: 'DELETE', join_url: null });
    await sync(provider, now);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'DELETED', action: null });
    expect(provider.calls).toEqual(['create 2031-03-10T09:00:00.000Z', 'update 2031-03-11T09:00:00.000Z', 'delete']);
  });

  it('a provider failing twice then working: retried after 1 then 2 minutes, READY at the third call; the booking never waited', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-04T08:00:00Z');
    const provider = recordingProvider(2);
    const booked = await book(w, '2031-03-12T09:00:00Z', now);
    expect(booked.status).toBe('SCHEDULED');
    expect(provider.calls).toEqual([]);

    await sync(provider, now);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'PENDING', attempts: 1, next_attempt_at: new Date(now.getTime() + MINUTE), last_error: 'provider down (create 2031-03-12T09:00:00.000Z)' });
    // Not due yet: nothing is claimed.
    expect((await sync(provider, new Date(now.getTime() + 30_000))).claimed).toBe(0);
    const second = new Date(now.getTime() + MINUTE);
    await sync(provider, second);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'PENDING', attempts: 2, next_attempt_at: new Date(second.getTime() + 2 * MINUTE) });
    await sync(provider, new Date(second.getTime() + 2 * MINUTE));
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'READY', attempts: 0, last_error: null });
    expect(provider.calls).toHaveLength(3);
  });

  it('FAILED after the last attempt, with the error kept', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-05T08:00:00Z');
    const booked = await book(w, '2031-03-13T09:00:00Z', now);
    await syncDueMeetings(harness.acrossTenants(), { providers: { JITSI: recordingProvider(99) }, now: () => now, maxAttempts: 1 });
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'FAILED', action: null, attempts: 1, last_error: expect.stringContaining('provider down') });
  });

  it('a cancellation before the meeting was made deletes nothing at the provider', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-06T08:00:00Z');
    const provider = recordingProvider();
    const booked = await book(w, '2031-03-14T09:00:00Z', now);
    await new LifecycleService(harness.scoped({ none: true }), events).cancel(w.consultant, booked.id, null, now);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'DELETED', action: null });
    expect((await sync(provider, now)).claimed).toBe(0);
    expect(provider.calls).toEqual([]);
  });

  it('a booking-fee hold: a row at once, the create only once PAID; a lapsed hold never made is just DELETED', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-07T08:00:00Z');
    const provider = recordingProvider();
    const hold = async (at: string) => {
      const id = randomUUID();
      const start = new Date(at);
      await harness.orm.em.getConnection().execute(
        `INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes, buffer_minutes, held_until, hold_expires_at, purpose, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'PENDING_PAYMENT', ?, ?, 60, 0, ?, ?, 'Fee hold', now(), now())`,
        [id, `HOLD-${id}`, w.client.organizationId, w.client.userId, w.client.userId, w.consultantId, start, new Date(start.getTime() + 60 * MINUTE), new Date(start.getTime() + 60 * MINUTE), new Date(now.getTime() + 15 * MINUTE)],
      );
      return id;
    };
    const change = (id: string, kind: 'BOOKED' | 'PAID' | 'EXPIRED', status: string) =>
      harness.acrossTenants().transactional((em) => events.emit('consultation.changed', { kind, consultationId: id, organizationId: w.client.organizationId, consultantId: w.consultantId, status, actorId: null, at: now }, em));

    const paid = await hold('2031-03-17T09:00:00Z');
    await change(paid, 'BOOKED', 'PENDING_PAYMENT');
    expect(await meetingOf(paid)).toMatchObject({ status: 'PENDING', action: null });
    expect((await sync(provider, now)).claimed).toBe(0);
    await change(paid, 'PAID', 'SCHEDULED');
    expect(await meetingOf(paid)).toMatchObject({ status: 'PENDING', action: 'CREATE' });
    await sync(provider, now);
    expect(await meetingOf(paid)).toMatchObject({ status: 'READY' });

    const lapsed = await hold('2031-03-17T12:00:00Z');
    await change(lapsed, 'BOOKED', 'PENDING_PAYMENT');
    await change(lapsed, 'EXPIRED', 'EXPIRED');
    expect(await meetingOf(lapsed)).toMatchObject({ status: 'DELETED', action: null });
    expect(provider.calls).toHaveLength(1);
  });

  it('a call still in flight when the session is cancelled changes nothing when it answers (its claim is stale)', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-08T08:00:00Z');
    let answer: () => void = () => undefined;
    const calls: string[] = [];
    const slow: MeetingProvider = {
      create: async (facts) => {
        calls.push('create');
        await new Promise<void>((resolve) => (answer = resolve));
        return jitsiProvider('https://jitsi.test').create(facts);
      },
      update: () => Promise.reject(new Error('unused')),
      delete: () => Promise.reject(new Error('unused')),
    };
    const booked = await book(w, '2031-03-18T09:00:00Z', now);
    const running = sync(slow, now);
    await vi.waitFor(() => expect(calls).toEqual(['create']));
    await new LifecycleService(harness.scoped({ none: true }), events).cancel(w.consultant, booked.id, null, now);
    answer();
    await running;
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'DELETED', action: null, join_url: null });
  });

  it('meeting.changed follows each outcome in its transaction: READY (link new or kept), FAILED with the error, DELETED; none for a stale claim', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-09T08:00:00Z');
    const seen: Array<{ status: string; joinUrlChanged: boolean; error: string | null }> = [];
    const listening = new DomainEvents({
      'consultation.changed': [meetingFollowsConsultation],
      'meeting.changed': [async (change) => void seen.push({ status: change.status, joinUrlChanged: change.joinUrlChanged, error: change.error })],
    });
    const run = (provider: MeetingProvider, options: { maxAttempts?: number } = {}) => syncDueMeetings(harness.acrossTenants(), { providers: { JITSI: provider }, events: listening, now: () => now, ...options });
    const booked = await book(w, '2031-03-19T09:00:00Z', now);
    await run(recordingProvider());
    expect(seen).toEqual([{ status: 'READY', joinUrlChanged: true, error: null }]);

    // A Jitsi reschedule keeps its room: READY again, the same link.
    const lifecycle = new LifecycleService(harness.scoped({ none: true }), events);
    await lifecycle.reschedule(w.consultant, booked.id, new Date('2031-03-20T09:00:00Z'), null, now);
    await run(recordingProvider());
    expect(seen.at(-1)).toEqual({ status: 'READY', joinUrlChanged: false, error: null });

    // A provider that hands out a new link on update.
    const moving: MeetingProvider = { ...recordingProvider(), update: async (id) => ({ externalId: id, joinUrl: `https://meet.test/${id}/moved`, passcode: null, dialIn: null, hostUrl: null }) };
    await lifecycle.reschedule(w.consultant, booked.id, new Date('2031-03-21T09:00:00Z'), null, now);
    await run(moving);
    expect(seen.at(-1)).toEqual({ status: 'READY', joinUrlChanged: true, error: null });

    // A retry that fails again emits nothing; the last one emits FAILED.
    await lifecycle.reschedule(w.consultant, booked.id, new Date('2031-03-25T09:00:00Z'), null, now);
    const count = seen.length;
    await run(recordingProvider(99), { maxAttempts: 2 });
    expect(seen).toHaveLength(count);
    await syncDueMeetings(harness.acrossTenants(), { providers: { JITSI: recordingProvider(99) }, events: listening, now: () => new Date(now.getTime() + MINUTE), maxAttempts: 2 });
    expect(seen.at(-1)).toEqual({ status: 'FAILED', joinUrlChanged: false, error: 'provider down (update 2031-03-25T09:00:00.000Z)' });

    const other = await book(w, '2031-03-26T09:00:00Z', now);
    await run(recordingProvider());
    await lifecycle.cancel(w.consultant, other.id, null, now);
    await run(recordingProvider());
    expect(seen.at(-1)).toEqual({ status: 'DELETED', joinUrlChanged: false, error: null });
  });

  it('a repeated create asks find first: a meeting whose answer was lost is adopted, not made twice', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-10T08:00:00Z');
    const made: string[] = [];
    // The provider makes the meeting, then the answer is lost (a timeout); find sees what was made.
    const lossy: MeetingProvider = {
      create: async (facts) => {
        made.push(facts.consultationId);
        if (made.length === 1) throw new Error('timed out after the meeting was made');
        return { externalId: `m-${made.length}`, joinUrl: `https://meet.test/m-${made.length}`, passcode: null, dialIn: null, hostUrl: null };
      },
      find: async (facts) => (made.includes(facts.consultationId) ? { externalId: 'm-1', joinUrl: 'https://meet.test/m-1', passcode: '123', dialIn: null, hostUrl: null } : null),
      update: () => Promise.reject(new Error('unused')),
      delete: () => Promise.reject(new Error('unused')),
    };
    const booked = await book(w, '2031-03-27T09:00:00Z', now);
    await sync(lossy, now);
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
    await sync(lossy, new Date(now.getTime() + MINUTE));
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'READY', external_id: 'm-1', join_url: 'https://meet.test/m-1' });
    expect(made).toEqual([booked.id]);
  });

  it('a meeting.changed handler that throws rolls READY back: logged as an error (the meeting was made), retried, the made meeting adopted', async () => {
    const w = await bookingWorld(harness);
    const now = new Date('2031-03-11T08:00:00Z');
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = createLogger({ logLevel: 'warn', logPretty: false }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
    let broken = true;
    const failing = new DomainEvents({
      'consultation.changed': [meetingFollowsConsultation],
      'meeting.changed': [
        async () => {
          if (broken) throw new Error('handler bug');
        },
      ],
    });
    const made: string[] = [];
    const provider: MeetingProvider = {
      create: async (facts) => (made.push(facts.consultationId), { externalId: 'x-1', joinUrl: 'https://meet.test/x-1', passcode: null, dialIn: null, hostUrl: null }),
      find: async (facts) => (made.includes(facts.consultationId) ? { externalId: 'x-1', joinUrl: 'https://meet.test/x-1', passcode: null, dialIn: null, hostUrl: null } : null),
      update: () => Promise.reject(new Error('unused')),
      delete: () => Promise.reject(new Error('unused')),
    };
    const booked = await book(w, '2031-03-28T09:00:00Z', now);
    await syncDueMeetings(harness.acrossTenants(), { providers: { JITSI: provider }, events: failing, logger, now: () => now });
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'PENDING', external_id: null, attempts: 1, last_error: 'handler bug' });
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'meeting made but its outcome could not be stored; retrying' })]);

    broken = false;
    await syncDueMeetings(harness.acrossTenants(), { providers: { JITSI: provider }, events: failing, logger, now: () => new Date(now.getTime() + MINUTE) });
    expect(await meetingOf(booked.id)).toMatchObject({ status: 'READY', external_id: 'x-1' });
    expect(made).toEqual([booked.id]);
  });
});
