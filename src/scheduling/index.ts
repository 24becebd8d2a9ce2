import type { ModuleManifest } from '../platform/module.js';
import { AvailabilityExceptionEntity, AvailabilitySchedule } from './availability.entity.js';
import { availabilitySeeder } from './availability.seed.js';
import { ConsultantResolver } from './consultant.resolver.js';
import { consultantSeeder } from './consultant.seed.js';
import { SchedulingResolver } from './scheduling.resolver.js';

/** Consultants' availability (schedules, exceptions, open slots) and the consultant directory. */
export const schedulingModule: ModuleManifest = {
  name: 'scheduling',
  entities: [AvailabilitySchedule, AvailabilityExceptionEntity],
  resolvers: [SchedulingResolver, ConsultantResolver],
  jobs: [],
  eventHandlers: {},
  routes: [],
  seeders: [availabilitySeeder, consultantSeeder],
};
