/**
 * The attacker matrix (issue 3, invariant I12): for EVERY root field of schema.graphql, what
 * A's owner, A's member, a consultant and an anonymous caller get when they aim it at
 * organization B's data — and that B's rows are byte-for-byte the same afterwards.
 *
 * A new query or mutation MUST join MATRIX below: the first test fails while schema.graphql
 * has a root field the matrix does not list. Each entry says
 *   - the document, and variables that target B (B's user ids, invitation ids, tokens …);
 *   - the expected outcome per attacker (an error code, or — for public and self-only
 *     operations — what they may see, which must contain nothing of B);
 *   - positive controls: B's owner (or the admin, or the invitee) running the same thing
 *     succeeds or at least reaches B's row, so the attacks cannot pass vacuously; a control
 *     that changes B restores it for the entries after it.
 * Around every attack a snapshot of B's data (SQL, outside the ORM) must not change, and the
 * response data must not contain any of B's identifiers.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { ReferenceKind, type EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Invitation, Membership } from '../../src/identity/organization.entity.js';
import { ClientProfile } from '../../src/identity/profile.entity.js';
import type { CapturedMail, MailFilter } from '../../src/platform/mail-capture.js';
import { scopeToTenant, TENANT_FILTER } from '../../src/platform/tenant.js';
import { gridStart, openAllHoursConsultant } from '../support/booking.js';
import { notify } from '../support/notifications.js';
import { liveClient, metric, subscribe, subscribersAtLeast, type LiveSubscription } from '../support/live.js';
import { DomainEvents } from '../../src/platform/events.js';
import { EVENT_HANDLERS } from '../../src/modules.js';
import { postGraphQL, startTestServer, type TestServer } from '../support/server.js';

// ---------------------------------------------------------------------------------------------
// Types of the table
// ---------------------------------------------------------------------------------------------

type ErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'CONFLICT' | 'SERVICE_UNAVAILABLE';
/** Who runs an attempt. 'anonymous' sends no Authorization header. */
type Actor = 'A1' | 'A2' | 'consultant' | 'anonymous' | 'admin' | 'B1';
/** Every entry runs as at least these. */
const ATTACKERS = ['A1', 'A2', 'consultant', 'anonymous'] as const satisfies readonly Actor[];

interface Person {
  id: string;
  email: string;
  password: string;
}
interface PendingInvitation {
  id: string;
  email: string;
  token: string;
}
interface World {
  orgA: string;
  orgB: string;
  orgBName: string;
  /** A's owner and member, B's owner and member. */
  a1: Person;
  a2: Person;
  b1: Person;
  b2: Person;
  consultant: Person;
  admin: Person;
  /** A pending invitation of B (to someone with no account yet): what revokeInvitation and inviteMember aim at. */
  bPending: PendingInvitation;
  /** Another pending invitation of B, to someone new: its token is what acceptInvitation attacks use. */
  bOpen: PendingInvitation;
  /** B1's verification token, already used: a real B token of another purpose. */
  b1VerifyToken: string;
  /** B1's booking (free trial, 15 minutes) with a consultant of its own (not the attacking one). */
  bConsultation: { id: string; code: string; consultantId: string; start: string };
  /** A (free, settled) purchase of B's. */
  bPurchase: string;
  /** A subscription of B's (as if active; it never reached Stripe). */
  bSubscription: string;
  /** An invoice of B's. */
  bInvoice: string;
  /** A credit note of B's (crediting bInvoice). */
  bCreditNote: string;
  /** An unread in-app notification of B1's (A1 has one of its own). */
  bNotification: string;
}
/** A fresh session of the actor of an attempt (null: anonymous). */
interface Me extends Person {
  accessToken: string;
  refreshToken: string;
}
type Vars = Record<string, unknown>;
type VariablesOf = (w: World, me: Me | null) => Vars | Promise<Vars>;

type Expectation =
  | { kind: 'denied'; codes: ErrorCode[] }
  | { kind: 'allowed'; check?: (value: any, w: World, me: Me | null) => void | Promise<void> };
const denied = (...codes: ErrorCode[]): Expectation => ({ kind: 'denied', codes });
const allowed = (check?: (value: any, w: World, me: Me | null) => void | Promise<void>): Expectation => ({ kind: 'allowed', check });

interface Attempt {
  as: Actor;
  expect: Expectation;
  /** Overrides the entry's variables for this attempt. */
  variables?: VariablesOf;
  /** Why this attempt differs from the others (shown on failure). */
  note?: string;
  /** Controls only: whether B's snapshot must change (true) or stay the same (false). */
  changesB?: boolean;
  /** Controls only: puts B back (or updates the world) so the entries after this one still find their targets. */
  restore?: (value: any, w: World, me: Me | null) => Promise<void>;
}

