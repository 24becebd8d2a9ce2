/**
 * A mixed load across the APIs of a cluster (test/support/cluster.ts), as many users make it:
 * clients racing for the same slots of a few consultants (and cancelling some of what they won),
 * purchases paid at the Stripe double whose signed webhooks go to either API (some to both at
 * once), sessions run through to completion, and reminders falling due. Each request goes to a
 * seeded-random API; one that cannot be reached (stopped, killed) is retried on another with the
 * same idempotency key, as a client behind a load balancer would. Everything answered is recorded
 * for the checks against the database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEMO_PASSWORD } from '../../src/identity/identity.seed.js';
import { OUTBOX_CHANNEL } from '../../src/notifications/outbox.sql.js';
import type { StripeDouble } from './stripe-double.js';
import { callCluster, okCluster, type Answered, type Cluster, type SmtpRecorder } from './cluster.js';
import { PASSWORD } from './identity.js';
import { seededRandom } from './seeded-random.js';


export interface LoadPerson {
  token: string;
  email: string;
}
export interface LoadClient extends LoadPerson {
  organizationId: string;
}
export interface LoadConsultant extends LoadPerson {
  id: string;
}
export interface Slot {
  consultantId: string;
  start: string;
}

export interface LoadWorld {
  admin: string;
  clients: LoadClient[];
  /** The consultants whose slots the clients race for. */
  racing: LoadConsultant[];
  slots: Slot[];
  /** A consultant whose sessions are booked minutes ahead and run to completion. */
  runner: LoadConsultant;
}

/** Times near the consultant's local noon (booking.ts's noonZone), whole days ahead, on the 5-minute grid. */
function gridStart(minutesAhead: number): Date {
  const step = 5 * 60_000;
  return new Date(Math.ceil((Date.now() + minutesAhead * 60_000) / step) * step);
}
function noonZone(now = new Date()): string {
  const offset = Math.round(12 - (now.getUTCHours() + now.getUTCMinutes() / 60));
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id organization { id } consultantProfile { id } } } }';

async function register(cluster: Cluster, mail: SmtpRecorder, userType: 'CLIENT' | 'CONSULTANT', email: string): Promise<{ token: string; organizationId: string | null; consultantId: string | null }> {
  const input = {
    userType,
    email,
    password: PASSWORD,
    profile: { firstName: 'Load', lastName: userType === 'CLIENT' ? 'Client' : 'Consultant', title: 'Tester' },
    timeZone: 'Europe/Berlin',
    ...(userType === 'CLIENT' ? { organizationName: `Load ${email}`, organizationType: 'COMPANY' } : {}),
  };
  const { register: r } = await okCluster<{ register: { accessToken: string; user: { organization: { id: string } | null; consultantProfile: { id: string } | null } } }>(cluster, 0, REGISTER, { input });
  if (userType === 'CLIENT') {
    const link = await mail.waitForLink(email, '/verify-email');
    await okCluster(cluster, 1, 'mutation($token: String!) { verifyEmail(token: $token) { id } }', { token: new URL(link).searchParams.get('token') });
  }
  return { token: r.accessToken, organizationId: r.user.organization?.id ?? null, consultantId: r.user.consultantProfile?.id ?? null };
}

async function openAllHours(cluster: Cluster, token: string): Promise<void> {
  await okCluster(
    cluster,
    0,
    'mutation($input: WeeklyAvailabilityInput!) { setWeeklyAvailability(input: $input) { timeZone } }',
    {
      input: {
        timeZone: noonZone(),
        rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ start: '00:00', end: '24:00' }] })),
        slotStepMinutes: 5,
        bufferMinutes: 0,
        maxSessionsPerDay: null,
        minNoticeMinutes: 0,
        horizonDays: 90,
      },
    },
    token,
  );
}

/**
 * Clients (verified, each with `credits` one-hour sessions), racing consultants with `slotsEach`
 * one-hour slots two days ahead (so a cancellation gives the credit back), and the runner.
 */
