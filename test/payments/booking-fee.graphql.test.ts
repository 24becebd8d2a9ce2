/**
 * The booking fee (the Django page's $10 refundable fee): a client books without credits; the
 * slot is held PENDING_PAYMENT until Stripe says the fee is paid (then SCHEDULED), or lapses
 * (EXPIRED, slot free again); cancelling 24 h or more ahead refunds the fee through Stripe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, CONSULTATION_FIELDS, gridStart, openAllHoursConsultant, verifiedClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { BOOKING_FEE_SETTINGS, startStripeTestServer, type StripeDouble, stripeSettings } from '../support/stripe-double.js';

let stripe: StripeDouble;
let server: TestServer;
let webhookUrl: string;
let consultant: TestConsultant;

beforeAll(async () => {
  ({ stripe, server, webhookUrl } = await startStripeTestServer(BOOKING_FEE_SETTINGS));
  consultant = await openAllHoursConsultant(server);
});
afterAll(async () => {
  await server.stop();
  await stripe.close();
});

const FEE_FIELDS = `${CONSULTATION_FIELDS} payment { method creditState fee { amount currency } clientSecret }`;
const CANCEL = `mutation($id: ID!) { cancelConsultation(id: $id) { creditReleased feeRefunded { amount currency } consultation { status } } }`;

interface FeeBooking {
  id: string;
  status: string;
  start: string;
  payment: { method: string; fee: { amount: number; currency: string } | null; clientSecret: string | null };
}

async function bookWithFee(token: string, start: Date): Promise<FeeBooking> {
  const data = await gqlOk<{ bookConsultation: FeeBooking }>(
    server,
    BOOK.replace(CONSULTATION_FIELDS, FEE_FIELDS),
    { input: { consultantId: consultant.id, start: start.toISOString(), durationMinutes: 60, purpose: 'Paid by fee', payWith: 'BOOKING_FEE' } },
    token,
  );
  return data.bookConsultation;
}

function intentOf(consultationId: string) {
  const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.consultationId === consultationId);
  if (!intent) throw new Error(`No PaymentIntent for consultation ${consultationId}`);
  return intent;
}

const statusOf = async (id: string) => (await sql<{ status: string }>(server, 'SELECT status FROM consultation WHERE id = ?', [id]))[0]!.status;

describe('booking fee', () => {
  it('hold → pay → SCHEDULED; no credits are touched; the fee is invoiced and its revenue split', async () => {
    const client = await verifiedClient(server, { organizationName: 'Fee Payer' });
    const held = await bookWithFee(client.token, gridStart(30 * 60));
    expect(held).toMatchObject({ status: 'PENDING_PAYMENT', payment: { method: 'BOOKING_FEE', fee: { amount: 1000, currency: 'USD' } } });
    expect(held.payment.clientSecret).toBe(intentOf(held.id).client_secret);
    // The slot is held: nobody else can take it meanwhile.
    const other = await verifiedClient(server);
    const taken = await gql(server, BOOK, { input: { consultantId: consultant.id, start: held.start, durationMinutes: 15, useFreeTrial: true, purpose: 'x' } }, other.token);
    expect(taken.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT' });

    const paid = await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intentOf(held.id).id));
    expect(JSON.parse(paid.text).outcome).toBe('PROCESSED');
    expect(await statusOf(held.id)).toBe('SCHEDULED');
    const ledger = await sql<{ n: number }>(server, 'SELECT COUNT(*)::int AS n FROM credit_ledger_entry WHERE consultation_id = ?', [held.id]);
    expect(ledger[0]!.n).toBe(0);
    const [invoice] = await sql<{ total_amount: number }>(server, 'SELECT total_amount FROM invoice WHERE stripe_payment_intent_id = ?', [intentOf(held.id).id]);
    expect(invoice!.total_amount).toBe(1000);
    const [revenue] = await sql<{ kind: string; platform_fee_amount: number; consultant_earnings_amount: number }>(
      server,
      'SELECT kind, platform_fee_amount, consultant_earnings_amount FROM revenue_entry WHERE consultation_id = ?',
      [held.id],
    );
    expect(revenue).toEqual({ kind: 'BOOKING_FEE', platform_fee_amount: 150, consultant_earnings_amount: 850 });
    const history = await sql<{ event: string }>(server, 'SELECT event FROM consultation_status_change WHERE consultation_id = ? ORDER BY at, id', [held.id]);
    expect(history.map((h) => h.event)).toEqual(['BOOKED', 'PAID']);
  });

  it('an unpaid hold lapses to EXPIRED and the slot is free again', async () => {
    const client = await verifiedClient(server);
    const held = await bookWithFee(client.token, gridStart(32 * 60));
    await sql(server, "UPDATE consultation SET hold_expires_at = now() - interval '1 minute' WHERE id = ?", [held.id]);
    const next = await verifiedClient(server);
    const rebooked = await gqlOk<{ bookConsultation: { status: string } }>(
      server,
      BOOK,
      { input: { consultantId: consultant.id, start: held.start, durationMinutes: 15, useFreeTrial: true, purpose: 'The freed slot' } },
      next.token,
    );
    expect(rebooked.bookConsultation.status).toBe('SCHEDULED');
    expect(await statusOf(held.id)).toBe('EXPIRED');
  });

  it('cancelling a paid booking 24 h or more ahead refunds the fee through Stripe', async () => {
    const client = await verifiedClient(server);
    const held = await bookWithFee(client.token, gridStart(50 * 60));
    await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intentOf(held.id).id));
    const cancelled = await gqlOk<{ cancelConsultation: { creditReleased: boolean; feeRefunded: { amount: number } | null; consultation: { status: string } } }>(server, CANCEL, { id: held.id }, client.token);
    expect(cancelled.cancelConsultation).toMatchObject({ feeRefunded: { amount: 1000, currency: 'USD' }, consultation: { status: 'CANCELLED' } });
    const refunds = [...stripe.refunds.values()].filter((r) => r.payment_intent === intentOf(held.id).id);
    expect(refunds).toHaveLength(1);
    // The fee's invoice is credited by a credit note of the refund.
    const { invoices } = await gqlOk(server, '{ invoices { edges { node { lines { description } creditNotes { number total { amount currency } refundReference refundMethod lines { description } } } } } }', {}, client.token);
    const fee = invoices.edges.map((e: { node: unknown }) => e.node).find((n: { lines: Array<{ description: string }> }) => n.lines[0]!.description.startsWith('Booking fee'));
    expect(fee.creditNotes).toEqual([
      { number: expect.stringMatching(/^CN-\d{4}-\d{6}$/), total: { amount: 1000, currency: 'USD' }, refundReference: refunds[0]!.id, refundMethod: 'Visa •••• 4242', lines: [{ description: expect.stringMatching(/^Refund: Booking fee, consultation /) }] },
    ]);
  });

  it('without a fee (none set for the consultant and none for the platform) the choice is refused; a consultant’s own fee applies', async () => {
    const bare = await startTestServer({ ...stripeSettings(stripe) });
    try {
      const someone = await openAllHoursConsultant(bare);
      const client = await verifiedClient(bare);
      const refused = await gql(bare, BOOK, { input: { consultantId: someone.id, start: gridStart(30 * 60).toISOString(), durationMinutes: 60, purpose: 'x', payWith: 'BOOKING_FEE' } }, client.token);
      expect(refused.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.payWith' });
      // Whatever the time: the fee is judged before it (here beyond the consultant's 90-day horizon).
      const farOff = await gql(bare, BOOK, { input: { consultantId: someone.id, start: gridStart(200 * 24 * 60).toISOString(), durationMinutes: 60, purpose: 'x', payWith: 'BOOKING_FEE' } }, client.token);
      expect(farOff.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.payWith' });
      // The consultant's own fee.
      await gqlOk(bare, 'mutation { updateConsultantProfile(input: { bookingFee: { amount: 2500, currency: "EUR" } }) { bookingFee { amount currency } } }', {}, someone.token);
      const booked = await gqlOk<{ bookConsultation: { status: string; payment: { fee: { amount: number; currency: string } } } }>(
        bare,
        'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { status payment { fee { amount currency } } } }',
        { input: { consultantId: someone.id, start: gridStart(30 * 60).toISOString(), durationMinutes: 60, purpose: 'x', payWith: 'BOOKING_FEE' } },
        client.token,
      );
      expect(booked.bookConsultation).toEqual({ status: 'PENDING_PAYMENT', payment: { fee: { amount: 2500, currency: 'EUR' } } });
    } finally {
      await bare.stop();
    }
  });
});
