/**
 * Booking and the consultation lifecycle through GraphQL on a real server and PostgreSQL: the
 * client and consultant journey of seeds/002, the credit policy of every ending, reschedules,
 * idempotency, auto-assignment, and the database's own refusal of overlaps (I1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, CONSULTATION_FIELDS, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type ConsultationJson, type TestClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await demoSignIn(server, 'admin@serenity.local');
});
afterAll(() => server.stop());

const HOUR = 3_600_000;

async function book(client: TestClient, input: Record<string, unknown>): Promise<ConsultationJson> {
  const data = await gqlOk<{ bookConsultation: ConsultationJson }>(server, BOOK, { input: { purpose: 'Budget review', durationMinutes: 60, ...input } }, client.token);
  return data.bookConsultation;
}

async function act(token: string, mutation: string, variables: Record<string, unknown>) {
  return gql(server, mutation, variables, token);
}

const CONFIRM = `mutation($id: ID!) { confirmConsultation(id: $id) { ${CONSULTATION_FIELDS} } }`;
const START = `mutation($id: ID!) { startConsultation(id: $id) { ${CONSULTATION_FIELDS} actualStart } }`;
const COMPLETE = `mutation($id: ID!, $input: CompleteConsultationInput!) { completeConsultation(id: $id, input: $input) { ${CONSULTATION_FIELDS} actualDurationMinutes outcomes { summary keyPoints recommendations } deliverables { name type status dueDate fileUrl } actionItems { title assignee priority status dueDate } nextSteps internalNotes } }`;
const CANCEL = `mutation($id: ID!, $reason: String) { cancelConsultation(id: $id, reason: $reason) { creditReleased creditState late feeRefunded { amount } consultation { ${CONSULTATION_FIELDS} } } }`;
const RESCHEDULE = `mutation($id: ID!, $start: DateTime!, $reason: String) { rescheduleConsultation(id: $id, start: $start, reason: $reason) { ${CONSULTATION_FIELDS} } }`;
const NO_SHOW = `mutation($id: ID!, $party: NoShowParty!) { markNoShow(id: $id, party: $party) { ${CONSULTATION_FIELDS} noShowParty } }`;
const FEEDBACK = `mutation($id: ID!, $input: FeedbackInput!) { submitFeedback(consultationId: $id, input: $input) { overall expertise communication helpfulness wouldRecommend testimonial publicTestimonial } }`;
const CONSULTATION = `query($id: ID!) { consultation(id: $id) { ${CONSULTATION_FIELDS} internalNotes feedback { overall } } }`;
const SLOTS = 'query($input: OpenSlotsInput!) { openSlots(input: $input) { start consultantId } }';

/** What the ledger holds for a consultation, per entry type. */
async function ledgerOf(consultationId: string): Promise<Record<string, number>> {
  const rows = await sql<{ type: string; units: string }>(server, 'SELECT type, SUM(units) AS units FROM credit_ledger_entry WHERE consultation_id = ? GROUP BY type', [consultationId]);
  return Object.fromEntries(rows.map((r) => [r.type, Number(r.units)]));
}

/** Moves a consultation into the past (the clock cannot be waited for): start `minutesAgo` ago. */
async function moveIntoPast(id: string, minutesAgo: number): Promise<void> {
  await sql(
    server,
    `UPDATE consultation SET start_at = now() - ? * interval '1 minute', end_at = now() - ? * interval '1 minute' + duration_minutes * interval '1 minute',
            held_until = now() - ? * interval '1 minute' + (duration_minutes + buffer_minutes) * interval '1 minute' WHERE id = ?`,
    [minutesAgo, minutesAgo, minutesAgo, id],
  );
}

