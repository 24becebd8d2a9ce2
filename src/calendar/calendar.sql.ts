import { sql, type Sql } from '../platform/sql.js';

/** Makes a user's feed once: two first asks at once keep one nonce (the loser's insert does nothing). */
export function insertFeed(userId: string, nonce: string, hash: string, at: Date): Sql {
  return sql`INSERT INTO calendar_feed (user_id, nonce, secret_hash, created_at, rotated_at)
      VALUES (${userId}::uuid, ${nonce}, ${hash}, ${at}::timestamptz, ${at}::timestamptz)
      ON CONFLICT (user_id) DO NOTHING`;
}

/** Replaces the secret (or makes the feed): the old URL's hash is gone in the same statement. */
export function rotateFeed(userId: string, nonce: string, hash: string, at: Date): Sql {
  return sql`INSERT INTO calendar_feed (user_id, nonce, secret_hash, created_at, rotated_at)
      VALUES (${userId}::uuid, ${nonce}, ${hash}, ${at}::timestamptz, ${at}::timestamptz)
      ON CONFLICT (user_id) DO UPDATE SET nonce = excluded.nonce, secret_hash = excluded.secret_hash, rotated_at = excluded.rotated_at`;
}

/** The server's secret changed since the hash was written: the derived URL is the one that counts now. */
export function rehashFeed(userId: string, nonce: string, hash: string): Sql {
  return sql`UPDATE calendar_feed SET secret_hash = ${hash} WHERE user_id = ${userId}::uuid AND nonce = ${nonce}`;
}

export interface FeedRow {
  user_id: string;
  nonce: string;
  secret_hash: string;
  rotated_at: Date | string;
}

export function feedOfUser(userId: string): Sql {
  return sql`SELECT user_id, nonce, secret_hash, rotated_at FROM calendar_feed WHERE user_id = ${userId}::uuid`;
}

export function feedBySecretHash(hash: string): Sql {
  return sql`SELECT f.user_id, f.nonce, f.secret_hash, f.rotated_at, u.role FROM calendar_feed f JOIN app_user u ON u.id = f.user_id WHERE f.secret_hash = ${hash}`;
}
