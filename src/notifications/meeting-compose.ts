/**
 * The composer of MEETING subjects (COMPOSERS in compose.ts): MEETING_FAILED to the consultant.
 * The provider and its error are the decision's (the delivery's payload); the session and the
 * consultant's zone are read now. Null (→ SKIPPED) when the consultation or the consultant is gone.
 */
import type { EntityManager } from '../platform/db.js';
import { emailTemplates } from '../platform/email-templates.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { Consultation } from '../consultations/consultation.entity.js';
import type { NotificationDelivery } from './delivery.entity.js';
import type { ComposedMessage } from './dispatch.types.js';
import { meetingFailedContent } from './meeting-content.js';
import { errorSummary } from './meeting-messages.js';
import { MessageKind } from './notification.enums.js';

export async function composeMeetingMessage(em: EntityManager, delivery: NotificationDelivery, publicUrl: string): Promise<ComposedMessage | null> {
  if (delivery.kind !== MessageKind.MEETING_FAILED) throw new Error(`No meeting message renders ${delivery.kind}.`);
  const c = await em.findOne(Consultation, { id: delivery.subjectId }, { ...ACROSS_TENANTS, populate: ['client', 'consultant.user', 'organization'] });
  const consultant = c?.consultant.user;
  if (!c || !consultant || consultant.id !== delivery.recipientUserId) return null;
  const payload = delivery.payload ?? {};
  const content = meetingFailedContent({
    publicUrl,
    recipient: { name: consultant.displayName, zone: consultant.timeZone },
    consultation: { id: c.id, code: c.code, start: c.startAt, clientName: c.client.displayName, organizationName: c.organization.name },
    provider: typeof payload.provider === 'string' ? payload.provider : c.meetingProvider,
    // Summarized again: the cap holds whatever wrote the payload.
    error: errorSummary(typeof payload.error === 'string' ? payload.error : null),
  });
  const { html, text } = (await emailTemplates()).render(content.template, content.data);
  return { subject: content.subject, html, text, inApp: content.inApp };
}