export async function prepareWorld(cluster: Cluster, mail: SmtpRecorder, options: { clients: number; racing: number; slotsEach: number; credits: number }): Promise<LoadWorld> {
  const tag = randomUUID().slice(0, 6);
  const { login } = await okCluster<{ login: { accessToken: string } }>(cluster, 0, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: 'admin@serenity.local', p: DEMO_PASSWORD });
  const admin = login.accessToken;
  const consultant = async (name: string): Promise<LoadConsultant> => {
    const email = `${name}-${tag}@consultants.test`;
    const r = await register(cluster, mail, 'CONSULTANT', email);
    await openAllHours(cluster, r.token);
    return { token: r.token, email, id: r.consultantId! };
  };
  const racing: LoadConsultant[] = [];
  for (let i = 0; i < options.racing; i += 1) racing.push(await consultant(`racing-${i}`));
  const runner = await consultant('runner');
  const clients = await Promise.all(
    Array.from({ length: options.clients }, async (_, i): Promise<LoadClient> => {
      const email = `client-${i}-${tag}@clients.test`;
      const r = await register(cluster, mail, 'CLIENT', email);
      await okCluster(
        cluster,
        i,
        'mutation($input: GrantCreditsInput!) { grantCredits(input: $input) { id } }',
        { input: { organizationId: r.organizationId, source: 'PROMOTIONAL', kind: 'SESSION', units: options.credits, sessionMinutes: 60, validityDays: 120, reason: 'Load test' } },
        admin,
      );
      return { token: r.token, email, organizationId: r.organizationId! };
    }),
  );
  const first = gridStart(2 * 24 * 60);
  const slots = racing.flatMap((c) => Array.from({ length: options.slotsEach }, (_, k) => ({ consultantId: c.id, start: new Date(first.getTime() + k * 3_600_000).toISOString() })));
  return { admin, clients, racing, slots, runner };
}

export interface BookingRecord {
  key: string;
  client: number;
  slot: Slot;
  outcome: 'OK' | 'CONFLICT' | 'UNEXPECTED';
  id?: string;
  /** The API that answered. */
  api: number;
  reason?: string;
  error?: unknown;
}

export interface LoadRecord {
  bookings: BookingRecord[];
  /** Cancellations answered OK (or found done when retried after an unanswered attempt). */
  cancelled: string[];
  purchases: Array<{ id: string; intentId: string; eventId: string; client: number }>;
  /** Per Stripe event: the outcome of each answered delivery (PROCESSED, DUPLICATE …). */
  webhookOutcomes: Map<string, string[]>;
  completed: string[];
  /** Delivery rows whose moment the load brought forward (the reminders it made due). */
  remindersMadeDue: Set<string>;
  /** Requests and deliveries that reached no API first and were retried. */
  retried: number;
  /** Anything that must not happen: an answer of the wrong kind. */
  unexpected: string[];
}

export function emptyRecord(): LoadRecord {
  return { bookings: [], cancelled: [], purchases: [], webhookOutcomes: new Map(), completed: [], remindersMadeDue: new Set(), retried: 0, unexpected: [] };
}

const BOOK = 'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id status start consultant { id } } }';
const CANCEL = 'mutation($id: ID!) { cancelConsultation(id: $id, reason: "Load test") { consultation { id status } } }';
const PURCHASE = 'mutation($input: PurchasePackageInput!) { purchasePackage(input: $input) { id status } }';

export interface LoadOptions {
  cluster: Cluster;
  world: LoadWorld;
  stripe: StripeDouble;
  databaseUrl: string;
  seed: number;
  record: LoadRecord;
}

export interface RunningLoad {
  /** Asks every virtual user to finish its current step, and resolves once all did. */
  stop(): Promise<void>;
}

