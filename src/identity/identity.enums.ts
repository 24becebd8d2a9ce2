import { registerEnumType } from 'type-graphql';
import { OrgRole, UserRole } from '../platform/roles.js';

// The platform's guards check these roles (platform/roles.ts); they are registered here, with identity's enums.
export { OrgRole, UserRole };

export const OrganizationType = { COLLEGE: 'COLLEGE', COMPANY: 'COMPANY', ENTERPRISE: 'ENTERPRISE', INDIVIDUAL: 'INDIVIDUAL' } as const;
export type OrganizationType = (typeof OrganizationType)[keyof typeof OrganizationType];

/** Who may register themselves; admins are created by an admin or the CLI. */
export const RegistrableUserType = { CLIENT: 'CLIENT', CONSULTANT: 'CONSULTANT' } as const;
export type RegistrableUserType = (typeof RegistrableUserType)[keyof typeof RegistrableUserType];

export const InvitationStatus = { PENDING: 'PENDING', ACCEPTED: 'ACCEPTED', REVOKED: 'REVOKED', EXPIRED: 'EXPIRED' } as const;
export type InvitationStatus = (typeof InvitationStatus)[keyof typeof InvitationStatus];

registerEnumType(UserRole, { name: 'UserRole', description: 'What a user is on the platform.' });
registerEnumType(OrganizationType, { name: 'OrganizationType' });
registerEnumType(OrgRole, { name: 'OrgRole', description: "A client's role inside one organization." });
registerEnumType(RegistrableUserType, { name: 'UserType', description: 'Who may register themselves.' });
registerEnumType(InvitationStatus, { name: 'InvitationStatus' });
