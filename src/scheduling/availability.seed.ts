import { DEMO_ACCOUNTS } from '../identity/identity.seed.js';
import { ConsultantProfile } from '../identity/profile.entity.js';
import type { Seeder } from '../platform/seed.js';
import { AvailabilitySchedule } from './availability.entity.js';
import type { WeeklyRules } from './slots.js';

const WEEKDAYS_9_TO_5: WeeklyRules = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]]));
const MON_TO_THU_8_TO_4: WeeklyRules = Object.fromEntries([1, 2, 3, 4].map((d) => [d, [{ start: '08:00', end: '16:00' }]]));

/** Weekly hours of the demo consultants (development), in their own zones; existing ones are kept. */
export const availabilitySeeder: Seeder = {
  name: 'availability',
  async run(em, { config }) {
    if (config.isProduction) return { created: 0 };
    let created = 0;
    const plans: Record<string, WeeklyRules> = { 'sarah.chen@serenity.local': WEEKDAYS_9_TO_5, 'marcus.weber@serenity.local': MON_TO_THU_8_TO_4 };
    for (const account of DEMO_ACCOUNTS) {
      const weekly = plans[account.email];
      if (!weekly) continue;
      const consultant = await em.findOne(ConsultantProfile, { user: { email: account.email } });
      if (!consultant || (await em.count(AvailabilitySchedule, { consultant }))) continue;
      em.create(AvailabilitySchedule, {
        consultant,
        timeZone: account.timeZone,
        weekly,
        slotStepMinutes: 30,
        bufferMinutes: 15,
        maxSessionsPerDay: 6,
        minNoticeMinutes: 720,
        horizonDays: 90,
      });
      created++;
    }
    return { created };
  },
};