interface MatrixEntry {
  type: 'Query' | 'Mutation';
  operation: string;
  /** What is attacked, and for public or self-only operations why they cannot reach B's data. */
  why: string;
  document: string;
  variables: VariablesOf;
  attacks: Attempt[];
  /** Positive controls; an entry without one says why in `why`. */
  controls: Attempt[];
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

const PAYLOAD = 'accessToken refreshToken user { id email organization { id } organizationRole }';
const USER_DEEP = `id email role emailVerified organization { id name } organizationRole
  organizations { organization { id name } role active } clientProfile { id code organization { id } } consultantProfile { id }
  unreadNotificationCount notificationPreferences { emailReminders inAppUpdates }`;
// organization { id } only: see 'Invitation.organization resolves' at the end of this file.
const INVITATION = 'id email role status organization { id }';

const PACKAGE = 'id code name credits badge active';
const NOTIFICATION = 'id kind title body link subjectType subjectId readAt createdAt';
/** The package the createPackage control makes (and the restorePackage entry later restores). */
const MATRIX_PACKAGE = {
  code: 'PKG-MATRIX-CONTROL',
  name: 'Matrix control package',
  type: 'CONSULTATION_BUNDLE',
  lotKind: 'SESSION',
  description: 'Created by the attacker matrix’s positive control.',
  credits: 2,
  sessionMinutes: 60,
  validityDays: 30,
  price: { amount: 1000, currency: 'USD' },
};

const MALLORY = { firstName: 'Mallory', lastName: 'Intruder' };
const INTRUDER_PASSWORD = 'Intruder-Pass-2026!';
const BOGUS_TOKEN = 'not-a-real-token-0123456789abcdef';

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

const MATRIX: MatrixEntry[] = [
  // ----- Queries -----
  {
    type: 'Query',
    operation: 'packages',
    why: 'Public catalog: packages are platform rows, not organization-owned, so there is no B data to reach; every caller sees the same list.',
    document: 'query Packages { packages { id code active } }',
    variables: () => ({}),
    attacks: ATTACKERS.map((as) => ({ as, expect: allowed((list: Array<{ code: string; active: boolean }>) => {
      expect(list.map((p) => p.code)).toContain('PKG-DISCOVERY-ASSESSMENT');
      expect(list.every((p) => p.active)).toBe(true);
    }) })),
    controls: [],
  },
  {
    type: 'Query',
    operation: 'package',
    why: 'Public catalog row by code: not organization-owned, same answer for everyone.',
    document: 'query Package($id: ID!) { package(id: $id) { id code } }',
    variables: () => ({ id: 'PKG-DISCOVERY-ASSESSMENT' }),
    attacks: ATTACKERS.map((as) => ({ as, expect: allowed((p: { code: string }) => expect(p.code).toBe('PKG-DISCOVERY-ASSESSMENT')) })),
    controls: [],
  },
  {
    type: 'Query',
    operation: 'me',
    why: 'Self-only: takes no arguments and answers the caller; organization fields show only the caller’s own memberships.',
    document: `query Me { me { ${USER_DEEP} } }`,
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((u, w) => {
        expect(u.id).toBe(w.a1.id);
        expect(u.organization.id).toBe(w.orgA);
        expect(u.organizationRole).toBe('OWNER');
        expect(u.organizations.map((o: any) => o.organization.id)).toEqual([w.orgA]);
        expect(u.clientProfile.organization.id).toBe(w.orgA);
      }) },
      { as: 'A2', expect: allowed((u, w) => {
        expect(u.id).toBe(w.a2.id);
        expect(u.organization.id).toBe(w.orgA);
        expect(u.organizationRole).toBe('MEMBER');
        expect(u.organizations.map((o: any) => o.organization.id)).toEqual([w.orgA]);
      }) },
      { as: 'consultant', expect: allowed((u, w) => {
        expect(u.id).toBe(w.consultant.id);
        expect(u.organization).toBeNull();
        expect(u.organizations).toEqual([]);
        expect(u.clientProfile).toBeNull();
      }) },
      { as: 'anonymous', expect: allowed((u) => expect(u).toBeNull()) },
      { as: 'admin', expect: allowed((u, w) => {
        expect(u.id).toBe(w.admin.id);
        expect(u.role).toBe('ADMIN');
        expect(u.organizations).toEqual([]);
      }) },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((u, w) => {
        expect(u.id).toBe(w.b1.id);
        expect(u.organization.id).toBe(w.orgB);
      }) },
    ],
  },
  {
    type: 'Query',
    operation: 'organization',
    why: 'No arguments: answers the caller’s active organization only.',
    document: 'query Organization { organization { id name type } }',
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((o, w) => expect(o.id).toBe(w.orgA)) },
      { as: 'A2', expect: allowed((o, w) => expect(o.id).toBe(w.orgA)) },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN'), note: 'admins have no active organization' },
    ],
    controls: [{ as: 'B1', changesB: false, expect: allowed((o, w) => expect(o.id).toBe(w.orgB)) }],
  },
  {
    type: 'Query',
    operation: 'members',
    why: 'No arguments: members of the caller’s active organization only (tenant filter), with private user fields only for the caller.',
    document: `query Members { members { role createdAt user { ${USER_DEEP} } } }`,
    variables: () => ({}),
    attacks: [
      ...(['A1', 'A2'] as const).map((as): Attempt => ({ as, expect: allowed((list: any[], w, me) => {
        expect(list.map((m) => m.user.id).sort()).toEqual([w.a1.id, w.a2.id].sort());
        for (const m of list) {
          if (m.user.id === me!.id) continue;
          // Someone else's private parts stay private even inside one organization.
          expect(m.user.organizations).toEqual([]);
          expect(m.user.clientProfile).toBeNull();
          expect(m.user.organization).toBeNull();
          expect(m.user.unreadNotificationCount).toBe(0);
          expect(m.user.notificationPreferences).toBeNull();
        }
      }) })),
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN'), note: 'admins have no active organization' },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((list: any[], w) => {
        expect(list.map((m) => m.user.id)).toEqual(expect.arrayContaining([w.b1.id, w.b2.id]));
      }) },
    ],
  },
  {
    type: 'Query',
    operation: 'invitations',
    why: 'No arguments: pending invitations of the caller’s active organization (owners only).',
    document: `query Invitations { invitations { ${INVITATION} } }`,
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((list: any[], w) => {
        for (const i of list) expect(i.organization.id).toBe(w.orgA);
      }) },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN') },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((list: any[], w) => {
        expect(list.map((i) => i.id)).toEqual(expect.arrayContaining([w.bPending.id, w.bOpen.id]));
      }) },
    ],
  },

  // ----- Mutations: sign-up, sign-in, tokens -----
  {
    type: 'Mutation',
    operation: 'register',
    why: 'Public: creates a new account and organization, never touches an existing one. Taking over B1’s email (even in other case) is CONFLICT and writes nothing.',
    document: `mutation Register($input: RegisterInput!) { register(input: $input) { ${PAYLOAD} } }`,
    variables: (w) => ({
      input: { userType: 'CLIENT', email: w.b1.email.toUpperCase(), password: INTRUDER_PASSWORD, profile: MALLORY, organizationName: w.orgBName, organizationType: 'COMPANY' },
    }),
    attacks: ATTACKERS.map((as) => ({ as, expect: denied('CONFLICT') })),
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'verifyEmail',
    why: 'Public, token-only: a bogus token is BAD_USER_INPUT. No control: B’s users are already verified and an attacker holds none of their verification tokens.',
    document: 'mutation Verify($token: String!) { verifyEmail(token: $token) { id emailVerified } }',
    variables: () => ({ token: BOGUS_TOKEN }),
    attacks: ATTACKERS.map((as) => ({ as, expect: denied('BAD_USER_INPUT') })),
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'verifyEmail',
    why: 'Token confusion: B’s (valid, pending) invitation token is not a verification token.',
    document: 'mutation Verify($token: String!) { verifyEmail(token: $token) { id emailVerified } }',
    variables: (w) => ({ token: w.bOpen.token }),
    attacks: ATTACKERS.map((as) => ({ as, expect: denied('BAD_USER_INPUT') })),
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'resendVerification',
    why: 'Public, always true: for B1 (verified) it sends nothing and changes nothing; it never says whether the account exists.',
    document: 'mutation Resend($email: String!) { resendVerification(email: $email) }',
    variables: (w) => ({ email: w.b1.email }),
    attacks: ATTACKERS.map((as) => ({ as, expect: allowed((value, w) => {
      expect(value).toBe(true);
      // Only the verification mail of B1's registration, none from the attacks.
      expect(capture().list({ to: w.b1.email, kind: 'verify-email' })).toHaveLength(1);
    }) })),
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'requestPasswordReset',
    why: 'Public, always true: the reset link goes to B1’s own address only, the answer carries no token, and nothing of B changes until the link is used.',
    document: 'mutation RequestReset($email: String!) { requestPasswordReset(email: $email) }',
    variables: (w) => ({ email: w.b1.email }),
    attacks: ATTACKERS.map((as) => ({ as, expect: allowed(async (value, w, me) => {
      expect(value).toBe(true);
      // The mail goes out after the answer (so timing tells nothing): wait for it.
      const newest = await capture().waitFor({ kind: 'password-reset' });
      expect(newest.to).toEqual([w.b1.email]);
      if (me) expect(capture().list({ to: me.email, kind: 'password-reset' })).toEqual([]);
    }) })),
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'resetPassword',
    why: 'Token-only. Attacks use B1’s real (used) verification token — a B token of another purpose — which is BAD_USER_INPUT; B1 with its emailed reset token succeeds.',
    document: 'mutation Reset($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }',
    variables: (w) => ({ token: w.b1VerifyToken, newPassword: INTRUDER_PASSWORD }),
    attacks: [
      ...ATTACKERS.map((as): Attempt => ({ as, expect: denied('BAD_USER_INPUT') })),
      { as: 'A1', expect: denied('BAD_USER_INPUT'), variables: (w) => ({ token: w.bOpen.token, newPassword: INTRUDER_PASSWORD }), note: 'B’s invitation token' },
      { as: 'anonymous', expect: denied('BAD_USER_INPUT'), variables: () => ({ token: BOGUS_TOKEN, newPassword: INTRUDER_PASSWORD }), note: 'bogus token' },
    ],
    controls: [
      {
        as: 'B1',
        note: 'B1 follows its own reset link',
        variables: async (w) => ({ token: await resetTokenOf(w.b1), newPassword: 'Bravo-Changed-2026!' }),
        changesB: true,
        expect: allowed((value) => expect(value).toBe(true)),
        restore: async (_value, w) => {
          const ok = await gql('mutation R($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }', { t: await resetTokenOf(w.b1), p: w.b1.password });
          expect(ok.errors).toBeUndefined();
        },
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'login',
    why: 'Public: B1’s email with anyone else’s password is UNAUTHENTICATED; only B1’s password opens B1.',
    document: `mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { ${PAYLOAD} } }`,
    variables: (w, me) => ({ email: w.b1.email, password: (me ?? w.a1).password }),
    attacks: ATTACKERS.map((as) => ({ as, expect: denied('UNAUTHENTICATED') })),
    controls: [
      {
        as: 'anonymous',
        note: 'B1 signing in with its own password',
        variables: (w) => ({ email: w.b1.email, password: w.b1.password }),
        changesB: true,
        expect: allowed((p, w) => {
          expect(p.user.id).toBe(w.b1.id);
          expect(p.user.organization.id).toBe(w.orgB);
        }),
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'logout',
    why: 'Self-only: ends the caller’s own session (its token stops working); B’s sessions stay.',
    document: 'mutation Logout { logout }',
    variables: () => ({}),
    attacks: ATTACKERS.map((as): Attempt => as === 'anonymous'
      ? { as, expect: denied('UNAUTHENTICATED') }
      : { as, expect: allowed(async (value, _w, me) => {
        expect(value).toBe(true);
        const after = await gql('{ me { id } }', {}, me!.accessToken);
        expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }) }),
    controls: [{ as: 'B1', changesB: true, expect: allowed((value) => expect(value).toBe(true)) }],
  },
  {
    type: 'Mutation',
    operation: 'refreshToken',
    why: 'Self-only: a refresh token names its own session, so the caller gets its own user and organization back; without one, UNAUTHENTICATED.',
    document: `mutation Refresh($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { ${PAYLOAD} } }`,
    variables: (_w, me) => ({ refreshToken: me?.refreshToken ?? BOGUS_TOKEN }),
    attacks: [
      ...(['A1', 'A2'] as const).map((as): Attempt => ({ as, expect: allowed((p, w, me) => {
        expect(p.user.id).toBe(me!.id);
        expect(p.user.organization.id).toBe(w.orgA);
      }) })),
      { as: 'consultant', expect: allowed((p, w) => {
        expect(p.user.id).toBe(w.consultant.id);
        expect(p.user.organization).toBeNull();
      }) },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'B1', changesB: true, expect: allowed((p, w) => {
        expect(p.user.id).toBe(w.b1.id);
        expect(p.user.organization.id).toBe(w.orgB);
      }) },
    ],
  },
  {
    type: 'Mutation',
    operation: 'refreshToken',
    why: 'Token confusion: B’s invitation token is not a refresh token.',
    document: `mutation Refresh($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { ${PAYLOAD} } }`,
    variables: (w) => ({ refreshToken: w.bOpen.token }),
    attacks: ATTACKERS.map((as) => ({ as, expect: denied('UNAUTHENTICATED') })),
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'switchOrganization',
    why: 'Names B’s organization id: only its members may switch to it.',
    document: `mutation Switch($organizationId: ID!) { switchOrganization(organizationId: $organizationId) { ${PAYLOAD} } }`,
    variables: (w) => ({ organizationId: w.orgB }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN'), note: 'admins belong to the platform' },
    ],
    controls: [
      { as: 'B1', changesB: true, expect: allowed((p, w) => {
        expect(p.user.id).toBe(w.b1.id);
        expect(p.user.organization.id).toBe(w.orgB);
      }) },
    ],
  },
  {
    type: 'Mutation',
    operation: 'createAdmin',
    why: 'Admins only. Variables name B1’s email: even the admin cannot turn B1’s account into an admin (CONFLICT, nothing changes).',
    document: 'mutation CreateAdmin($input: CreateAdminInput!) { createAdmin(input: $input) { id email role } }',
    variables: (w) => ({ input: { email: w.b1.email, password: INTRUDER_PASSWORD, profile: MALLORY } }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'admin', changesB: false, note: 'authorized, and reaches B1’s account', expect: denied('CONFLICT') },
      {
        as: 'admin',
        note: 'authorized: a new admin',
        variables: () => ({ input: { email: 'second.admin@serenity.test', password: 'Second-Admin-2026!', profile: { firstName: 'Second', lastName: 'Admin' } } }),
        changesB: false,
        expect: allowed((u) => expect(u.role).toBe('ADMIN')),
      },
    ],
  },

  // ----- Mutations: organization -----
  {
    type: 'Mutation',
    operation: 'inviteMember',
    why: 'No organization argument: invites into the caller’s own organization. A1 inviting the email of B’s pending invitation makes an A invitation and leaves B’s untouched.',
    document: `mutation Invite($email: String!, $role: OrgRole!) { inviteMember(email: $email, role: $role) { ${INVITATION} } }`,
    variables: (w) => ({ email: w.bPending.email, role: 'OWNER' }),
    attacks: [
      { as: 'A1', expect: allowed((i, w) => {
        expect(i.organization.id).toBe(w.orgA);
        expect(i.id).not.toBe(w.bPending.id);
      }) },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN') },
    ],
    controls: [
      {
        as: 'B1',
        note: 'the same call inside B replaces B’s pending invitation to that email',
        changesB: true,
        expect: allowed((i, w) => expect(i.organization.id).toBe(w.orgB)),
        restore: async (i: { id: string; email: string }, w) => {
          const mail = capture().list({ to: i.email, kind: 'invitation' })[0]!;
          expect(mail.text).toContain(w.orgBName);
          w.bPending = { id: i.id, email: i.email, token: tokenIn(mail) };
        },
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'revokeInvitation',
    why: 'Names B’s pending invitation id.',
    document: `mutation Revoke($id: ID!) { revokeInvitation(id: $id) { ${INVITATION} } }`,
    variables: (w) => ({ id: w.bPending.id }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN') },
    ],
    controls: [
      {
        as: 'B1',
        changesB: true,
        expect: allowed((i, w) => {
          expect(i.id).toBe(w.bPending.id);
          expect(i.status).toBe('REVOKED');
        }),
        restore: async (_i, w, me) => {
          w.bPending = await invite(me!.accessToken, w.bPending.email);
        },
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'acceptInvitation',
    why: 'B’s invitation token (for someone new), with a password and profile: a signed-in caller is not that person, so FORBIDDEN. The token is the permission: the invitee, signed out, joins B.',
    document: `mutation Accept($token: String!, $password: String, $profile: ProfileInput) {
      acceptInvitation(token: $token, password: $password, profile: $profile) { ${PAYLOAD} } }`,
    variables: (w) => ({ token: w.bOpen.token, password: INTRUDER_PASSWORD, profile: MALLORY }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'admin', expect: denied('FORBIDDEN') },
      {
        as: 'anonymous',
        note: 'signed out without the newcomer’s password and names: nothing is created',
        variables: (w) => ({ token: w.bOpen.token }),
        expect: denied('BAD_USER_INPUT'),
      },
      { as: 'anonymous', note: 'a bogus token', variables: () => ({ token: BOGUS_TOKEN, password: INTRUDER_PASSWORD, profile: MALLORY }), expect: denied('BAD_USER_INPUT') },
    ],
    controls: [
      {
        as: 'anonymous',
        note: 'the invitee, signed out, with the very same variables',
        changesB: true,
        expect: allowed((p, w) => {
          expect(p.user.email).toBe(w.bOpen.email);
          expect(p.user.organization.id).toBe(w.orgB);
        }),
        restore: async (_p, w) => {
          const b1 = await signIn('B1');
          w.bOpen = await invite(b1!.accessToken, `newcomer.${++newcomers}@bravo.test`);
        },
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'removeMember',
    why: 'Names B’s owner B1 (the last owner of B).',
    document: 'mutation Remove($userId: ID!) { removeMember(userId: $userId) }',
    variables: (w) => ({ userId: w.b1.id }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN') },
    ],
    controls: [{ as: 'B1', note: 'reaches B1’s membership: the last owner stays', changesB: false, expect: denied('CONFLICT') }],
  },
  {
    type: 'Mutation',
    operation: 'removeMember',
    why: 'Names B’s member B2 (a plain member).',
    document: 'mutation Remove($userId: ID!) { removeMember(userId: $userId) }',
    variables: (w) => ({ userId: w.b2.id }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN') },
    ],
    controls: [
      {
        as: 'B1',
        changesB: true,
        expect: allowed((value) => expect(value).toBe(true)),
        restore: async (_v, w, me) => {
          // B2 comes back through a new invitation, proving it with its password.
          const { token } = await invite(me!.accessToken, w.b2.email);
          const back = await gql(`mutation A($t: String!, $p: String) { acceptInvitation(token: $t, password: $p) { ${PAYLOAD} } }`, { t: token, p: w.b2.password });
          expect(back.errors).toBeUndefined();
          expect(back.data!.acceptInvitation.user.id).toBe(w.b2.id);
        },
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'changeMemberRole',
    why: 'Names B’s member B2, to make them an owner.',
    document: 'mutation ChangeRole($userId: ID!, $role: OrgRole!) { changeMemberRole(userId: $userId, role: $role) { role user { id } } }',
    variables: (w) => ({ userId: w.b2.id, role: 'OWNER' }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN') },
    ],
    controls: [
      {
        as: 'B1',
        changesB: true,
        expect: allowed((m, w) => {
          expect(m.user.id).toBe(w.b2.id);
          expect(m.role).toBe('OWNER');
        }),
        restore: async (_m, w, me) => {
          const back = await gql('mutation C($u: ID!) { changeMemberRole(userId: $u, role: MEMBER) { role } }', { u: w.b2.id }, me!.accessToken);
          expect(back.errors).toBeUndefined();
        },
      },
    ],
  },

  // ----- Mutations: the catalog (platform data, not organization-owned: admins only) -----
  {
    type: 'Mutation',
    operation: 'createPackage',
    why: 'Admins only: packages are platform rows, no organization owns them, so there is no B data to reach; everyone else is refused before anything is read or written.',
    document: `mutation CreatePackage($input: CreatePackageInput!) { createPackage(input: $input) { ${PACKAGE} } }`,
    variables: () => ({ input: MATRIX_PACKAGE }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      {
        as: 'admin',
        note: 'authorized: the package exists afterwards',
        changesB: false,
        expect: allowed((p) => expect(p).toMatchObject({ code: MATRIX_PACKAGE.code, active: true })),
        // Out of the public catalog again, so the entries after this one see the seeded list.
        restore: async (p: { id: string }, _w, me) => {
          const archived = await gql(`mutation A($id: ID!) { archivePackage(id: $id) { active } }`, { id: p.id }, me!.accessToken);
          expect(archived.errors).toBeUndefined();
        },
      },
      { as: 'admin', note: 'authorized, and reaches the (now archived) package: its code is taken', changesB: false, expect: denied('CONFLICT') },
    ],
  },
  {
    type: 'Mutation',
    operation: 'updatePackage',
    why: 'Admins only: changes a seeded package (platform data, no organization owns it); everyone else is refused and the package stays as it was.',
    document: `mutation UpdatePackage($id: ID!, $input: UpdatePackageInput!) { updatePackage(id: $id, input: $input) { ${PACKAGE} } }`,
    variables: () => ({ id: 'PKG-WORKSHOP-TRAINING', input: { badge: 'MATRIX', credits: 1 } }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      {
        as: 'admin',
        note: 'authorized: the attacks left the package unchanged, the admin changes it',
        variables: async () => {
          expect(await packageNow('PKG-WORKSHOP-TRAINING')).toMatchObject({ badge: null, credits: 6 });
          return { id: 'PKG-WORKSHOP-TRAINING', input: { badge: 'MATRIX', credits: 1 } };
        },
        changesB: false,
        expect: allowed((p) => expect(p).toMatchObject({ code: 'PKG-WORKSHOP-TRAINING', badge: 'MATRIX', credits: 1 })),
        restore: async (_p, _w, me) => {
          const back = await gql('mutation U($id: ID!) { updatePackage(id: $id, input: { badge: null, credits: 6 }) { badge credits } }', { id: 'PKG-WORKSHOP-TRAINING' }, me!.accessToken);
          expect(back.errors).toBeUndefined();
          expect(back.data!.updatePackage).toEqual({ badge: null, credits: 6 });
        },
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'archivePackage',
    why: 'Admins only: takes a seeded package (platform data) out of the catalog; everyone else is refused and it stays listed.',
    document: `mutation ArchivePackage($id: ID!) { archivePackage(id: $id) { ${PACKAGE} } }`,
    variables: () => ({ id: 'PKG-WORKSHOP-TRAINING' }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      {
        as: 'admin',
        note: 'authorized: the attacks left it active, the admin archives it',
        variables: async () => {
          expect(await packageNow('PKG-WORKSHOP-TRAINING')).toMatchObject({ active: true });
          return { id: 'PKG-WORKSHOP-TRAINING' };
        },
        changesB: false,
        expect: allowed((p) => expect(p).toMatchObject({ code: 'PKG-WORKSHOP-TRAINING', active: false })),
        restore: async (_p, _w, me) => {
          const back = await gql('mutation R($id: ID!) { restorePackage(id: $id) { active } }', { id: 'PKG-WORKSHOP-TRAINING' }, me!.accessToken);
          expect(back.errors).toBeUndefined();
          expect(back.data!.restorePackage).toEqual({ active: true });
        },
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'restorePackage',
    why: 'Admins only: puts an archived package (platform data; the one the createPackage control archived) back in the catalog; everyone else is refused and it stays archived.',
    document: `mutation RestorePackage($id: ID!) { restorePackage(id: $id) { ${PACKAGE} } }`,
    variables: () => ({ id: MATRIX_PACKAGE.code }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      {
        as: 'admin',
        note: 'authorized: the attacks left it archived, the admin restores it',
        variables: async () => {
          expect(await packageNow(MATRIX_PACKAGE.code)).toMatchObject({ active: false });
          return { id: MATRIX_PACKAGE.code };
        },
        changesB: false,
        expect: allowed((p) => expect(p).toMatchObject({ code: MATRIX_PACKAGE.code, active: true })),
        restore: async (p: { id: string }, _w, me) => {
          const back = await gql('mutation A($id: ID!) { archivePackage(id: $id) { active } }', { id: p.id }, me!.accessToken);
          expect(back.errors).toBeUndefined();
        },
      },
    ],
  },
  // --- credits -------------------------------------------------------------------------------
  {
    type: 'Query',
    operation: 'creditSummary',
    why: 'Names B’s organization: clients only ever get their own; admins may name any.',
    document: 'query Summary($org: ID) { creditSummary(organizationId: $org) { availableCredits lots { id source } freeTrial { granted } } }',
    variables: (w) => ({ org: w.orgB }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'admin', changesB: false, expect: allowed((v) => expect(v.freeTrial.granted).toBe(true)) },
      { as: 'B1', changesB: false, expect: allowed((v) => expect(v.lots.map((l: { source: string }) => l.source)).toContain('FREE_TRIAL')) },
    ],
  },
  {
    type: 'Query',
    operation: 'creditSummary',
    why: 'No argument: the caller’s own organization only.',
    document: 'query Summary { creditSummary { availableCredits lots { id source } } }',
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.lots).toHaveLength(1)) },
      { as: 'A2', expect: allowed((v) => expect(v.lots).toHaveLength(1)) },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('BAD_USER_INPUT'), note: 'admins must name the organization' },
    ],
    controls: [],
  },
  {
    type: 'Query',
    operation: 'creditLedger',
    why: 'Names B’s organization.',
    document: 'query Ledger($org: ID) { creditLedger(organizationId: $org) { totalCount edges { node { id type lot { id } } } } }',
    variables: (w) => ({ org: w.orgB }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'admin', changesB: false, expect: allowed((v) => expect(v.totalCount).toBeGreaterThanOrEqual(1)) }],
  },
  {
    type: 'Query',
    operation: 'creditLedger',
    why: 'No argument: the caller’s own organization’s movements only.',
    document: 'query Ledger { creditLedger { totalCount edges { node { id type lot { id source } } } } }',
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.edges.map((e: { node: { type: string } }) => e.node.type)).toEqual(['GRANT'])) },
      { as: 'A2', expect: allowed() },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'grantCredits',
    why: 'Grants credits to B: platform money, admins only.',
    document: 'mutation Grant($input: GrantCreditsInput!) { grantCredits(input: $input) { id granted } }',
    variables: (w) => ({ input: { organizationId: w.orgB, source: 'PROMOTIONAL', units: 2, sessionMinutes: 60, validityDays: 30, reason: 'Matrix control' } }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    // Ledger entries are append-only: the control's grant stays (later rows compare before/after each attempt).
    controls: [{ as: 'admin', changesB: true, expect: allowed((v) => expect(v.granted).toBe(2)) }],
  },
  {
    type: 'Mutation',
    operation: 'adjustCredits',
    why: 'Corrects B’s free-trial lot: platform money, admins only.',
    document: 'mutation Adjust($lot: ID!, $units: Int!, $reason: String!) { adjustCredits(lotId: $lot, units: $units, reason: $reason) { id remaining } }',
    variables: async (w) => {
      const [lot] = await sql("select id from credit_lot where organization_id = ? and source = 'FREE_TRIAL'", [w.orgB]);
      return { lot: lot!.id, units: 1, reason: 'Matrix control' };
    },
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    // The trial credit itself is reserved by B1's booking: the adjustment is what remains.
    controls: [{ as: 'admin', changesB: true, expect: allowed((v) => expect(v.remaining).toBeGreaterThanOrEqual(1)) }],
  },
  {
    type: 'Mutation',
    operation: 'setMemberCreditCap',
    why: 'Caps B’s member B2: owners of B only.',
    document: 'mutation Cap($input: MemberCreditCapInput!) { setMemberCreditCap(input: $input) { id monthlySessions member { id } } }',
    variables: (w) => ({ input: { userId: w.b2.id, monthlySessions: 1 } }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN'), note: 'caps are the organization owner’s decision' },
    ],
    controls: [
      {
        as: 'B1',
        changesB: true,
        expect: allowed((v, w) => expect(v).toMatchObject({ monthlySessions: 1, member: { id: w.b2.id } })),
        restore: async (_v, w, me) => {
          const lifted = await gql('mutation Cap($input: MemberCreditCapInput!) { setMemberCreditCap(input: $input) { monthlySessions } }', { input: { userId: w.b2.id } }, me!.accessToken);
          expect(lifted.errors).toBeUndefined();
        },
      },
    ],
  },
  {
    type: 'Query',
    operation: 'memberCreditCaps',
    why: 'No arguments: caps of the caller’s own organization only.',
    document: 'query Caps { memberCreditCaps { id member { id } } }',
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v).toEqual([])) },
      { as: 'A2', expect: allowed((v) => expect(v).toEqual([])) },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN') },
    ],
    controls: [{ as: 'B1', changesB: false, expect: allowed() }],
  },
  // --- scheduling ----------------------------------------------------------------------------
  {
    type: 'Mutation',
    operation: 'setWeeklyAvailability',
    why: 'A consultant’s own hours: platform data, not an organization’s; clients cannot touch it.',
    document: 'mutation Week($input: WeeklyAvailabilityInput!) { setWeeklyAvailability(input: $input) { timeZone rules { weekday } } }',
    variables: () => ({ input: { timeZone: 'Europe/Berlin', rules: [{ weekday: 1, intervals: [{ start: '09:00', end: '12:00' }] }] } }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: allowed((v) => expect(v.rules).toEqual([{ weekday: 1 }])), note: 'their own schedule' },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('BAD_USER_INPUT'), note: 'admins must name the consultant' },
    ],
    controls: [],
  },
  {
    type: 'Mutation',
    operation: 'addAvailabilityException',
    why: 'A consultant’s own time off: clients cannot touch it.',
    document: 'mutation Off($input: AvailabilityExceptionInput!) { addAvailabilityException(input: $input) { kind } }',
    variables: () => ({ input: { from: '2030-01-01', to: '2030-01-02', kind: 'TIME_OFF' } }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: allowed((v) => expect(v.kind).toBe('TIME_OFF')), note: 'their own schedule (set by the row above)' },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [],
  },
  ...(['openSlots', 'openDates'] as const).map(
    (operation): MatrixEntry => ({
      type: 'Query',
      operation,
      why: 'Consultants’ open times: any signed-in caller; no organization’s data.',
      document: `query Open($input: OpenSlotsInput!) { ${operation}(input: $input)${operation === 'openSlots' ? ' { start consultantId }' : ''} }`,
      variables: () => ({ input: { from: '2030-01-01T00:00:00Z', to: '2030-01-08T00:00:00Z', durationMinutes: 60, timeZone: 'UTC' } }),
      attacks: [
        { as: 'A1', expect: allowed((v) => expect(Array.isArray(v)).toBe(true)) },
        { as: 'A2', expect: allowed() },
        { as: 'consultant', expect: allowed() },
        { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
        { as: 'admin', expect: allowed() },
      ],
      controls: [],
    }),
  ),
  {
    type: 'Mutation',
    operation: 'updateConsultantProfile',
    why: 'A consultant’s own profile: platform data, not an organization’s; clients cannot touch it.',
    document: 'mutation Profile($input: ConsultantProfileInput!) { updateConsultantProfile(input: $input) { id bio languages } }',
    variables: () => ({ input: { bio: 'Matrix bio', languages: ['English'] } }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      {
        as: 'consultant',
        expect: allowed(async (v, w) => expect(v).toEqual({ id: await consultantProfileId(w), bio: 'Matrix bio', languages: ['English'] })),
        note: 'their own profile',
      },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('BAD_USER_INPUT'), note: 'admins must name the consultant' },
    ],
    controls: [],
  },
  {
    type: 'Query',
    operation: 'consultant',
    why: 'A consultant’s public profile: any signed-in caller; no organization’s data (the email only to self and admins).',
    document: 'query Consultant($id: ID!) { consultant(id: $id) { id code displayName email skills { name } } }',
    variables: async (w) => ({ id: await consultantProfileId(w) }),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.email).toBeNull()) },
      { as: 'A2', expect: allowed((v) => expect(v.email).toBeNull()) },
      { as: 'consultant', expect: allowed((v, w) => expect(v.email).toBe(w.consultant.email)), note: 'their own profile' },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: allowed() },
    ],
    controls: [],
  },
  {
    type: 'Query',
    operation: 'consultants',
    why: 'The consultant directory: any signed-in caller; no organization’s data.',
    document: 'query Consultants($first: Int) { consultants(first: $first) { totalCount edges { node { id code email } } } }',
    variables: () => ({ first: 100 }),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.edges.every((e: { node: { email: unknown } }) => e.node.email === null)).toBe(true)) },
      { as: 'A2', expect: allowed((v) => expect(v.totalCount).toBeGreaterThan(0)) },
      { as: 'consultant', expect: allowed() },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: allowed() },
    ],
    controls: [],
  },

  // ----- Consultations (issue 5) -----
  {
    type: 'Query',
    operation: 'consultation',
    why: 'B1’s booking: only its client side, its consultant and admins see it.',
    document: 'query C($id: ID!) { consultation(id: $id) { id code status } }',
    variables: (w) => ({ id: w.bConsultation.id }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('NOT_FOUND'), note: 'not assigned to it' },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((v, w) => expect(v).toEqual({ id: w.bConsultation.id, code: w.bConsultation.code, status: 'SCHEDULED' })) },
      { as: 'admin', changesB: false, expect: allowed((v, w) => expect(v.id).toBe(w.bConsultation.id)) },
    ],
  },
  {
    type: 'Query',
    operation: 'myConsultations',
    why: 'The caller’s own consultations: nothing of B for anyone else.',
    document: 'query M { myConsultations(first: 100) { totalCount edges { node { id code } } } }',
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'A2', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'consultant', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'B1', changesB: false, expect: allowed((v, w) => expect(v.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([w.bConsultation.id])) }],
  },
  {
    type: 'Query',
    operation: 'upcomingConsultations',
    why: 'The caller’s own coming sessions: nothing of B for anyone else.',
    document: 'query U { upcomingConsultations(days: 30, timeZone: "UTC") { date consultations { id } } }',
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v).toEqual([])) },
      { as: 'A2', expect: allowed((v) => expect(v).toEqual([])) },
      { as: 'consultant', expect: allowed((v) => expect(v).toEqual([])) },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'B1', changesB: false, expect: allowed((v, w) => expect(v.flatMap((d: { consultations: Array<{ id: string }> }) => d.consultations.map((c) => c.id))).toEqual([w.bConsultation.id])) }],
  },
  {
    type: 'Mutation',
    operation: 'bookConsultation',
    why: 'Books for the caller’s own organization only; aimed at the time B1 holds, it cannot displace B.',
    document: 'mutation B($input: BookConsultationInput!) { bookConsultation(input: $input) { id } }',
    variables: (w) => ({ input: { consultantId: w.bConsultation.consultantId, start: w.bConsultation.start, durationMinutes: 15, useFreeTrial: true, purpose: 'Take B’s time' } }),
    attacks: [
      { as: 'A1', expect: denied('CONFLICT'), note: 'the time is held by B’s booking' },
      { as: 'A2', expect: denied('CONFLICT') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [],
  },
  ...(
    [
      ['confirmConsultation', 'mutation X($id: ID!) { confirmConsultation(id: $id) { id } }', {}, 'FORBIDDEN'],
      ['startConsultation', 'mutation X($id: ID!) { startConsultation(id: $id) { id } }', {}, 'FORBIDDEN'],
      ['completeConsultation', 'mutation X($id: ID!, $input: CompleteConsultationInput!) { completeConsultation(id: $id, input: $input) { id } }', { input: {} }, 'FORBIDDEN'],
      ['markNoShow', 'mutation X($id: ID!) { markNoShow(id: $id, party: CLIENT) { id } }', {}, 'FORBIDDEN'],
      ['requestReschedule', 'mutation X($id: ID!, $s: [DateTime!]!) { requestReschedule(id: $id, suggestedStarts: $s) { id } }', { s: ['2030-01-07T10:00:00Z'] }, 'FORBIDDEN'],
      ['submitFeedback', 'mutation X($id: ID!, $input: FeedbackInput!) { submitFeedback(consultationId: $id, input: $input) { overall } }', { input: { overall: 1, expertise: 1, communication: 1, helpfulness: 1, wouldRecommend: false } }, 'CONFLICT'],
    ] as const
  ).map(
    ([operation, document, extra, controlCode]): MatrixEntry => ({
      type: 'Mutation',
      operation,
      why: `B1’s booking: only its consultant or an admin (${operation}) — others cannot even find it.`,
      document,
      variables: (w) => ({ id: w.bConsultation.id, ...extra }),
      attacks: [
        { as: 'A1', expect: denied('NOT_FOUND') },
        { as: 'A2', expect: denied('NOT_FOUND') },
        { as: 'consultant', expect: denied('NOT_FOUND'), note: 'not assigned to it' },
        { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      ],
      controls: [{ as: 'B1', changesB: false, note: 'B1 reaches its booking; the step is not theirs (or not yet)', expect: denied(controlCode) }],
    }),
  ),
  {
    type: 'Mutation',
    operation: 'rescheduleConsultation',
    why: 'B1’s booking: only its client side, consultant or admins move it.',
    document: 'mutation R($id: ID!, $start: DateTime!) { rescheduleConsultation(id: $id, start: $start) { id } }',
    variables: (w) => ({ id: w.bConsultation.id, start: w.bConsultation.start }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('NOT_FOUND') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'B1', changesB: false, note: 'reaches it: the same time is refused', expect: denied('BAD_USER_INPUT') }],
  },
  {
    type: 'Mutation',
    operation: 'addConsultationAttendees',
    why: 'B1’s booking: attendees join from its client side only.',
    document: 'mutation A($id: ID!, $a: [AttendeeInput!]!) { addConsultationAttendees(id: $id, attendees: $a) { attendees { email } } }',
    variables: (w) => ({ id: w.bConsultation.id, a: [{ name: 'Mallory', email: 'mallory@alpha.test' }] }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('NOT_FOUND') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      {
        as: 'B1',
        changesB: true,
        variables: (w) => ({ id: w.bConsultation.id, a: [{ name: 'Brenda', email: 'brenda@bravo.test' }] }),
        expect: allowed((v) => expect(v.attendees).toEqual([{ email: 'brenda@bravo.test' }])),
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'cancelConsultation',
    why: 'B1’s booking: only its client side, consultant or admins cancel it (the last consultation entry: its control cancels it).',
    document: 'mutation X($id: ID!) { cancelConsultation(id: $id) { creditReleased consultation { id status } } }',
    variables: (w) => ({ id: w.bConsultation.id }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('NOT_FOUND') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'B1', changesB: true, expect: allowed((v) => expect(v).toMatchObject({ creditReleased: true, consultation: { status: 'CANCELLED' } })) }],
  },

  // ----- Payments (issue 6) -----
  {
    type: 'Mutation',
    operation: 'purchasePackage',
    why: 'Buys for the caller’s own organization only (owners); payments are off on this server (PAYMENTS_MODE=off), so an owner gets SERVICE_UNAVAILABLE before anything is written.',
    document: 'mutation P($input: PurchasePackageInput!) { purchasePackage(input: $input) { id } }',
    variables: () => ({ input: { packageId: 'PKG-DISCOVERY-ASSESSMENT' } }),
    attacks: [
      { as: 'A1', expect: denied('SERVICE_UNAVAILABLE'), note: 'A’s own owner, and payments are not configured here' },
      { as: 'A2', expect: denied('FORBIDDEN'), note: 'members do not buy' },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [],
  },
  {
    type: 'Query',
    operation: 'purchase',
    why: 'B’s purchase: B’s members and admins only.',
    document: 'query P($id: ID!) { purchase(id: $id) { id status } }',
    variables: (w) => ({ id: w.bPurchase }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((v, w) => expect(v).toEqual({ id: w.bPurchase, status: 'SUCCEEDED' })) },
      { as: 'admin', changesB: false, expect: allowed((v, w) => expect(v.id).toBe(w.bPurchase)) },
    ],
  },
  {
    type: 'Query',
    operation: 'purchases',
    why: 'The caller’s organization’s purchases; naming another organization is for admins.',
    document: 'query P($org: ID) { purchases(organizationId: $org) { totalCount edges { node { id } } } }',
    variables: () => ({ org: null }),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'A1', expect: denied('FORBIDDEN'), variables: (w) => ({ org: w.orgB }), note: 'naming B' },
      { as: 'A2', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((v, w) => expect(v.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([w.bPurchase])) },
      { as: 'admin', changesB: false, variables: (w) => ({ org: w.orgB }), expect: allowed((v) => expect(v.totalCount).toBe(1)) },
    ],
  },
  {
    type: 'Mutation',
    operation: 'refundPurchase',
    why: 'Refunds B’s purchase: admins only (its control refunds it: the last payments entry).',
    document: 'mutation R($id: ID!) { refundPurchase(id: $id) { id status } }',
    variables: (w) => ({ id: w.bPurchase }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'admin', changesB: true, expect: allowed((v) => expect(v.status).toBe('REFUNDED')) }],
  },

  {
    type: 'Mutation',
    operation: 'startSubscription',
    why: 'Subscribes the caller’s own organization only (owners); no Stripe settings here.',
    document: 'mutation S($p: ID!) { startSubscription(packageId: $p) { id } }',
    variables: () => ({ p: 'PKG-QUARTERLY-ADVISORY' }),
    attacks: [
      { as: 'A1', expect: denied('SERVICE_UNAVAILABLE'), note: 'A’s own owner, and payments are not configured here' },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [],
  },
  {
    type: 'Query',
    operation: 'subscriptions',
    why: 'The caller’s organization’s subscriptions only.',
    document: 'query S { subscriptions { id status } }',
    variables: () => ({}),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v).toEqual([])) },
      { as: 'A2', expect: allowed((v) => expect(v).toEqual([])) },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'B1', changesB: false, expect: allowed((v, w) => expect(v).toEqual([{ id: w.bSubscription, status: 'ACTIVE' }])) }],
  },
  {
    type: 'Mutation',
    operation: 'cancelSubscription',
    why: 'Cancels B’s subscription: B’s owners (and admins) only.',
    document: 'mutation C($id: ID!) { cancelSubscription(id: $id) { id status } }',
    variables: (w) => ({ id: w.bSubscription }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [{ as: 'B1', changesB: false, note: 'reaches it: it never started at Stripe', expect: denied('CONFLICT') }],
  },

  {
    type: 'Query',
    operation: 'invoices',
    why: 'The caller’s organization’s invoices; naming another organization is for admins.',
    document: 'query I($org: ID) { invoices(organizationId: $org) { totalCount edges { node { id number } } } }',
    variables: () => ({ org: null }),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'A1', expect: denied('FORBIDDEN'), variables: (w) => ({ org: w.orgB }), note: 'naming B' },
      { as: 'A2', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((v, w) => expect(v.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([w.bInvoice])) },
      { as: 'admin', changesB: false, variables: (w) => ({ org: w.orgB }), expect: allowed((v) => expect(v.totalCount).toBe(1)) },
    ],
  },

  {
    type: 'Query',
    operation: 'creditNotes',
    why: 'The caller’s organization’s credit notes; naming another organization is for admins.',
    document: 'query C($org: ID) { creditNotes(organizationId: $org) { totalCount edges { node { id number } } } }',
    variables: () => ({ org: null }),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'A1', expect: denied('FORBIDDEN'), variables: (w) => ({ org: w.orgB }), note: 'naming B' },
      { as: 'A2', expect: allowed((v) => expect(v.totalCount).toBe(0)) },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((v, w) => expect(v.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([w.bCreditNote])) },
      { as: 'admin', changesB: false, variables: (w) => ({ org: w.orgB }), expect: allowed((v) => expect(v.totalCount).toBe(1)) },
    ],
  },
  {
    type: 'Query',
    operation: 'billingDetails',
    why: 'The caller’s organization’s billing details; naming another organization is for admins.',
    document: 'query D($org: ID) { billingDetails(organizationId: $org) { legalName taxId email } }',
    variables: () => ({ org: null }),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(v).toBeNull()) },
      { as: 'A1', expect: denied('FORBIDDEN'), variables: (w) => ({ org: w.orgB }), note: 'naming B' },
      { as: 'A2', expect: allowed((v) => expect(v).toBeNull()) },
      { as: 'A2', expect: denied('FORBIDDEN'), variables: (w) => ({ org: w.orgB }), note: 'naming B' },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN'), variables: (w) => ({ org: w.orgB }), note: 'naming B' },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      { as: 'B1', changesB: false, expect: allowed((v) => expect(v).toEqual({ legalName: 'Bravo Holdings Legal Ltd', taxId: 'GB999999999', email: 'ap@bravo.example' })) },
      { as: 'admin', changesB: false, variables: (w) => ({ org: w.orgB }), expect: allowed((v) => expect(v.legalName).toBe('Bravo Holdings Legal Ltd')) },
    ],
  },
  {
    type: 'Mutation',
    operation: 'updateBillingDetails',
    why: 'Sets the caller’s own organization’s billing details (owners); naming B is for admins (its control sets B’s and puts them back).',
    document: 'mutation U($input: BillingDetailsInput!, $org: ID) { updateBillingDetails(input: $input, organizationId: $org) { legalName } }',
    variables: (w) => ({ input: { legalName: 'Hijacked Ltd', address: 'Nowhere 1' }, org: w.orgB }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN'), note: 'naming B' },
      { as: 'A1', expect: allowed((v) => expect(v).toEqual({ legalName: 'Hijacked Ltd' })), variables: () => ({ input: { legalName: 'Hijacked Ltd', address: 'Nowhere 1' } }), note: 'its own organization: B is untouched' },
      { as: 'A2', expect: denied('FORBIDDEN'), note: 'naming B' },
      { as: 'A2', expect: denied('FORBIDDEN'), variables: () => ({ input: { legalName: 'Hijacked Ltd', address: 'Nowhere 1' } }), note: 'a member, its own organization' },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
    ],
    controls: [
      {
        as: 'admin',
        changesB: true,
        expect: allowed((v) => expect(v).toEqual({ legalName: 'Hijacked Ltd' })),
        restore: async (_v, w) => {
          await sql("update billing_details set legal_name = 'Bravo Holdings Legal Ltd', address = 'Bravo Street 1', tax_id = 'GB999999999', email = 'ap@bravo.example' where organization_id = ?", [w.orgB]);
        },
      },
    ],
  },

  // ----- Notifications: a person's own; ids of others' are NOT_FOUND -----
  {
    type: 'Query',
    operation: 'notifications',
    why: 'Self-only: no argument names a person; the caller’s own inbox, whatever organization or role.',
    document: `query N($unreadOnly: Boolean) { notifications(unreadOnly: $unreadOnly) { totalCount edges { node { ${NOTIFICATION} } } } }`,
    variables: () => ({ unreadOnly: false }),
    attacks: [
      { as: 'A1', expect: allowed((v) => expect(titles(v)).toContain(A1_NOTIFICATION)) },
      // Other messages may reach these inboxes (e.g. account ones); A1's never does.
      { as: 'A2', expect: allowed((v) => expect(titles(v)).not.toContain(A1_NOTIFICATION)), note: 'A1’s colleague' },
      { as: 'consultant', expect: allowed((v) => expect(titles(v)).not.toContain(A1_NOTIFICATION)) },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: allowed((v) => expect(titles(v)).not.toContain(A1_NOTIFICATION)), note: 'admins read their own inbox only' },
    ],
    controls: [{ as: 'B1', changesB: false, expect: allowed((v, w) => expect(v.edges.map((e: any) => e.node.id)).toContain(w.bNotification)) }],
  },
  {
    type: 'Mutation',
    operation: 'markNotificationRead',
    why: 'B1’s notification by id: NOT_FOUND for anyone else (never FORBIDDEN: an id reveals nothing), admins included.',
    document: `mutation R($id: ID!) { markNotificationRead(id: $id) { ${NOTIFICATION} } }`,
    variables: (w) => ({ id: w.bNotification }),
    attacks: [
      { as: 'A1', expect: denied('NOT_FOUND') },
      { as: 'A2', expect: denied('NOT_FOUND') },
      { as: 'consultant', expect: denied('NOT_FOUND') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('NOT_FOUND') },
    ],
    controls: [{ as: 'B1', changesB: true, expect: allowed((n, w) => expect(n).toMatchObject({ id: w.bNotification, readAt: expect.any(String) })), restore: unreadB }],
  },
  {
    type: 'Mutation',
    operation: 'markAllNotificationsRead',
    why: 'Self-only: marks the caller’s own notifications; B1’s stay unread.',
    document: 'mutation { markAllNotificationsRead }',
    variables: () => ({}),
    attacks: [
      { as: 'A2', expect: allowed((count) => expect(Number.isInteger(count)).toBe(true)) },
      { as: 'consultant', expect: allowed((count) => expect(Number.isInteger(count)).toBe(true)) },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'A1', expect: allowed((count) => expect(count).toBeGreaterThanOrEqual(1)), note: 'its own one at least' },
    ],
    controls: [{ as: 'B1', changesB: true, expect: allowed((count) => expect(count).toBeGreaterThanOrEqual(1)), restore: unreadB }],
  },
  {
    type: 'Mutation',
    operation: 'updateNotificationPreferences',
    why: 'Self-only: no argument names a person; changes the caller’s own switches.',
    document: 'mutation P($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { emailReminders emailUpdates inAppReminders inAppUpdates } }',
    variables: () => ({ input: { emailReminders: false, inAppUpdates: false } }),
    attacks: ATTACKERS.map((as): Attempt => (as === 'anonymous' ? { as, expect: denied('UNAUTHENTICATED') } : { as, expect: allowed((p) => expect(p).toMatchObject({ emailReminders: false, emailUpdates: true, inAppUpdates: false })) })),
    controls: [
      {
        as: 'B1',
        changesB: true,
        expect: allowed((p) => expect(p).toMatchObject({ emailReminders: false, inAppUpdates: false })),
        restore: async (_p, w) => void (await sql('delete from notification_preference where user_id = ?', [w.b1.id])),
      },
    ],
  },
  {
    type: 'Mutation',
    operation: 'rotateCalendarFeed',
    why: 'Self-only: no argument names a person; replaces the caller’s own feed secret, never B1’s (whose feed row stays as it was).',
    document: 'mutation { rotateCalendarFeed }',
    variables: () => ({}),
    attacks: [
      ...(['A1', 'A2', 'consultant'] as const).map((as): Attempt => ({ as, expect: allowed((url) => expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/)) })),
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'admin', expect: denied('FORBIDDEN'), note: 'admins have no feed' },
    ],
    controls: [
      {
        as: 'B1',
        changesB: true,
        expect: allowed((url) => expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/)),
        restore: async (_url, w) => void (await sql('delete from calendar_feed where user_id = ?', [w.b1.id])),
      },
    ],
  },
  {
    type: 'Query',
    operation: 'notificationDeliveries',
    why: 'Every organization’s notification deliveries (recipients, errors): admins only.',
    document: 'query D($status: DeliveryStatus) { notificationDeliveries(status: $status) { totalCount edges { node { id recipientEmail status } } } }',
    variables: () => ({ status: null }),
    attacks: [
      { as: 'A1', expect: denied('FORBIDDEN') },
      { as: 'A2', expect: denied('FORBIDDEN') },
      { as: 'consultant', expect: denied('FORBIDDEN') },
      { as: 'anonymous', expect: denied('UNAUTHENTICATED') },
      { as: 'A1', expect: denied('FORBIDDEN'), variables: () => ({ status: 'FAILED' }), note: 'FAILED ones' },
    ],
    controls: [{ as: 'admin', changesB: false, expect: allowed((v) => expect(v.edges).toHaveLength(Math.min(v.totalCount, 20))) }],
  },
];

