/**
 * Access tokens: a token that verified once is remembered, but its expiry is checked on every
 * use, a token signed with another secret never passes, and a tampered one is invalid.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignJWT } from 'jose';
import { signAccessToken, verifyAccessToken } from '../../src/identity/credentials.js';

const SECRET = 'credentials-test-secret-0123456789abcdef';
const claims = { sub: '7d1c1a8e-0000-4000-8000-000000000001', sid: '7d1c1a8e-0000-4000-8000-000000000002', org: null };

afterEach(() => vi.useRealTimers());

describe('verifyAccessToken', () => {
  it('accepts a fresh token (twice: the second from memory) and refuses it once expired', async () => {
    const { token, expiresAt } = await signAccessToken(claims, SECRET, 60);
    expect(await verifyAccessToken(token, SECRET)).toEqual({ ok: true, claims });
    expect(await verifyAccessToken(token, SECRET)).toEqual({ ok: true, claims });
    vi.useFakeTimers({ now: expiresAt.getTime() + 1000, toFake: ['Date'] });
    expect(await verifyAccessToken(token, SECRET)).toEqual({ ok: false, reason: 'expired' });
  });

  it('never lets a token pass under another secret, even after it verified under its own', async () => {
    const { token } = await signAccessToken(claims, SECRET, 60);
    expect((await verifyAccessToken(token, SECRET)).ok).toBe(true);
    expect(await verifyAccessToken(token, 'another-secret-entirely-0123456789abcdef')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a tampered token', async () => {
    const { token } = await signAccessToken(claims, SECRET, 60);
    const [header, payload, signature] = token.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.sub = '7d1c1a8e-0000-4000-8000-000000000099';
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    expect(await verifyAccessToken(tampered, SECRET)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a correctly signed token without an expiry (it would never end)', async () => {
    const forever = await new SignJWT({ sid: claims.sid, org: null })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer('serenity')
      .setIssuedAt()
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyAccessToken(forever, SECRET)).toEqual({ ok: false, reason: 'invalid' });
    // The same claims with an expiry pass: only the missing exp is at fault.
    const { token } = await signAccessToken(claims, SECRET, 60);
    expect((await verifyAccessToken(token, SECRET)).ok).toBe(true);
  });
});
