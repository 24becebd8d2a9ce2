/**
 * The late-cancel policy cannot be dodged by a reschedule (issue 10, item 3): a client who
 * moves a session due in under 24 h to a later date and then cancels 24 h or more before the
 * new time still loses the credit (or the booking fee). The moved session remembers the late
 * move (lateRescheduledAt); moves the client did not choose never mark it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, CONSULTATION_FIELDS, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import type { TestServer } from '../support/server.js';
import { BOOKING_FEE_SETTINGS, startStripeTestServer, type StripeDouble } from '../support/stripe-double.js';

let stripe: StripeDouble;
let server: TestServer;
let admin: string;
let consultant: TestConsultant;
let client: TestClient;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  ({ stripe, server } = await startStripeTestServer(BOOKING_FEE_SETTINGS));
  admin = await demoSignIn(server, 'admin@serenity.local');
  consultant = await openAllHoursConsultant(server);
  client = await verifiedClient(server, { organizationName: 'Dodgers' });
  await grantSessions(server, admin, client.organizationId, 10);
});
afterAll(async () => {
  await server.stop();
  await stripe.close();
});

interface Moved {
  id: string;
  start: string;
  status: string;
  lateRescheduledAt: string | null;
  history: Array<{ event: string; actorRole: string }>;
}
const FIELDS = `${CONSULTATION_FIELDS} lateRescheduledAt`;
const RESCHEDULE = `mutation($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased creditState late feeRefunded { amount } consultation { status creditState lateRescheduledAt } } }`;
const REQUEST = 'mutation($id: ID!, $s: [DateTime!]!) { requestReschedule(id: $id, suggestedStarts: $s) { id } }';

async function book(start: Date, extra: Record<string, unknown> = {}): Promise<Moved> {
  const data = await gqlOk<{ bookConsultation: Moved }>(server, BOOK.replace(CONSULTATION_FIELDS, FIELDS), { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Policy', ...extra } }, client.token);
  return data.bookConsultation;
}

async function reschedule(token: string, id: string, start: Date): Promise<Moved> {
  return (await gqlOk<{ rescheduleConsultation: Moved }>(server, RESCHEDULE, { id, start: start.toISOString() }, token)).rescheduleConsultation;
}

async function cancel(token: string, id: string) {
  const result = await gql(server, CANCEL, { id }, token);
  expect(result.errors).toEqual([]);
  return result.data!.cancelConsultation as { creditReleased: boolean; creditState: string; late: boolean; feeRefunded: { amount: number } | null; consultation: { status: string; creditState: string; lateRescheduledAt: string | null } };
}

async function ledgerOf(consultationId: string): Promise<Record<string, number>> {
  const rows = await sql<{ type: string; units: string }>(server, 'SELECT type, SUM(units) AS units FROM credit_ledger_entry WHERE consultation_id = ? GROUP BY type', [consultationId]);
  return Object.fromEntries(rows.map((r) => [r.type, Number(r.units)]));
}

describe('a reschedule does not dodge the late-cancel policy', () => {
  it('the dodge: moved inside the late window to next week, then cancelled days ahead — still late, the credit is used', async () => {
    const booked = await book(gridStart(3 * 60));
    expect(booked.lateRescheduledAt).toBeNull();
    const moved = await reschedule(client.token, booked.id, new Date(new Date(booked.start).getTime() + 3 * DAY));
    expect(moved.lateRescheduledAt).not.toBeNull();
    expect(Math.abs(new Date(moved.lateRescheduledAt!).getTime() - Date.now())).toBeLessThan(60_000);
    const cancelled = await cancel(client.token, booked.id);
    expect(cancelled).toMatchObject({ creditReleased: false, creditState: 'CONSUMED', late: true, consultation: { status: 'CANCELLED', creditState: 'CONSUMED' } });
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 1, CONSUME: 1 });
  });

  it('moving a marked session again keeps the mark', async () => {
    const booked = await book(gridStart(4 * 60));
    await reschedule(client.token, booked.id, new Date(new Date(booked.start).getTime() + 4 * DAY));
    const again = await reschedule(client.token, booked.id, new Date(new Date(booked.start).getTime() + 8 * DAY));
    expect(again.lateRescheduledAt).not.toBeNull();
    expect((await cancel(client.token, booked.id)).late).toBe(true);
  });

  it('the normal reschedule, made 24 h or more ahead: no mark, cancelled in time the credit comes back', async () => {
    const booked = await book(gridStart(48 * 60));
    const moved = await reschedule(client.token, booked.id, new Date(new Date(booked.start).getTime() + 3 * DAY));
    expect(moved.lateRescheduledAt).toBeNull();
    const cancelled = await cancel(client.token, booked.id);
    expect(cancelled).toMatchObject({ creditReleased: true, creditState: 'RELEASED', late: false });
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 1, RELEASE: 1 });
  });

  it('a consultant moving the session late never marks it; nor an admin', async () => {
    for (const mover of [consultant.token, admin]) {
      const booked = await book(gridStart(5 * 60));
      const moved = await reschedule(mover, booked.id, new Date(new Date(booked.start).getTime() + 5 * DAY));
      expect(moved.lateRescheduledAt).toBeNull();
      expect(await cancel(client.token, booked.id)).toMatchObject({ creditReleased: true, late: false });
    }
  });

  it('the client accepting the consultant’s requestReschedule late is not penalized, and it clears an earlier mark', async () => {
    const booked = await book(gridStart(6 * 60));
    // First the client's own late move (marked) …
    const marked = await reschedule(client.token, booked.id, new Date(new Date(booked.start).getTime() + DAY - HOUR));
    expect(marked.lateRescheduledAt).not.toBeNull();
    // … then, still inside the window, the consultant asks to move it and the client accepts.
    const suggested = new Date(new Date(booked.start).getTime() + 6 * DAY);
    await gqlOk(server, REQUEST, { id: booked.id, s: [suggested.toISOString()] }, consultant.token);
    const accepted = await reschedule(client.token, booked.id, suggested);
    expect(accepted.lateRescheduledAt).toBeNull();
    expect(await cancel(client.token, booked.id)).toMatchObject({ creditReleased: true, late: false });
  });

  it('the consultant cancelling a marked session still gives the credit back', async () => {
    const booked = await book(gridStart(7 * 60));
    await reschedule(client.token, booked.id, new Date(new Date(booked.start).getTime() + 7 * DAY));
    expect(await cancel(consultant.token, booked.id)).toMatchObject({ creditReleased: true, creditState: 'RELEASED', late: true });
  });

  it('booking fees follow the same verdict: the dodged fee is not refunded; a move in time keeps it refundable', async () => {
    const webhookUrl = new URL('/webhooks/stripe', server.graphqlUrl).toString();
    const payer = await verifiedClient(server, { organizationName: 'Fee Dodgers' });
    const bookFee = async (start: Date) => {
      const data = await gqlOk<{ bookConsultation: Moved }>(server, BOOK.replace(CONSULTATION_FIELDS, FIELDS), { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Fee', payWith: 'BOOKING_FEE' } }, payer.token);
      const held = data.bookConsultation;
      const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.consultationId === held.id)!;
      await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id));
      return held;
    };
    const refunds = () => [...stripe.refunds.values()].length;

    const dodged = await bookFee(gridStart(8 * 60));
    await reschedule(payer.token, dodged.id, new Date(new Date(dodged.start).getTime() + 9 * DAY));
    const before = refunds();
    expect(await cancel(payer.token, dodged.id)).toMatchObject({ late: true, feeRefunded: null, consultation: { status: 'CANCELLED' } });
    expect(refunds()).toBe(before);

    const inTime = await bookFee(gridStart(49 * 60));
    await reschedule(payer.token, inTime.id, new Date(new Date(inTime.start).getTime() + 9 * DAY));
    expect(await cancel(payer.token, inTime.id)).toMatchObject({ late: false, feeRefunded: { amount: 1000 } });
    expect(refunds()).toBe(before + 1);
  });
});
