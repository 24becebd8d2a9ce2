/**
 * Samples of the meeting emails (meeting-content.ts), each with the facts it must state: what
 * `npm run emails:preview` renders and the template tests check.
 */
import { meetingFailedContent, type MeetingFailedFacts } from '../src/notifications/meeting-content.js';
import type { EmailSample } from './email-samples.js';

const base: MeetingFailedFacts = {
  publicUrl: 'https://app.serenity.example',
  recipient: { name: 'Sarah Chen', zone: 'America/New_York' },
  consultation: { id: '6f1c1d2e-8c1b-4a3e-9d55-0b7f3a1c2d4e', code: 'CNS-ACME-20261208-001', start: new Date('2026-12-08T14:00:00Z'), clientName: 'Jane Smith', organizationName: 'Acme & Sons' },
  provider: 'ZOOM',
  error: 'Zoom answered 404: User does not exist: sarah.chen@serenity.example.',
};

function sample(name: string, facts: Partial<MeetingFailedFacts>, expected: string[]): EmailSample {
  const content = meetingFailedContent({ ...base, ...facts });
  return { name, template: content.template, subject: content.subject, data: content.data, facts: ['Hello Sarah Chen', ...expected] };
}

export const MEETING_SAMPLES: EmailSample[] = [
  sample('meeting-failed', {}, [
    'We could not set up the Zoom meeting for CNS-ACME-20261208-001 on Tue 8 Dec 2026, 09:00 (America/New_York): share a link with the client or change the provider.',
    'Zoom said: Zoom answered 404: User does not exist',
    'Jane Smith (Acme & Sons)',
    'https://app.serenity.example/consultations/6f1c1d2e-8c1b-4a3e-9d55-0b7f3a1c2d4e',
  ]),
  sample('meeting-failed-no-error', { provider: 'TEAMS', error: null }, ['We could not set up the Microsoft Teams meeting for CNS-ACME-20261208-001']),
];
