/**
 * meeting.changed → the outbox, in the emitting transaction (rows only; the dispatchers send
 * after commit): the meeting-link message when a new link is READY, the consultant's
 * MEETING_FAILED when the provider gave up.
 *
 * MEETING_FAILED (email and in-app), in the transaction (email and in-app), in the emitting
 * transaction (the one that marked the meeting FAILED): it only writes delivery rows. The
 * consultant alone is told — they can share another link or change the provider; admins see
 * the FAILED status on the consultation's meeting. Once per failure: the occurrence is the
 * failure's instant on the meeting row, so a repeated event writes nothing more.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsultationStatus } from '../consultations/consultation.enums.js';
import { meetingLinkOf } from '../meetings/index.js';
import { MeetingStatus } from '../meetings/meeting.enums.js';
import type { DomainEventHandler } from '../platform/events.js';
import { query } from '../platform/sql.js';
import type { NotificationDelivery } from './delivery.entity.js';
import { failedMeeting, insertMeetingLinkMessages, meetingNow, wakeDispatchers, type FailedMeetingRow, type MeetingNowRow } from './meeting-messages.sql.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from './notification.enums.js';
import { enqueue } from './outbox.js';

/** The provider's error as the message quotes it: the stored last_error (already free of secrets), on one line, cut short. */
export const ERROR_SUMMARY_LENGTH = 300;

export function errorSummary(error: string | null): string | null {
  const line = (error ?? '').replace(/\s+/g, ' ').trim();
  if (!line) return null;
  return line.length > ERROR_SUMMARY_LENGTH ? `${line.slice(0, ERROR_SUMMARY_LENGTH - 1)}…` : line;
}

export const meetingFailedMessages: DomainEventHandler<'meeting.changed'> = async (change, em) => {
  if (change.status !== 'FAILED') return;
  const [row] = await query<FailedMeetingRow>(em, failedMeeting(change.consultationId));
  // Made or moved again before this event was handled: nothing failed any more.
  if (!row) return;
  const payload = { provider: change.provider, error: errorSummary(change.error) };
  await enqueue(
    em,
    [DeliveryChannel.EMAIL, DeliveryChannel.IN_APP].map((channel) => ({
      subject: { type: SubjectType.MEETING, id: change.consultationId },
      kind: MessageKind.MEETING_FAILED,
      channel,
      side: RecipientSide.CONSULTANT,
      recipient: { userId: row.consultant_user_id },
      dueAt: change.at,
      occurrence: `failed:${row.failed_at}`,
      organizationId: row.organization_id,
      payload,
    })),
    change.at,
  );
};

/** Session statuses in which a meeting is still needed. */
const AHEAD = new Set<string>([ConsultationStatus.SCHEDULED, ConsultationStatus.CONFIRMED, ConsultationStatus.IN_PROGRESS]);

/** relevance.ts's check for MEETING subjects: still FAILED, for a session still to be held (else SKIPPED). */
export async function meetingMessageRelevant(em: EntityManager, delivery: Pick<NotificationDelivery, 'subjectId'>): Promise<boolean> {
  const [row] = await query<MeetingNowRow>(em, meetingNow(delivery.subjectId));
  return row !== undefined && row.meeting_status === MeetingStatus.FAILED && AHEAD.has(row.consultation_status);
}

/** A link's occurrence key: the message is told once per link, without keeping the link itself in the outbox. */
export const linkOccurrence = (consultationId: string, joinUrl: string): string => createHash('sha256').update(`${consultationId}\n${joinUrl}`).digest('hex').slice(0, 32);

/**
 * READY with a new link: the meeting-link message to those who were told of the
 * session without it (meeting-messages.sql.ts). Any outcome wakes the dispatchers, so a
 * confirmation held for the meeting (dispatch.rules.ts's heldForMeeting) goes at once, with
 * the link when there is one.
 */
export const meetingLinkMessages: DomainEventHandler<'meeting.changed'> = async (change, em) => {
  const link = change.status === 'READY' && change.joinUrlChanged ? (await meetingLinkOf(em, change.consultationId))?.joinUrl : null;
  if (link) await query(em, insertMeetingLinkMessages(change.consultationId, linkOccurrence(change.consultationId, link), change.at));
  else await query(em, wakeDispatchers);
};
