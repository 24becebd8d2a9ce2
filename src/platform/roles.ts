/**
 * The roles the guards (auth.ts) check. They are identity's, defined here so that the platform
 * needs no domain; identity re-exports them and registers them as GraphQL enums.
 */

/** What a user is on the platform. Clients belong to organizations; consultants and admins to the platform. */
export const UserRole = { CLIENT: 'CLIENT', CONSULTANT: 'CONSULTANT', ADMIN: 'ADMIN' } as const;
export type UserRole = (typeof UserRole)[keyof typeof UserRole];

/** A client's role inside one organization. */
export const OrgRole = { OWNER: 'OWNER', MEMBER: 'MEMBER' } as const;
export type OrgRole = (typeof OrgRole)[keyof typeof OrgRole];
