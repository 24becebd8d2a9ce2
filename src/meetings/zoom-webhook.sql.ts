import { MeetingProvider } from '../consultations/consultation.enums.js';
import { sql, type Sql } from '../platform/sql.js';

/** One statement per event: `found` tells an unknown meeting from a repeat that changes nothing (`changed` 0). */
export interface ZoomEventOutcomeRow {
  found: number;
  changed: number;
}

/**
 * Sets `assignments` on the Zoom meeting whose external id is `zoomMeetingId` when `changes`
 * holds (the row's own columns, unqualified), and only then touches updated_at: a repeat of
 * the same event writes nothing.
 */
function applyToZoomMeeting(zoomMeetingId: string, assignments: Sql, changes: Sql, now: Date): Sql {
  return sql`WITH target AS (
      SELECT consultation_id FROM meeting WHERE provider = ${MeetingProvider.ZOOM} AND external_id = ${zoomMeetingId}),
    changed AS (
      UPDATE meeting SET ${assignments}, updated_at = ${now}
        WHERE consultation_id IN (SELECT consultation_id FROM target) AND (${changes})
      RETURNING 1)
    SELECT (SELECT count(*) FROM target)::int AS found, (SELECT count(*) FROM changed)::int AS changed`;
}

/** meeting.started: the earliest start wins (a repeat, or the host starting the same meeting again later, keeps it). */
export function recordZoomStart(zoomMeetingId: string, at: Date, now: Date): Sql {
  return applyToZoomMeeting(zoomMeetingId, sql`started_at = ${at}`, sql`started_at IS NULL OR started_at > ${at}`, now);
}

/** meeting.ended: the latest end wins (an end delivered late for an earlier leg does not shorten the session). */
export function recordZoomEnd(zoomMeetingId: string, at: Date, now: Date): Sql {
  return applyToZoomMeeting(zoomMeetingId, sql`ended_at = ${at}`, sql`ended_at IS NULL OR ended_at < ${at}`, now);
}

/** recording.completed: the recording's link (a repeat carries the same link and writes nothing). */
export function recordZoomRecording(zoomMeetingId: string, recordingUrl: string, now: Date): Sql {
  return applyToZoomMeeting(zoomMeetingId, sql`recording_url = ${recordingUrl}`, sql`recording_url IS DISTINCT FROM ${recordingUrl}`, now);
}
