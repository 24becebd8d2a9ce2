/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment PackageFields on Package {\n  id\n  code\n  name\n  type\n  lotKind\n  description\n  features\n  targetAudience\n  credits\n  sessionMinutes\n  allowedBlockMinutes\n  validityDays\n  price {\n    amount\n    currency\n  }\n  billingCycle\n  badge\n  displayOrder\n  maxPurchasesPerClient\n  priority\n  lateCancelConsumes\n  purchasable\n  active\n}\n\nquery Packages($includeInactive: Boolean = false) {\n  packages(includeInactive: $includeInactive) {\n    ...PackageFields\n  }\n}\n\nquery Package($id: ID!) {\n  package(id: $id) {\n    ...PackageFields\n  }\n}": typeof types.PackageFieldsFragmentDoc,
};
const documents: Documents = {
    "fragment PackageFields on Package {\n  id\n  code\n  name\n  type\n  lotKind\n  description\n  features\n  targetAudience\n  credits\n  sessionMinutes\n  allowedBlockMinutes\n  validityDays\n  price {\n    amount\n    currency\n  }\n  billingCycle\n  badge\n  displayOrder\n  maxPurchasesPerClient\n  priority\n  lateCancelConsumes\n  purchasable\n  active\n}\n\nquery Packages($includeInactive: Boolean = false) {\n  packages(includeInactive: $includeInactive) {\n    ...PackageFields\n  }\n}\n\nquery Package($id: ID!) {\n  package(id: $id) {\n    ...PackageFields\n  }\n}": types.PackageFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment PackageFields on Package {\n  id\n  code\n  name\n  type\n  lotKind\n  description\n  features\n  targetAudience\n  credits\n  sessionMinutes\n  allowedBlockMinutes\n  validityDays\n  price {\n    amount\n    currency\n  }\n  billingCycle\n  badge\n  displayOrder\n  maxPurchasesPerClient\n  priority\n  lateCancelConsumes\n  purchasable\n  active\n}\n\nquery Packages($includeInactive: Boolean = false) {\n  packages(includeInactive: $includeInactive) {\n    ...PackageFields\n  }\n}\n\nquery Package($id: ID!) {\n  package(id: $id) {\n    ...PackageFields\n  }\n}"): typeof import('./graphql.js').PackageFieldsFragmentDoc;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
