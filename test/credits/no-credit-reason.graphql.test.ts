/**
 * PAYMENT_REQUIRED's reason through bookConsultation (issue 10): it describes the lots that
 * could pay the session, not the organization's 15-minute free trial beside them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;
let consultant: TestConsultant;

beforeAll(async () => {
  server = await startTestServer();
  admin = await demoSignIn(server, 'admin@serenity.local');
  consultant = await openAllHoursConsultant(server);
});
afterAll(() => server.stop());

function grant(organizationId: string, units: number, validityDays: number) {
  return gqlOk(
    server,
    'mutation($input: GrantCreditsInput!) { grantCredits(input: $input) { id } }',
    { input: { organizationId, source: 'PROMOTIONAL', kind: 'SESSION', units, sessionMinutes: 60, validityDays, reason: 'Test credits' } },
    admin,
  );
}

function book(client: TestClient, start: Date) {
  return gql(server, BOOK, { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Reason' } }, client.token);
}

describe('PAYMENT_REQUIRED beside the free trial', () => {
  it('the only 60-minute credit held by a booking → ALL_RESERVED, not WRONG_LENGTH', async () => {
    const client = await verifiedClient(server, { organizationName: 'Held Co' });
    await grant(client.organizationId, 1, 30);
    expect((await book(client, gridStart(60))).errors).toEqual([]);
    const refused = await book(client, gridStart(3 * 60));
    expect(refused.errors[0]?.extensions).toMatchObject({ code: 'PAYMENT_REQUIRED', reason: 'ALL_RESERVED' });
    expect(refused.errors[0]?.message).toMatch(/held by upcoming bookings \(1 session credit reserved\)/);
  });

  it('the 60-minute lot expiring before the session ends → EXPIRED, not WRONG_LENGTH', async () => {
    const client = await verifiedClient(server, { organizationName: 'Expiring Co' });
    await grant(client.organizationId, 10, 1);
    const refused = await book(client, gridStart(2 * 24 * 60));
    expect(refused.errors[0]?.extensions).toMatchObject({ code: 'PAYMENT_REQUIRED', reason: 'EXPIRED' });
    expect(refused.errors[0]?.message).toMatch(/^Your credits that could pay a 60-minute session expire before this session ends/);
  });

  it('no 60-minute credit at all → WRONG_LENGTH, naming what the trial pays', async () => {
    const client = await verifiedClient(server, { organizationName: 'Trial Co' });
    const refused = await book(client, gridStart(5 * 60));
    expect(refused.errors[0]?.extensions).toMatchObject({ code: 'PAYMENT_REQUIRED', reason: 'WRONG_LENGTH' });
    expect(refused.errors[0]?.message).toMatch(/they pay sessions of up to 15 minutes/);
  });
});
