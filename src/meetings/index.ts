import type { ModuleManifest } from '../platform/module.js';
import { Meeting } from './meeting.entity.js';
import { meetingFollowsConsultation } from './meeting.handlers.js';
import { meetingsJob } from './meetings.job.js';
import { ConsultationMeetingResolver } from './meeting.resolver.js';
import { zoomWebhookRoutes } from './zoom-webhook.route.js';
import { providerChecks } from './providers.js';

/** Meetings: the place each consultation meets (Jitsi, phone, Zoom, Teams, Google Meet), made by a job after commit. */
export const meetingsModule: ModuleManifest = {
  name: 'meetings',
  entities: [Meeting],
  resolvers: [ConsultationMeetingResolver],
  jobs: [meetingsJob()],
  eventHandlers: { 'consultation.changed': [meetingFollowsConsultation] },
  routes: [zoomWebhookRoutes],
  seeders: [],
  // Zoom's credentials, checked at start and every 5 minutes, reported by /readyz.
  readinessChecks: (config) => providerChecks(config.meetings),
};

export { meetingLinkOf, meetingLinksOf, usableUrl, type MeetingLink } from './meeting-link.js';
export { meetingBeingMade } from './meeting.sql.js';
export { MeetingStatus } from './meeting.enums.js';
