/**
 * The fuzz's world: a server (with the Stripe double, so payments run too), four callers —
 * anonymous, a verified client owning organization A, a consultant, the admin — another
 * tenant B with data of its own, and pools of real values (ids of both tenants' rows, emails,
 * tokens, cursors) the generated cases pick from. Plus the one-query snapshot of every table.
 */
import { gridStart, grantSessions, openAllHoursConsultant, verifiedClient } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { login, mailToken, sql, PASSWORD } from '../support/identity.js';
import type { TestServer } from '../support/server.js';
import { startStripeTestServer, type StripeDouble } from '../support/stripe-double.js';
import { DEMO_PASSWORD } from '../../src/identity/identity.seed.js';

export type CallerName = 'anonymous' | 'owner' | 'consultant' | 'admin';
export const CALLERS: readonly CallerName[] = ['anonymous', 'owner', 'consultant', 'admin'];

export interface Caller {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export interface World {
  server: TestServer;
  stripe: StripeDouble;
  callers: Record<Exclude<CallerName, 'anonymous'>, Caller>;
  pools: Record<string, string[]>;
  /** Signs the caller in again (its session may have ended: logout, a reused refresh token…). */
  relogin(name: Exclude<CallerName, 'anonymous'>): Promise<void>;
  stop(): Promise<void>;
}

const BOOK = 'mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id } }';

export async function buildWorld(): Promise<World> {
  const { stripe, server } = await startStripeTestServer({
    // The fuzz tries wrong passwords for real emails: typed RATE_LIMITED is fine, a locked-out
    // caller would starve the rest of the run. (AUTH_IP_LIMIT_PER_MINUTE is raised by default.)
    AUTH_LOGIN_MAX_FAILURES: '1000',
    // A fee booking's hold lapsing (a job) would change rows in the middle of a long run.
    BOOKING_HOLD_MINUTES: '1440',
    // So would the notification dispatcher, sending what the successful cases decided: no jobs
    // here (a case's own writes, outbox rows included, are what the snapshot judges).
    JOBS: 'off',
  });

  const signIn = async (email: string, password: string): Promise<Caller> => {
    const s = await login(server, email, password);
    return { email, password, accessToken: s.accessToken, refreshToken: s.refreshToken };
  };
  const admin = await signIn('admin@serenity.local', DEMO_PASSWORD);

  const consultantEmail = 'carla.fuzz@serenity.test';
  const consultant = await openAllHoursConsultant(server, { email: consultantEmail, skills: [{ name: 'Business Strategy', proficiency: 'EXPERT' }] });
  const ownerA = await verifiedClient(server, { email: 'owen.owner@alpha.test', organizationName: 'Alpha Fuzz' });
  const ownerB = await verifiedClient(server, { email: 'bella.other@bravo.test', organizationName: 'Bravo Fuzz' });
  await grantSessions(server, admin.accessToken, ownerA.organizationId, 30);
  await grantSessions(server, admin.accessToken, ownerB.organizationId, 5);

  // Bookings of both tenants with the consultant, so every consultation mutation has targets.
  for (const [token, hours] of [[ownerA.token, 3], [ownerA.token, 5], [ownerB.token, 4]] as const) {
    await gqlOk(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(hours * 60).toISOString(), durationMinutes: 60, purpose: 'Fuzz world' } }, token);
  }
  // A completed session of A (to rate) and one in progress (to complete or mark a no-show),
  // both starting now: a completed session holds no time, so the second takes its place.
  for (const finish of [true, false]) {
    const { bookConsultation } = await gqlOk(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(2).toISOString(), durationMinutes: 60, purpose: 'Fuzz now' } }, ownerA.token);
    for (const step of ['confirmConsultation', 'startConsultation']) await gqlOk(server, `mutation($id: ID!) { ${step}(id: $id) { id } }`, { id: bookConsultation.id }, consultant.token);
    if (finish) await gqlOk(server, 'mutation($id: ID!) { completeConsultation(id: $id, input: {}) { id } }', { id: bookConsultation.id }, consultant.token);
  }
  // A pending invitation of A (its id and its real token).
  const invitee = 'ivy.invitee@alpha.test';
  await gqlOk(server, 'mutation($e: String!) { inviteMember(email: $e) { id } }', { e: invitee }, ownerA.token);
  const invitationToken = await mailToken(server, invitee, 'invitation');
  const usedVerifyToken = await mailToken(server, ownerB.email, 'verify-email');

  // A settled purchase, a subscription and an invoice per tenant, as the payment flows write them.
  for (const org of [ownerA.organizationId, ownerB.organizationId]) {
    const buyer = org === ownerA.organizationId ? ownerA.userId : ownerB.userId;
    await sql(
      server,
      `insert into purchase (id, organization_id, package_id, buyer_id, status, amount_amount, amount_currency, created_at, updated_at)
       select gen_random_uuid(), ?, p.id, ?, 'SUCCEEDED', 0, 'USD', now(), now() from package p where p.code = 'PKG-DISCOVERY-ASSESSMENT'`,
      [org, buyer],
    );
    await sql(
      server,
      `insert into billing_subscription (id, organization_id, package_id, buyer_id, status, amount_amount, amount_currency, cancel_at_period_end, created_at, updated_at)
       select gen_random_uuid(), ?, p.id, ?, 'ACTIVE', p.price_amount, p.price_currency, false, now(), now() from package p where p.code = 'PKG-QUARTERLY-ADVISORY'`,
      [org, buyer],
    );
    await sql(
      server,
      `insert into invoice (id, number, organization_id, billed_to, issued_at, lines, total_amount, total_currency, platform_fee_amount, platform_fee_currency, created_at)
       values (gen_random_uuid(), 'INV-1999-' || lpad((floor(random() * 999999))::text, 6, '0'), ?, 'Fuzz', now(), '[]', 100, 'USD', 15, 'USD', now())`,
      [org],
    );
  }

  const callers = {
    owner: await signIn(ownerA.email, PASSWORD),
    consultant: await signIn(consultantEmail, PASSWORD),
    admin,
  };
  const ids = async (query: string): Promise<string[]> => (await sql<{ id: string }>(server, query)).map((r) => String(r.id));
  const pools: Record<string, string[]> = {
    consultation: await ids('select id from consultation'),
    consultant: await ids('select id from consultant_profile'),
    organization: await ids('select id from organization'),
    user: await ids('select id from app_user'),
    lot: await ids('select id from credit_lot'),
    package: await ids('select id from package'),
    packageCode: await ids('select code as id from package'),
    purchase: await ids('select id from purchase'),
    subscription: await ids('select id from billing_subscription'),
    invitation: await ids('select id from invitation'),
    email: await ids('select email as id from app_user'),
    token: [invitationToken, usedVerifyToken, ...Object.values(callers).map((c) => c.refreshToken)],
    cursor: [],
  };
  pools.anyId = Object.entries(pools).filter(([k]) => !['email', 'token', 'packageCode', 'cursor'].includes(k)).flatMap(([, v]) => v);
  const page = await gqlOk(server, '{ myConsultations(first: 1) { pageInfo { endCursor } } }', {}, callers.admin.accessToken);
  const ledger = await gqlOk(server, '{ creditLedger(first: 1) { pageInfo { endCursor } } }', {}, callers.owner.accessToken);
  pools.cursor = [page.myConsultations.pageInfo.endCursor, ledger.creditLedger.pageInfo.endCursor].filter(Boolean);

  return {
    server,
    stripe,
    callers,
    pools,
    async relogin(name) {
      const caller = callers[name];
      Object.assign(caller, await signIn(caller.email, caller.password));
    },
    async stop() {
      await server.stop();
      await stripe.close();
    },
  };
}