describe('the client and consultant journey (seeds/002)', () => {
  let consultant: TestConsultant;
  let client: TestClient;

  beforeAll(async () => {
    consultant = await openAllHoursConsultant(server, { bufferMinutes: 10 });
    client = await verifiedClient(server, { organizationName: 'Initech' });
    await grantSessions(server, admin, client.organizationId, 3);
  });

  it('book → confirm → start → complete → feedback, with the credit reserved then consumed', async () => {
    const start = gridStart(2);
    const booked = await book(client, {
      consultantId: consultant.id,
      start: start.toISOString(),
      notes: 'Q3 numbers attached',
      attendees: [{ name: 'Carla CTO', email: 'Carla@Initech.test', role: 'CTO' }],
    });
    expect(booked).toMatchObject({
      status: 'SCHEDULED',
      start: start.toISOString(),
      end: new Date(start.getTime() + HOUR).toISOString(),
      durationMinutes: 60,
      bufferMinutes: 10,
      creditState: 'HELD',
      attendees: [{ name: 'Carla CTO', email: 'carla@initech.test', role: 'CTO' }],
      client: { id: client.userId, organizationName: 'Initech' },
      consultant: { id: consultant.id },
      payment: { method: 'CREDITS', creditState: 'HELD' },
      history: [{ event: 'BOOKED', fromStatus: null, toStatus: 'SCHEDULED', actorRole: 'CLIENT' }],
    });
    expect(booked.code).toMatch(/^CNS-INITECH-\d{8}-\d{6}$/);
    expect(booked.payment.credits).toEqual([{ lotId: expect.any(String), units: 1 }]);
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 1 });

    // The time (and its buffer) is no longer offered.
    const slots = await gqlOk<{ openSlots: Array<{ start: string }> }>(
      server,
      SLOTS,
      { input: { consultantId: consultant.id, from: start.toISOString(), to: new Date(start.getTime() + 2 * HOUR).toISOString(), durationMinutes: 60, timeZone: 'UTC' } },
      client.token,
    );
    expect(slots.openSlots[0]!.start).toBe(new Date(start.getTime() + HOUR + 10 * 60_000).toISOString());

    const notYours = await act(client.token, CONFIRM, { id: booked.id });
    expect(notYours.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const tooEarlyToComplete = await act(consultant.token, COMPLETE, { id: booked.id, input: {} });
    expect(tooEarlyToComplete.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 'SCHEDULED' });

    const confirmed = (await act(consultant.token, CONFIRM, { id: booked.id })).data!.confirmConsultation as ConsultationJson;
    expect(confirmed.status).toBe('CONFIRMED');
    const started = (await act(consultant.token, START, { id: booked.id })).data!.startConsultation as ConsultationJson;
    expect(started.status).toBe('IN_PROGRESS');

    const done = await act(consultant.token, COMPLETE, {
      id: booked.id,
      input: {
        outcomes: { summary: 'Budget reviewed', keyPoints: ['Cut travel 10%'], recommendations: ['Quarterly forecast'] },
        deliverables: [{ name: 'Forecast model', type: 'DOCUMENT', dueDate: '2026-12-15', fileUrl: 'https://files.initech.test/model.xlsx' }],
        actionItems: [{ title: 'Send Q4 actuals', assignee: 'client', priority: 'HIGH', dueDate: '2026-12-01' }],
        nextSteps: 'Follow-up in January',
        internalNotes: 'Client is price sensitive',
      },
    });
    expect(done.errors).toEqual([]);
    const completed = done.data!.completeConsultation as ConsultationJson & Record<string, unknown>;
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      creditState: 'CONSUMED',
      outcomes: { summary: 'Budget reviewed', keyPoints: ['Cut travel 10%'], recommendations: ['Quarterly forecast'] },
      deliverables: [{ name: 'Forecast model', type: 'DOCUMENT', status: 'PENDING', dueDate: '2026-12-15', fileUrl: 'https://files.initech.test/model.xlsx' }],
      actionItems: [{ title: 'Send Q4 actuals', assignee: 'client', priority: 'HIGH', status: 'OPEN', dueDate: '2026-12-01' }],
      nextSteps: 'Follow-up in January',
      internalNotes: 'Client is price sensitive',
    });
    expect(completed.actualDurationMinutes).toBeGreaterThanOrEqual(1);
    expect(completed.history.map((h) => h.event)).toEqual(['BOOKED', 'CONFIRMED', 'STARTED', 'COMPLETED']);
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 1, CONSUME: 1 });

    // The client never sees the consultant's internal notes.
    const seenByClient = await gqlOk<{ consultation: { internalNotes: string | null } }>(server, CONSULTATION, { id: booked.id }, client.token);
    expect(seenByClient.consultation.internalNotes).toBeNull();

    const rating = { overall: 5, expertise: 4, communication: 5, helpfulness: 4, wouldRecommend: true, testimonial: 'Sharp and practical.', publicTestimonial: true };
    const feedback = await act(client.token, FEEDBACK, { id: booked.id, input: rating });
    expect(feedback.data).toEqual({ submitFeedback: rating });
    const again = await act(client.token, FEEDBACK, { id: booked.id, input: rating });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    const byConsultant = await act(consultant.token, FEEDBACK, { id: booked.id, input: rating });
    expect(byConsultant.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });

    const profile = await gqlOk<{ consultant: { completedSessions: number; rating: Record<string, number | null> } }>(
      server,
      'query($id: ID!) { consultant(id: $id) { completedSessions rating { count overall expertise communication helpfulness recommendRate } } }',
      { id: consultant.id },
      client.token,
    );
    expect(profile.consultant).toEqual({ completedSessions: 1, rating: { count: 1, overall: 5, expertise: 4, communication: 5, helpfulness: 4, recommendRate: 1 } });
    const lifetime = await gqlOk<{ creditSummary: { lifetime: Record<string, number> } }>(server, '{ creditSummary { lifetime { usedCredits completedConsultations } } }', {}, client.token);
    expect(lifetime.creditSummary.lifetime).toEqual({ usedCredits: 1, completedConsultations: 1 });
  });

  it('feedback waits for completion', async () => {
    const booked = await book(client, { consultantId: consultant.id, start: gridStart(24 * 60 + 120).toISOString() });
    const early = await act(client.token, FEEDBACK, { id: booked.id, input: { overall: 5, expertise: 5, communication: 5, helpfulness: 5, wouldRecommend: true } });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    await act(client.token, CANCEL, { id: booked.id });
  });
});

