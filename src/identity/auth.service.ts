import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../platform/auth.js';
import type { AppServices } from '../platform/context.js';
import type { DomainEvents } from '../platform/events.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { advisoryLock } from '../platform/locks.js';
import type { Logger } from '../platform/logger.js';
import type { OutgoingMail } from '../platform/mailer.js';
import { codeDate, codeSlug, nextSequenceValue } from '../platform/sequence.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { DAY_MS, HOUR_MS } from '../platform/time.js';
import { dummyPasswordHash, hashPassword, newOpaqueToken, signAccessToken, tokenHash, verifyPassword } from './credentials.js';
import { identityMail } from './identity.mail.js';
import { OrgRole, UserRole, type OrganizationType } from './identity.enums.js';
import { isTimeZone, nameProblem, normalizeEmail, passwordProblem, phoneProblem } from './identity.rules.js';
import { Membership, Organization } from './organization.entity.js';
import { ClientProfile, ConsultantProfile } from './profile.entity.js';
import { OneTimeToken, OneTimeTokenPurpose, RefreshToken, Session } from './session.entity.js';
import { AuthThrottle } from './throttle.js';
import { User } from './user.entity.js';

export interface ProfileData {
  firstName: string;
  lastName: string;
  title?: string | null;
  phone?: string | null;
}

export interface RegisterData {
  userType: 'CLIENT' | 'CONSULTANT';
  email: string;
  password: string;
  profile: ProfileData;
  timeZone?: string | null;
  organizationName?: string | null;
  organizationType?: OrganizationType | null;
}

export interface AuthResult {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: User;
  sessionId: string;
  organizationId: string | null;
}

/** Verification links live 24 h, reset links 1 h. */
const ONE_TIME_TOKEN_TTL_MS: Record<OneTimeTokenPurpose, number> = {
  VERIFY_EMAIL: 24 * HOUR_MS,
  PASSWORD_RESET: HOUR_MS,
};

/** A new single-use token of `purpose` for `user`; earlier unused ones of that purpose stop working. */
async function replaceOneTimeToken(em: EntityManager, user: User, purpose: OneTimeTokenPurpose): Promise<string> {
  const token = newOpaqueToken();
  await em.nativeUpdate(OneTimeToken, { user, purpose, usedAt: null }, { usedAt: new Date() });
  em.create(OneTimeToken, { user, purpose, tokenHash: tokenHash(token), expiresAt: new Date(Date.now() + ONE_TIME_TOKEN_TTL_MS[purpose]) });
  await em.flush();
  return token;
}

/**
 * Registration, verification, sign-in, token rotation and password reset. Every multi-step
 * write is one transaction; emails go out after it commits.
 */
export class AuthService {
  private readonly throttle: AuthThrottle;

  constructor(
    private readonly em: EntityManager,
    private readonly services: AppServices,
    private readonly logger: Logger,
  ) {
    this.throttle = new AuthThrottle(em, services.config.auth);
  }

  /** Counts one auth mutation against the caller's IP (each aliased field separately). */
  hitIpLimit(ip: string): Promise<void> {
    return this.throttle.hitIp(ip);
  }

  async register(data: RegisterData): Promise<AuthResult> {
    const email = requireEmail(data.email);
    requirePassword(data.password, email);
    const profile = validateProfile(data.profile);
    const timeZone = validateTimeZone(data.timeZone);
    let organization: { name: string; type: OrganizationType } | undefined;
    if (data.userType === UserRole.CLIENT) {
      const name = (data.organizationName ?? '').trim();
      const problem = nameProblem('Organization name', name, 200);
      if (problem) throw errors.badInput(problem, 'input.organizationName');
      if (!data.organizationType) throw errors.badInput('Organization type is required for clients.', 'input.organizationType');
      organization = { name, type: data.organizationType };
    } else if (data.organizationName || data.organizationType) {
      throw errors.badInput('Consultants belong to the platform: leave organizationName and organizationType out.', 'input.organizationName');
    }

    const passwordHash = await hashPassword(data.password);
    const { result, verifyToken } = await this.unique(email, () =>
      this.em.transactional(async (em) => {
        const user = em.create(User, { email, passwordHash, role: data.userType, ...profile, timeZone });
        let organizationId: string | null = null;
        if (organization) {
          const org = em.create(Organization, organization);
          em.create(Membership, { organization: org, user, role: OrgRole.OWNER });
          em.create(ClientProfile, { user, organization: org, code: await clientCode(em, org.name) });
          organizationId = org.id;
        } else {
          em.create(ConsultantProfile, { user, code: await consultantCode(em, profile.lastName) });
        }
        await em.flush();
        const verifyToken = await replaceOneTimeToken(em, user, OneTimeTokenPurpose.VERIFY_EMAIL);
        return { result: await this.issueSession(em, user, organizationId), verifyToken };
      }),
    );
    await this.sendMail(identityMail.verifyEmail(this.services.config.publicUrl, result.user, verifyToken));
    return result;
  }

