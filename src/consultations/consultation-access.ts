import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsultantProfile } from '../identity/profile.entity.js';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { Consultation } from './consultation.entity.js';
import type { LifecycleActor } from './lifecycle.js';

/**
 * A consultation the caller may see, and in which part: its client (or an owner of its
 * organization), its consultant, or an admin. Anything else is NOT_FOUND, never FORBIDDEN, so
 * ids of other tenants reveal nothing. Read across tenants, then checked against the caller;
 * `lock`: locked for the rest of `em`'s transaction (a lifecycle step).
 */
export async function accessConsultation(em: EntityManager, caller: Caller, id: string, lock: boolean): Promise<{ c: Consultation; actor: LifecycleActor }> {
  const options = { ...ACROSS_TENANTS, ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) };
  const found = await em.findOne(Consultation, requireUuid(id, 'Consultation'), options);
  if (found) {
    const actor = actorOf(caller, caller.role === 'CONSULTANT' ? (await ownProfile(em, caller)).id : null, found);
    if (actor) return { c: found, actor };
  }
  throw errors.notFound('Consultation', id);
}

/**
 * The part the caller plays in `c`, or null (not theirs to see): admins any; a consultant
 * their own (`ownProfileId`: the caller's consultant profile); a client their own, or any of
 * their organization's as its owner. In memory: live events decide per subscriber with it.
 */
export function actorOf(caller: Caller, ownProfileId: string | null, c: Consultation): LifecycleActor | null {
  if (caller.role === 'ADMIN') return 'ADMIN';
  if (caller.role === 'CONSULTANT') return ownProfileId !== null && c.consultant.id === ownProfileId ? 'CONSULTANT' : null;
  if (caller.role === 'CLIENT' && caller.organizationId === c.organization.id && (c.client.id === caller.userId || caller.orgRole === 'OWNER')) return 'CLIENT';
  return null;
}

/** Which consultations a caller may list (a where): clients their own, consultants theirs, admins all. */
export async function ownedBy(em: EntityManager, caller: Caller): Promise<Record<string, unknown>> {
  if (caller.role === 'ADMIN') return {};
  if (caller.role === 'CONSULTANT') return { consultant: (await ownProfile(em, caller)).id };
  if (!caller.organizationId) throw errors.forbidden('You are not a member of an organization (any more): switch to one you belong to with switchOrganization.');
  return { organization: caller.organizationId, client: caller.userId };
}

function ownProfile(em: EntityManager, caller: Caller): Promise<ConsultantProfile> {
  return em.findOneOrFail(ConsultantProfile, { user: caller.userId });
}
