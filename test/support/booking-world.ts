/**
 * A service test's booking world, made straight in the database: an organization with 10
 * one-hour credits valid until 2032, its owner (America/Los_Angeles), and a Berlin consultant
 * working Mon–Fri 09:00–17:00 with a 15-minute buffer and 12 h notice. `withColleague`: also a
 * second member with an account of their own (Europe/London), e.g. an attendee. `meetingProviders`:
 * the providers the consultant offers (none: the platform's default).
 */
import { randomUUID } from 'node:crypto';
import { CreditsService } from '../../src/credits/credits.service.js';
import { Organization } from '../../src/identity/organization.entity.js';
import type { MeetingProvider } from '../../src/identity/meeting-providers.js';
import { ConsultantProfile } from '../../src/identity/profile.entity.js';
import { User } from '../../src/identity/user.entity.js';
import type { Caller } from '../../src/platform/auth.js';
import { DomainEvents } from '../../src/platform/events.js';
import { AvailabilitySchedule } from '../../src/scheduling/availability.entity.js';
import type { ServiceHarness } from './service-harness.js';

export interface BookingWorld {
  client: Caller & { organizationId: string };
  consultant: Caller;
  consultantId: string;
  /** With `withColleague` only. */
  colleague: { id: string; email: string } | null;
}

export async function bookingWorld(harness: ServiceHarness, options: { withColleague?: boolean; meetingProviders?: MeetingProvider[] } = {}): Promise<BookingWorld> {
  const em = harness.acrossTenants();
  const tag = randomUUID().slice(0, 8);
  const org = em.create(Organization, { name: `Org ${tag}`, type: 'COMPANY' });
  const clientUser = em.create(User, { email: `client-${tag}@test.example`, passwordHash: 'x', role: 'CLIENT', firstName: 'Cli', lastName: 'Ent', timeZone: 'America/Los_Angeles' });
  const colleague = options.withColleague
    ? em.create(User, { email: `colleague-${tag}@test.example`, passwordHash: 'x', role: 'CLIENT', firstName: 'Col', lastName: 'League', timeZone: 'Europe/London' })
    : null;
  const consultantUser = em.create(User, { email: `consultant-${tag}@test.example`, passwordHash: 'x', role: 'CONSULTANT', firstName: 'Con', lastName: 'Sultant', timeZone: 'Europe/Berlin' });
  const profile = em.create(ConsultantProfile, { user: consultantUser, code: `CON-${tag}`, meetingProviders: options.meetingProviders ?? [] });
  em.create(AvailabilitySchedule, {
    consultant: profile,
    timeZone: 'Europe/Berlin',
    weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
    slotStepMinutes: 30,
    bufferMinutes: 15,
    maxSessionsPerDay: null,
    minNoticeMinutes: 720,
    horizonDays: 365,
  });
  await em.flush();
  await em.transactional((tx) =>
    new CreditsService(tx, new DomainEvents({})).grant({ organizationId: org.id, source: 'PURCHASE', kind: 'SESSION', units: 10, sessionMinutes: 60, expiresAt: new Date('2032-12-31T00:00:00Z') }),
  );
  return {
    client: { userId: clientUser.id, role: 'CLIENT', emailVerified: true, sessionId: 's', organizationId: org.id, orgRole: 'OWNER' },
    consultant: { userId: consultantUser.id, role: 'CONSULTANT', emailVerified: true, sessionId: 's', organizationId: null, orgRole: null },
    consultantId: profile.id,
    colleague: colleague ? { id: colleague.id, email: colleague.email } : null,
  };
}