  /** Proves the email; a client's verification fires `client.verified` in the same transaction. */
  async verifyEmail(token: string): Promise<User> {
    return this.em.transactional(async (em) => {
      const record = await this.consumeToken(em, token, OneTimeTokenPurpose.VERIFY_EMAIL, 'verification');
      const user = record.user;
      if (!user.emailVerifiedAt) {
        user.emailVerifiedAt = new Date();
        await em.flush();
        if (user.role === UserRole.CLIENT) await this.emitClientVerified(em, user);
      }
      return user;
    });
  }

  /** Always true, so it does not tell whether the email has an account. */
  async resendVerification(emailInput: string): Promise<boolean> {
    const email = normalizeEmail(emailInput);
    if (!email) throw errors.badInput('That is not an email address.', 'email');
    const issued = await this.em.transactional(async (em) => {
      const found = await em.findOne(User, { email });
      if (!found || found.emailVerifiedAt) return null;
      return { user: found, token: await replaceOneTimeToken(em, found, OneTimeTokenPurpose.VERIFY_EMAIL) };
    });
    // Not awaited: waiting for SMTP only when the account exists would tell, by the delay, that it does.
    if (issued) void this.sendMail(identityMail.verifyEmail(this.services.config.publicUrl, issued.user, issued.token));
    return true;
  }

  async login(emailInput: string, password: string): Promise<AuthResult> {
    const email = normalizeEmail(emailInput);
    if (!email) throw errors.badInput('That is not an email address.', 'email');
    const outcome = await this.em.transactional(async (em) => {
      // Sign-ins for one email take turns: parallel guesses cannot slip past the failure limit.
      await advisoryLock(em, `login:${email}`);
      const throttle = new AuthThrottle(em, this.services.config.auth);
      await throttle.assertLoginAllowed(email);
      const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
      // Verify against a dummy hash when there is no user, so timing does not reveal accounts.
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
      if (!user || !ok) {
        await throttle.recordLoginFailure(email);
        return { failed: true } as const;
      }
      await throttle.clearLoginFailures(email);
      user.lastLoginAt = new Date();
      const organizationId = await this.defaultOrganization(em, user);
      return { result: await this.issueSession(em, user, organizationId) };
    });
    // Thrown after the commit, so that the failure counts.
    if ('failed' in outcome) throw errors.unauthenticated('Wrong email or password.');
    return outcome.result;
  }

