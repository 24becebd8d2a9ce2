import type { Seeder } from '../platform/seed.js';
import { clientCode, consultantCode, emitClientVerified } from './auth.service.js';
import { hashPassword } from './credentials.js';
import { OrgRole, OrganizationType, UserRole } from './identity.enums.js';
import { Membership, Organization } from './organization.entity.js';
import { ClientProfile, ConsultantProfile } from './profile.entity.js';
import { User } from './user.entity.js';

/** Fixed demo sign-ins for development; never seeded in production. */
export const DEMO_PASSWORD = 'Serenity-Demo-2026!';
export const DEMO_ACCOUNTS = [
  { email: 'admin@serenity.local', role: UserRole.ADMIN, firstName: 'Ada', lastName: 'Admin', title: 'Platform Administrator', timeZone: 'UTC' },
  { email: 'sarah.chen@serenity.local', role: UserRole.CONSULTANT, firstName: 'Sarah', lastName: 'Chen', title: 'Strategy Consultant', timeZone: 'America/New_York' },
  { email: 'marcus.weber@serenity.local', role: UserRole.CONSULTANT, firstName: 'Marcus', lastName: 'Weber', title: 'Transformation Consultant', timeZone: 'Europe/Berlin' },
  { email: 'jane.smith@acme.example', role: UserRole.CLIENT, firstName: 'Jane', lastName: 'Smith', title: 'CFO', timeZone: 'America/Chicago' },
] as const;
export const DEMO_ORGANIZATION = { name: 'Acme Corporation', type: OrganizationType.COMPANY };

/**
 * Development accounts: an admin, two consultants and the verified owner of Acme
 * Corporation. Creates what is missing by email; existing accounts are left alone.
 */
export const identitySeeder: Seeder = {
  name: 'identity',
  async run(em, { config, events }) {
    if (config.isProduction) return { created: 0 };
    let created = 0;
    let passwordHash: string | undefined;
    for (const account of DEMO_ACCOUNTS) {
      if (await em.count(User, { email: account.email })) continue;
      // Hashed only when an account is missing: restarts skip the deliberately slow hash.
      passwordHash ??= await hashPassword(DEMO_PASSWORD);
      const { email, role, firstName, lastName, title, timeZone } = account;
      const user = em.create(User, { email, role, firstName, lastName, title, timeZone, passwordHash, emailVerifiedAt: new Date() });
      if (role === UserRole.CONSULTANT) em.create(ConsultantProfile, { user, code: await consultantCode(em, lastName) });
      if (role === UserRole.CLIENT) {
        const organization = em.create(Organization, DEMO_ORGANIZATION);
        em.create(Membership, { organization, user, role: OrgRole.OWNER });
        em.create(ClientProfile, { user, organization, code: await clientCode(em, organization.name) });
        await em.flush();
        // Same path as a real verification: the credits work's free trial reaches the demo organization too.
        await emitClientVerified(em, events, user);
      }
      created++;
    }
    await em.flush();
    const notes = [
      `Demo sign-ins (password ${DEMO_PASSWORD}):`,
      ...DEMO_ACCOUNTS.map((a) => `  ${a.role.toLowerCase().padEnd(10)} ${a.email}`),
    ];
    return { created, notes };
  },
};