const A1_NOTIFICATION = 'Alpha: your session is tomorrow';
const titles = (connection: { edges: Array<{ node: { title: string } }> }) => connection.edges.map((e) => e.node.title);

/** Puts B1's notification back to unread (after a control read it). */
async function unreadB(_value: unknown, w: World): Promise<void> {
  await sql('update notification set read_at = null where id = ?', [w.bNotification]);
}

/** The matrix consultant's own profile id. */
async function consultantProfileId(w: World): Promise<string> {
  const rows = await sql('select cp.id from consultant_profile cp join app_user u on u.id = cp.user_id where u.email = ?', [w.consultant.email]);
  return String(rows[0]!.id);
}

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

let server: TestServer;
let world: World;
let newcomers = 0;

const capture = () => server.app.mailer.capture!;

interface GqlResponse {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

async function gql(query: string, variables: Vars = {}, accessToken?: string): Promise<GqlResponse> {
  const { json, text } = await postGraphQL(server.graphqlUrl, { query, variables }, accessToken ? { authorization: `Bearer ${accessToken}` } : {});
  if (!json) throw new Error(`Not a GraphQL response: ${text.slice(0, 500)}`);
  return json as GqlResponse;
}

/** The data of a call that must succeed. */
async function must(query: string, variables: Vars = {}, accessToken?: string): Promise<Record<string, any>> {
  const response = await gql(query, variables, accessToken);
  if (response.errors?.length || !response.data) throw new Error(`Setup call failed: ${JSON.stringify(response.errors)}\n${query}`);
  return response.data;
}

/** Runs `action`, then returns the first mail matching `filter` that was not there before. */
async function mailAfter(filter: MailFilter, action: () => Promise<unknown>): Promise<CapturedMail> {
  const seen = new Set(capture().list(filter).map((m) => m.id));
  await action();
  const deadline = Date.now() + 5000;
  for (;;) {
    const mail = capture().list(filter).find((m) => !seen.has(m.id));
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`No new mail ${JSON.stringify(filter)} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function tokenIn(mail: CapturedMail): string {
  for (const link of mail.links) {
    const token = new URL(link).searchParams.get('token');
    if (token) return token;
  }
  throw new Error(`No ?token= link in mail "${mail.subject}"`);
}

/** A catalog package as it is now (public query). */
async function packageNow(code: string): Promise<Record<string, unknown>> {
  return (await must(`query P($id: ID!) { package(id: $id) { ${PACKAGE} } }`, { id: code })).package;
}

async function resetTokenOf(person: Person): Promise<string> {
  const mail = await mailAfter({ to: person.email, kind: 'password-reset' }, () =>
    must('mutation R($e: String!) { requestPasswordReset(email: $e) }', { e: person.email }),
  );
  return tokenIn(mail);
}

async function invite(ownerToken: string, email: string): Promise<PendingInvitation> {
  let id = '';
  const mail = await mailAfter({ to: email, kind: 'invitation' }, async () => {
    const data = await must('mutation I($e: String!) { inviteMember(email: $e) { id } }', { e: email }, ownerToken);
    id = data.inviteMember.id;
  });
  return { id, email, token: tokenIn(mail) };
}

const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { ${PAYLOAD} } }`;

async function register(
  userType: 'CLIENT' | 'CONSULTANT',
  email: string,
  password: string,
  profile: { firstName: string; lastName: string },
  organizationName?: string,
): Promise<{ person: Person; orgId: string | null; accessToken: string; verifyToken: string }> {
  let payload: any;
  const input = { userType, email, password, profile, ...(organizationName ? { organizationName, organizationType: 'COMPANY' } : {}) };
  const mail = await mailAfter({ to: email, kind: 'verify-email' }, async () => {
    payload = (await must(REGISTER, { input })).register;
  });
  const verifyToken = tokenIn(mail);
  const verified = await must('mutation V($t: String!) { verifyEmail(token: $t) { emailVerified } }', { t: verifyToken });
  expect(verified.verifyEmail.emailVerified).toBe(true);
  return { person: { id: payload.user.id, email, password }, orgId: payload.user.organization?.id ?? null, accessToken: payload.accessToken, verifyToken };
}

/** A new member who accepts the owner's invitation as someone new (verified by accepting). */
async function inviteNewMember(ownerToken: string, email: string, password: string, profile: { firstName: string; lastName: string }): Promise<Person> {
  const { token } = await invite(ownerToken, email);
  const data = await must(`mutation A($t: String!, $p: String, $pr: ProfileInput) { acceptInvitation(token: $t, password: $p, profile: $pr) { ${PAYLOAD} } }`, { t: token, p: password, pr: profile });
  return { id: data.acceptInvitation.user.id, email, password };
}

/** A fresh session of the actor (attempts like logout or switchOrganization end the one they use). */
async function signIn(actor: Actor): Promise<Me | null> {
  if (actor === 'anonymous') return null;
  const person = { A1: world.a1, A2: world.a2, B1: world.b1, consultant: world.consultant, admin: world.admin }[actor];
  const data = await must(`mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { ${PAYLOAD} } }`, { e: person.email, p: person.password });
  return { ...person, accessToken: data.login.accessToken, refreshToken: data.login.refreshToken };
}

// ----- B's data, read with SQL outside the ORM (no tenant filter in the way) -----

type Rows = Array<Record<string, unknown>>;
interface BSnapshot {
  organization: Rows;
  memberships: Rows;
  invitations: Rows;
  users: Rows;
  clientProfiles: Rows;
  sessions: Rows;
  refreshTokens: Rows;
  creditLots: Rows;
  ledger: Rows;
  caps: Rows;
  consultations: Rows;
  statusChanges: Rows;
  feedback: Rows;
  purchases: Rows;
  subscriptions: Rows;
  invoices: Rows;
  creditNotes: Rows;
  billingDetails: Rows;
  notifications: Rows;
  notificationPreferences: Rows;
  calendarFeeds: Rows;
}

async function sql(query: string, params: unknown[] = []): Promise<Rows> {
  return server.app.orm.em.getConnection().execute<Rows>(query, params);
}

async function snapshotB(): Promise<BSnapshot> {
  const org = world.orgB;
  const bUsers = 'select user_id from membership where organization_id = ? union select user_id from client_profile where organization_id = ?';
  const bSessions = `select id from auth_session where organization_id = ? or user_id in (${bUsers})`;
  return {
    organization: await sql('select id, name, type, created_at from organization where id = ?', [org]),
    memberships: await sql('select id, user_id, role, created_at from membership where organization_id = ? order by id', [org]),
    invitations: await sql('select id, email, role, invited_by_id, token_hash, expires_at, accepted_at, revoked_at from invitation where organization_id = ? order by id', [org]),
    users: await sql(`select id, email, role, password_hash, email_verified_at, first_name, last_name, time_zone from app_user where id in (${bUsers}) order by id`, [org, org]),
    clientProfiles: await sql('select id, user_id, code from client_profile where organization_id = ? order by id', [org]),
    sessions: await sql(`select id, user_id, organization_id, revoked_at, revoked_reason from auth_session where id in (${bSessions}) order by id`, [org, org, org]),
    refreshTokens: await sql(`select id, session_id, token_hash, used_at from refresh_token where session_id in (${bSessions}) order by id`, [org, org, org]),
    creditLots: await sql('select id, granted, adjusted, available, reserved, consumed, expired, revoked, expires_at from credit_lot where organization_id = ? order by id', [org]),
    ledger: await sql('select id, lot_id, type, units from credit_ledger_entry where organization_id = ? order by id', [org]),
    caps: await sql('select id, member_id, monthly_sessions, monthly_minutes, total_sessions, total_minutes from member_credit_cap where organization_id = ? order by id', [org]),
    consultations: await sql(
      'select id, code, status, start_at, end_at, held_until, attendees, credit_state, reschedule_count, reschedule_request, outcomes, updated_at from consultation where organization_id = ? order by id',
      [org],
    ),
    statusChanges: await sql('select id, consultation_id, event, to_status from consultation_status_change where organization_id = ? order by id', [org]),
    feedback: await sql('select id, consultation_id, overall from consultation_feedback where organization_id = ? order by id', [org]),
    purchases: await sql('select id, status, amount_amount, credit_lot_id, refunded_at, updated_at from purchase where organization_id = ? order by id', [org]),
    subscriptions: await sql('select id, status, cancel_at_period_end, canceled_at, updated_at from billing_subscription where organization_id = ? order by id', [org]),
    invoices: await sql('select id, number, total_amount from invoice where organization_id = ? order by id', [org]),
    creditNotes: await sql('select id, number, total_amount from credit_note where organization_id = ? order by id', [org]),
    billingDetails: await sql('select id, legal_name, address, tax_id, email, updated_at from billing_details where organization_id = ?', [org]),
    notifications: await sql(`select id, user_id, title, read_at from notification where user_id in (${bUsers}) order by id`, [org, org]),
    notificationPreferences: await sql(`select user_id, email_reminders, email_updates, in_app_reminders, in_app_updates from notification_preference where user_id in (${bUsers}) order by user_id`, [org, org]),
    calendarFeeds: await sql(`select user_id, nonce, secret_hash, rotated_at from calendar_feed where user_id in (${bUsers}) order by user_id`, [org, org]),
  };
}

/** What must never appear in an attacker's response data. */
function identifiersOf(snapshot: BSnapshot): string[] {
  const values = [
    ...snapshot.organization.flatMap((r) => [r.id, r.name]),
    ...snapshot.users.flatMap((r) => [r.id, r.email]),
    ...snapshot.invitations.map((r) => r.id),
    ...snapshot.memberships.map((r) => r.id),
    ...snapshot.clientProfiles.flatMap((r) => [r.id, r.code]),
    ...snapshot.sessions.map((r) => r.id),
    ...snapshot.creditLots.map((r) => r.id),
    ...snapshot.caps.map((r) => r.id),
    ...snapshot.consultations.flatMap((r) => [r.id, r.code]),
    ...snapshot.purchases.map((r) => r.id),
    ...snapshot.subscriptions.map((r) => r.id),
    ...snapshot.invoices.flatMap((r) => [r.id, r.number]),
    ...snapshot.creditNotes.flatMap((r) => [r.id, r.number]),
    ...snapshot.billingDetails.flatMap((r) => [r.id, r.legal_name, r.tax_id, r.email]),
    ...snapshot.notifications.flatMap((r) => [r.id, r.title]),
  ];
  return values.filter((v): v is string => typeof v === 'string');
}

async function run(entry: MatrixEntry, attempt: Attempt, phase: 'attack' | 'control'): Promise<void> {
  const label = `${entry.type}.${entry.operation} as ${attempt.as}${attempt.note ? ` (${attempt.note})` : ''} [${phase}]`;
  const me = await signIn(attempt.as);
  const variables = await (attempt.variables ?? entry.variables)(world, me);
  const before = await snapshotB();
  const response = await gql(entry.document, variables, me?.accessToken);
  const value = response.data?.[entry.operation];

  if (attempt.expect.kind === 'denied') {
    const codes = (response.errors ?? []).map((e) => e.extensions?.code);
    expect(codes, `${label}: ${JSON.stringify(response.errors ?? response.data)}`).toHaveLength(1);
    expect(attempt.expect.codes, `${label}: got ${String(codes[0])}: ${response.errors?.[0]?.message}`).toContain(codes[0]);
    expect(value ?? null, label).toBeNull();
  } else {
    expect(response.errors, label).toBeUndefined();
    await attempt.expect.check?.(value, world, me);
  }

  const after = await snapshotB();
  if (phase === 'attack') {
    const data = JSON.stringify(response.data ?? null);
    const leaked = identifiersOf(before).filter((id) => data.includes(id));
    expect(leaked, `${label} answered with B's data: ${data}`).toEqual([]);
    expect(after, `${label} changed B's data`).toEqual(before);
  } else if (attempt.changesB) {
    // The control proves the snapshot would have caught a change.
    expect(after, `${label} should have changed B's data`).not.toEqual(before);
  } else {
    expect(after, `${label} changed B's data`).toEqual(before);
  }
  if (phase === 'control') await attempt.restore?.(value, world, me);
  // A control's change may still be sending its in-app notifications (the dispatcher runs after
  // commit, beside the meetings job): let them land now, not inside the next entry's snapshots.
  if (phase === 'control' && attempt.changesB) await outboxDrained();
}

async function outboxDrained(): Promise<void> {
  const due = async () => Number((await sql("select count(*)::int as n from notification_delivery where status in ('PENDING', 'SENDING') and next_attempt_at <= now()"))[0]!.n);
  await expect.poll(due, { timeout: 10_000, interval: 50 }).toBe(0);
}

// ---------------------------------------------------------------------------------------------
// World: organizations A and B, a consultant, the seeded admin
// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  // Attacks try B1's email with wrong passwords; a high limit keeps B1 from being locked out
  // of its own positive controls (throttling has its own tests).
  // Payments off: an owner's purchase is SERVICE_UNAVAILABLE before anything is written (the rows below say so).
  server = await startTestServer({ AUTH_LOGIN_MAX_FAILURES: '1000', PAYMENTS_MODE: 'off' });

  const a1 = await register('CLIENT', 'alice.alpha@alpha.test', 'Alpha-Secret-2026!', { firstName: 'Alice', lastName: 'Alpha' }, 'Alpha Industries');
  const b1 = await register('CLIENT', 'bella.bravo@bravo.test', 'Bravo-Secret-2026!', { firstName: 'Bella', lastName: 'Bravo' }, 'Bravo Holdings');
  const consultant = await register('CONSULTANT', 'carla.consult@serenity.test', 'Consult-Secret-2026!', { firstName: 'Carla', lastName: 'Consult' });
  const a2 = await inviteNewMember(a1.accessToken, 'andy.alpha@alpha.test', 'Alpha-Member-2026!', { firstName: 'Andy', lastName: 'Alpha' });
  const b2 = await inviteNewMember(b1.accessToken, 'ben.bravo@bravo.test', 'Bravo-Member-2026!', { firstName: 'Ben', lastName: 'Bravo' });
  const bPending = await invite(b1.accessToken, 'bianca.pending@bravo.test');
  const bOpen = await invite(b1.accessToken, `newcomer.${++newcomers}@bravo.test`);

  // B1 books its free trial with a consultant of its own (the attacking consultant is not assigned).
  const bConsultant = await openAllHoursConsultant(server, { email: 'bruno.booked@serenity.test', firstName: 'Bruno', lastName: 'Booked' });
  const booked = await must(
    'mutation B($input: BookConsultationInput!) { bookConsultation(input: $input) { id code start consultant { id } } }',
    { input: { consultantId: bConsultant.id, start: gridStart(48 * 60).toISOString(), durationMinutes: 15, useFreeTrial: true, purpose: 'Bravo strategy' } },
    b1.accessToken,
  );

  // A settled purchase of B's (free, so no payment provider is involved), written as the purchase flow would.
  const [bPurchaseRow] = await sql(
    `insert into purchase (id, organization_id, package_id, buyer_id, status, amount_amount, amount_currency, created_at, updated_at)
     select gen_random_uuid(), ?, p.id, ?, 'SUCCEEDED', 0, 'USD', now(), now() from package p where p.code = 'PKG-DISCOVERY-ASSESSMENT' returning id`,
    [b1.orgId, b1.person.id],
  );

  const [bSubscriptionRow] = await sql(
    `insert into billing_subscription (id, organization_id, package_id, buyer_id, status, amount_amount, amount_currency, cancel_at_period_end, created_at, updated_at)
     select gen_random_uuid(), ?, p.id, ?, 'ACTIVE', p.price_amount, p.price_currency, false, now(), now() from package p where p.code = 'PKG-QUARTERLY-ADVISORY' returning id`,
    [b1.orgId, b1.person.id],
  );

  const [bInvoiceRow] = await sql(
    `insert into invoice (id, number, organization_id, billed_to, issued_at, lines, total_amount, total_currency, platform_fee_amount, platform_fee_currency, created_at)
     values (gen_random_uuid(), 'INV-1999-000001', ?, 'Bravo Holdings', now(), '[]', 100, 'USD', 15, 'USD', now()) returning id`,
    [b1.orgId],
  );

  const [bCreditNoteRow] = await sql(
    `insert into credit_note (id, number, organization_id, invoice_id, issued_at, lines, total_amount, total_currency, created_at)
     values (gen_random_uuid(), 'CN-1999-000001', ?, ?, now(), '[]', 100, 'USD', now()) returning id`,
    [b1.orgId, bInvoiceRow!.id],
  );
  await sql(
    `insert into billing_details (id, organization_id, legal_name, address, tax_id, email, created_at, updated_at)
     values (gen_random_uuid(), ?, 'Bravo Holdings Legal Ltd', 'Bravo Street 1', 'GB999999999', 'ap@bravo.example', now(), now())`,
    [b1.orgId],
  );

  // In-app notifications, made as the dispatcher makes them: B1's is the target, A1's its own.
  const bNotification = await notify(server.app.orm.em.fork(), b1.person.id, 'Bravo: your session is tomorrow');
  await notify(server.app.orm.em.fork(), a1.person.id, A1_NOTIFICATION);
  const [bNotificationRow] = await sql('select id from notification where delivery_id = ?', [bNotification.id]);

  const adminLogin = await must(`mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { ${PAYLOAD} } }`, {
    e: 'admin@serenity.local',
    p: 'Serenity-Demo-2026!',
  });

  world = {
    orgA: a1.orgId!,
    orgB: b1.orgId!,
    orgBName: 'Bravo Holdings',
    a1: a1.person,
    a2,
    b1: b1.person,
    b2,
    consultant: consultant.person,
    admin: { id: adminLogin.login.user.id, email: 'admin@serenity.local', password: 'Serenity-Demo-2026!' },
    bPending,
    bOpen,
    b1VerifyToken: b1.verifyToken,
    bPurchase: String(bPurchaseRow!.id),
    bSubscription: String(bSubscriptionRow!.id),
    bInvoice: String(bInvoiceRow!.id),
    bCreditNote: String(bCreditNoteRow!.id),
    bNotification: String(bNotificationRow!.id),
    bConsultation: { id: booked.bookConsultation.id, code: booked.bookConsultation.code, consultantId: bConsultant.id, start: booked.bookConsultation.start },
  };
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

const schemaSdl = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

describe('attacker matrix: the table itself', () => {
  it('lists every Query and Mutation root field of schema.graphql (new operations must join), and nothing else', () => {
    const schema = buildSchema(schemaSdl);
    const inSchema = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
    ].sort();
    const inMatrix = [...new Set(MATRIX.map((e) => `${e.type}.${e.operation}`))].sort();
    expect(inSchema.filter((f) => !inMatrix.includes(f)), 'root fields missing from MATRIX in test/tenancy/attacker-matrix.test.ts').toEqual([]);
    expect(inMatrix.filter((f) => !inSchema.includes(f)), 'MATRIX entries for fields that no longer exist').toEqual([]);
    const subscriptions = Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).sort();
    expect(subscriptions, 'subscriptions missing from LIVE_MATRIX (or listed there and gone)').toEqual(Object.keys(LIVE_MATRIX).sort());
  });

  it('every entry is a valid document for its root field and runs as every attacker', () => {
    const schema = buildSchema(schemaSdl);
    for (const entry of MATRIX) {
      const label = `${entry.type}.${entry.operation}`;
      const document = parse(entry.document);
      expect(validate(schema, document), label).toEqual([]);
      const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      expect(operations, label).toHaveLength(1);
      const operation = operations[0]!;
      expect(operation.operation, label).toBe(entry.type === 'Query' ? 'query' : 'mutation');
      const fields = operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : s.kind));
      expect(fields, label).toEqual([entry.operation]);
      const attackers = new Set(entry.attacks.map((a) => a.as));
      for (const attacker of ATTACKERS) expect(attackers.has(attacker), `${label} must run as ${attacker}`).toBe(true);
      expect(entry.why.length, `${label} must say what it checks`).toBeGreaterThan(20);
    }
  });
});

