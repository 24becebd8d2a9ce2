import type { GraphQLError } from 'graphql';
import { notListening } from '../../src/platform/live.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AuthService } from '../../src/identity/auth.service.js';
import { resolveCaller } from '../../src/identity/caller.js';
import { OrganizationService } from '../../src/identity/organization.service.js';
import { requireVerified } from '../../src/platform/auth.js';
import type { AppServices } from '../../src/platform/context.js';
import type { EntityManager, MikroORM } from '../../src/platform/db.js';
import { DomainEvents, type DomainEventMap } from '../../src/platform/events.js';
import { createMailer, type Mailer } from '../../src/platform/mailer.js';
import { scopeToTenant } from '../../src/platform/tenant.js';
import { expectError, gql, gqlOk } from '../support/graphql.js';
import {
  AUTH_PAYLOAD,
  PASSWORD,
  USER_FIELDS,
  login,
  mailToken,
  newerMailToken,
  me,
  registerClient,
  registerConsultant,
  sql,
  uniqueEmail,
  verify,
  type AuthPayloadJson,
  type MeUser,
} from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const CLIENT_CODE = /^CLI-GLOBEX-\d{8}-\d{3}$/;
const VERIFY_EMAIL = `mutation($token: String!) { verifyEmail(token: $token) { ${USER_FIELDS} } }`;
const REFRESH = `mutation($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { ${AUTH_PAYLOAD} } }`;
const REQUEST_RESET = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
const RESET = 'mutation($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }';
const INVITE = 'mutation($email: String!, $role: OrgRole) { inviteMember(email: $email, role: $role) { id email role status organization { id name } } }';
const ACCEPT = `mutation($token: String!, $password: String, $profile: ProfileInput, $timeZone: TimeZone) {
  acceptInvitation(token: $token, password: $password, profile: $profile, timeZone: $timeZone) { ${AUTH_PAYLOAD} }
}`;
const MEMBERS = 'query { members { role user { id email } } }';
const ORGANIZATION = 'query { organization { id name type } }';
const REMOVE_MEMBER = 'mutation($userId: ID!) { removeMember(userId: $userId) }';
const SWITCH = `mutation($organizationId: ID!) { switchOrganization(organizationId: $organizationId) { ${AUTH_PAYLOAD} } }`;
const LOGOUT = 'mutation { logout }';

async function meOk(token: string): Promise<MeUser> {
  const result = await me(server, token);
  expect(result.errors).toEqual([]);
  return result.data!.me!;
}

async function expectSignedOut(token: string): Promise<void> {
  expectError(await me(server, token), 'UNAUTHENTICATED', /session has ended/);
}

/** The caller a real access token amounts to, as the server resolves it for a request. */
async function callerOf(token: string) {
  return resolveCaller(server.app.orm.em.fork(), `Bearer ${token}`, server.config.jwtSecret);
}