describe('cancellation and no-show policy', () => {
  let consultant: TestConsultant;
  let client: TestClient;

  beforeAll(async () => {
    consultant = await openAllHoursConsultant(server);
    client = await verifiedClient(server, { organizationName: 'Umbrella' });
    await grantSessions(server, admin, client.organizationId, 10);
  });

  it('a client cancelling 24 h or more ahead gets the credit back', async () => {
    const booked = await book(client, { consultantId: consultant.id, start: gridStart(25 * 60).toISOString() });
    const { data } = await act(client.token, CANCEL, { id: booked.id, reason: 'Board meeting moved' });
    expect(data!.cancelConsultation).toMatchObject({ creditReleased: true, creditState: 'RELEASED', late: false, feeRefunded: null, consultation: { status: 'CANCELLED', creditState: 'RELEASED' } });
    expect((data!.cancelConsultation as { consultation: ConsultationJson }).consultation.history.at(-1)).toMatchObject({ event: 'CANCELLED', fromStatus: 'SCHEDULED', toStatus: 'CANCELLED', actorRole: 'CLIENT', reason: 'Board meeting moved' });
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 1, RELEASE: 1 });
    // The time is free again.
    const again = await book(client, { consultantId: consultant.id, start: booked.start });
    expect(again.status).toBe('SCHEDULED');
    await act(consultant.token, CANCEL, { id: again.id });
  });

  it('a client cancelling later loses it; the consultant cancelling late never costs the client', async () => {
    const late = await book(client, { consultantId: consultant.id, start: gridStart(3 * 60).toISOString() });
    const byClient = await act(client.token, CANCEL, { id: late.id });
    expect(byClient.data!.cancelConsultation).toMatchObject({ creditReleased: false, creditState: 'CONSUMED', late: true });
    expect(await ledgerOf(late.id)).toEqual({ RESERVE: 1, CONSUME: 1 });

    const other = await book(client, { consultantId: consultant.id, start: gridStart(4 * 60).toISOString() });
    const byConsultant = await act(consultant.token, CANCEL, { id: other.id, reason: 'Ill' });
    expect(byConsultant.data!.cancelConsultation).toMatchObject({ creditReleased: true, late: true, consultation: { history: [{}, { actorRole: 'CONSULTANT' }] } });
    expect(await ledgerOf(other.id)).toEqual({ RESERVE: 1, RELEASE: 1 });
  });

  it('a client no-show consumes the credit, a consultant no-show releases it, and neither before the start', async () => {
    const first = await book(client, { consultantId: consultant.id, start: gridStart(6 * 60).toISOString() });
    const tooSoon = await act(consultant.token, NO_SHOW, { id: first.id, party: 'CLIENT' });
    expect(tooSoon.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    await moveIntoPast(first.id, 10);
    const clientAway = await act(consultant.token, NO_SHOW, { id: first.id, party: 'CLIENT' });
    expect(clientAway.data!.markNoShow).toMatchObject({ status: 'NO_SHOW', noShowParty: 'CLIENT', creditState: 'CONSUMED' });
    expect(await ledgerOf(first.id)).toEqual({ RESERVE: 1, CONSUME: 1 });

    const second = await book(client, { consultantId: consultant.id, start: gridStart(8 * 60).toISOString() });
    await moveIntoPast(second.id, 120);
    const byClient = await act(client.token, NO_SHOW, { id: second.id, party: 'CONSULTANT' });
    expect(byClient.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const consultantAway = await act(admin, NO_SHOW, { id: second.id, party: 'CONSULTANT' });
    expect(consultantAway.data!.markNoShow).toMatchObject({ status: 'NO_SHOW', noShowParty: 'CONSULTANT', creditState: 'RELEASED' });
    expect(await ledgerOf(second.id)).toEqual({ RESERVE: 1, RELEASE: 1 });
  });

  it('illegal transitions are CONFLICT and change nothing', async () => {
    const booked = await book(client, { consultantId: consultant.id, start: gridStart(30 * 60).toISOString() });
    await act(client.token, CANCEL, { id: booked.id });
    const before = await sql(server, 'SELECT status, credit_state, updated_at FROM consultation WHERE id = ?', [booked.id]);
    for (const [mutation, variables] of [
      [CONFIRM, { id: booked.id }],
      [START, { id: booked.id }],
      [COMPLETE, { id: booked.id, input: {} }],
      [CANCEL, { id: booked.id }],
      [RESCHEDULE, { id: booked.id, start: gridStart(31 * 60).toISOString() }],
    ] as const) {
      const { errors } = await act(consultant.token, mutation, variables);
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', status: 'CANCELLED' });
    }
    expect(await sql(server, 'SELECT status, credit_state, updated_at FROM consultation WHERE id = ?', [booked.id])).toEqual(before);
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 1, RELEASE: 1 });
  });
});

