import type { FilterDef } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Tenant isolation in one place (invariant I12). Every entity that belongs to a client
 * organization carries `@Filter(TENANT_FILTER)`; each request's EntityManager gets the
 * caller's scope through `scopeToTenant`. A query run without a scope fails ("No arguments
 * provided for filter 'tenant'") instead of leaking; code that must cross tenants (login,
 * admin tools, jobs) says so explicitly with `ACROSS_TENANTS` (below).
 */
export type TenantScope =
  /** A client: only rows of its active organization. */
  | { organizationId: string }
  /** An admin: every organization. */
  | { all: true }
  /** Nobody's organization (anonymous callers, consultants, clients without an organization). */
  | { none: true };

export const TENANT_FILTER = {
  name: 'tenant',
  default: true,
  cond: (params: Record<string, unknown>) => {
    const scope = params as TenantScope;
    if ('all' in scope) return {};
    if ('organizationId' in scope) return { organization: scope.organizationId };
    // No organization has this id: matches nothing, without special cases downstream.
    return { organization: '00000000-0000-0000-0000-000000000000' };
  },
} satisfies FilterDef;

export function scopeToTenant(em: EntityManager, scope: TenantScope): EntityManager {
  em.setFilterParams(TENANT_FILTER.name, scope);
  return em;
}

/**
 * The query option of code that crosses tenants on purpose (login, admin tools, jobs, a
 * consultation read by its id and then checked against the caller): `{ ...ACROSS_TENANTS, … }`.
 */
export const ACROSS_TENANTS = { filters: { tenant: false } } as const;
