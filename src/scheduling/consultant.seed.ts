import { ConsultantProfile, type ConsultantSkill } from '../identity/profile.entity.js';
import { Money } from '../platform/money.js';
import type { Seeder } from '../platform/seed.js';

interface DemoProfile {
  bio: string;
  languages: string[];
  skills: ConsultantSkill[];
  hourlyRate: Money;
}

const PROFILES: Record<string, DemoProfile> = {
  'sarah.chen@serenity.local': {
    bio: 'Strategy consultant: growth plans, market entry and operating models for mid-sized companies.',
    languages: ['English', 'Mandarin'],
    skills: [
      { name: 'Business Strategy', category: 'FUNCTIONAL', proficiency: 'EXPERT', years: 12 },
      { name: 'Market Entry', category: 'DOMAIN', proficiency: 'EXPERT', years: 8 },
      { name: 'Financial Modeling', category: 'TECHNICAL', proficiency: 'INTERMEDIATE', years: 5 },
    ],
    hourlyRate: new Money(30000, 'USD'),
  },
  'marcus.weber@serenity.local': {
    bio: 'Transformation consultant: digital transformation, change management and ERP programmes.',
    languages: ['German', 'English'],
    skills: [
      { name: 'Digital Transformation', category: 'FUNCTIONAL', proficiency: 'EXPERT', years: 15 },
      { name: 'Change Management', category: 'FUNCTIONAL', proficiency: 'EXPERT', years: 10 },
      { name: 'SAP S/4HANA', category: 'TECHNICAL', proficiency: 'INTERMEDIATE', years: 6 },
    ],
    hourlyRate: new Money(25000, 'EUR'),
  },
};

/** Skills, languages, bio and rate of the demo consultants (development), while their bio is still empty. */
export const consultantSeeder: Seeder = {
  name: 'consultants',
  async run(em, { config }) {
    if (config.isProduction) return { created: 0 };
    let created = 0;
    for (const [email, profile] of Object.entries(PROFILES)) {
      const consultant = await em.findOne(ConsultantProfile, { user: { email } });
      if (!consultant || consultant.bio !== null) continue;
      Object.assign(consultant, { ...profile, skills: profile.skills.map((s) => ({ ...s })), languages: [...profile.languages] });
      created++;
    }
    return { created };
  },
};