describe('the client journey through GraphQL', () => {
  it('register → unverified → verify (once) → login → refresh → reuse revokes → reset → old sessions dead', async () => {
    const email = uniqueEmail('wile.coyote');

    // Register a client with its organization: signed in at once, not yet verified.
    const registered = await registerClient(server, { email, organizationName: 'Globex Inc', organizationType: 'COMPANY' });
    expect(registered.accessToken).toBeTruthy();
    expect(registered.refreshToken).toBeTruthy();
    const fresh = await meOk(registered.accessToken);
    expect(fresh).toMatchObject({
      email,
      role: 'CLIENT',
      roles: ['CLIENT'],
      emailVerified: false,
      emailVerifiedAt: null,
      firstName: 'Wile',
      lastName: 'Coyote',
      displayName: 'Wile Coyote',
      timeZone: 'Europe/Berlin',
      organizationRole: 'OWNER',
      organization: { name: 'Globex Inc', type: 'COMPANY' },
      consultantProfile: null,
    });
    expect(fresh.clientProfile?.code).toMatch(CLIENT_CODE);
    expect(fresh.clientProfile?.organization.id).toBe(fresh.organization!.id);
    expect(fresh.organizations).toEqual([{ active: true, role: 'OWNER', organization: { id: fresh.organization!.id, name: 'Globex Inc' } }]);

    // Unverified: booking and buying are refused (the one guard, requireVerified, as the server resolves this caller).
    const unverified = await callerOf(registered.accessToken);
    expect(unverified).toMatchObject({ userId: fresh.id, role: 'CLIENT', emailVerified: false, orgRole: 'OWNER' });
    const refusal = (() => {
      try {
        requireVerified({ caller: unverified });
        return undefined;
      } catch (error) {
        return error as GraphQLError;
      }
    })();
    expect(refusal?.extensions.code).toBe('FORBIDDEN');
    expect(refusal?.message).toMatch(/^Verify your email address before you book or buy/);
    expect(refusal?.message).toContain('resendVerification');
    expect(() => requireVerified({ caller: unverified }, 'buy credits')).toThrow(/before you buy credits/);
    // Through GraphQL: `me` says unverified, and the one operation guarded today (inviting) is refused.
    expect(fresh.emailVerified).toBe(false);
    const colleague = uniqueEmail('colleague');
    expectError(await gql(server, INVITE, { email: colleague }, registered.accessToken), 'FORBIDDEN', /^Verify your email address before you invite colleagues/);
    expect(server.app.mailer.capture!.list({ to: colleague })).toEqual([]);

    // Verify with the emailed link's token; the same token a second time is refused.
    const verifyToken = await mailToken(server, email, 'verify-email');
    const verified = await gqlOk<{ verifyEmail: MeUser }>(server, VERIFY_EMAIL, { token: verifyToken });
    expect(verified.verifyEmail).toMatchObject({ id: fresh.id, emailVerified: true });
    expect(verified.verifyEmail.emailVerifiedAt).not.toBeNull();
    expect((await meOk(registered.accessToken)).emailVerified).toBe(true);
    expect(requireVerified({ caller: await callerOf(registered.accessToken) }).userId).toBe(fresh.id);
    expectError(await gql(server, VERIFY_EMAIL, { token: verifyToken }), 'BAD_USER_INPUT', /already used/, 'token');

    // Login, then refresh: the new tokens work.
    const first = await login(server, email, PASSWORD);
    expect(first.user.organization?.name).toBe('Globex Inc');
    const rotated = (await gqlOk<{ refreshToken: AuthPayloadJson }>(server, REFRESH, { refreshToken: first.refreshToken })).refreshToken;
    // (The access token may equal the first one: same session and claims, signed in the same second.)
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect(rotated.user).toMatchObject({ id: fresh.id, organizationRole: 'OWNER', organization: { name: 'Globex Inc' } });
    expect((await meOk(rotated.accessToken)).id).toBe(fresh.id);

    // Reusing the old refresh token: refused, and the whole family (session) is revoked.
    expectError(await gql(server, REFRESH, { refreshToken: first.refreshToken }), 'UNAUTHENTICATED', /already used.*session has been ended/);
    expectError(await gql(server, REFRESH, { refreshToken: rotated.refreshToken }), 'UNAUTHENTICATED', /session has ended/);
    await expectSignedOut(rotated.accessToken);
    await expectSignedOut(first.accessToken);
    // Another session (the one registration opened) is another family: untouched.
    expect((await meOk(registered.accessToken)).id).toBe(fresh.id);
    const other = await login(server, email, PASSWORD);

    // Password reset: same answer for an unknown email, and no mail to it.
    const unknown = uniqueEmail('nobody');
    expect(await gqlOk(server, REQUEST_RESET, { email })).toEqual({ requestPasswordReset: true });
    expect(await gqlOk(server, REQUEST_RESET, { email: unknown })).toEqual({ requestPasswordReset: true });
    expect(server.app.mailer.capture!.list({ to: unknown })).toEqual([]);
    const resetToken = await mailToken(server, email, 'password-reset');
    const newPassword = 'Brand-New-Secret-77';
    expect(await gqlOk(server, RESET, { token: resetToken, newPassword })).toEqual({ resetPassword: true });

    // Every session that existed is over; the old password no longer signs in, the new one does.
    await expectSignedOut(registered.accessToken);
    await expectSignedOut(other.accessToken);
    expectError(await gql(server, REFRESH, { refreshToken: other.refreshToken }), 'UNAUTHENTICATED');
    expectError(await gql(server, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: email, p: PASSWORD }), 'UNAUTHENTICATED', 'Wrong email or password.');
    const after = await login(server, email, newPassword);
    expect((await meOk(after.accessToken)).id).toBe(fresh.id);
  });

  it('verification works from a resent link, and the older link then stops working', async () => {
    const client = await registerClient(server);
    const original = await mailToken(server, client.email, 'verify-email');
    expect(await gqlOk(server, 'mutation($email: String!) { resendVerification(email: $email) }', { email: client.email.toUpperCase() })).toEqual({ resendVerification: true });
    const resent = await newerMailToken(server, client.email, 'verify-email', original);
    expect(resent).not.toBe(original);
    expectError(await gql(server, VERIFY_EMAIL, { token: original }), 'BAD_USER_INPUT', /already used/, 'token');
    expect((await verify(server, client.email)).emailVerified).toBe(true);
  });

  it('logout ends the session: its access and refresh tokens stop working, other sessions stay', async () => {
    const client = await registerClient(server);
    const second = await login(server, client.email, client.password);
    expect(await gqlOk(server, LOGOUT, {}, second.accessToken)).toEqual({ logout: true });
    await expectSignedOut(second.accessToken);
    expectError(await gql(server, REFRESH, { refreshToken: second.refreshToken }), 'UNAUTHENTICATED', /session has ended/);
    expect((await meOk(client.accessToken)).email).toBe(client.email);
    // Without a token there is nobody to sign out.
    expectError(await gql(server, LOGOUT), 'UNAUTHENTICATED');
  });

  it('a consultant registers with a CON- code and no organization', async () => {
    const consultant = await registerConsultant(server, { lastName: 'White' });
    const profile = await meOk(consultant.accessToken);
    expect(profile).toMatchObject({
      role: 'CONSULTANT',
      roles: ['CONSULTANT'],
      emailVerified: false,
      timeZone: 'America/New_York',
      organization: null,
      organizationRole: null,
      organizations: [],
      clientProfile: null,
    });
    expect(profile.consultantProfile?.code).toMatch(/^CON-WHITE-\d{8}-\d{3}$/);
    // Organization operations are for clients.
    expectError(await gql(server, MEMBERS, {}, consultant.accessToken), 'FORBIDDEN');
  });

  it('emails are case-insensitive: stored lower-cased, signed in with any case', async () => {
    const client = await registerClient(server, { email: 'Mixed.Case@Globex.TEST' });
    expect(client.user.email).toBe('mixed.case@globex.test');
    expect((await login(server, 'MIXED.CASE@globex.test', client.password)).user.id).toBe(client.user.id);
    expect((await verify(server, 'mixed.case@globex.test')).emailVerified).toBe(true);
  });

  it('me is null without a token, and a malformed or forged token is UNAUTHENTICATED', async () => {
    expect(await gqlOk(server, 'query { me { id } }')).toEqual({ me: null });
    expectError(await gql(server, 'query { me { id } }', {}, 'not-a-jwt'), 'UNAUTHENTICATED', /Invalid access token/);
    const client = await registerClient(server);
    const [header, payload] = client.accessToken.split('.');
    expectError(await gql(server, 'query { me { id } }', {}, `${header}.${payload}.forged-signature`), 'UNAUTHENTICATED', /Invalid access token/);
    expectError(await gql(server, 'query { me { id } }', {}, undefined, { authorization: 'Basic abc' }), 'UNAUTHENTICATED', /Malformed Authorization header/);
  });
});