  /**
   * Rotation: the token is exchanged for a new one once. Presenting a used token again means
   * it leaked, so the whole session (every token of the family) is revoked.
   */
  async refresh(refreshToken: string): Promise<AuthResult> {
    const outcome = await this.em.transactional(async (em) => {
      // Locked: two refreshes with one token are serialized, and the second is seen as reuse.
      const record = await em.findOne(RefreshToken, { tokenHash: tokenHash(refreshToken) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!record) return { error: 'Unknown refresh token: sign in again.' } as const;
      await em.populate(record, ['session', 'session.user']);
      const session = record.session;
      if (session.revokedAt) return { error: 'This session has ended: sign in again.' } as const;
      if (record.usedAt) {
        session.revokedAt = new Date();
        session.revokedReason = 'refresh-token-reuse';
        await em.flush();
        this.logger.warn({ sessionId: session.id, userId: session.user.id }, 'refresh token reused: session revoked');
        return { error: 'This refresh token was already used, so the session has been ended for safety: sign in again.' } as const;
      }
      if (record.expiresAt.getTime() <= Date.now()) return { error: 'Your refresh token has expired: sign in again.' } as const;
      record.usedAt = new Date();
      const next = newOpaqueToken();
      em.create(RefreshToken, { session, tokenHash: tokenHash(next), expiresAt: this.refreshExpiry() });
      await em.flush();
      const access = await this.signAccess(session.user, session);
      return {
        result: {
          accessToken: access.token,
          accessTokenExpiresAt: access.expiresAt,
          refreshToken: next,
          user: session.user,
          sessionId: session.id,
          organizationId: session.organization?.id ?? null,
        },
      };
    });
    // The revocation above must commit, so the error is thrown only after the transaction.
    if ('error' in outcome) throw errors.unauthenticated(outcome.error);
    return outcome.result;
  }

  async logout(caller: Caller): Promise<boolean> {
    await this.em.nativeUpdate(Session, { id: caller.sessionId, revokedAt: null }, { revokedAt: new Date(), revokedReason: 'logout' });
    return true;
  }

  /** Always true, so it does not tell whether the email has an account. */
  async requestPasswordReset(emailInput: string): Promise<boolean> {
    const email = normalizeEmail(emailInput);
    if (!email) throw errors.badInput('That is not an email address.', 'email');
    const issued = await this.em.transactional(async (em) => {
      const found = await em.findOne(User, { email });
      if (!found) return null;
      return { user: found, token: await replaceOneTimeToken(em, found, OneTimeTokenPurpose.PASSWORD_RESET) };
    });
    // Not awaited, as in resendVerification: the delay must not tell whether the account exists.
    if (issued) void this.sendMail(identityMail.passwordReset(this.services.config.publicUrl, issued.user, issued.token));
    else this.logger.info('password reset asked for an unknown email');
    return true;
  }

  /** Sets the password and ends every session of the user. Proves the email too. */
  async resetPassword(token: string, newPassword: string): Promise<boolean> {
    const record = await this.em.findOne(OneTimeToken, { tokenHash: tokenHash(token), purpose: OneTimeTokenPurpose.PASSWORD_RESET }, { populate: ['user'] });
    if (record) requirePassword(newPassword, record.user.email, 'newPassword');
    const passwordHash = await hashPassword(newPassword);
    await this.em.transactional(async (em) => {
      const consumed = await this.consumeToken(em, token, OneTimeTokenPurpose.PASSWORD_RESET, 'password reset');
      const user = consumed.user;
      user.passwordHash = passwordHash;
      const wasVerified = user.emailVerifiedAt !== null;
      user.emailVerifiedAt ??= new Date();
      await em.nativeUpdate(Session, { user, revokedAt: null }, { revokedAt: new Date(), revokedReason: 'password-reset' });
      await em.flush();
      if (!wasVerified && user.role === UserRole.CLIENT) await this.emitClientVerified(em, user);
      await new AuthThrottle(em, this.services.config.auth).clearLoginFailures(user.email);
    });
    return true;
  }

  /** A new session naming another organization the client belongs to. */
  async switchOrganization(caller: Caller, organizationId: string): Promise<AuthResult> {
    if (caller.role !== UserRole.CLIENT) throw errors.forbidden('Only client accounts belong to organizations.');
    return this.em.transactional(async (em) => {
      const membership = await em.findOne(Membership, { organization: requireUuid(organizationId, 'Organization'), user: caller.userId }, ACROSS_TENANTS);
      if (!membership) throw errors.notFound('Organization', organizationId);
      const user = await em.findOneOrFail(User, caller.userId);
      await em.nativeUpdate(Session, { id: caller.sessionId }, { revokedAt: new Date(), revokedReason: 'switched-organization' });
      return this.issueSession(em, user, organizationId);
    });
  }

  /** Admins are made by an admin or the CLI (npm run admin:create); verified from the start. */
  async createAdmin(data: { email: string; password: string; profile: ProfileData; timeZone?: string | null }): Promise<User> {
    const email = requireEmail(data.email);
    requirePassword(data.password, email);
    const profile = validateProfile(data.profile);
    const timeZone = validateTimeZone(data.timeZone);
    const passwordHash = await hashPassword(data.password);
    return this.unique(email, () =>
      this.em.transactional(async (em) => {
        const user = em.create(User, { email, passwordHash, role: UserRole.ADMIN, ...profile, timeZone, emailVerifiedAt: new Date() });
        await em.flush();
        return user;
      }),
    );
  }

  /** Creates a session with its first refresh token and signs an access token. */
  async issueSession(em: EntityManager, user: User, organizationId: string | null): Promise<AuthResult> {
    const session = em.create(Session, { user, organization: organizationId });
    const refreshToken = newOpaqueToken();
    em.create(RefreshToken, { session, tokenHash: tokenHash(refreshToken), expiresAt: this.refreshExpiry() });
    await em.flush();
    const access = await this.signAccess(user, session);
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, refreshToken, user, sessionId: session.id, organizationId };
  }

  emitClientVerified(em: EntityManager, user: User): Promise<void> {
    return emitClientVerified(em, this.services.events, user);
  }

  /** Renders (when given the rendering) and sends; never throws: the change it follows is committed. */
  async sendMail(rendering: OutgoingMail | Promise<OutgoingMail>): Promise<void> {
    let kind: string | undefined;
    try {
      const mail = await rendering;
      kind = mail.kind;
      await this.services.mailer.send(mail);
    } catch (error) {
      // The account change is committed; the person can ask for the email again.
      this.logger.error({ err: error, kind }, 'could not send email');
    }
  }

