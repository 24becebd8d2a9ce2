import { randomUUID } from 'node:crypto';
import { OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

/**
 * One signed-in device: a family of refresh tokens. Revoking it (logout, password reset,
 * reuse of a rotated refresh token) ends its access tokens at once, since every request
 * checks its session.
 */
@Entity({ tableName: 'auth_session' })
export class Session {
  [OptionalProps]?: 'createdAt' | 'revokedAt' | 'revokedReason' | 'organization';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  @Index()
  user!: Rel<User>;

  /** The active organization the access tokens name (clients only). */
  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'set null' })
  organization: Rel<Organization> | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  revokedReason: string | null = null;
}

/** A refresh token of a session, stored as its sha256; each is used once (rotation). */
@Entity({ tableName: 'refresh_token' })
export class RefreshToken {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Session, { deleteRule: 'cascade' })
  @Index()
  session!: Rel<Session>;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Set when exchanged for a new one; a second use means the token leaked. */
  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

export const OneTimeTokenPurpose = { VERIFY_EMAIL: 'VERIFY_EMAIL', PASSWORD_RESET: 'PASSWORD_RESET' } as const;
export type OneTimeTokenPurpose = (typeof OneTimeTokenPurpose)[keyof typeof OneTimeTokenPurpose];

/** Email verification and password reset tokens: single-use, stored as sha256. */
@Entity({ tableName: 'one_time_token' })
export class OneTimeToken {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  @Index()
  user!: Rel<User>;

  @Enum({ items: () => OneTimeTokenPurpose, type: 'string' })
  purpose!: OneTimeTokenPurpose;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** One counted auth attempt (a failed login per email, an auth mutation per IP), for throttling. */
@Entity({ tableName: 'auth_attempt' })
@Index({ properties: ['key', 'at'] })
export class AuthAttempt {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 300 })
  key!: string;

  @Property({ type: 'timestamptz' })
  at: Date = new Date();
}
