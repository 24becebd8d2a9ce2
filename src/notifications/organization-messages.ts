import type { EntityManager } from '@mikro-orm/postgresql';
import { query } from '../platform/sql.js';
import { DeliveryChannel, RecipientSide, type MessageKind, type SubjectType } from './notification.enums.js';
import { organizationPeople } from './organization-audience.sql.js';
import { enqueue, type OutboxMessage } from './outbox.js';

/** One credit or billing message for an organization's people (organizationMessage). */
export interface OrganizationMessage {
  subject: { type: SubjectType; id: string };
  kind: MessageKind;
  organizationId: string;
  /** Members it concerns besides the owners (a booking's member, the buyer); owners always get it. */
  memberIds?: readonly string[];
  /** Addresses without an account that get the email only (the billing email). */
  emails?: readonly string[];
  /** Default: `at` (it goes at once). */
  dueAt?: Date;
  occurrence?: string;
  payload?: Record<string, unknown> | null;
}

/**
 * Writes an organization's message into the outbox, in `em`'s transaction (I11, I13): an EMAIL
 * and an IN_APP delivery for each owner and each member named, an EMAIL for each extra address
 * that is none of theirs;
 * a message already decided for someone is not written again. Returns how many were new.
 */
export async function enqueueOrganizationMessage(em: EntityManager, message: OrganizationMessage, at = new Date()): Promise<number> {
  const people = await query<{ user_id: string; email: string }>(em, organizationPeople(message.organizationId, message.memberIds ?? []));
  const base = {
    subject: message.subject,
    kind: message.kind,
    side: RecipientSide.CLIENT,
    dueAt: message.dueAt ?? at,
    occurrence: message.occurrence ?? '',
    organizationId: message.organizationId,
    payload: message.payload ?? null,
  };
  const rows: OutboxMessage[] = [
    ...people.flatMap(({ user_id }) => [DeliveryChannel.EMAIL, DeliveryChannel.IN_APP].map((channel) => ({ ...base, channel, recipient: { userId: user_id } }))),
    // An extra address that is one of these people's gets their email only once.
    ...[...new Set((message.emails ?? []).map((email) => email.trim().toLowerCase()))].filter((email) => !people.some((p) => p.email.toLowerCase() === email)).map((email) => ({ ...base, channel: DeliveryChannel.EMAIL, recipient: { email } })),
  ];
  return enqueue(em, rows, at);
}