describe('attacker matrix: nobody outside B reaches B’s data', () => {
  it('the world is what the matrix assumes', async () => {
    const members = await sql('select user_id, role from membership where organization_id = ? order by role desc', [world.orgB]);
    expect(members).toEqual(expect.arrayContaining([{ user_id: world.b1.id, role: 'OWNER' }, { user_id: world.b2.id, role: 'MEMBER' }]));
    const aMembers = await sql('select user_id from membership where organization_id = ?', [world.orgA]);
    expect(aMembers.map((r) => r.user_id).sort()).toEqual([world.a1.id, world.a2.id].sort());
    const pending = await sql('select id from invitation where organization_id = ? and accepted_at is null and revoked_at is null', [world.orgB]);
    expect(pending.map((r) => r.id).sort()).toEqual([world.bPending.id, world.bOpen.id].sort());
    const people = [world.a1.id, world.a2.id, world.b1.id, world.b2.id, world.consultant.id];
    const verified = await sql(`select email from app_user where email_verified_at is not null and id in (${people.map(() => '?').join(', ')})`, people);
    expect(verified).toHaveLength(5);
  });

  for (const entry of MATRIX) {
    const expected = entry.attacks.map((a) => `${a.as}→${a.expect.kind === 'denied' ? a.expect.codes.join('|') : 'allowed, no B data'}`).join(', ');
    it(`${entry.type}.${entry.operation}: ${expected}`, async () => {
      for (const attempt of entry.attacks) await run(entry, attempt, 'attack');
      for (const control of entry.controls) await run(entry, control, 'control');
    });
  }
});