describe('reschedule', () => {
  let consultant: TestConsultant;
  let client: TestClient;

  beforeAll(async () => {
    consultant = await openAllHoursConsultant(server, { bufferMinutes: 15 });
    client = await verifiedClient(server, { organizationName: 'Hooli' });
    await grantSessions(server, admin, client.organizationId, 5);
  });

  it('moves the time keeping the reservation; a client moving a confirmed session needs a new confirmation', async () => {
    const booked = await book(client, { consultantId: consultant.id, start: gridStart(48 * 60).toISOString() });
    await act(consultant.token, CONFIRM, { id: booked.id });
    const to = new Date(new Date(booked.start).getTime() + 3 * HOUR);
    const { data, errors } = await act(client.token, RESCHEDULE, { id: booked.id, start: to.toISOString(), reason: 'Flight changed' });
    expect(errors).toEqual([]);
    const moved = data!.rescheduleConsultation as ConsultationJson;
    expect(moved).toMatchObject({ status: 'SCHEDULED', start: to.toISOString(), rescheduleCount: 1, creditState: 'HELD' });
    expect(moved.history.at(-1)).toMatchObject({ event: 'RESCHEDULED', fromStatus: 'CONFIRMED', toStatus: 'SCHEDULED', actorRole: 'CLIENT', reason: 'Flight changed' });
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 1 });

    // The old time is open again; the new one (with its buffer) is taken.
    const other = await book(client, { consultantId: consultant.id, start: booked.start });
    expect(other.status).toBe('SCHEDULED');
    const clash = await act(client.token, RESCHEDULE, { id: other.id, start: new Date(to.getTime() + 60 * 60_000).toISOString() });
    expect(clash.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'OVERLAPS' });
    const intoAvailability = await act(client.token, RESCHEDULE, { id: other.id, start: new Date(to.getTime() + 75 * 60_000).toISOString() });
    expect(intoAvailability.errors).toEqual([]);
  });

  it('a consultant asks to move with suggested open times; the client accepts one', async () => {
    const booked = await book(client, { consultantId: consultant.id, start: gridStart(72 * 60).toISOString() });
    const suggestions = [new Date(new Date(booked.start).getTime() + 24 * HOUR), new Date(new Date(booked.start).getTime() + 26 * HOUR)].map((d) => d.toISOString());
    const asked = await act(consultant.token, 'mutation($id: ID!, $s: [DateTime!]!) { requestReschedule(id: $id, suggestedStarts: $s, reason: "Travelling") { rescheduleRequest { suggestedStarts reason } history { event } } }', {
      id: booked.id,
      s: suggestions,
    });
    expect(asked.data!.requestReschedule).toMatchObject({ rescheduleRequest: { suggestedStarts: suggestions, reason: 'Travelling' }, history: [{ event: 'BOOKED' }, { event: 'RESCHEDULE_REQUESTED' }] });
    const byClient = await act(client.token, 'mutation($id: ID!, $s: [DateTime!]!) { requestReschedule(id: $id, suggestedStarts: $s) { id } }', { id: booked.id, s: suggestions });
    expect(byClient.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const accepted = await act(client.token, RESCHEDULE, { id: booked.id, start: suggestions[1] });
    expect(accepted.data!.rescheduleConsultation).toMatchObject({ start: suggestions[1], status: 'SCHEDULED' });
    const after = await gqlOk<{ consultation: { rescheduleRequest: unknown } }>(server, 'query($id: ID!) { consultation(id: $id) { rescheduleRequest { reason } } }', { id: booked.id }, client.token);
    expect(after.consultation.rescheduleRequest).toBeNull();
  });

  it('re-allocates in the same transaction when the drawn lot would expire before the new end', async () => {
    const org = await verifiedClient(server, { organizationName: 'Pied Piper' });
    const shortLot = await grantSessions(server, admin, org.organizationId, 1);
    const longLot = await grantSessions(server, admin, org.organizationId, 1);
    // The first lot ends in 3 days, the second in 120.
    await sql(server, "UPDATE credit_lot SET expires_at = now() + interval '3 days' WHERE id = ?", [shortLot]);
    const booked = await book(org, { consultantId: consultant.id, start: gridStart(24 * 60 + 30).toISOString() });
    expect(booked.payment.credits).toEqual([{ lotId: shortLot, units: 1 }]);
    const later = new Date(new Date(booked.start).getTime() + 5 * 24 * HOUR).toISOString();
    const moved = await act(org.token, RESCHEDULE, { id: booked.id, start: later });
    expect(moved.errors).toEqual([]);
    expect((moved.data!.rescheduleConsultation as ConsultationJson).payment.credits).toEqual([{ lotId: longLot, units: 1 }]);
    expect(await ledgerOf(booked.id)).toEqual({ RESERVE: 2, RELEASE: 1 });
    const lots = await sql<{ id: string; available: number; reserved: number }>(server, 'SELECT id, available, reserved FROM credit_lot WHERE id = ANY(?::uuid[]) ORDER BY id', [`{${shortLot},${longLot}}`]);
    expect(Object.fromEntries(lots.map((l) => [l.id, [l.available, l.reserved]]))).toEqual({ [shortLot]: [1, 0], [longLot]: [0, 1] });
  });
});

