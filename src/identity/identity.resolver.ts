import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireCaller, requireOrganization, requireOrgOwner, requireRole, requireVerified, tenantScopeOf } from '../platform/auth.js';
import { TimeZoneScalar } from '../platform/scalars.js';
import { scopeToTenant } from '../platform/tenant.js';
import { callerFor } from './caller.js';
import type { RequestContext } from '../platform/context.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { AuthService, type AuthResult } from './auth.service.js';
import { OrgRole, UserRole } from './identity.enums.js';
import { AuthPayload, CreateAdminInput, ProfileInput, RegisterInput, UserOrganization } from './identity.types.js';
import { Invitation, Membership, Organization } from './organization.entity.js';
import { OrganizationService } from './organization.service.js';
import { ClientProfile, ConsultantProfile } from './profile.entity.js';
import { User } from './user.entity.js';

const auth = (ctx: RequestContext) => new AuthService(ctx.em, ctx.services, ctx.logger);

/**
 * After sign-in the rest of the response (e.g. `user { organization }`) is resolved as the new
 * session sees it: the context adopts its caller and tenant scope.
 */
async function signedIn(ctx: RequestContext, result: AuthResult): Promise<AuthResult> {
  ctx.caller = await callerFor(ctx.em, result.user, result.sessionId, result.organizationId);
  scopeToTenant(ctx.em, tenantScopeOf(ctx.caller));
  return result;
}
const organizations = (ctx: RequestContext) => new OrganizationService(ctx.em, ctx.services, ctx.logger);

/** Sign-up, sign-in and session operations; every one counts against the caller's IP limit. */
@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Creates a client (with its organization) or a consultant, and signs in. A verification email is sent.' })
  async register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return signedIn(ctx, await auth(ctx).register(input));
  }

  @Mutation(() => User, { description: 'Proves the email with the token from the verification email (single use, 24 h).' })
  async verifyEmail(@Arg('token') token: string, @Ctx() ctx: RequestContext): Promise<User> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return auth(ctx).verifyEmail(token);
  }

  @Mutation(() => Boolean, { description: 'Sends a new verification email when the account exists and is unverified. Always true.' })
  async resendVerification(@Arg('email') email: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return auth(ctx).resendVerification(email);
  }

  @Mutation(() => AuthPayload)
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return signedIn(ctx, await auth(ctx).login(email, password));
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (once) for new tokens. Reusing an exchanged one ends the session.' })
  async refreshToken(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return signedIn(ctx, await auth(ctx).refresh(refreshToken));
  }

  @Mutation(() => Boolean, { description: "Ends the caller's session: its access and refresh tokens stop working." })
  logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    return auth(ctx).logout(requireCaller(ctx));
  }

  @Mutation(() => Boolean, { description: 'Emails a reset link when the account exists. Always true.' })
  async requestPasswordReset(@Arg('email') email: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return auth(ctx).requestPasswordReset(email);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password with the emailed token and signs out every session.' })
  async resetPassword(@Arg('token') token: string, @Arg('newPassword') newPassword: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return auth(ctx).resetPassword(token, newPassword);
  }

  @Mutation(() => AuthPayload, { description: 'New tokens naming another organization the caller belongs to.' })
  async switchOrganization(@Arg('organizationId', () => ID) organizationId: string, @Ctx() ctx: RequestContext): Promise<AuthPayload> {
    return signedIn(ctx, await auth(ctx).switchOrganization(requireCaller(ctx), organizationId));
  }

  @Mutation(() => User, { description: 'Admins only: creates another admin.' })
  createAdmin(@Arg('input', () => CreateAdminInput) input: CreateAdminInput, @Ctx() ctx: RequestContext): Promise<User> {
    requireRole(ctx, UserRole.ADMIN);
    return auth(ctx).createAdmin(input);
  }

  @Query(() => User, { nullable: true, description: 'The signed-in user; null without a token.' })
  async me(@Ctx() ctx: RequestContext): Promise<User | null> {
    if (!ctx.caller) return null;
    return ctx.em.findOneOrFail(User, ctx.caller.userId);
  }
}

/** The caller's organization: members and invitations. */
@Resolver()
export class OrganizationResolver {
  @Query(() => Organization, { description: "The caller's active organization." })
  organization(@Ctx() ctx: RequestContext): Promise<Organization> {
    return organizations(ctx).get(requireOrganization(ctx));
  }

  @Query(() => [Membership], { description: 'Members of the active organization.' })
  members(@Ctx() ctx: RequestContext): Promise<Membership[]> {
    return organizations(ctx).members(requireOrganization(ctx));
  }

  @Query(() => [Invitation], { description: 'Pending invitations of the active organization (owners).' })
  invitations(@Ctx() ctx: RequestContext): Promise<Invitation[]> {
    return organizations(ctx).pendingInvitations(requireOrgOwner(ctx));
  }