describe('tenant filter is fail-closed (I12)', () => {
  const fork = (): EntityManager => server.app.orm.em.fork();
  const TENANT_OWNED: Array<EntityClass<object>> = [Membership, Invitation, ClientProfile];

  it('an EntityManager with no tenant scope refuses to query tenant-owned rows', async () => {
    for (const entity of TENANT_OWNED) {
      await expect(fork().find(entity, {}), entity.name).rejects.toThrow("No arguments provided for filter 'tenant'");
    }
    await expect(fork().count(Membership, { organization: world.orgB })).rejects.toThrow("No arguments provided for filter 'tenant'");
  });

  it('scope { none: true } finds nothing', async () => {
    for (const entity of TENANT_OWNED) {
      expect(await scopeToTenant(fork(), { none: true }).find(entity, {}), entity.name).toEqual([]);
    }
  });

  it('scope { organizationId: A } finds only A’s rows, even when asked for B’s', async () => {
    const em = scopeToTenant(fork(), { organizationId: world.orgA });
    const memberships = await em.find(Membership, {}, { populate: ['user'] });
    expect(memberships.map((m) => m.user.id).sort()).toEqual([world.a1.id, world.a2.id].sort());
    expect(memberships.every((m) => m.organization.id === world.orgA)).toBe(true);
    expect(await em.find(Membership, { organization: world.orgB })).toEqual([]);
    expect(await em.find(Membership, { user: world.b1.id })).toEqual([]);
    expect(await em.findOne(Invitation, world.bPending.id)).toBeNull();
    expect(await em.find(ClientProfile, { organization: world.orgB })).toEqual([]);
    const invitations = await em.find(Invitation, {});
    expect(invitations.every((i) => i.organization.id === world.orgA)).toBe(true);
  });

  it('scope { all: true } finds every organization’s rows', async () => {
    const em = scopeToTenant(fork(), { all: true });
    const [{ count }] = (await sql('select count(*)::int as count from membership')) as [{ count: number }];
    const memberships = await em.find(Membership, {});
    expect(memberships).toHaveLength(count);
    const organizations = new Set(memberships.map((m) => m.organization.id));
    expect(organizations.has(world.orgA) && organizations.has(world.orgB)).toBe(true);
    expect(await em.findOne(Invitation, world.bPending.id)).not.toBeNull();
  });

  it('every entity with an organization relation carries the tenant filter (a new one must, or be listed here with a reason)', () => {
    const NOT_TENANT_OWNED: Record<string, string> = {
      // A signed-in device of a user; its organization is only the one its tokens name.
      Session: 'belongs to a user, not to an organization',
    };
    const missing: string[] = [];
    for (const meta of server.app.orm.getMetadata().getAll().values()) {
      const refersToOrganization = Object.values(meta.properties).some((p) => p.kind !== ReferenceKind.SCALAR && p.type === 'Organization');
      if (!refersToOrganization || meta.className in NOT_TENANT_OWNED) continue;
      if (!meta.filters?.[TENANT_FILTER.name]) missing.push(meta.className);
    }
    expect(missing).toEqual([]);
  });
});

