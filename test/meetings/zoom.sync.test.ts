/**
 * The Zoom provider through the real job and database: a create whose answer is lost (Zoom made
 * the meeting, the call timed out) is retried, and the retry finds that meeting instead of
 * making a second one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { BookingService } from '../../src/consultations/booking.service.js';
import { meetingFollowsConsultation } from '../../src/meetings/meeting.handlers.js';
import { syncDueMeetings } from '../../src/meetings/meetings.job.js';
import { zoomProvider } from '../../src/meetings/zoom.provider.js';
import { DomainEvents } from '../../src/platform/events.js';
import { bookingWorld } from '../support/booking-world.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';
import { startZoomDouble, type ZoomDouble } from '../support/zoom-double.js';

let harness: ServiceHarness;
let zoom: ZoomDouble;
beforeAll(async () => {
  [harness, zoom] = await Promise.all([startServiceHarness({ seeders: [catalogSeeder] }), startZoomDouble()]);
});
afterAll(() => Promise.all([harness.stop(), zoom.stop()]));

const events = new DomainEvents({ 'consultation.changed': [meetingFollowsConsultation] });

describe('a Zoom meeting whose answer was lost', () => {
  it('is found by the retry: exactly one meeting at Zoom, READY with its join URL', async () => {
    const w = await bookingWorld(harness, { meetingProviders: ['ZOOM'] });
    const now = new Date('2031-04-01T08:00:00Z');
    const booked = await new BookingService(harness.scoped({ organizationId: w.client.organizationId }), events).book(
      w.client,
      { consultantId: w.consultantId, start: new Date('2031-04-08T09:00:00Z'), durationMinutes: 60, purpose: 'Plan', meetingProvider: 'ZOOM' },
      now,
    );
    const providers = { ZOOM: zoomProvider(zoom.settings(), { timeoutMs: 300 }) };
    const mine = () => [...zoom.meetings.values()].filter((m) => m.agenda.includes(booked.id));

    zoom.delayNextAnswer('POST', 1500);
    await syncDueMeetings(harness.acrossTenants(), { providers, now: () => now });
    const [row] = await harness.orm.em.getConnection().execute<Array<{ status: string; attempts: number; last_error: string }>>('SELECT status, attempts, last_error FROM meeting WHERE consultation_id = ?', [booked.id]);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1, last_error: expect.stringMatching(/timed out after 300 ms/) });
    // Zoom made it all the same.
    expect(mine()).toHaveLength(1);

    await syncDueMeetings(harness.acrossTenants(), { providers, now: () => new Date(now.getTime() + 60_000) });
    expect(mine()).toHaveLength(1);
    const [ready] = await harness.orm.em.getConnection().execute<Array<{ status: string; external_id: string; join_url: string; host_url: string }>>('SELECT status, external_id, join_url, host_url FROM meeting WHERE consultation_id = ?', [booked.id]);
    expect(ready).toEqual({ status: 'READY', external_id: String(mine()[0]!.id), join_url: mine()[0]!.join_url, host_url: mine()[0]!.start_url });
    expect(zoom.apiRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});