  @Mutation(() => Invitation, { description: 'Owners invite a colleague by email (single-use link, 7 days).' })
  inviteMember(
    @Arg('email') email: string,
    @Arg('role', () => OrgRole, { defaultValue: OrgRole.MEMBER }) role: OrgRole,
    @Ctx() ctx: RequestContext,
  ): Promise<Invitation> {
    const caller = requireOrgOwner(ctx);
    // Unproven accounts must not make the platform email strangers.
    requireVerified(ctx, 'invite colleagues');
    return organizations(ctx).invite(caller, email, role);
  }

  @Mutation(() => Invitation)
  revokeInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Invitation> {
    return organizations(ctx).revokeInvitation(requireOrgOwner(ctx), id);
  }

  @Mutation(() => AuthPayload, {
    description: 'Joins the organization of the invitation. New people give a password and profile; existing clients sign in first or give their password.',
  })
  async acceptInvitation(
    @Arg('token') token: string,
    @Arg('password', () => String, { nullable: true }) password: string | null,
    @Arg('profile', () => ProfileInput, { nullable: true }) profile: ProfileInput | null,
    @Arg('timeZone', () => TimeZoneScalar, { nullable: true }) timeZone: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    await auth(ctx).hitIpLimit(ctx.ip);
    return signedIn(ctx, await organizations(ctx).accept(ctx.caller, token, { password, profile, timeZone }));
  }

  @Mutation(() => Boolean, { description: 'Owners remove a member; their sessions lose the organization at once.' })
  removeMember(@Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return organizations(ctx).removeMember(requireOrgOwner(ctx), userId);
  }

  @Mutation(() => Membership, { description: 'Owners change a member’s role; an organization keeps at least one owner.' })
  changeMemberRole(
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => OrgRole) role: OrgRole,
    @Ctx() ctx: RequestContext,
  ): Promise<Membership> {
    return organizations(ctx).changeMemberRole(requireOrgOwner(ctx), userId, role);
  }
}

/** What a user record shows beyond its own columns; private parts only to themselves and admins. */
@Resolver(() => User)
export class UserFieldsResolver {
  @FieldResolver(() => [UserRole], { description: 'Platform roles.' })
  roles(@Root() user: User): UserRole[] {
    return [user.role];
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The active organization (the one the access token names).' })
  async organization(@Root() user: User, @Ctx() ctx: RequestContext): Promise<Organization | null> {
    if (ctx.caller?.userId !== user.id || !ctx.caller.organizationId) return null;
    return ctx.em.findOne(Organization, ctx.caller.organizationId);
  }

  @FieldResolver(() => OrgRole, { nullable: true, description: 'Role in the active organization.' })
  organizationRole(@Root() user: User, @Ctx() ctx: RequestContext): OrgRole | null {
    return ctx.caller?.userId === user.id ? ctx.caller.orgRole : null;
  }

  @FieldResolver(() => [UserOrganization], { description: 'Every organization the user belongs to (self and admins only).' })
  async organizations(@Root() user: User, @Ctx() ctx: RequestContext): Promise<UserOrganization[]> {
    if (!isSelfOrAdmin(ctx, user)) return [];
    // The user's own memberships span tenants by nature.
    const memberships = await ctx.em.find(Membership, { user }, { ...ACROSS_TENANTS, populate: ['organization'], orderBy: { createdAt: 'asc' } });
    return memberships.map((m) => ({ organization: m.organization, role: m.role, active: m.organization.id === ctx.caller?.organizationId }));
  }

  @FieldResolver(() => ClientProfile, { nullable: true })
  clientProfile(@Root() user: User, @Ctx() ctx: RequestContext): Promise<ClientProfile | null> | null {
    if (!isSelfOrAdmin(ctx, user)) return null;
    return ctx.em.findOne(ClientProfile, { user }, { ...ACROSS_TENANTS, populate: ['organization'] });
  }

  @FieldResolver(() => ConsultantProfile, { nullable: true })
  consultantProfile(@Root() user: User, @Ctx() ctx: RequestContext): Promise<ConsultantProfile | null> {
    return ctx.em.findOne(ConsultantProfile, { user });
  }
}

@Resolver(() => Invitation)
export class InvitationFieldsResolver {
  /** Loaded on demand: services return invitations whose organization is only a reference. */
  @FieldResolver(() => Organization)
  organization(@Root() invitation: Invitation, @Ctx() ctx: RequestContext): Promise<Organization> {
    return ctx.em.findOneOrFail(Organization, invitation.organization.id);
  }
}

function isSelfOrAdmin(ctx: RequestContext, user: User): boolean {
  return ctx.caller?.userId === user.id || ctx.caller?.role === UserRole.ADMIN;
}