describe('found by the matrix', () => {
  // Invitation.organization is an unloaded reference where invitations are read back
  // (pendingInvitations, revokeInvitation), so any field but id is null and the non-null
  // Organization.name fails the whole answer with INTERNAL_SERVER_ERROR.
  it('Invitation.organization resolves all its fields for invitations and revokeInvitation', async () => {
    const b1 = await signIn('B1');
    const list = await gql('{ invitations { id organization { id name type } } }', {}, b1!.accessToken);
    expect(list.errors).toBeUndefined();
    expect(list.data!.invitations.length).toBeGreaterThan(0);
    for (const invitation of list.data!.invitations) expect(invitation.organization).toMatchObject({ id: world.orgB, name: world.orgBName, type: 'COMPANY' });

    const target = await invite(b1!.accessToken, 'revoke.me@bravo.test');
    const revoked = await gql('mutation R($id: ID!) { revokeInvitation(id: $id) { status organization { id name } } }', { id: target.id }, b1!.accessToken);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeInvitation).toEqual({ status: 'REVOKED', organization: { id: world.orgB, name: world.orgBName } });
  });
});

// ---------------------------------------------------------------------------------------------
// Subscriptions: every attacker subscribed to everything it may ask for receives none of B's
// events; what it may not ask for is refused. Controls (B1, the admin) receive B's events, so
// the silence is not vacuous. Last in the file: the events change B.
// ---------------------------------------------------------------------------------------------

