import { Field, ID, InputType } from 'type-graphql';
import { ConnectionType } from '../platform/pagination.js';
import { Invoice, Purchase } from './payment.entity.js';

@InputType()
export class PurchasePackageInput {
  @Field(() => ID, { description: 'The package id (or its code, e.g. PKG-DISCOVERY-ASSESSMENT).' })
  packageId!: string;

  @Field(() => String, { nullable: true, description: 'A Stripe PaymentMethod (pm_…) to confirm at once; without one, confirm the clientSecret with Stripe.js.' })
  paymentMethodId?: string | null;

  @Field(() => String, { nullable: true, description: 'Retrying with the same key returns the first purchase (and never charges twice).' })
  idempotencyKey?: string | null;
}

export const PurchaseConnection = ConnectionType('Purchase', Purchase);

export const InvoiceConnection = ConnectionType('Invoice', Invoice);
