/**
 * Every Mutation's happy path, and every Query, through GraphQL on a real server, each selecting
 * its whole payload (every field, recursively: test/schema/selection.ts builds it from
 * schema.graphql). A relation left unloaded, or a resolver answering null for a non-null field,
 * fails here with the field's path, however narrow the other tests' selections are.
 *
 * HAPPY lists one happy path per mutation, run in this order on one world (later entries use
 * what earlier ones made); QUERIES one call per query, run afterwards. A root field of
 * schema.graphql missing from either table fails the first test: a new operation must join.
 * SUBSCRIPTIONS: each subscription over graphql-ws, its whole payload on the event a change sends.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, gridStart, grantSessions, noonZone, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gql, gqlOk } from '../support/graphql.js';
import { demoSignIn, mailToken, PASSWORD, sql, uniqueEmail } from '../support/identity.js';
import { notify } from '../support/notifications.js';
import { liveClient, metric, subscribe, subscribersAtLeast } from '../support/live.js';
import { DomainEvents } from '../../src/platform/events.js';
import { EVENT_HANDLERS } from '../../src/modules.js';
import type { TestServer } from '../support/server.js';
import { enqueue } from '../../src/notifications/outbox.js';
import { emailTo } from '../support/notifications.js';
import { BOOKING_FEE_SETTINGS, startStripeTestServer, type StripeDouble } from '../support/stripe-double.js';
import { fullSelection, rootOperation, SELECTION_DEPTH } from './selection.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));

let stripe: StripeDouble;
let server: TestServer;
let webhookUrl: string;

/** What the happy paths share; entries fill it in as they go. */
interface World {
  admin: string;
  owner: TestClient;
  consultant: TestConsultant;
  /** A client registered by `register`, its organization and current tokens. */
  fresh: { email: string; password: string; organizationId: string; accessToken: string; refreshToken: string };
  /** The member who accepts an invitation of the owner's organization. */
  member: { id: string };
  invitationId: string;
  packageId: string;
  lotId: string;
  /** Booked by bookConsultation: confirmed, started, completed, rated. */
  completed: string;
  /** Moved, given attendees and cancelled. */
  moved: { id: string; suggested: string };
  /** Paid by a booking fee, cancelled by the consultant (refunded). */
  feeBooking: string;
  purchaseId: string;
  subscriptionId: string;
}
const w = {} as World;

type Vars = Record<string, unknown>;
interface Happy {
  /** Says how this path differs from the mutation's first one. */
  note?: string;
  as: Bearer;
  /** Arguments of the mutation; may prepare what the call needs. */
  variables: () => Vars | Promise<Vars>;
  /** Keeps what later entries need. */
  after?: (value: any) => void | Promise<void>;
}

const HOUR = 3_600_000;
/** Who calls, named for the test titles. */
interface Bearer {
  name: string;
  /** null: anonymous. */
  token: () => string | null;
}
const anonymous: Bearer = { name: 'anonymous', token: () => null };
const asAdmin: Bearer = { name: 'admin', token: () => w.admin };
const asOwner: Bearer = { name: 'owner', token: () => w.owner.token };
const asConsultant: Bearer = { name: 'consultant', token: () => w.consultant.token };
const asFresh: Bearer = { name: 'the new account', token: () => w.fresh.accessToken };

async function booking(minutesAhead: number): Promise<{ id: string; start: string }> {
  const data = await gqlOk<{ bookConsultation: { id: string; start: string } }>(
    server,
    BOOK,
    { input: { consultantId: w.consultant.id, start: gridStart(minutesAhead).toISOString(), durationMinutes: 60, purpose: 'Payload setup' } },
    w.owner.token,
  );
  return data.bookConsultation;
}

