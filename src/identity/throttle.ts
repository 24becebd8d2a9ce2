import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { errors } from '../platform/errors.js';
import { DAY_MS, MINUTE_MS } from '../platform/time.js';
import { AuthAttempt } from './session.entity.js';

/**
 * Login throttling per email and a per-IP limit on auth mutations, counted in PostgreSQL so
 * every API instance sees the same counts. It runs on the EntityManager it is given: inside a
 * transaction (login) its writes commit with it, otherwise each statement commits alone.
 */
export class AuthThrottle {
  constructor(
    private readonly em: EntityManager,
    private readonly limits: Config['auth'],
  ) {}

  /** One auth mutation from `ip` (each aliased field calls this once); RATE_LIMITED past the limit. */
  async hitIp(ip: string, now = new Date()): Promise<void> {
    const key = `ip:${ip}`;
    const windowStart = new Date(now.getTime() - MINUTE_MS);
    await this.em.insert(AuthAttempt, { key, at: now });
    const recent = await this.em.find(AuthAttempt, { key, at: { $gt: windowStart } }, { orderBy: { at: 'asc' }, fields: ['at'] });
    if (recent.length > this.limits.ipLimitPerMinute) {
      const oldest = recent[recent.length - this.limits.ipLimitPerMinute - 1]!.at;
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest.getTime() + MINUTE_MS - now.getTime()) / 1000));
      throw errors.rateLimited(`Too many sign-in requests from your address: try again in ${retryAfterSeconds} s.`, retryAfterSeconds);
    }
  }

  /** RATE_LIMITED while the email has had `loginMaxFailures` failures within the window. */
  async assertLoginAllowed(email: string, now = new Date()): Promise<void> {
    const windowMs = this.limits.loginWindowMinutes * MINUTE_MS;
    const failures = await this.em.find(AuthAttempt, { key: loginKey(email), at: { $gt: new Date(now.getTime() - windowMs) } }, { orderBy: { at: 'desc' }, fields: ['at'] });
    if (failures.length < this.limits.loginMaxFailures) return;
    // Locked for one window from the failure that reached the limit.
    const lockedFrom = failures[failures.length - this.limits.loginMaxFailures]!.at;
    const retryAfterSeconds = Math.max(1, Math.ceil((lockedFrom.getTime() + windowMs - now.getTime()) / 1000));
    throw errors.rateLimited(
      `Too many failed sign-ins for this email: try again in ${Math.ceil(retryAfterSeconds / 60)} min, or reset your password.`,
      retryAfterSeconds,
    );
  }

  async recordLoginFailure(email: string, now = new Date()): Promise<void> {
    await this.em.insert(AuthAttempt, { key: loginKey(email), at: now });
  }

  async clearLoginFailures(email: string): Promise<void> {
    await this.em.nativeDelete(AuthAttempt, { key: loginKey(email) });
  }

  /** Attempts older than a day count for nothing; the purge job removes them. */
  static async purge(em: EntityManager, now = new Date()): Promise<number> {
    return em.nativeDelete(AuthAttempt, { at: { $lt: new Date(now.getTime() - DAY_MS) } });
  }
}

function loginKey(email: string): string {
  return `login:${email.trim().toLowerCase()}`;
}
