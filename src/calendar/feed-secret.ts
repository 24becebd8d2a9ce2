import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * The secret of a feed URL: HMAC-SHA256 of the user and the feed's nonce under the server's
 * secret (JWT_SECRET), base64url (43 characters). Derived, so `me.calendarFeedUrl` can show the
 * URL again without the database holding it; a new nonce (rotation) or a new server secret
 * makes a new one, and the old URL then finds nothing.
 */
export function feedSecret(serverSecret: string, userId: string, nonce: string): string {
  return createHmac('sha256', serverSecret).update(`calendar-feed\u0000${userId}\u0000${nonce}`).digest('base64url');
}

/** What the database keeps of a secret, to find its feed by. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** The shape feedSecret makes; anything else is not looked up. */
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function feedUrl(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/calendar/${secret}.ics`;
}
