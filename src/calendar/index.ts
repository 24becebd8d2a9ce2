import type { ModuleManifest } from '../platform/module.js';
import { CalendarFeed } from './calendar-feed.entity.js';
import { CalendarResolver, CalendarUserFieldsResolver } from './calendar.resolver.js';
import { calendarRoutes } from './calendar.route.js';

/** Calendar: consultations as iCalendar events — the invitations emails carry, and each user's private feed. */
export const calendarModule: ModuleManifest = {
  name: 'calendar',
  entities: [CalendarFeed],
  resolvers: [CalendarResolver, CalendarUserFieldsResolver],
  jobs: [],
  eventHandlers: {},
  routes: [calendarRoutes],
  seeders: [],
};

export { consultationInvitation } from './invitation.js';
export type { InvitationMethod } from './consultation-event.js';
