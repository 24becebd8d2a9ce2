import type { DomainEventHandler } from '../platform/events.js';
import { execute } from '../platform/sql.js';
import { MeetingAction } from './meeting.enums.js';
import { recordDeletion, recordPending, recordUpdate } from './meeting.sql.js';

/**
 * The meeting follows the consultation, in the booking's own transaction: only rows are written
 * here (the job calls the provider after commit), so a slow or failing provider never slows or
 * refuses a booking. A booking-fee hold gets its row at once and its create once PAID.
 */
export const meetingFollowsConsultation: DomainEventHandler<'consultation.changed'> = async (change, em) => {
  const now = change.at;
  switch (change.kind) {
    case 'BOOKED':
      await execute(em, recordPending(change.consultationId, change.status === 'PENDING_PAYMENT' ? null : MeetingAction.CREATE, now));
      return;
    case 'PAID':
      await execute(em, recordPending(change.consultationId, MeetingAction.CREATE, now));
      return;
    case 'RESCHEDULED':
      await execute(em, recordUpdate(change.consultationId, now));
      return;
    case 'CANCELLED':
    case 'EXPIRED':
      await execute(em, recordDeletion(change.consultationId, now));
      return;
    // The place to meet stays as it is.
    case 'CONFIRMED':
    case 'RESCHEDULE_REQUESTED':
    case 'STARTED':
    case 'COMPLETED':
    case 'NO_SHOW':
    case 'ATTENDEES_ADDED':
      return;
  }
};
