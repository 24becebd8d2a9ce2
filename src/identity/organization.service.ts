import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../platform/auth.js';
import type { AppServices } from '../platform/context.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { DAY_MS } from '../platform/time.js';
import { AuthService, clientCode, requireEmail, requirePassword, validateProfile, validateTimeZone, type AuthResult, type ProfileData } from './auth.service.js';
import { hashPassword, newOpaqueToken, tokenHash, verifyPassword } from './credentials.js';
import { identityMail } from './identity.mail.js';
import { OrgRole, UserRole } from './identity.enums.js';
import { Invitation, Membership, Organization } from './organization.entity.js';
import { ClientProfile } from './profile.entity.js';
import { User } from './user.entity.js';

const INVITATION_TTL_MS = 7 * DAY_MS;

type OrgCaller = Caller & { organizationId: string };

/**
 * Members and invitations of the caller's organization. The EntityManager is tenant-scoped,
 * so rows of other organizations are simply not found (NOT_FOUND, nothing changes).
 */
export class OrganizationService {
  constructor(
    private readonly em: EntityManager,
    private readonly services: AppServices,
    private readonly logger: Logger,
  ) {}

  async get(caller: OrgCaller): Promise<Organization> {
    return this.em.findOneOrFail(Organization, caller.organizationId);
  }

  members(caller: OrgCaller): Promise<Membership[]> {
    return this.em.find(Membership, { organization: caller.organizationId }, { populate: ['user'], orderBy: { createdAt: 'asc' } });
  }