/** A happy path per mutation (a few have more, where what comes back is loaded differently), in the order they run. */
const HAPPY: Record<string, Happy | Happy[]> = {
  // ----- Identity -----
  register: {
    as: anonymous,
    variables: () => ({
      input: { userType: 'CLIENT', email: uniqueEmail('payload'), password: PASSWORD, profile: { firstName: 'Paula', lastName: 'Load' }, organizationName: 'Payload Fresh', organizationType: 'COMPANY' },
    }),
    after: (p) => {
      w.fresh = { email: p.user.email, password: PASSWORD, organizationId: p.user.organization.id, accessToken: p.accessToken, refreshToken: p.refreshToken };
    },
  },
  verifyEmail: { as: anonymous, variables: async () => ({ token: await mailToken(server, w.fresh.email, 'verify-email') }) },
  resendVerification: { as: anonymous, variables: () => ({ email: w.fresh.email }) },
  login: {
    as: anonymous,
    variables: () => ({ email: w.fresh.email, password: w.fresh.password }),
    after: (p) => void Object.assign(w.fresh, { accessToken: p.accessToken, refreshToken: p.refreshToken }),
  },
  refreshToken: {
    as: anonymous,
    variables: () => ({ refreshToken: w.fresh.refreshToken }),
    after: (p) => void Object.assign(w.fresh, { accessToken: p.accessToken, refreshToken: p.refreshToken }),
  },
  switchOrganization: {
    as: asFresh,
    variables: () => ({ organizationId: w.fresh.organizationId }),
    after: (p) => void Object.assign(w.fresh, { accessToken: p.accessToken, refreshToken: p.refreshToken }),
  },
  logout: { as: asFresh, variables: () => ({}) },
  requestPasswordReset: { as: anonymous, variables: () => ({ email: w.fresh.email }) },
  resetPassword: { as: anonymous, variables: async () => ({ token: await mailToken(server, w.fresh.email, 'password-reset'), newPassword: 'Another-Horse-43' }) },
  createAdmin: { as: asAdmin, variables: () => ({ input: { email: uniqueEmail('second-admin', 'serenity.test'), password: PASSWORD, profile: { firstName: 'Ada', lastName: 'Admin' } } }) },

  // ----- Organization -----
  inviteMember: { as: asOwner, variables: () => ({ email: uniqueEmail('revoked'), role: 'MEMBER' }), after: (i) => void (w.invitationId = i.id) },
  revokeInvitation: { as: asOwner, variables: () => ({ id: w.invitationId }) },
  acceptInvitation: {
    as: anonymous,
    variables: async () => {
      const email = uniqueEmail('member');
      await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: email }, w.owner.token);
      return { token: await mailToken(server, email, 'invitation'), password: PASSWORD, profile: { firstName: 'Mona', lastName: 'Member' } };
    },
    after: (p) => void (w.member = { id: p.user.id }),
  },
  setMemberCreditCap: { as: asOwner, variables: () => ({ input: { userId: w.member.id, monthlySessions: 5, totalMinutes: 600 } }) },
  changeMemberRole: { as: asOwner, variables: () => ({ userId: w.member.id, role: 'OWNER' }) },
  removeMember: { as: asOwner, variables: () => ({ userId: w.member.id }) },

  // ----- Catalog -----
  createPackage: {
    as: asAdmin,
    variables: () => ({
      input: {
        code: 'PKG-PAYLOAD-CHECK',
        name: 'Payload check',
        type: 'CONSULTATION_BUNDLE',
        lotKind: 'SESSION',
        description: 'Made by the payload test.',
        credits: 2,
        sessionMinutes: 60,
        validityDays: 30,
        price: { amount: 1000, currency: 'USD' },
      },
    }),
    after: (p) => void (w.packageId = p.id),
  },
  updatePackage: { as: asAdmin, variables: () => ({ id: w.packageId, input: { name: 'Payload check, renamed' } }) },
  archivePackage: { as: asAdmin, variables: () => ({ id: w.packageId }) },
  restorePackage: { as: asAdmin, variables: () => ({ id: w.packageId }) },

  // ----- Credits -----
  grantCredits: {
    as: asAdmin,
    variables: () => ({ input: { organizationId: w.owner.organizationId, source: 'PROMOTIONAL', packageId: w.packageId, units: 2, reason: 'Payload test grant' } }),
    after: (lot) => void (w.lotId = lot.id),
  },
  adjustCredits: { as: asAdmin, variables: () => ({ lotId: w.lotId, units: 1, reason: 'Payload test correction' }) },

  // ----- Scheduling -----
  setWeeklyAvailability: {
    as: asConsultant,
    variables: () => ({
      input: {
        timeZone: noonZone(),
        rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ start: '00:00', end: '24:00' }] })),
        slotStepMinutes: 5,
        bufferMinutes: 0,
        minNoticeMinutes: 0,
        horizonDays: 90,
      },
    }),
  },
  addAvailabilityException: { as: asConsultant, variables: () => ({ input: { from: '2030-01-01', to: '2030-01-02', kind: 'TIME_OFF', reason: 'Holiday' } }) },
  updateConsultantProfile: { as: asConsultant, variables: () => ({ input: { bio: 'Payload bio', languages: ['English'] } }) },

  // ----- Consultations -----
  bookConsultation: [
    {
      as: asOwner,
      variables: () => ({
        input: {
          consultantId: w.consultant.id,
          start: gridStart(3).toISOString(),
          durationMinutes: 60,
          purpose: 'Payload journey',
          attendees: [{ name: 'Carla', email: 'carla@payload.test', role: 'CTO' }],
        },
      }),
      after: (c) => void (w.completed = c.id),
    },
    { note: 'auto-assigned', as: asOwner, variables: () => ({ input: { start: gridStart(50 * 60).toISOString(), durationMinutes: 60, purpose: 'Anyone free' } }) },
    {
      note: 'paid by a booking fee',
      as: asOwner,
      variables: () => ({ input: { consultantId: w.consultant.id, start: gridStart(52 * 60).toISOString(), durationMinutes: 60, purpose: 'Fee', payWith: 'BOOKING_FEE' } }),
      after: async (c) => {
        w.feeBooking = c.id;
        const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.consultationId === c.id)!;
        await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id));
      },
    },
  ],
  confirmConsultation: { as: asConsultant, variables: () => ({ id: w.completed }) },
  startConsultation: { as: asConsultant, variables: () => ({ id: w.completed }) },
  completeConsultation: {
    as: asConsultant,
    variables: () => ({
      id: w.completed,
      input: {
        outcomes: { summary: 'Done', keyPoints: ['One'], recommendations: ['Two'] },
        deliverables: [{ name: 'Report', type: 'REPORT', dueDate: '2031-01-15' }],
        actionItems: [{ title: 'Follow up', assignee: 'client', priority: 'HIGH' }],
        nextSteps: 'Next month',
        internalNotes: 'Fine',
      },
    }),
  },
  submitFeedback: {
    as: asOwner,
    variables: () => ({ consultationId: w.completed, input: { overall: 5, expertise: 4, communication: 5, helpfulness: 4, wouldRecommend: true, testimonial: 'Great', publicTestimonial: true } }),
  },
  requestReschedule: {
    as: asConsultant,
    variables: async () => {
      const booked = await booking(48 * 60);
      w.moved = { id: booked.id, suggested: new Date(new Date(booked.start).getTime() + 24 * HOUR).toISOString() };
      return { id: booked.id, suggestedStarts: [w.moved.suggested], reason: 'Travelling' };
    },
  },
  rescheduleConsultation: { as: asOwner, variables: () => ({ id: w.moved.id, start: w.moved.suggested, reason: 'Accepted' }) },
  addConsultationAttendees: { as: asOwner, variables: () => ({ id: w.moved.id, attendees: [{ name: 'George', email: 'george@payload.test' }] }) },
  cancelConsultation: [
    { as: asOwner, variables: () => ({ id: w.moved.id, reason: 'Plans changed' }) },
    { note: 'a paid fee refunded, by the consultant', as: asConsultant, variables: () => ({ id: w.feeBooking, reason: 'Ill' }) },
  ],
  markNoShow: {
    as: asConsultant,
    variables: async () => {
      const booked = await booking(6 * 60);
      // Into the past: a no-show is recorded only after the start.
      await sql(
        server,
        `UPDATE consultation SET start_at = now() - interval '30 minutes', end_at = now() + interval '30 minutes', held_until = now() + interval '30 minutes' WHERE id = ?`,
        [booked.id],
      );
      return { id: booked.id, party: 'CLIENT', reason: 'Did not come' };
    },
  },

  // ----- Payments -----
  updateBillingDetails: [
    { as: asOwner, variables: () => ({ input: { legalName: 'Payload Owner Ltd', address: 'Main St 1\nLondon', taxId: 'GB123456789', email: 'ap@payload.example' } }) },
    { note: 'an admin, naming the organization', as: asAdmin, variables: () => ({ input: { legalName: 'Payload Owner Ltd', address: 'Main St 1\nLondon' }, organizationId: w.owner.organizationId }) },
  ],
  purchasePackage: {
    as: asOwner,
    variables: () => ({ input: { packageId: 'PKG-DISCOVERY-ASSESSMENT' } }),
    after: async (p) => {
      w.purchaseId = p.id;
      const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.purchaseId === p.id)!;
      await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id));
    },
  },
  refundPurchase: { as: asAdmin, variables: () => ({ id: w.purchaseId, reason: 'Payload test' }) },
  startSubscription: { as: asOwner, variables: () => ({ packageId: 'PKG-QUARTERLY-ADVISORY', paymentMethodId: 'pm_card_visa' }), after: (s) => void (w.subscriptionId = s.id) },
  cancelSubscription: { as: asOwner, variables: () => ({ id: w.subscriptionId, atPeriodEnd: true }) },

  // ----- Notifications -----
  markNotificationRead: {
    as: asOwner,
    variables: async () => ({ id: await ownerNotification('Payload: read me') }),
  },
  markAllNotificationsRead: {
    as: asOwner,
    variables: async () => {
      await ownerNotification('Payload: read us all');
      return {};
    },
  },
  updateNotificationPreferences: { as: asOwner, variables: () => ({ input: { emailReminders: false, inAppUpdates: true } }) },

  // ----- Calendar -----
  rotateCalendarFeed: [
    { as: asOwner, variables: () => ({}) },
    { note: 'a consultant’s feed', as: asConsultant, variables: () => ({}) },
  ],
};

