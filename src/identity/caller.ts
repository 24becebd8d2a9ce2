import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { verifyAccessToken } from './credentials.js';
import { Membership } from './organization.entity.js';
import { Session } from './session.entity.js';
import type { User } from './user.entity.js';

/**
 * The caller of a request from its `Authorization: Bearer …` value. No header: anonymous.
 * A bad, expired or revoked token is UNAUTHENTICATED, never silently anonymous.
 */
export async function resolveCaller(em: EntityManager, authorization: string | undefined, secret: string): Promise<Caller | null> {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw errors.unauthenticated('Malformed Authorization header: expected "Bearer <accessToken>".');
  const check = await verifyAccessToken(match[1]!, secret);
  if (!check.ok) {
    throw errors.unauthenticated(
      check.reason === 'expired'
        ? 'Your access token has expired: get a new one with refreshToken.'
        : 'Invalid access token: sign in again.',
    );
  }
  const { sub, sid, org } = check.claims;
  // Session and user in one query; sessions are not tenant-owned.
  const session = await em.findOne(Session, { id: sid, user: sub }, { populate: ['user'] });
  if (!session || session.revokedAt) throw errors.unauthenticated('Your session has ended: sign in again.');
  return callerFor(em, session.user, sid, org);
}

/** The caller a session of `user` naming organization `org` amounts to, membership checked now. */
export async function callerFor(em: EntityManager, user: User, sessionId: string, org: string | null): Promise<Caller> {
  let organizationId: string | null = null;
  let orgRole: Caller['orgRole'] = null;
  if (org && user.role === 'CLIENT') {
    // Checked on every request so that a removed member loses access at once.
    const membership = await em.findOne(Membership, { organization: org, user }, { filters: { tenant: false } });
    if (membership) {
      organizationId = org;
      orgRole = membership.role;
    }
  }
  return { userId: user.id, role: user.role, emailVerified: user.emailVerifiedAt !== null, sessionId, organizationId, orgRole };
}
