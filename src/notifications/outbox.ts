import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { execute, query } from '../platform/sql.js';
import type { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from './notification.enums.js';
import { cancelPending, insertDeliveries, messageIdOf } from './outbox.sql.js';

/** Who a message is for: a user with an account, or an address alone (an attendee). */
export type Recipient = { userId: string; email?: string | null } | { userId?: null; email: string };

/** A message decided by a domain event handler: what, to whom, on which channel, from when. */
export interface OutboxMessage {
  subject: { type: SubjectType; id: string };
  kind: MessageKind;
  channel: DeliveryChannel;
  side: RecipientSide;
  recipient: Recipient;
  /** Its moment (now, for a message that goes at once). */
  dueAt: Date;
  /** '' (default) for a message its subject gets once. */
  occurrence?: string;
  organizationId?: string | null;
  payload?: Record<string, unknown> | null;
}

/** The unique recipient key of I11. */
export function recipientKey(recipient: Recipient): string {
  return recipient.userId ? `user:${recipient.userId}` : `email:${recipient.email!.trim().toLowerCase()}`;
}

/**
 * Writes messages into the outbox, in `em`'s transaction (I11, I13): nothing is sent here; the
 * rows commit or roll back with the change that decided them, and their commit wakes the
 * dispatchers (pg_notify). A message already decided (same subject, kind, channel, recipient,
 * occurrence) is not written again. Returns how many were new.
 */
export async function enqueue(em: EntityManager, messages: readonly OutboxMessage[], at = new Date()): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = messages.map((m) => {
    const id = randomUUID();
    return {
      id,
      subjectType: m.subject.type,
      subjectId: m.subject.id,
      kind: m.kind,
      channel: m.channel,
      side: m.side,
      recipientKey: recipientKey(m.recipient),
      recipientUserId: m.recipient.userId ?? null,
      recipientEmail: m.recipient.email ?? null,
      occurrence: m.occurrence ?? '',
      organizationId: m.organizationId ?? null,
      payload: m.payload ?? null,
      dueAt: m.dueAt,
      // Fixed now, so a resend after a crash carries the same Message-ID.
      messageId: messageIdOf(id),
      at,
    };
  });
  const [result] = await query<{ added: number }>(em, insertDeliveries(rows));
  return result?.added ?? 0;
}

/** Withdraws a subject's messages that have not gone yet (see outbox.sql.ts's cancelPending); returns how many. */
export function withdraw(em: EntityManager, subject: { type: SubjectType; id: string }, options: { kinds?: readonly MessageKind[]; keepOccurrence?: string; at?: Date } = {}): Promise<number> {
  return execute(em, cancelPending(subject.type, subject.id, { ...options, at: options.at ?? new Date() }));
}
