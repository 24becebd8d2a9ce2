import { registerEnumType } from 'type-graphql';

/** PENDING: being made (or moved) after commit; READY: the link works; FAILED: retries ran out; DELETED: removed after a cancellation or a lapsed hold. */
export const MeetingStatus = { PENDING: 'PENDING', READY: 'READY', FAILED: 'FAILED', DELETED: 'DELETED' } as const;
export type MeetingStatus = (typeof MeetingStatus)[keyof typeof MeetingStatus];
registerEnumType(MeetingStatus, { name: 'MeetingStatus' });

/** What the job still has to ask the provider; null: nothing (READY, FAILED, DELETED, or a fee hold not paid yet). */
export const MeetingAction = { CREATE: 'CREATE', UPDATE: 'UPDATE', DELETE: 'DELETE' } as const;
export type MeetingAction = (typeof MeetingAction)[keyof typeof MeetingAction];