// ----- Snapshot -----

/**
 * Tables a failed mutation may change by design, left out of the snapshot:
 * - auth_attempt: the auth throttle records every auth request per IP and every failed login
 *   (that is how it counts them);
 * - agenda*: the job runner's own bookkeeping, written by its poller at any moment;
 * - rate_limit: the search allowance, taken by queries (never by a mutation) and emptied of
 *   spent rows by the hourly purge job, which may run at any moment of a case;
 * - mikro_orm_migrations: never written while running.
 */
const EXCLUDED_TABLES = /^(auth_attempt|agenda.*|rate_limit|mikro_orm_migrations)$/;

/**
 * Per table of the public schema: its row count and an order-free checksum of its rows
 * (any INSERT, UPDATE or DELETE changes one or the other), all in one query.
 */
export async function snapshotQuery(server: TestServer): Promise<string> {
  const tables = (await sql<{ name: string }>(server, "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1"))
    .map((r) => r.name)
    .filter((name) => !EXCLUDED_TABLES.test(name));
  return tables.map((t) => `select '${t}' as t, count(*)::int as n, coalesce(sum(hashtextextended(x::text, 0)), 0)::text as h from "${t}" x`).join(' union all ');
}

export async function snapshot(server: TestServer, query: string): Promise<Record<string, string>> {
  const rows = await sql<{ t: string; n: number; h: string }>(server, query);
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** The tables whose snapshot differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]);
}
