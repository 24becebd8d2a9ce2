import { createHash } from 'node:crypto';
import { meetingLinkOf } from '../meetings/index.js';
import type { DomainEventHandler } from '../platform/events.js';
import { query } from '../platform/sql.js';
import { insertMeetingLinkMessages, wakeDispatchers } from './meeting-messages.sql.js';

/** A link's occurrence key: the message is told once per link, without keeping the link itself in the outbox. */
export const linkOccurrence = (consultationId: string, joinUrl: string): string => createHash('sha256').update(`${consultationId}\n${joinUrl}`).digest('hex').slice(0, 32);

/**
 * meeting.changed → the outbox, in the emitting transaction (rows only; the dispatchers send
 * after commit). READY with a new link: the meeting-link message to those who were told of the
 * session without it (meeting-messages.sql.ts). Any outcome wakes the dispatchers, so a
 * confirmation held for the meeting (dispatch.rules.ts's heldForMeeting) goes at once, with
 * the link when there is one.
 */
export const meetingLinkMessages: DomainEventHandler<'meeting.changed'> = async (change, em) => {
  const link = change.status === 'READY' && change.joinUrlChanged ? (await meetingLinkOf(em, change.consultationId))?.joinUrl : null;
  if (link) await query(em, insertMeetingLinkMessages(change.consultationId, linkOccurrence(change.consultationId, link), change.at));
  else await query(em, wakeDispatchers);
};