  pendingInvitations(caller: OrgCaller): Promise<Invitation[]> {
    return this.em.find(
      Invitation,
      { organization: caller.organizationId, acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } },
      { orderBy: { createdAt: 'desc' } },
    );
  }

  /** An owner invites a colleague; a newer invitation to the same email replaces the pending one. */
  async invite(caller: OrgCaller, emailInput: string, role: OrgRole): Promise<Invitation> {
    const email = requireEmail(emailInput, 'email');
    const token = newOpaqueToken();
    const { invitation, inviter, organization } = await this.em.transactional(async (em) => {
      const organization = await em.findOneOrFail(Organization, caller.organizationId);
      const inviter = await em.findOneOrFail(User, caller.userId);
      const existing = await em.findOne(User, { email });
      if (existing) {
        if (existing.role !== UserRole.CLIENT) throw errors.conflict(`${email} is a ${existing.role.toLowerCase()} account; only clients join organizations.`, { field: 'email' });
        const member = await em.findOne(Membership, { organization, user: existing });
        if (member) throw errors.conflict(`${email} is already a member of ${organization.name}.`, { field: 'email' });
      }
      await em.nativeUpdate(Invitation, { organization, email, acceptedAt: null, revokedAt: null }, { revokedAt: new Date() });
      const invitation = em.create(Invitation, {
        organization,
        email,
        role,
        invitedBy: inviter,
        tokenHash: tokenHash(token),
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      await em.flush();
      return { invitation, inviter, organization };
    });
    await new AuthService(this.em, this.services, this.logger).sendMail(
      identityMail.invitation(this.services.config.publicUrl, email, inviter, organization.name, token),
    );
    return invitation;
  }

  async revokeInvitation(caller: OrgCaller, id: string): Promise<Invitation> {
    return this.em.transactional(async (em) => {
      const invitation = await em.findOne(Invitation, { id: requireUuid(id, 'Invitation'), organization: caller.organizationId });
      if (!invitation) throw errors.notFound('Invitation', id);
      if (invitation.acceptedAt) throw errors.conflict('This invitation was already accepted: remove the member instead.');
      invitation.revokedAt ??= new Date();
      return invitation;
    });
  }

  /**
   * Accepting proves the email. Someone new gives names and a password and gets a verified
   * client account; an existing client proves it is them (signed in as that email, or its
   * password) and joins. Either way the new session names the organization.
   */
  async accept(
    caller: Caller | null,
    token: string,
    newUser: { password?: string | null; profile?: ProfileData | null; timeZone?: string | null },
  ): Promise<AuthResult> {
    const auth = new AuthService(this.em, this.services, this.logger);
    const passwordHash = newUser.password ? await hashPassword(newUser.password) : null;
    return this.em.transactional(async (em) => {
      // Invitations are found by their secret token, across tenants: the token is the permission.
      const invitation = await em.findOne(Invitation, { tokenHash: tokenHash(token) }, { ...ACROSS_TENANTS, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!invitation || invitation.revokedAt) throw errors.badInput('This invitation is not valid (any more): ask for a new one.', 'token');
      if (invitation.acceptedAt) throw errors.badInput('This invitation was already used.', 'token');
      if (invitation.expiresAt.getTime() <= Date.now()) throw errors.badInput('This invitation has expired: ask the owner for a new one.', 'token');
      const organization = await em.findOneOrFail(Organization, invitation.organization.id);

      let user = await em.findOne(User, { email: invitation.email }, { populate: ['passwordHash'] });
      let newlyVerified = false;
      if (user) {
        if (user.role !== UserRole.CLIENT) throw errors.forbidden('Consultants and admins belong to the platform, not to a client organization.');
        const provenByLogin = caller?.userId === user.id;
        const provenByPassword = !!newUser.password && (await verifyPassword(user.passwordHash, newUser.password));
        if (!provenByLogin && !provenByPassword) {
          throw errors.unauthenticated(`An account for ${invitation.email} exists: sign in as it, or give its password, to accept.`);
        }
        if (!user.emailVerifiedAt) {
          user.emailVerifiedAt = new Date();
          newlyVerified = true;
        }
      } else {
        if (caller) throw errors.forbidden(`This invitation is for ${invitation.email}: sign out first, or ask for an invitation to your own email.`);
        if (!newUser.password || !passwordHash) throw errors.badInput('Choose a password to create your account.', 'password');
        requirePassword(newUser.password, invitation.email, 'password');
        if (!newUser.profile) throw errors.badInput('Tell us your first and last name to create your account.', 'profile');
        const profile = validateProfile(newUser.profile, 'profile');
        const timeZone = validateTimeZone(newUser.timeZone, 'timeZone');
        user = em.create(User, { email: invitation.email, passwordHash, role: UserRole.CLIENT, ...profile, timeZone, emailVerifiedAt: new Date() });
        em.create(ClientProfile, { user, organization, code: await clientCode(em, organization.name) });
        newlyVerified = true;
      }

      const already = await em.findOne(Membership, { organization, user }, ACROSS_TENANTS);
      if (!already) em.create(Membership, { organization, user, role: invitation.role });
      invitation.acceptedAt = new Date();
      await em.flush();
      if (newlyVerified) await auth.emitClientVerified(em, user);
      return auth.issueSession(em, user, organization.id);
    });
  }

  /**
   * Removes a member. Their sessions lose the organization at once (every request re-checks
   * membership) but stay signed in, e.g. for their other organizations. The last owner stays.
   */
  async removeMember(caller: OrgCaller, userId: string): Promise<boolean> {
    await this.em.transactional(async (em) => {
      const membership = await this.lockedMembership(em, caller, userId);
      if (membership.role === OrgRole.OWNER) await this.assertAnotherOwner(em, caller);
      em.remove(membership);
    });
    return true;
  }

  async changeMemberRole(caller: OrgCaller, userId: string, role: OrgRole): Promise<Membership> {
    return this.em.transactional(async (em) => {
      const membership = await this.lockedMembership(em, caller, userId);
      if (membership.role === OrgRole.OWNER && role !== OrgRole.OWNER) await this.assertAnotherOwner(em, caller);
      membership.role = role;
      await em.flush();
      await em.populate(membership, ['user']);
      return membership;
    });
  }

  private async lockedMembership(em: EntityManager, caller: OrgCaller, userId: string): Promise<Membership> {
    // Owners are locked in a fixed order first, so two owners demoting each other serialize.
    await em.find(Membership, { organization: caller.organizationId, role: OrgRole.OWNER }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
    const membership = await em.findOne(Membership, { organization: caller.organizationId, user: requireUuid(userId, 'Member') }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!membership) throw errors.notFound('Member', userId);
    return membership;
  }

  private async assertAnotherOwner(em: EntityManager, caller: OrgCaller): Promise<void> {
    const owners = await em.count(Membership, { organization: caller.organizationId, role: OrgRole.OWNER });
    if (owners <= 1) throw errors.conflict('An organization needs at least one owner: make someone else an owner first.');
  }
}
