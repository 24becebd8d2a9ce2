import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import type { GraphQLError } from 'graphql';
import { isUuid } from '../platform/ids.js';
import { query } from '../platform/sql.js';
import { callerStates } from './caller.sql.js';
import { verifyAccessToken, type AccessTokenClaims } from './credentials.js';
import { Membership } from './organization.entity.js';
import type { User } from './user.entity.js';

/**
 * The caller of a request from its `Authorization: Bearer …` value. No header: anonymous.
 * A bad, expired or revoked token is UNAUTHENTICATED, never silently anonymous.
 */
export async function resolveCaller(em: EntityManager, authorization: string | undefined, secret: string): Promise<Caller | null> {
  if (!authorization) return null;
  const [outcome] = await resolveCallers(em, [authorization], secret);
  if (outcome instanceof Error) throw outcome;
  return outcome!;
}

/** Statements of one `resolveCallers`: a bound on the arrays PostgreSQL is handed at once. */
const CALLERS_PER_STATEMENT = 1000;

/**
 * The callers of many Authorization values at once, in order: each a Caller, or the
 * UNAUTHENTICATED error `resolveCaller` would throw. Sessions and users are not tenant-owned;
 * the membership is checked every time so that a removed member loses access at once. The live
 * connections' periodic re-check asks this for every open connection: one statement per
 * thousand, not one per connection.
 */
export async function resolveCallers(em: EntityManager, authorizations: readonly string[], secret: string): Promise<Array<Caller | GraphQLError>> {
  const outcomes: Array<Caller | GraphQLError> = [];
  const verified: Array<{ at: number; claims: AccessTokenClaims }> = [];
  for (const [at, authorization] of authorizations.entries()) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) {
      outcomes[at] = errors.unauthenticated('Malformed Authorization header: expected "Bearer <accessToken>".');
      continue;
    }
    const check = await verifyAccessToken(match[1]!, secret);
    // Our own signed claims; checked anyway, since one malformed id would fail the whole statement.
    if (check.ok && (!isUuid(check.claims.sid) || !isUuid(check.claims.sub) || (check.claims.org !== null && !isUuid(check.claims.org)))) {
      outcomes[at] = errors.unauthenticated('Invalid access token: sign in again.');
    } else if (!check.ok) {
      outcomes[at] = errors.unauthenticated(check.reason === 'expired' ? 'Your access token has expired: get a new one with refreshToken.' : 'Invalid access token: sign in again.');
    } else verified.push({ at, claims: check.claims });
  }
  for (let from = 0; from < verified.length; from += CALLERS_PER_STATEMENT) {
    const batch = verified.slice(from, from + CALLERS_PER_STATEMENT);
    const rows = new Map((await query<CallerRow>(em, callerStates(batch.map((v) => v.claims)))).map((row) => [row.i, row]));
    batch.forEach(({ at, claims: { sub, sid, org } }, index) => {
      const row = rows.get(index + 1);
      if (!row || row.revoked) {
        outcomes[at] = errors.unauthenticated('Your session has ended: sign in again.');
        return;
      }
      const member = org !== null && row.org_role !== null;
      outcomes[at] = { userId: sub, role: row.role, emailVerified: row.email_verified, sessionId: sid, organizationId: member ? org : null, orgRole: member ? row.org_role : null };
    });
  }
  return outcomes;
}

interface CallerRow {
  i: number;
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