interface LiveAttempt {
  as: Actor;
  variables: (w: World) => Vars;
  /** Refused at subscribe with this code; absent: allowed, and must receive nothing of B. */
  refused?: ErrorCode;
}
const everyAttacker = (variables: (w: World) => Vars): LiveAttempt[] => ATTACKERS.map((as) => ({ as, variables, ...(as === 'anonymous' ? { refused: 'UNAUTHENTICATED' as const } : {}) }));
const LIVE_MATRIX: Record<string, { document: string; attacks: LiveAttempt[]; control: LiveAttempt }> = {
  consultationUpdated: {
    document: 'subscription S($id: ID) { consultationUpdated(id: $id) { id code client { id organizationName } } }',
    attacks: [
      ...everyAttacker(() => ({})),
      ...(['A1', 'A2', 'consultant'] as const).map((as) => ({ as, variables: (w: World) => ({ id: w.bConsultation.id }), refused: 'NOT_FOUND' as const })),
    ],
    control: { as: 'B1', variables: () => ({}) },
  },
  consultantSchedule: {
    document: 'subscription S($c: ID!) { consultantSchedule(consultantId: $c) { kind consultation { id code } } }',
    attacks: [
      ...ATTACKERS.map((as) => ({ as, variables: (w: World) => ({ c: w.bConsultation.consultantId }), refused: as === 'anonymous' ? ('UNAUTHENTICATED' as const) : ('FORBIDDEN' as const) })),
      // Its own schedule: allowed, and B's consultation is with another consultant.
      { as: 'consultant', variables: () => ({ c: liveOwnProfile }) },
    ],
    control: { as: 'admin', variables: (w) => ({ c: w.bConsultation.consultantId }) },
  },
  creditBalanceChanged: {
    document: 'subscription S($o: ID) { creditBalanceChanged(organizationId: $o) { availableCredits lots { id } } }',
    attacks: [
      ...(['A1', 'A2'] as const).map((as) => ({ as, variables: () => ({}) })),
      ...(['A1', 'A2'] as const).map((as) => ({ as, variables: (w: World) => ({ o: w.orgB }), refused: 'NOT_FOUND' as const })),
      { as: 'consultant', variables: () => ({}), refused: 'FORBIDDEN' },
      { as: 'anonymous', variables: () => ({}), refused: 'UNAUTHENTICATED' },
    ],
    control: { as: 'B1', variables: () => ({}) },
  },
  notificationReceived: {
    document: 'subscription S { notificationReceived { id title } }',
    attacks: everyAttacker(() => ({})),
    control: { as: 'B1', variables: () => ({}) },
  },
};
let liveOwnProfile = '';

