import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { verifyAccessToken } from './credentials.js';
import { Membership } from './organization.entity.js';
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
  // Every request passes here: session, user and membership in one plain statement (the ORM's
  // query building and hydration cost more than the query). Sessions and users are not
  // tenant-owned; the membership is checked on every request so that a removed member loses
  // access at once.
  const [row] = await em.getConnection().execute<CallerRow[]>(
    `SELECT u.role, u.email_verified_at IS NOT NULL AS email_verified, s.revoked_at IS NOT NULL AS revoked, m.role AS org_role
       FROM auth_session s
       JOIN app_user u ON u.id = s.user_id
       LEFT JOIN membership m ON u.role = 'CLIENT' AND m.organization_id = ? AND m.user_id = s.user_id
      WHERE s.id = ? AND s.user_id = ?
      LIMIT 1`,
    [org, sid, sub],
    'all',
    em.getTransactionContext(),
  );
  if (!row || row.revoked) throw errors.unauthenticated('Your session has ended: sign in again.');
  const member = org !== null && row.org_role !== null;
  return { userId: sub, role: row.role, emailVerified: row.email_verified, sessionId: sid, organizationId: member ? org : null, orgRole: member ? row.org_role : null };
}

interface CallerRow {
  role: User['role'];
  email_verified: boolean;
  revoked: boolean;
  org_role: Caller['orgRole'];
}

/** The caller a session of `user` naming organization `org` amounts to, membership checked now. */
export async function callerFor(em: EntityManager, user: User, sessionId: string, org: string | null): Promise<Caller> {
  let organizationId: string | null = null;
  let orgRole: Caller['orgRole'] = null;
  if (org && user.role === 'CLIENT') {
    // Checked on every request so that a removed member loses access at once.
    const membership = await em.findOne(Membership, { organization: org, user }, ACROSS_TENANTS);
    if (membership) {
      organizationId = org;
      orgRole = membership.role;
    }
  }
  return { userId: user.id, role: user.role, emailVerified: user.emailVerifiedAt !== null, sessionId, organizationId, orgRole };
}
