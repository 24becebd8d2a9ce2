import { Field, ID, InputType } from 'type-graphql';
import { ConnectionType } from '../platform/pagination.js';
import { CreditNote } from './credit-note.entity.js';
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

export const CreditNoteConnection = ConnectionType('CreditNote', CreditNote);

@InputType({ description: 'Every field each time: a field left out or null is cleared (legalName and address are required).' })
export class BillingDetailsInput {
  @Field({ description: 'The legal name invoices print, e.g. "Acme Corporation Ltd". At most 200 characters.' })
  legalName!: string;

  @Field({ description: 'Street, city with postal code, country: one per line (\\n), at most 8 lines and 500 characters.' })
  address!: string;

  @Field(() => String, { nullable: true, description: 'VAT or other tax id, e.g. DE123456789.' })
  taxId?: string | null;

  @Field(() => String, { nullable: true, description: 'Accounts payable: gets the payment confirmations and refund messages too.' })
  email?: string | null;
}
