/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type BillingCycle =
  | 'ANNUAL'
  | 'QUARTERLY';

export type CreditLotKind =
  | 'SESSION'
  | 'TIME';

export type PackageType =
  | 'CONSULTATION_BUNDLE'
  | 'FREE_TRIAL'
  | 'PAY_PER_USE'
  | 'SUBSCRIPTION';

export type PackageFieldsFragment = { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } };

export type PackagesQueryVariables = Exact<{
  includeInactive?: boolean | null | undefined;
}>;


export type PackagesQuery = { packages: Array<{ id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } }> };

export type PackageQueryVariables = Exact<{
  id: string | number;
}>;


export type PackageQuery = { package: { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PackageFieldsFragmentDoc = new TypedDocumentString(`
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}
    `, {"fragmentName":"PackageFields"}) as unknown as TypedDocumentString<PackageFieldsFragment, unknown>;
export const PackagesDocument = new TypedDocumentString(`
    query Packages($includeInactive: Boolean = false) {
  packages(includeInactive: $includeInactive) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<PackagesQuery, PackagesQueryVariables>;
export const PackageDocument = new TypedDocumentString(`
    query Package($id: ID!) {
  package(id: $id) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<PackageQuery, PackageQueryVariables>;