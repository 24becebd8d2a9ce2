import { MeetingStatus } from '../meetings/meeting.enums.js';
import { sql, type Sql } from '../platform/sql.js';

/** What failedMeeting reads: the consultant to tell and which failure it is. */
export interface FailedMeetingRow {
  consultant_user_id: string;
  organization_id: string;
  /** The failure's instant as the row has it, to the microsecond (text): the delivery's occurrence. */
  failed_at: string;
}

/**
 * The consultation's meeting while it is FAILED, with its consultant's user: no row when it is not
 * (made or moved again since the event, or gone). The failure is the row's own updated_at, which
 * markFailed sets and a repeat of its event does not change.
 */
export function failedMeeting(consultationId: string): Sql {
  return sql`SELECT p.user_id AS consultant_user_id, c.organization_id, to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS failed_at
       FROM meeting m JOIN consultation c ON c.id = m.consultation_id JOIN consultant_profile p ON p.id = c.consultant_id
      WHERE m.consultation_id = ${consultationId}::uuid AND m.status = ${MeetingStatus.FAILED}`;
}

/** What the relevance check reads when a MEETING_FAILED falls due. */
export interface MeetingNowRow {
  meeting_status: string;
  consultation_status: string;
}

export function meetingNow(consultationId: string): Sql {
  return sql`SELECT m.status AS meeting_status, c.status AS consultation_status
       FROM meeting m JOIN consultation c ON c.id = m.consultation_id WHERE m.consultation_id = ${consultationId}::uuid`;
}
