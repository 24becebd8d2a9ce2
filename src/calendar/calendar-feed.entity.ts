import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { User } from '../identity/user.entity.js';

/**
 * A user's private calendar feed. The secret in its URL is never stored: it is derived from
 * `nonce` and the server's secret (feed-secret.ts), and only its hash is kept, to find the feed
 * by. Rotating draws a new nonce, so the old URL's hash matches nothing. It belongs to its user,
 * not to an organization (a consultant's feed spans organizations).
 */
@Entity({ tableName: 'calendar_feed' })
export class CalendarFeed {
  [OptionalProps]?: 'createdAt' | 'rotatedAt';

  @OneToOne(() => User, { primary: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  /** Random; with the server's secret it makes the URL's secret. */
  @Property({ type: 'string', length: 32 })
  nonce!: string;

  /** sha256 (hex) of the URL's secret. */
  @Property({ type: 'string', length: 64, unique: true })
  secretHash!: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  /** When the secret was last replaced (or first made). */
  @Property({ type: 'timestamptz' })
  rotatedAt: Date = new Date();
}