  /** Runs `write`, turning a duplicate email into CONFLICT. */
  async unique<T>(email: string, write: () => Promise<T>): Promise<T> {
    const exists = await this.em.count(User, { email });
    if (exists) throw emailTaken(email);
    try {
      return await write();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException && /email/.test(error.message)) throw emailTaken(email);
      throw error;
    }
  }

  private async signAccess(user: User, session: Session) {
    return signAccessToken(
      { sub: user.id, sid: session.id, org: session.organization?.id ?? null },
      this.services.config.jwtSecret,
      this.services.config.auth.accessTokenTtlSeconds,
    );
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.services.config.auth.refreshTokenTtlDays * DAY_MS);
  }

  /** The organization a client signs in to: the oldest membership (owners first). */
  private async defaultOrganization(em: EntityManager, user: User): Promise<string | null> {
    if (user.role !== UserRole.CLIENT) return null;
    const memberships = await em.find(Membership, { user }, { ...ACROSS_TENANTS, orderBy: { role: 'desc', createdAt: 'asc' }, limit: 1 });
    return memberships[0]?.organization.id ?? null;
  }

  private async consumeToken(em: EntityManager, token: string, purpose: OneTimeTokenPurpose, what: string): Promise<OneTimeToken> {
    const record = await em.findOne(OneTimeToken, { tokenHash: tokenHash(token), purpose }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!record) throw errors.badInput(`This ${what} link is not valid: ask for a new one.`, 'token');
    await em.populate(record, ['user']);
    if (record.usedAt) throw errors.badInput(`This ${what} link was already used: ask for a new one if you need it.`, 'token');
    if (record.expiresAt.getTime() <= Date.now()) throw errors.badInput(`This ${what} link has expired: ask for a new one.`, 'token');
    record.usedAt = new Date();
    return record;
  }
}

/** Fires `client.verified` for the client's organization, inside the caller's transaction. */
export async function emitClientVerified(em: EntityManager, events: DomainEvents, user: User): Promise<void> {
  const profile = await em.findOne(ClientProfile, { user }, ACROSS_TENANTS);
  if (profile) await events.emit('client.verified', { userId: user.id, organizationId: profile.organization.id }, em);
}

function emailTaken(email: string) {
  return errors.conflict(`An account with ${email} already exists: sign in, or reset its password.`, { field: 'input.email' });
}

export function requireEmail(input: string, field = 'input.email'): string {
  const email = normalizeEmail(input);
  if (!email) throw errors.badInput('That is not an email address (e.g. jane@acme.com).', field);
  return email;
}

export function requirePassword(password: string, email: string, field = 'input.password'): void {
  const problem = passwordProblem(password, email);
  if (problem) throw errors.badInput(problem, field);
}

export function validateProfile(profile: ProfileData, field = 'input.profile'): Required<ProfileData> {
  for (const [key, label] of [['firstName', 'First name'], ['lastName', 'Last name']] as const) {
    const problem = nameProblem(label, profile[key]);
    if (problem) throw errors.badInput(problem, `${field}.${key}`);
  }
  const title = profile.title?.trim() || null;
  if (title) {
    const problem = nameProblem('Title', title);
    if (problem) throw errors.badInput(problem, `${field}.title`);
  }
  const phone = profile.phone?.trim() || null;
  if (phone) {
    const problem = phoneProblem(phone);
    if (problem) throw errors.badInput(problem, `${field}.phone`);
  }
  return { firstName: profile.firstName.trim(), lastName: profile.lastName.trim(), title, phone };
}

export function validateTimeZone(timeZone: string | null | undefined, field = 'input.timeZone'): string {
  if (timeZone === null || timeZone === undefined || timeZone === '') return 'UTC';
  if (!isTimeZone(timeZone)) throw errors.badInput(`"${timeZone.slice(0, 64)}" is not an IANA time zone such as Europe/Berlin or America/New_York.`, field);
  return timeZone;
}

/** CLI-ACME-20261123-001: organization, day, and a counter per both. */
export async function clientCode(em: EntityManager, organizationName: string, at = new Date()): Promise<string> {
  const prefix = `CLI-${codeSlug(organizationName, 'ORG')}-${codeDate(at)}`;
  return `${prefix}-${String(await nextSequenceValue(em, prefix)).padStart(3, '0')}`;
}

/** CON-WHITE-20261123-001 */
export async function consultantCode(em: EntityManager, lastName: string, at = new Date()): Promise<string> {
  const prefix = `CON-${codeSlug(lastName, 'C')}-${codeDate(at)}`;
  return `${prefix}-${String(await nextSequenceValue(em, prefix)).padStart(3, '0')}`;
}