/** A notification in the owner's inbox, made as the dispatcher makes one; returns its id. */
async function ownerNotification(title: string): Promise<string> {
  const delivery = await notify(server.app.orm.em.fork(), w.owner.userId, title);
  const [row] = await sql<{ id: string }>(server, 'select id from notification where delivery_id = ?', [delivery.id]);
  return row!.id;
}

interface QueryCall {
  as: Bearer;
  /** Arguments of the query; may prepare something for it to find. */
  variables: () => Vars | Promise<Vars>;
}

const window = () => ({ consultantId: w.consultant.id, from: new Date(Date.now() + 24 * HOUR).toISOString(), to: new Date(Date.now() + 48 * HOUR).toISOString(), durationMinutes: 60, timeZone: 'UTC' });

/**
 * Calls per query, after the mutations, as each kind of caller the query answers differently
 * (client side, consultant, admin): each must find something, so its nested fields are read.
 */
const QUERIES: Record<string, QueryCall[]> = {
  me: [
    { as: asOwner, variables: () => ({}) },
    { as: asConsultant, variables: () => ({}) },
    { as: asAdmin, variables: () => ({}) },
  ],
  organization: [{ as: asOwner, variables: () => ({}) }],
  members: [{ as: asOwner, variables: () => ({}) }],
  invitations: [
    {
      as: asOwner,
      variables: async () => {
        // Only pending invitations are listed: the ones above were revoked or accepted.
        await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: uniqueEmail('pending') }, w.owner.token);
        return {};
      },
    },
  ],
  packages: [
    { as: anonymous, variables: () => ({}) },
    { as: asAdmin, variables: () => ({ includeInactive: true }) },
  ],
  package: [{ as: anonymous, variables: () => ({ id: 'PKG-DISCOVERY-ASSESSMENT' }) }],
  creditSummary: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({ organizationId: w.owner.organizationId }) },
  ],
  creditLedger: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({ organizationId: w.owner.organizationId }) },
  ],
  memberCreditCaps: [
    {
      as: asOwner,
      variables: async () => {
        // The capped member was removed above: cap the owner.
        await gqlOk(server, 'mutation($input: MemberCreditCapInput!) { setMemberCreditCap(input: $input) { id } }', { input: { userId: w.owner.userId, totalSessions: 50 } }, w.owner.token);
        return {};
      },
    },
  ],
  consultant: [
    { as: asOwner, variables: () => ({ id: w.consultant.id }) },
    { as: asConsultant, variables: () => ({ id: w.consultant.id }) },
    { as: asAdmin, variables: () => ({ id: w.consultant.id }) },
  ],
  consultants: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({}) },
  ],
  openSlots: [{ as: asOwner, variables: () => ({ input: window() }) }],
  openDates: [{ as: asOwner, variables: () => ({ input: window() }) }],
  consultation: [
    { as: asOwner, variables: () => ({ id: w.completed }) },
    { as: asConsultant, variables: () => ({ id: w.completed }) },
    { as: asAdmin, variables: () => ({ id: w.feeBooking }) },
  ],
  myConsultations: [
    { as: asOwner, variables: () => ({}) },
    { as: asConsultant, variables: () => ({}) },
    { as: asAdmin, variables: () => ({}) },
  ],
  upcomingConsultations: [
    {
      as: asOwner,
      variables: async () => {
        // The sessions above have all ended one way or another.
        await booking(26 * 60);
        return { days: 7 };
      },
    },
    { as: asConsultant, variables: () => ({ days: 7, timeZone: 'Europe/Paris' }) },
  ],
  purchase: [
    { as: asOwner, variables: () => ({ id: w.purchaseId }) },
    { as: asAdmin, variables: () => ({ id: w.purchaseId }) },
  ],
  purchases: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({}) },
  ],
  subscriptions: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({}) },
  ],
  invoices: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({}) },
  ],
  creditNotes: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({}) },
  ],
  billingDetails: [
    { as: asOwner, variables: () => ({}) },
    { as: asAdmin, variables: () => ({ organizationId: w.owner.organizationId }) },
  ],
  notifications: [
    { as: asOwner, variables: () => ({}) },
    {
      as: asOwner,
      variables: async () => {
        await ownerNotification('Payload: unread');
        return { unreadOnly: true, first: 5 };
      },
    },
  ],
  notificationDeliveries: [
    {
      as: asAdmin,
      variables: async () => {
        await server.app.orm.em.fork().transactional((tx) => enqueue(tx, [emailTo(uniqueEmail('delivery'), new Date())]));
        return {};
      },
    },
  ],
};

