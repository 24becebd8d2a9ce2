import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';

/** argon2id (the library's default algorithm) with OWASP's recommended minimum cost (19 MiB, 2 passes). */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so both paths take as long. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** An unguessable token for links and refresh tokens (256 bits, URL-safe). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their sha256, so a database leak yields no usable token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface AccessTokenClaims {
  /** user id */
  sub: string;
  /** session id: revoked sessions end their access tokens at once */
  sid: string;
  /** active organization id, for clients */
  org: string | null;
}

const ISSUER = 'serenity';

export async function signAccessToken(claims: AccessTokenClaims, secret: string, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT({ sid: claims.sid, org: claims.org })
    .setJti(randomUUID())
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt };
}

export type AccessTokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyAccessToken(token: string, secret: string): Promise<AccessTokenCheck> {
  // Every authenticated request checks its token: one that verified before needs only its
  // expiry checked again (the signature cannot have changed); the session is checked per request.
  const known = verifiedTokens(secret);
  const cached = known.get(token);
  if (cached) {
    if (cached.exp > Math.floor(Date.now() / 1000)) return { ok: true, claims: cached.claims };
    known.delete(token);
    return { ok: false, reason: 'expired' };
  }
  try {
    // A token without exp would never end: jose refuses it (requiredClaims) like a bad signature.
    const { payload } = await jwtVerify(token, await verifyKey(secret), { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp'] });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return { ok: false, reason: 'invalid' };
    const org = typeof payload.org === 'string' ? payload.org : null;
    const claims = { sub: payload.sub, sid: payload.sid, org };
    if (typeof payload.exp === 'number' && payload.nbf === undefined) known.set(token, { claims, exp: payload.exp });
    return { ok: true, claims };
  } catch (error) {
    return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** Access tokens that verified, per secret; the least recently used go first (bounded). */
const verifiedByKey = new Map<string, LRUCache<string, { claims: AccessTokenClaims; exp: number }>>();

function verifiedTokens(secret: string): LRUCache<string, { claims: AccessTokenClaims; exp: number }> {
  let known = verifiedByKey.get(secret);
  if (!known) {
    known = new LRUCache({ max: 10_000 });
    verifiedByKey.set(secret, known);
  }
  return known;
}

/** The HMAC key of a secret, imported once (WebCrypto's import costs about as much as a verification). */
const verifyKeys = new Map<string, Promise<CryptoKey>>();

function verifyKey(secret: string): Promise<CryptoKey> {
  let key = verifyKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    verifyKeys.set(secret, key);
  }
  return key;
}