describe('attacker matrix: subscriptions', () => {
  it('nobody outside B receives B’s events or may follow B’s consultation, schedule or balance; B1 and the admin do', { timeout: 60_000 }, async () => {
    liveOwnProfile = await consultantProfileId(world);
    const clients: Array<{ dispose(): unknown }> = [];
    const open = async (attempt: LiveAttempt, document: string): Promise<LiveSubscription<Record<string, unknown>>> => {
      const me = await signIn(attempt.as);
      const { client } = liveClient(server.graphqlUrl, me?.accessToken);
      clients.push(client);
      return subscribe(client, document, attempt.variables(world));
    };
    try {
      const before = await metric(server.graphqlUrl, 'serenity_live_subscriptions');
      const silent: Array<{ label: string; live: LiveSubscription<Record<string, unknown>> }> = [];
      const controls: Array<{ label: string; live: LiveSubscription<Record<string, unknown>> }> = [];
      for (const [operation, entry] of Object.entries(LIVE_MATRIX)) {
        for (const attack of entry.attacks) {
          const label = `${operation} as ${attack.as} ${JSON.stringify(attack.variables(world))}`;
          const live = await open(attack, entry.document);
          if (attack.refused) expect(JSON.stringify(await live.error()), label).toContain(`"code":"${attack.refused}"`);
          else silent.push({ label, live });
        }
        controls.push({ label: `${operation} as ${entry.control.as}`, live: await open(entry.control, entry.document) });
      }
      await subscribersAtLeast(server.graphqlUrl, before + silent.length + controls.length);

      // B's events: a credit movement, a booking (a consultation change), an in-app notification.
      const admin = await signIn('admin');
      await must(
        'mutation G($input: GrantCreditsInput!) { grantCredits(input: $input) { id } }',
        { input: { organizationId: world.orgB, source: 'PROMOTIONAL', kind: 'SESSION', units: 1, sessionMinutes: 60, validityDays: 30, reason: 'Live matrix' } },
        admin!.accessToken,
      );
      const b1 = await signIn('B1');
      await must(
        'mutation B($input: BookConsultationInput!) { bookConsultation(input: $input) { id } }',
        { input: { consultantId: world.bConsultation.consultantId, start: gridStart(20 * 24 * 60 + 120).toISOString(), durationMinutes: 60, purpose: 'Live matrix' } },
        b1!.accessToken,
      );
      await notify(server.app.orm.em.fork(), world.b1.id, 'Bravo: live', { events: new DomainEvents(EVENT_HANDLERS) });

      for (const control of controls) await control.live.event(0, 10_000).catch(() => expect.fail(`${control.label} received nothing: the attacks would pass vacuously`));
      // Every instance delivers an event to all its subscribers together; a little more for the slowest reload.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const identifiers = identifiersOf(await snapshotB());
      for (const { label, live } of silent) {
        expect(live.errors, label).toEqual([]);
        const seen = JSON.stringify(live.events);
        expect(identifiers.filter((id) => seen.includes(id)), `${label} received B's data`).toEqual([]);
        expect(live.events, label).toEqual([]);
      }
    } finally {
      for (const client of clients) await client.dispose();
    }
  });
});