interface LiveCall {
  as: Bearer;
  variables: () => Vars;
  /** A change that sends the subscription an event. */
  trigger: () => Promise<unknown>;
}
// Days of their own, far from the other entries' bookings.
let liveDay = 60;
const liveBooking = () => booking(++liveDay * 24 * 60 + 120);
const SUBSCRIPTIONS: Record<string, LiveCall[]> = {
  consultationUpdated: [
    { as: asOwner, variables: () => ({}), trigger: liveBooking },
    { as: asAdmin, variables: () => ({}), trigger: liveBooking },
  ],
  consultantSchedule: [{ as: asConsultant, variables: () => ({ consultantId: w.consultant.id }), trigger: liveBooking }],
  creditBalanceChanged: [
    { as: asOwner, variables: () => ({}), trigger: liveBooking },
    { as: asAdmin, variables: () => ({ organizationId: w.owner.organizationId }), trigger: liveBooking },
  ],
  notificationReceived: [
    {
      as: asOwner,
      variables: () => ({}),
      trigger: () => notify(server.app.orm.em.fork(), w.owner.userId, 'Payload: live', { events: new DomainEvents(EVENT_HANDLERS) }),
    },
  ],
};

beforeAll(async () => {
  ({ stripe, server, webhookUrl } = await startStripeTestServer(BOOKING_FEE_SETTINGS));
  w.admin = await demoSignIn(server, 'admin@serenity.local');
  w.consultant = await openAllHoursConsultant(server);
  w.owner = await verifiedClient(server, { organizationName: 'Payload Corp' });
  await grantSessions(server, w.admin, w.owner.organizationId, 10);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await stripe?.close();
});

