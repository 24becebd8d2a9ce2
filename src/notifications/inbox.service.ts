import type { EntityManager } from '@mikro-orm/postgresql';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { keysetPage, pageSize, type Connection } from '../platform/pagination.js';
import { execute, query } from '../platform/sql.js';
import { countUnread, markAllRead, markRead } from './inbox.sql.js';
import { Notification } from './notification.entity.js';

/**
 * A user's own inbox. Every statement names the caller's id: another person's notification is
 * NOT_FOUND like one that does not exist, so ids reveal nothing.
 */
export class InboxService {
  constructor(private readonly em: EntityManager) {}

  /** Newest first; `unreadOnly` leaves out the read ones. */
  list(userId: string, options: { unreadOnly: boolean; first: number | null; after: string | null }): Promise<Connection<Notification>> {
    const where = { user: userId, ...(options.unreadOnly ? { readAt: null } : {}) };
    return keysetPage(this.em, Notification, where, { field: 'createdAt', direction: 'desc' }, pageSize(options.first), options.after);
  }

  /** Marks it read (again: keeps the first time); NOT_FOUND unless it is the caller's. */
  async markRead(userId: string, id: string, at = new Date()): Promise<Notification> {
    const key = requireUuid(id, 'Notification');
    const [row] = await query<{ id: string }>(this.em, markRead(userId, key, at));
    if (!row) throw errors.notFound('Notification', id);
    return this.em.findOneOrFail(Notification, { id: key, user: userId }, { refresh: true });
  }

  /** How many were unread and are read now. */
  markAllRead(userId: string, at = new Date()): Promise<number> {
    return execute(this.em, markAllRead(userId, at));
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await query<{ count: number }>(this.em, countUnread(userId));
    return row?.count ?? 0;
  }
}
