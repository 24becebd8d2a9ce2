/**
 * A partner integration books through the SDK (the README's example): find an open slot of a
 * consultant with a skill, book it with the free trial, list it, cancel it.
 */
import { createSerenityClient, MyConsultationsDocument, SerenityError, type SerenityClient } from '@serenity/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let serenity: SerenityClient;
beforeAll(async () => {
  server = await startTestServer();
  serenity = createSerenityClient({ url: server.graphqlUrl });
});
afterAll(() => server.stop());

describe('booking through the SDK', () => {
  it('open slots → book with the free trial → my consultations → cancel', async () => {
    await serenity.login('jane.smith@acme.example', 'Serenity-Demo-2026!');
    const from = new Date(Date.now() + 26 * 3_600_000); // > 24 h ahead: cancelling gives the credit back
    const to = new Date(from.getTime() + 14 * 86_400_000);
    const slots = await serenity.openSlots({ skills: ['Business Strategy'], from: from.toISOString(), to: to.toISOString(), durationMinutes: 15, timeZone: 'Europe/London' });
    expect(slots.length).toBeGreaterThan(0);
    const [slot] = slots;

    const booking = await serenity.bookConsultation({
      consultantId: slot!.consultantId,
      start: slot!.start,
      durationMinutes: 15,
      useFreeTrial: true,
      purpose: 'Market entry questions',
      idempotencyKey: 'acme-trial-1',
    });
    expect(booking).toMatchObject({ status: 'SCHEDULED', start: slot!.start, usedFreeTrial: true, consultant: { id: slot!.consultantId, displayName: 'Sarah Chen' } });
    expect(booking.code).toMatch(/^CNS-ACME-/);
    // A retry with the same key is the same booking, not a second one.
    const retry = await serenity.bookConsultation({ consultantId: slot!.consultantId, start: slot!.start, durationMinutes: 15, useFreeTrial: true, purpose: 'Market entry questions', idempotencyKey: 'acme-trial-1' });
    expect(retry.id).toBe(booking.id);

    const mine = await serenity.request(MyConsultationsDocument, { filter: { statuses: ['SCHEDULED'] } });
    expect(mine.myConsultations.edges.map((e) => e.node.id)).toEqual([booking.id]);

    const cancelled = await serenity.cancelConsultation(booking.id, 'Found the answer already');
    expect(cancelled).toMatchObject({ creditReleased: true, late: false, consultation: { status: 'CANCELLED' } });
  });

  it('throws SerenityError with the contract code for an unknown consultant', async () => {
    await serenity.login('jane.smith@acme.example', 'Serenity-Demo-2026!');
    const error = await serenity
      .bookConsultation({ consultantId: '00000000-0000-4000-8000-000000000000', start: new Date(Date.now() + 86_400_000).toISOString(), durationMinutes: 60, purpose: 'Nobody' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerenityError);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });
});