describe('organization members and invitations', () => {
  async function invite(ownerToken: string, email: string, role = 'MEMBER') {
    return (await gqlOk<{ inviteMember: { id: string; email: string; role: string; status: string; organization: { id: string; name: string } } }>(server, INVITE, { email, role }, ownerToken))
      .inviteMember;
  }

  it('an owner invites a new person who accepts, sees the organization, and loses it when removed', async () => {
    const owner = await registerClient(server, { organizationName: 'Globex Inc' });
    await verify(server, owner.email);
    const bobEmail = uniqueEmail('bob');

    const invitation = await invite(owner.accessToken, bobEmail.toUpperCase());
    expect(invitation).toMatchObject({ email: bobEmail, role: 'MEMBER', status: 'PENDING', organization: { name: 'Globex Inc' } });
    const mail = await server.app.mailer.capture!.waitFor({ to: bobEmail, kind: 'invitation' });
    expect(mail.subject).toBe('Join Globex Inc on Serenity');
    expect(mail.text).toContain('Wile Coyote invites you to join Globex Inc');
    const token = await mailToken(server, bobEmail, 'invitation');
    expect((await gqlOk<{ invitations: Array<{ email: string }> }>(server, 'query { invitations { email status } }', {}, owner.accessToken)).invitations).toEqual([
      { email: bobEmail, status: 'PENDING' },
    ]);

    // Bob is new: names and a password make his (verified) client account.
    const accepted = (
      await gqlOk<{ acceptInvitation: AuthPayloadJson }>(server, ACCEPT, {
        token,
        password: 'Bobs-Own-Secret-1',
        profile: { firstName: 'Bob', lastName: 'Builder', title: 'Analyst' },
        timeZone: 'Asia/Tokyo',
      })
    ).acceptInvitation;
    const bob = await meOk(accepted.accessToken);
    expect(bob).toMatchObject({
      email: bobEmail,
      role: 'CLIENT',
      emailVerified: true,
      firstName: 'Bob',
      timeZone: 'Asia/Tokyo',
      organizationRole: 'MEMBER',
      organization: { name: 'Globex Inc', id: invitation.organization.id },
    });
    expect(bob.clientProfile?.code).toMatch(CLIENT_CODE);
    const members = (await gqlOk<{ members: Array<{ role: string; user: { id: string; email: string } }> }>(server, MEMBERS, {}, accepted.accessToken)).members;
    expect(members.map((m) => [m.user.email, m.role])).toEqual([
      [owner.email, 'OWNER'],
      [bobEmail, 'MEMBER'],
    ]);
    expect((await gqlOk(server, ORGANIZATION, {}, accepted.accessToken)).organization).toMatchObject({ name: 'Globex Inc' });
    // The invitation is used up, and no longer pending.
    expectError(await gql(server, ACCEPT, { token, password: 'Bobs-Own-Secret-1' }), 'BAD_USER_INPUT', /already used/, 'token');
    expect((await gqlOk(server, 'query { invitations { email } }', {}, owner.accessToken)).invitations).toEqual([]);
    // Members do not manage members.
    expectError(await gql(server, REMOVE_MEMBER, { userId: owner.user.id }, accepted.accessToken), 'FORBIDDEN', /Only an owner/);

    // Removed: Bob's token no longer reads the organization's data. His session "loses the
    // organization" (schema: removeMember) — he stays signed in as a client without one.
    expect(await gqlOk(server, REMOVE_MEMBER, { userId: bob.id }, owner.accessToken)).toEqual({ removeMember: true });
    expectError(await gql(server, MEMBERS, {}, accepted.accessToken), 'FORBIDDEN', /not a member of an organization/);
    expectError(await gql(server, ORGANIZATION, {}, accepted.accessToken), 'FORBIDDEN', /not a member of an organization/);
    const removed = await meOk(accepted.accessToken);
    expect(removed).toMatchObject({ organizations: [], organization: null, organizationRole: null });
    expect((await gqlOk(server, MEMBERS, {}, owner.accessToken)).members).toHaveLength(1);
  });

  it('an existing client of another organization accepts while signed in, then switches between the two', async () => {
    const owner = await registerClient(server, { organizationName: 'Globex Inc' });
    await verify(server, owner.email);
    const carol = await registerClient(server, { email: uniqueEmail('carol', 'initech.test'), organizationName: 'Initech', organizationType: 'ENTERPRISE', firstName: 'Carol' });
    const initechId = carol.user.organization!.id;
    const invitation = await invite(owner.accessToken, carol.email);
    const globexId = invitation.organization.id;
    const token = await mailToken(server, carol.email, 'invitation');

    const joined = (await gqlOk<{ acceptInvitation: AuthPayloadJson }>(server, ACCEPT, { token }, carol.accessToken)).acceptInvitation;
    expect(joined.user).toMatchObject({ email: carol.email, organizationRole: 'MEMBER', organization: { id: globexId, name: 'Globex Inc' }, emailVerified: true });
    const memberships = (await meOk(joined.accessToken)).organizations;
    expect(memberships.map((m) => [m.organization.name, m.role, m.active]).sort()).toEqual([
      ['Globex Inc', 'MEMBER', true],
      ['Initech', 'OWNER', false],
    ]);
    const globexMembers = (await gqlOk(server, MEMBERS, {}, joined.accessToken)).members as Array<{ user: { email: string } }>;
    expect(globexMembers.map((m) => m.user.email)).toEqual([owner.email, carol.email]);

    const toInitech = (await gqlOk<{ switchOrganization: AuthPayloadJson }>(server, SWITCH, { organizationId: initechId }, joined.accessToken)).switchOrganization;
    expect(toInitech.user).toMatchObject({ organizationRole: 'OWNER', organization: { id: initechId, name: 'Initech', type: 'ENTERPRISE' } });
    expect((await gqlOk(server, ORGANIZATION, {}, toInitech.accessToken)).organization).toMatchObject({ id: initechId });
    expect(((await gqlOk(server, MEMBERS, {}, toInitech.accessToken)).members as Array<{ user: { email: string } }>).map((m) => m.user.email)).toEqual([carol.email]);

    const back = (await gqlOk<{ switchOrganization: AuthPayloadJson }>(server, SWITCH, { organizationId: globexId }, toInitech.accessToken)).switchOrganization;
    expect((await meOk(back.accessToken))).toMatchObject({ organizationRole: 'MEMBER', organization: { id: globexId } });

    // Not an organization of hers: NOT_FOUND, whoever owns it.
    const stranger = await registerClient(server, { organizationName: 'Umbrella' });
    expectError(await gql(server, SWITCH, { organizationId: stranger.user.organization!.id }, back.accessToken), 'NOT_FOUND', undefined, 'id');
  });

  it('accepting for an existing account needs its password (or its session): a wrong password fails and leaves the invitation usable', async () => {
    const owner = await registerClient(server, { organizationName: 'Globex Inc' });
    await verify(server, owner.email);
    const dave = await registerClient(server, { email: uniqueEmail('dave', 'hooli.test'), organizationName: 'Hooli' });
    await invite(owner.accessToken, dave.email);
    const token = await mailToken(server, dave.email, 'invitation');
    const before = await sql(server, 'SELECT count(*)::int AS n FROM membership');

    expectError(await gql(server, ACCEPT, { token, password: 'Not-Daves-Password-9' }), 'UNAUTHENTICATED', /exists: sign in as it, or give its password/);
    expectError(await gql(server, ACCEPT, { token }), 'UNAUTHENTICATED', /exists/);
    // Signed in as someone else is not proof either.
    expectError(await gql(server, ACCEPT, { token }, owner.accessToken), 'UNAUTHENTICATED', /exists/);
    expect(await sql(server, 'SELECT count(*)::int AS n FROM membership')).toEqual(before);

    const joined = (await gqlOk<{ acceptInvitation: AuthPayloadJson }>(server, ACCEPT, { token, password: dave.password })).acceptInvitation;
    expect(joined.user).toMatchObject({ email: dave.email, organizationRole: 'MEMBER', organization: { name: 'Globex Inc' } });
  });
});

