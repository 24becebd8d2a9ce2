import type { EntityManager } from '@mikro-orm/postgresql';
import { httpLink } from '../platform/links.js';
import { query } from '../platform/sql.js';
import { MeetingAction, MeetingStatus } from './meeting.enums.js';
import { meetingLinks, type MeetingLinkRow } from './meeting.sql.js';

/**
 * A consultation's meeting as the layers above show it: the messages (composed when they go),
 * the invitations and the calendar feed. `joinUrl` is only a link people can use now: READY, or
 * being moved after a reschedule (the link it had still stands until the provider says
 * otherwise); never while it is first made, after a failure or a deletion.
 */
export interface MeetingLink {
  provider: string;
  status: MeetingStatus;
  /** https: (a video meeting) or tel: (PHONE); null: none to use yet. */
  joinUrl: string | null;
  passcode: string | null;
  dialIn: string | null;
  /** The host's own link: only ever shown to the consultant. */
  hostUrl: string | null;
  /** Raised with every new join URL: added to the consultation's calendar sequence in invitations. */
  linkSequence: number;
  linkChangedAt: Date | null;
}

export function meetingLink(row: MeetingLinkRow): MeetingLink {
  const usable = row.status === MeetingStatus.READY || (row.status === MeetingStatus.PENDING && row.action === MeetingAction.UPDATE);
  return {
    provider: row.provider,
    status: row.status,
    joinUrl: usable ? usableUrl(row.join_url) : null,
    passcode: usable ? row.passcode : null,
    dialIn: usable ? row.dial_in : null,
    hostUrl: usable ? httpLink(row.host_url) : null,
    linkSequence: row.link_sequence,
    linkChangedAt: row.link_changed_at ? new Date(row.link_changed_at) : null,
  };
}

/** http(s) as normalized by httpLink; a tel: link kept when it is a number; anything else is no link. */
export function usableUrl(url: string | null): string | null {
  if (url && /^tel:\+?[0-9]{3,20}$/.test(url)) return url;
  return httpLink(url);
}

/** The meetings of some consultations in one statement, by consultation; a consultation without one is missing. */
export async function meetingLinksOf(em: EntityManager, consultationIds: readonly string[]): Promise<Map<string, MeetingLink>> {
  if (consultationIds.length === 0) return new Map();
  const rows = await query<MeetingLinkRow>(em, meetingLinks(consultationIds));
  return new Map(rows.map((row) => [row.consultation_id, meetingLink(row)]));
}

export async function meetingLinkOf(em: EntityManager, consultationId: string): Promise<MeetingLink | null> {
  return (await meetingLinksOf(em, [consultationId])).get(consultationId) ?? null;
}
