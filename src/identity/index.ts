import type { ModuleManifest } from '../platform/module.js';
import { purgeAuthAttemptsJob } from './identity.jobs.js';
import { identityPages } from './identity.pages.js';
import { AuthResolver, InvitationFieldsResolver, OrganizationResolver, UserFieldsResolver } from './identity.resolver.js';
import { identitySeeder } from './identity.seed.js';
import { Invitation, Membership, Organization } from './organization.entity.js';
import { ClientProfile, ConsultantProfile } from './profile.entity.js';
import { AuthAttempt, OneTimeToken, RefreshToken, Session } from './session.entity.js';
import { User } from './user.entity.js';

/** Users, organizations and memberships, profiles, sessions and tokens; the pages behind email links. */
export const identityModule: ModuleManifest = {
  name: 'identity',
  entities: [User, Organization, Membership, Invitation, ClientProfile, ConsultantProfile, Session, RefreshToken, OneTimeToken, AuthAttempt],
  resolvers: [AuthResolver, OrganizationResolver, UserFieldsResolver, InvitationFieldsResolver],
  jobs: [purgeAuthAttemptsJob],
  eventHandlers: {},
  routes: [identityPages],
  seeders: [identitySeeder],
};
