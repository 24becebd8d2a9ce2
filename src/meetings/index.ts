import type { ModuleManifest } from '../platform/module.js';
import { Meeting } from './meeting.entity.js';
import { meetingFollowsConsultation } from './meeting.handlers.js';
import { meetingsJob } from './meetings.job.js';
import { ConsultationMeetingResolver } from './meeting.resolver.js';

/** Meetings: the place each consultation meets (Jitsi, phone, Teams, Google Meet; Zoom to come), made by a job after commit. */
export const meetingsModule: ModuleManifest = {
  name: 'meetings',
  entities: [Meeting],
  resolvers: [ConsultationMeetingResolver],
  jobs: [meetingsJob()],
  eventHandlers: { 'consultation.changed': [meetingFollowsConsultation] },
  routes: [],
  seeders: [],
};
