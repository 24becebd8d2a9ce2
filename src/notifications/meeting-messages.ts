/**
 * meeting.changed → the consultant's MEETING_FAILED (email and in-app), in the emitting
 * transaction (the one that marked the meeting FAILED): it only writes delivery rows. The
 * consultant alone is told — they can share another link or change the provider; admins see
 * the FAILED status on the consultation's meeting. Once per failure: the occurrence is the
 * failure's instant on the meeting row, so a repeated event writes nothing more.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConsultationStatus } from '../consultations/consultation.enums.js';
import { MeetingStatus } from '../meetings/meeting.enums.js';
import type { DomainEventHandler } from '../platform/events.js';
import { query } from '../platform/sql.js';
import type { NotificationDelivery } from './delivery.entity.js';
import { failedMeeting, meetingNow, type FailedMeetingRow, type MeetingNowRow } from './meeting-messages.sql.js';
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