/** Runs `operation` with its whole payload selected; no errors, and a value. */
async function runFull(kind: 'query' | 'mutation', name: string, token: string | null, variables: Vars): Promise<unknown> {
  const document = rootOperation(schema, kind, name, variables);
  const result = await gql(server, document, variables, token ?? undefined);
  expect(result.errors, `${kind} ${name}: ${JSON.stringify(result.errors)}`).toEqual([]);
  const value = (result.data as Record<string, unknown> | null | undefined)?.[name];
  expect(value ?? null, `${kind} ${name} answered null`).not.toBeNull();
  return value;
}

describe('the tables', () => {
  it('cover every Mutation and Query of schema.graphql, and nothing else', () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    const queries = Object.keys(schema.getQueryType()!.getFields()).sort();
    expect(mutations.filter((m) => !(m in HAPPY)), 'mutations without a happy path in HAPPY (test/schema/payloads.test.ts)').toEqual([]);
    expect(Object.keys(HAPPY).filter((m) => !mutations.includes(m)), 'HAPPY entries for mutations that no longer exist').toEqual([]);
    expect(queries.filter((q) => !(q in QUERIES)), 'queries missing from QUERIES (test/schema/payloads.test.ts)').toEqual([]);
    expect(Object.keys(QUERIES).filter((q) => !queries.includes(q)), 'QUERIES entries for queries that no longer exist').toEqual([]);
    const subscriptions = Object.keys(schema.getSubscriptionType()!.getFields()).sort();
    expect(subscriptions.filter((q) => !(q in SUBSCRIPTIONS)), 'subscriptions missing from SUBSCRIPTIONS (test/schema/payloads.test.ts)').toEqual([]);
    expect(Object.keys(SUBSCRIPTIONS).filter((q) => !subscriptions.includes(q)), 'SUBSCRIPTIONS entries for subscriptions that no longer exist').toEqual([]);
  });

  it('the full selections are valid documents and reach past the first level', () => {
    const consultation = rootOperation(schema, 'query', 'consultation', { id: 'x' });
    expect(validate(schema, parse(consultation))).toEqual([]);
    // Nested objects and lists of them are selected, and relations of relations.
    expect(consultation).toMatch(/consultant \{ [^]*\brating \{ [^}]*\bcount\b/);
    expect(consultation).toMatch(/payment \{ [^]*\bcredits \{ lotId units \}/);
    expect(rootOperation(schema, 'mutation', 'adjustCredits', { lotId: 'x', units: 1, reason: 'r' })).toMatch(/package \{ [^}]*\bcode\b/);
    expect(rootOperation(schema, 'query', 'creditLedger', {})).toMatch(/edges \{ cursor node \{ [^}]*lot \{ [^}]*package \{ [^}]*\bcode\b/);
    // A cycle is cut: a lot's package does not select lots again, nor a consultation its consultation.
    expect(rootOperation(schema, 'mutation', 'cancelConsultation', { id: 'x' })).not.toMatch(/consultation \{[^]*consultation \{/);
    for (const [kind, root] of [['mutation', schema.getMutationType()!], ['query', schema.getQueryType()!], ['subscription', schema.getSubscriptionType()!]] as const) {
      for (const field of Object.values(root.getFields())) {
        // Only cycles are cut: a level deeper would select nothing more.
        const type = getNamedType(field.type);
        expect(fullSelection(schema, type, SELECTION_DEPTH + 1), `${kind} ${field.name} reaches past SELECTION_DEPTH: raise it`).toBe(fullSelection(schema, type, SELECTION_DEPTH));
        const everyArgument = Object.fromEntries(field.args.map((arg) => [arg.name, null]));
        expect(validate(schema, parse(rootOperation(schema, kind, field.name, everyArgument))), `${kind} ${field.name}`).toEqual([]);
      }
    }
  });
});

const label = (name: string, as: Bearer, note?: string) => `${name} (${note ? `${note}, ` : ''}as ${as.name})`;

describe('every mutation’s happy path answers its whole payload', () => {
  for (const [name, paths] of Object.entries(HAPPY)) {
    [paths].flat().forEach((happy) => {
      it(label(name, happy.as, happy.note), async () => {
        const variables = await happy.variables();
        const value = await runFull('mutation', name, happy.as.token(), variables);
        await happy.after?.(value);
      });
    });
  }
});

describe('every query answers its whole payload', () => {
  for (const [name, calls] of Object.entries(QUERIES)) {
    calls.forEach((call) => {
      it(label(name, call.as), async () => {
        const value = await runFull('query', name, call.as.token(), await call.variables());
        // Something to read: an empty list would leave the nested fields untried.
        const items = Array.isArray(value) ? value : ((value as { edges?: unknown[] }).edges ?? null);
        if (items) expect(items.length, `${name} found nothing`).toBeGreaterThan(0);
      });
    });
  }
});

describe('every subscription sends its whole payload', () => {
  for (const [name, calls] of Object.entries(SUBSCRIPTIONS)) {
    calls.forEach((call) => {
      it(label(name, call.as), async () => {
        const variables = call.variables();
        const { client } = liveClient(server.graphqlUrl, call.as.token() ?? undefined);
        try {
          // The previous entry's subscription has ended: the one counted next is this one.
          await expect.poll(() => metric(server.graphqlUrl, 'serenity_live_subscriptions')).toBe(0);
          const live = subscribe<Record<string, unknown>>(client, rootOperation(schema, 'subscription', name, variables), variables);
          await subscribersAtLeast(server.graphqlUrl, 1);
          await call.trigger();
          const event = await live.event(0);
          expect(live.errors, `subscription ${name}`).toEqual([]);
          expect(event[name] ?? null, `subscription ${name} sent null`).not.toBeNull();
        } finally {
          await client.dispose();
        }
      });
    });
  }
});
