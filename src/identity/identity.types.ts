import { Field, InputType, ObjectType } from 'type-graphql';
import { TimeZoneScalar } from '../platform/scalars.js';
import { OrgRole, OrganizationType, RegistrableUserType } from './identity.enums.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

// Lengths are checked by the services with clear messages; maxLength here only stops abuse early.

@InputType({ description: 'A person: names and how to reach them.' })
export class ProfileInput {
  @Field()
  firstName!: string;

  @Field()
  lastName!: string;

  @Field(() => String, { nullable: true, description: 'Job title, e.g. CFO.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. +1 415 555 0100' })
  phone?: string | null;
}

@InputType()
export class RegisterInput {
  @Field(() => RegistrableUserType)
  userType!: RegistrableUserType;

  @Field()
  email!: string;

  @Field({ description: 'At least 10 characters mixing three of: lower case, upper case, digits, symbols.' })
  password!: string;

  @Field(() => ProfileInput)
  profile!: ProfileInput;

  @Field(() => TimeZoneScalar, { nullable: true, description: 'Where times are shown to this user; default UTC.' })
  timeZone?: string | null;

  @Field(() => String, { nullable: true, description: 'Clients only: the organization they register.' })
  organizationName?: string | null;

  @Field(() => OrganizationType, { nullable: true, description: 'Clients only.' })
  organizationType?: OrganizationType | null;
}

@InputType({ description: 'An admin account, made by another admin.' })
export class CreateAdminInput {
  @Field()
  email!: string;

  @Field()
  password!: string;

  @Field(() => ProfileInput)
  profile!: ProfileInput;

  @Field(() => TimeZoneScalar, { nullable: true })
  timeZone?: string | null;
}

@ObjectType({ description: 'Tokens of a new session. Send accessToken as "Authorization: Bearer <accessToken>".' })
export class AuthPayload {
  @Field({ description: 'Short-lived (15 min by default).' })
  accessToken!: string;

  @Field()
  accessTokenExpiresAt!: Date;

  @Field({ description: 'Exchange it once for new tokens with refreshToken; valid 30 days.' })
  refreshToken!: string;

  @Field(() => User)
  user!: User;
}

@ObjectType({ description: 'An organization the user belongs to, with their role in it.' })
export class UserOrganization {
  @Field(() => Organization)
  organization!: Organization;

  @Field(() => OrgRole)
  role!: OrgRole;

  @Field({ description: 'Whether the current access token names this organization.' })
  active!: boolean;
}

export { OrgRole };
