import { errors } from './errors.js';
import { requireUuid } from './ids.js';
import type { OrgRole, UserRole } from './roles.js';
import type { TenantScope } from './tenant.js';

/** Who is calling, as checked against the database for this request. */
export interface Caller {
  userId: string;
  role: UserRole;
  emailVerified: boolean;
  sessionId: string;
  /** The active organization (clients), when the caller still belongs to it. */
  organizationId: string | null;
  orgRole: OrgRole | null;
}

/** What the guards read of a request's context (context.ts's RequestContext has it). */
export interface WithCaller {
  caller: Caller | null;
}

/** The tenant scope of a caller: what its EntityManager may see of organization-owned rows. */
export function tenantScopeOf(caller: Caller | null): TenantScope {
  if (caller?.role === 'ADMIN') return { all: true };
  if (caller?.role === 'CLIENT' && caller.organizationId) return { organizationId: caller.organizationId };
  return { none: true };
}

export function requireCaller(ctx: WithCaller): Caller {
  if (!ctx.caller) throw errors.unauthenticated();
  return ctx.caller;
}

export function requireRole(ctx: WithCaller, ...roles: UserRole[]): Caller {
  const caller = requireCaller(ctx);
  if (!roles.includes(caller.role)) {
    throw errors.forbidden(`Only ${roles.map((r) => r.toLowerCase()).join(' or ')} accounts may do this.`);
  }
  return caller;
}

/** Unverified users may sign in and look around, but not book or buy. */
export function requireVerified(ctx: WithCaller, action = 'book or buy'): Caller {
  const caller = requireCaller(ctx);
  if (!caller.emailVerified) {
    throw errors.forbidden(
      `Verify your email address before you ${action}: open the link we emailed you, or ask for a new one with resendVerification.`,
    );
  }
  return caller;
}

/** A client acting inside its active organization. */
export function requireOrganization(ctx: WithCaller): Caller & { organizationId: string; orgRole: OrgRole } {
  const caller = requireRole(ctx, 'CLIENT');
  if (!caller.organizationId || !caller.orgRole) {
    throw errors.forbidden('You are not a member of an organization (any more): switch to one you belong to with switchOrganization.');
  }
  return caller as Caller & { organizationId: string; orgRole: OrgRole };
}

export function requireOrgOwner(ctx: WithCaller): Caller & { organizationId: string; orgRole: OrgRole } {
  const caller = requireOrganization(ctx);
  if (caller.orgRole !== 'OWNER') throw errors.forbidden("Only an owner of the organization may manage its members.");
  return caller;
}

/**
 * Which organization's rows a caller may read where a service reads across the tenant filter:
 * admins every organization's (or the one they name), clients their active organization's;
 * anyone else is FORBIDDEN ("<what> belong to client organizations."). Only admins name one.
 */
export function organizationScope(caller: Caller, what: string, named?: string | null): { organization?: string } {
  const scope = tenantScopeOf(caller);
  if ('none' in scope) throw errors.forbidden(`${what} belong to client organizations.`);
  if (named) {
    if (!('all' in scope)) throw errors.forbidden('Only admins name an organization; yours is implied.');
    return { organization: requireUuid(named, 'Organization') };
  }
  return 'all' in scope ? {} : { organization: scope.organizationId };
}
