import type { EntityManager } from '@mikro-orm/postgresql';
import { Consultation } from '../consultations/consultation.entity.js';
import { Membership } from '../identity/organization.entity.js';
import { ConsultantProfile } from '../identity/profile.entity.js';
import { UserRole } from '../identity/identity.enums.js';
import { meetingLinksOf } from '../meetings/index.js';
import { errors } from '../platform/errors.js';
import { query, execute } from '../platform/sql.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { DAY_MS } from '../platform/time.js';
import { feedBySecretHash, feedOfUser, insertFeed, rehashFeed, rotateFeed, type FeedRow } from './calendar.sql.js';
import { feedCalendar } from './consultation-event.js';
import { feedSecret, feedUrl, newNonce, SECRET_SHAPE, secretHash } from './feed-secret.js';
import { calendarSession } from './invitation.js';

/**
 * What a feed lists: the caller's sessions from 30 days back to as far ahead as anyone can book
 * (the longest booking horizon is 730 days), at most FEED_LIMIT, soonest first. Sessions that
 * take (or took) place only: a hold waiting for payment, a cancellation and a lapsed hold are
 * left out, so a subscribed calendar drops them.
 */
export const FEED_WINDOW = { pastDays: 30, futureDays: 731 } as const;
export const FEED_LIMIT = 500;
const LISTED: readonly string[] = ['SCHEDULED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'NO_SHOW'];

/** Who has a feed: consultants and client users (admins have no sessions of their own). */
const FEED_ROLES: readonly string[] = [UserRole.CONSULTANT, UserRole.CLIENT];

export interface FeedDocument {
  body: string;
  /** The newest change among the sessions in the window (listed or dropped) and the feed's rotation. */
  lastModified: Date;
}

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

/**
 * Private calendar feeds: the URL (made on first ask), its rotation, and the document behind a
 * secret. Whose sessions a feed lists — decided here, and nowhere else:
 * - a consultant: every session they give, in any organization;
 * - a client user: the sessions they are the client or the booker of, in the organizations they
 *   still belong to (leaving an organization takes its sessions out of the feed); never other
 *   members' sessions, owners included.
 */
export class CalendarFeedService {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: { publicUrl: string; serverSecret: string },
  ) {}

  /** The caller's feed URL, made on first ask; null for accounts without a feed (admins). */
  async urlFor(user: { id: string; role: string }, now = new Date()): Promise<string | null> {
    if (!FEED_ROLES.includes(user.role)) return null;
    let [row] = await query<FeedRow>(this.em, feedOfUser(user.id));
    if (!row) {
      const nonce = newNonce();
      await execute(this.em, insertFeed(user.id, nonce, secretHash(feedSecret(this.settings.serverSecret, user.id, nonce)), now));
      [row] = await query<FeedRow>(this.em, feedOfUser(user.id));
    }
    const secret = feedSecret(this.settings.serverSecret, user.id, row!.nonce);
    // A new server secret makes new URLs: the stored hash follows, so the URL shown is the one that works.
    if (secretHash(secret) !== row!.secret_hash) await execute(this.em, rehashFeed(user.id, row!.nonce, secretHash(secret)));
    return feedUrl(this.settings.publicUrl, secret);
  }

  /** A new secret: the old URL answers 404 from now on. */
  async rotate(user: { id: string; role: string }, now = new Date()): Promise<string> {
    if (!FEED_ROLES.includes(user.role)) throw errors.forbidden('Only consultants and client users have a calendar feed: admins have no sessions of their own.');
    const nonce = newNonce();
    const secret = feedSecret(this.settings.serverSecret, user.id, nonce);
    await execute(this.em, rotateFeed(user.id, nonce, secretHash(secret), now));
    return feedUrl(this.settings.publicUrl, secret);
  }

  /** The feed behind a URL's secret; null when it is no feed's (malformed, rotated, forged, someone gone). */
  async document(secret: string, now = new Date()): Promise<FeedDocument | null> {
    if (!SECRET_SHAPE.test(secret)) return null;
    const [row] = await query<FeedRow & { role: string }>(this.em, feedBySecretHash(secretHash(secret)));
    if (!row || !FEED_ROLES.includes(row.role)) return null;
    const sessions = await this.sessionsOf(row.user_id, row.role, now);
    const listed = sessions.filter((c) => LISTED.includes(c.status)).slice(0, FEED_LIMIT);
    // Their meetings in one statement: a new link changes the event (and dates the feed).
    const meetings = await meetingLinksOf(this.em, listed.map((c) => c.id));
    const events = listed.map((c) => calendarSession(c, meetings.get(c.id) ?? null));
    const times = [asDate(row.rotated_at), ...sessions.map((c) => c.updatedAt), ...events.map((e) => e.updatedAt)].map((d) => d.getTime());
    return {
      body: feedCalendar(events, { publicUrl: this.settings.publicUrl, name: 'Serenity sessions' }),
      lastModified: new Date(Math.max(...times)),
    };
  }

  /** Every session of the user in the window, whatever its status (the dropped ones date the feed too). */
  private async sessionsOf(userId: string, role: string, now: Date): Promise<Consultation[]> {
    const window = { endAt: { $gte: new Date(now.getTime() - FEED_WINDOW.pastDays * DAY_MS) }, startAt: { $lte: new Date(now.getTime() + FEED_WINDOW.futureDays * DAY_MS) } };
    let mine: Record<string, unknown>;
    if (role === UserRole.CONSULTANT) {
      const profile = await this.em.findOne(ConsultantProfile, { user: userId });
      if (!profile) return [];
      mine = { consultant: profile.id };
    } else {
      const organizations = (await this.em.find(Membership, { user: userId }, ACROSS_TENANTS)).map((m) => m.organization.id);
      if (!organizations.length) return [];
      mine = { organization: { $in: organizations }, $or: [{ client: userId }, { bookedBy: userId }] };
    }
    return this.em.find(Consultation, { ...mine, ...window }, {
      ...ACROSS_TENANTS,
      populate: ['client', 'bookedBy', 'consultant.user', 'organization'],
      orderBy: { startAt: 'asc', id: 'asc' },
      // Room for the dropped ones beside the listed ones.
      limit: FEED_LIMIT * 2,
    });
  }
}