/** Starts the load; it runs until stop(). */
export function startMixedLoad(options: LoadOptions): RunningLoad {
  const { cluster, world, stripe, record } = options;
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const anyApi = () => Math.floor(random() * cluster.apis.length);
  let stopping = false;
  const call = async <T>(query: string, variables: Record<string, unknown>, token: string) => {
    const answer = await callCluster<T>(cluster, anyApi(), query, variables, token);
    record.retried += answer.unreachable;
    return answer;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms * (0.5 + random())));
  const codeOf = (answer: Answered<unknown>) => answer.body.errors?.[0]?.extensions?.code as string | undefined;

  /** A client books random slots (others race for the same ones), and cancels a third of its wins. */
  const racer = async (client: number) => {
    const { token } = world.clients[client]!;
    while (!stopping) {
      const slot = pick(world.slots);
      const key = randomUUID();
      const answer = await call<{ bookConsultation: { id: string } }>(BOOK, { input: { consultantId: slot.consultantId, start: slot.start, durationMinutes: 60, purpose: 'Racing', idempotencyKey: key } }, token);
      const code = codeOf(answer);
      if (answer.body.data?.bookConsultation) {
        const id = answer.body.data.bookConsultation.id;
        record.bookings.push({ key, client, slot, outcome: 'OK', id, api: answer.api });
        // A third of the wins, the very first among them, are cancelled: the slot is raced for again.
        if (record.cancelled.length === 0 || random() < 0.35) await cancel(id, token);
      } else if (code === 'CONFLICT') {
        record.bookings.push({ key, client, slot, outcome: 'CONFLICT', api: answer.api, reason: answer.body.errors![0]!.extensions!.reason as string });
      } else {
        record.bookings.push({ key, client, slot, outcome: 'UNEXPECTED', api: answer.api, error: answer.body.errors });
        record.unexpected.push(`booking answered ${JSON.stringify(answer.body.errors)}`);
      }
      // A person's think time: the race is between clients, not a flood that starves restarts.
      await pause(40);
    }
  };

  const cancel = async (id: string, token: string) => {
    const answer = await call<{ cancelConsultation: { consultation: { status: string } } }>(CANCEL, { id }, token);
    if (answer.body.data?.cancelConsultation.consultation.status === 'CANCELLED') record.cancelled.push(id);
    // Retried after an attempt that got no answer: that one may have cancelled it already.
    else if (answer.unreachable > 0 && codeOf(answer) === 'CONFLICT' && answer.body.errors![0]!.extensions!.status === 'CANCELLED') record.cancelled.push(id);
    else record.unexpected.push(`cancel ${id} answered ${JSON.stringify(answer.body.errors)}`);
  };

  /** Delivers a signed event to API `prefer`, or the next reachable one, until one answers. */
  const deliver = async (eventId: string, event: Parameters<StripeDouble['deliver']>[1], prefer: number) => {
    for (let attempt = 0; ; attempt += 1) {
      const url = cluster.webhookUrl((prefer + attempt) % cluster.apis.length);
      if (url) {
        try {
          const response = await stripe.deliver(url, event);
          if (response.status === 200) {
            const outcomes = record.webhookOutcomes.get(eventId) ?? [];
            outcomes.push((JSON.parse(response.text) as { outcome: string }).outcome);
            record.webhookOutcomes.set(eventId, outcomes);
            return;
          }
          if (response.status !== 502 && response.status !== 503) {
            record.unexpected.push(`webhook ${eventId} answered ${response.status} ${response.text.slice(0, 200)}`);
            return;
          }
        } catch {
          // unreachable: Stripe retries, elsewhere
        }
        record.retried += 1;
      }
      if (attempt > 2000) throw new Error(`no API took webhook ${eventId}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  /** Buys a package; "Stripe" settles it and sends the signed webhook to an API, some to both at once. */
  const purchaser = async () => {
    while (!stopping) {
      const client = Math.floor(random() * world.clients.length);
      const answer = await call<{ purchasePackage: { id: string } }>(PURCHASE, { input: { packageId: 'PKG-DISCOVERY-ASSESSMENT', idempotencyKey: randomUUID() } }, world.clients[client]!.token);
      const id = answer.body.data?.purchasePackage.id;
      if (!id) {
        record.unexpected.push(`purchase answered ${JSON.stringify(answer.body.errors)}`);
        continue;
      }
      const intent = [...stripe.paymentIntents.values()].find((pi: { metadata?: Record<string, string> }) => pi.metadata?.purchaseId === id) as { id: string } | undefined;
      if (!intent) {
        // A retry after a lost answer returned a purchase whose first attempt never reached Stripe: nobody could pay it.
        record.unexpected.push(`purchase ${id} answered without a PaymentIntent at Stripe`);
        continue;
      }
      const event = stripe.succeedPaymentIntent(intent.id);
      record.purchases.push({ id, intentId: intent.id, eventId: event.id, client });
      const first = anyApi();
      // Every third (the first among them) to both APIs at once, as Stripe's retries may race its first delivery.
      if (record.purchases.length % 3 === 1) await Promise.all([deliver(event.id, event, first), deliver(event.id, event, first + 1)]);
      else await deliver(event.id, event, first);
      // Purchases come now and then (each issues an invoice PDF): a mix, not a flood.
      await pause(300);
    }
  };

  /** A session booked minutes ahead, confirmed, started and completed by its consultant, on random APIs. */
  const runner = async () => {
    const { token: consultant } = world.runner;
    while (!stopping) {
      const client = world.clients[Math.floor(random() * world.clients.length)]!;
      const booked = await call<{ bookConsultation: { id: string } }>(
        BOOK,
        { input: { consultantId: world.runner.id, start: gridStart(2).toISOString(), durationMinutes: 15, purpose: 'Run to completion', idempotencyKey: randomUUID() } },
        client.token,
      );
      const id = booked.body.data?.bookConsultation.id;
      if (!id) {
        // The previous one may still hold the time if a step of it was lost: nothing to run then.
        if (codeOf(booked) !== 'CONFLICT') record.unexpected.push(`runner booking answered ${JSON.stringify(booked.body.errors)}`);
        continue;
      }
      let done = true;
      for (const [step, status] of [['confirmConsultation(id: $id) { status }', 'CONFIRMED'], ['startConsultation(id: $id) { status }', 'IN_PROGRESS'], ['completeConsultation(id: $id, input: {}) { status }', 'COMPLETED']] as const) {
        const answer = await call<Record<string, { status: string }>>(`mutation($id: ID!) { ${step} }`, { id }, consultant);
        const ok = answer.body.data && Object.values(answer.body.data)[0]?.status === status;
        // Retried after a lost answer: the first attempt may have made the step already.
        const alreadyDone = answer.unreachable > 0 && codeOf(answer) === 'CONFLICT' && answer.body.errors![0]!.extensions!.status === status;
        if (!ok && !alreadyDone) {
          record.unexpected.push(`${step} of ${id} answered ${JSON.stringify(answer.body.errors)}`);
          done = false;
          break;
        }
      }
      if (done) record.completed.push(id);
      await pause(300);
    }
  };

  /**
   * Reminders due now: the sessions booked are two days ahead, so their 24 h and 1 h reminders
   * are pending for a day. The load brings some of those moments forward to now, as the passing
   * of time would, and wakes the senders the way an outbox write does (NOTIFY). Nothing else
   * changes: the dispatcher still asks the consultation whether each reminder still makes sense.
   */
  const reminders = async () => {
    const db = new pg.Client({ connectionString: options.databaseUrl });
    await db.connect();
    try {
      while (!stopping) {
        const { rows } = await db.query<{ id: string }>(
          `UPDATE notification_delivery SET due_at = now(), next_attempt_at = now()
            WHERE id IN (SELECT id FROM notification_delivery
                          WHERE kind IN ('REMINDER_24H', 'REMINDER_1H') AND status = 'PENDING' AND due_at > now() + interval '10 minutes'
                          ORDER BY random() LIMIT 10)
            RETURNING id`,
        );
        for (const row of rows) record.remindersMadeDue.add(row.id);
        await db.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      await db.end();
    }
  };

  const users = [...world.clients.map((_, i) => racer(i)), purchaser(), runner(), reminders()];
  const all = Promise.allSettled(users);
  return {
    async stop() {
      stopping = true;
      const results = await all;
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