describe('idempotency, free trial and attendees', () => {
  let consultant: TestConsultant;
  let client: TestClient;

  beforeAll(async () => {
    consultant = await openAllHoursConsultant(server);
    client = await verifiedClient(server, { organizationName: 'Vandelay' });
    await grantSessions(server, admin, client.organizationId, 5);
  });

  it('the same key returns the first booking; the same key with another request is CONFLICT', async () => {
    const input = { consultantId: consultant.id, start: gridStart(26 * 60).toISOString(), idempotencyKey: 'order-42' };
    const [a, b, c] = await Promise.all([book(client, input), book(client, input), book(client, input)]);
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(await ledgerOf(a.id)).toEqual({ RESERVE: 1 });
    const different = await gql(server, BOOK, { input: { ...input, purpose: 'Something else', durationMinutes: 60 } }, client.token);
    expect(different.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.idempotencyKey' });
    // Keys belong to their client: another client's key does not collide.
    const stranger = await verifiedClient(server);
    await grantSessions(server, admin, stranger.organizationId, 1);
    const theirs = await book(stranger, { ...input, start: gridStart(27 * 60).toISOString() });
    expect(theirs.id).not.toBe(a.id);
  });

  it('useFreeTrial draws the trial lot and needs 15 minutes', async () => {
    const wrong = await gql(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(28 * 60).toISOString(), durationMinutes: 30, purpose: 'Trial', useFreeTrial: true } }, client.token);
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.durationMinutes' });
    const trial = await book(client, { consultantId: consultant.id, start: gridStart(28 * 60).toISOString(), durationMinutes: 15, useFreeTrial: true });
    expect(trial.usedFreeTrial).toBe(true);
    const [lot] = await sql<{ source: string }>(server, 'SELECT l.source FROM credit_lot l WHERE l.id = ?', [trial.payment.credits[0]!.lotId]);
    expect(lot!.source).toBe('FREE_TRIAL');
    const twice = await gql(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(29 * 60).toISOString(), durationMinutes: 15, purpose: 'Trial', useFreeTrial: true } }, client.token);
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'PAYMENT_REQUIRED' });
  });

  it('attendees join later from the client side only', async () => {
    const booked = await book(client, { consultantId: consultant.id, start: gridStart(30 * 60).toISOString(), attendees: [{ name: 'Art', email: 'art@vandelay.test' }] });
    const ADD = 'mutation($id: ID!, $a: [AttendeeInput!]!) { addConsultationAttendees(id: $id, attendees: $a) { attendees { name email role } } }';
    const added = await act(client.token, ADD, { id: booked.id, a: [{ name: 'George', email: 'george@vandelay.test', role: 'Architect' }] });
    expect(added.data).toEqual({ addConsultationAttendees: { attendees: [{ name: 'Art', email: 'art@vandelay.test', role: null }, { name: 'George', email: 'george@vandelay.test', role: 'Architect' }] } });
    const duplicate = await act(client.token, ADD, { id: booked.id, a: [{ name: 'Art again', email: 'ART@vandelay.test' }] });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attendees.0.email' });
    const byConsultant = await act(consultant.token, ADD, { id: booked.id, a: [{ name: 'X', email: 'x@x.test' }] });
    expect(byConsultant.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('auto-assignment', () => {
  it('picks the free consultant with the skill, least loaded first, and says why', async () => {
    const skill = 'Treasury Automation';
    const busy = await openAllHoursConsultant(server, { lastName: 'Busy', skills: [{ name: skill, proficiency: 'EXPERT' }] });
    const idle = await openAllHoursConsultant(server, { lastName: 'Idle', skills: [{ name: skill, proficiency: 'EXPERT' }] });
    await openAllHoursConsultant(server, { lastName: 'Other', skills: [{ name: 'Tax', proficiency: 'EXPERT' }] });
    const client = await verifiedClient(server, { organizationName: 'Wayne' });
    await grantSessions(server, admin, client.organizationId, 5);
    await book(client, { consultantId: busy.id, start: gridStart(50 * 60).toISOString() });

    const start = gridStart(52 * 60).toISOString();
    // Without consultantId, openSlots offers the slots of every consultant with the skill, saying whose.
    const offered = await gqlOk<{ openSlots: Array<{ start: string; consultantId: string }> }>(
      server,
      SLOTS,
      { input: { skills: [skill], from: start, to: new Date(new Date(start).getTime() + 5 * 60_000).toISOString(), durationMinutes: 60, timeZone: 'UTC' } },
      client.token,
    );
    expect(offered.openSlots).toEqual([busy.id, idle.id].sort().map((consultantId) => ({ start, consultantId })));
    const assigned = await book(client, { start, skills: [skill.toLowerCase()] });
    expect(assigned.consultant.id).toBe(idle.id);
    expect(assigned.assignment).toMatchObject({ candidates: 2 });
    expect(assigned.assignment!.reason).toMatch(/^Best of 2 free consultants/);
    expect(assigned.history[0]!.reason).toBeNull();

    // The idle one is now taken at that time: the next booking there goes to the other.
    const second = await book(client, { start, skills: [skill] });
    expect(second.consultant.id).toBe(busy.id);
    const none = await gql(server, BOOK, { input: { start, skills: [skill], durationMinutes: 60, purpose: 'x' } }, client.token);
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    expect(none.errors?.[0]?.message).toMatch(/No consultant with Treasury Automation is free then/);
  });
});

describe('the database refuses overlaps by itself (I1)', () => {
  it('an overlapping insert that skips the service fails with 23P01, buffers included', async () => {
    const consultant = await openAllHoursConsultant(server, { bufferMinutes: 30 });
    const client = await verifiedClient(server);
    await grantSessions(server, admin, client.organizationId, 1);
    const booked = await book(client, { consultantId: consultant.id, start: gridStart(54 * 60).toISOString() });
    const insert = (startOffsetMinutes: number, status = 'SCHEDULED') =>
      sql(
        server,
        `INSERT INTO consultation (id, code, organization_id, client_id, booked_by_id, consultant_id, status, start_at, end_at, duration_minutes, buffer_minutes, held_until, purpose, created_at, updated_at)
         SELECT gen_random_uuid(), 'RAW-' || gen_random_uuid(), organization_id, client_id, booked_by_id, consultant_id, ?,
                start_at + ? * interval '1 minute', end_at + ? * interval '1 minute', duration_minutes, 0, end_at + ? * interval '1 minute', 'raw', now(), now()
           FROM consultation WHERE id = ?`,
        [status, startOffsetMinutes, startOffsetMinutes, startOffsetMinutes, booked.id],
      );
    // Starts inside the 30-minute trailing buffer of the booked session.
    await expect(insert(80)).rejects.toMatchObject({ code: '23P01' });
    // Right after the buffer, and any non-holding row, are fine.
    await expect(insert(90)).resolves.toBeDefined();
    await expect(insert(0, 'CANCELLED')).resolves.toBeDefined();
  });
});