describe("domain event 'client.verified' (service level)", () => {
  let harness: ServiceHarness;
  let orm: MikroORM;
  let mailer: Mailer;
  const logger = pino({ level: 'silent' });
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp' });

  beforeAll(async () => {
    harness = await startServiceHarness();
    ({ orm } = harness);
    mailer = await createMailer({ smtpUrl: undefined, from: 'Serenity <no-reply@serenity.test>', logger });
  });
  afterAll(async () => {
    await mailer.close();
    await harness.stop();
  });

  type Payload = DomainEventMap['client.verified'];
  const services = (handler: (payload: Payload, em: EntityManager) => Promise<void>): AppServices => ({
    config,
    mailer,
    events: new DomainEvents({ 'client.verified': [handler] }),
    live: notListening,
    payments: null,
  });
  /** A request-like EntityManager: forked, and scoped as for an anonymous caller. */
  const requestEm = () => scopeToTenant(orm.em.fork(), { none: true });
  const noEvents = () =>
    services(async () => {
      throw new Error('no event expected here');
    });

  async function registered(userType: 'CLIENT' | 'CONSULTANT') {
    const email = uniqueEmail(userType.toLowerCase(), 'events.test');
    const result = await new AuthService(requestEm(), noEvents(), logger).register({
      userType,
      email,
      password: PASSWORD,
      profile: { firstName: 'Eve', lastName: 'Event' },
      ...(userType === 'CLIENT' ? { organizationName: 'Globex Inc', organizationType: 'COMPANY' as const } : {}),
    });
    const mail = await mailer.capture!.waitFor({ to: email, kind: 'verify-email' });
    const token = new URL(mail.links[0]!).searchParams.get('token')!;
    return { ...result, email, token };
  }

  const state = async (userId: string) => {
    const [row] = await orm.em
      .fork()
      .getConnection()
      .execute<Array<{ verified_at: Date | null; used_at: Date | null }>>(
        "SELECT u.email_verified_at AS verified_at, t.used_at FROM app_user u JOIN one_time_token t ON t.user_id = u.id AND t.purpose = 'VERIFY_EMAIL' WHERE u.id = ?",
        [userId],
      );
    return row!;
  };

  it("a client's verification emits {userId, organizationId} once, inside the verifying transaction", async () => {
    const client = await registered('CLIENT');
    const seen: Array<{ payload: Payload; inTransaction: boolean; verifiedInside: boolean; verifiedOutside: boolean }> = [];
    const handler = async (payload: Payload, em: EntityManager) => {
      const query = 'SELECT email_verified_at FROM app_user WHERE id = ?';
      const [inside] = await em.getConnection().execute<Array<{ email_verified_at: Date | null }>>(query, [payload.userId], 'all', em.getTransactionContext());
      const [outside] = await orm.em.fork().getConnection().execute<Array<{ email_verified_at: Date | null }>>(query, [payload.userId]);
      seen.push({ payload, inTransaction: em.isInTransaction(), verifiedInside: inside!.email_verified_at !== null, verifiedOutside: outside!.email_verified_at !== null });
    };

    const user = await new AuthService(requestEm(), services(handler), logger).verifyEmail(client.token);
    expect(user.emailVerifiedAt).not.toBeNull();
    // The handler sees the verification its transaction wrote, which nobody else sees before the commit.
    expect(seen).toEqual([{ payload: { userId: client.user.id, organizationId: client.organizationId }, inTransaction: true, verifiedInside: true, verifiedOutside: false }]);
    expect((await state(client.user.id)).verified_at).not.toBeNull();
  });

  it('a throwing handler rolls the verification back: still unverified, token still unused', async () => {
    const client = await registered('CLIENT');
    const failing = services(async () => {
      throw new Error('free-trial grant failed');
    });
    await expect(new AuthService(requestEm(), failing, logger).verifyEmail(client.token)).rejects.toThrow('free-trial grant failed');
    expect(await state(client.user.id)).toEqual({ verified_at: null, used_at: null });

    // The same link still works once the handler does.
    const seen: Payload[] = [];
    await new AuthService(requestEm(), services(async (payload) => void seen.push(payload)), logger).verifyEmail(client.token);
    expect(seen).toEqual([{ userId: client.user.id, organizationId: client.organizationId }]);
    expect((await state(client.user.id)).used_at).not.toBeNull();
  });

  it('consultants verifying do not emit it', async () => {
    const consultant = await registered('CONSULTANT');
    const user = await new AuthService(requestEm(), noEvents(), logger).verifyEmail(consultant.token);
    expect(user.emailVerifiedAt).not.toBeNull();
  });

  it('a new person accepting an invitation is a verified client: it emits for the inviting organization', async () => {
    const owner = await registered('CLIENT');
    const ownerCaller = { userId: owner.user.id, role: 'CLIENT' as const, emailVerified: false, sessionId: owner.sessionId, organizationId: owner.organizationId!, orgRole: 'OWNER' as const };
    const inviteeEmail = uniqueEmail('invitee', 'events.test');
    await new OrganizationService(scopeToTenant(orm.em.fork(), { organizationId: owner.organizationId! }), noEvents(), logger).invite(ownerCaller, inviteeEmail, 'MEMBER');
    const mail = await mailer.capture!.waitFor({ to: inviteeEmail, kind: 'invitation' });
    const token = new URL(mail.links[0]!).searchParams.get('token')!;

    const seen: Payload[] = [];
    const joined = await new OrganizationService(requestEm(), services(async (payload) => void seen.push(payload)), logger).accept(null, token, {
      password: PASSWORD,
      profile: { firstName: 'Ivy', lastName: 'Invitee' },
    });
    expect(seen).toEqual([{ userId: joined.user.id, organizationId: owner.organizationId }]);
  });
});
