/**
 * What the MEETING_FAILED message says to the consultant: a pure rule from the facts (the time
 * already in the consultant's zone) to the template, the subject, the in-app line and the data.
 * meeting-compose.ts reads the facts; emails/meeting-failed.mjml and .txt word them.
 */
import { MeetingProvider, meetingProviderName } from '../identity/meeting-providers.js';
import { formatLocalTime, knownZone } from '../platform/local-time.js';
import type { MessageContent } from './consultation-content.js';

// The sentences say "the <provider> meeting": a phone call reads as "the phone meeting".
const nameInSentence = (provider: string): string => (provider === MeetingProvider.PHONE ? 'phone' : meetingProviderName(provider));

export interface MeetingFailedFacts {
  publicUrl: string;
  recipient: { name: string; zone: string };
  consultation: { id: string; code: string; start: Date; clientName: string; organizationName: string };
  /** The provider the meeting was for (the decision's, from the delivery's payload). */
  provider: string;
  /** The provider's error, summarized (meeting-messages.ts's errorSummary); null: none recorded. */
  error: string | null;
}

export function meetingFailedContent(f: MeetingFailedFacts): MessageContent {
  const zone = knownZone(f.recipient.zone);
  const at = formatLocalTime(f.consultation.start, zone);
  const provider = nameInSentence(f.provider);
  const consultationUrl = `${f.publicUrl}/consultations/${f.consultation.id}`;
  const subject = `No ${provider} meeting for ${f.consultation.code}: share a link with the client`;
  const lead = `We could not set up the ${provider} meeting for ${f.consultation.code} on ${at}: share a link with the client or change the provider.`;
  return {
    template: 'meeting-failed',
    subject,
    inApp: { title: subject, body: f.error ? `${lead} ${provider} said: ${f.error}` : lead, link: consultationUrl },
    data: {
      publicUrl: f.publicUrl,
      subject,
      preview: lead,
      recipientName: f.recipient.name,
      lead,
      provider,
      error: f.error,
      code: f.consultation.code,
      at,
      withName: `${f.consultation.clientName} (${f.consultation.organizationName})`,
      consultationUrl,
    },
  };
}
