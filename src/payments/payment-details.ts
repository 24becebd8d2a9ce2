import type Stripe from 'stripe';
import type { Payments } from './stripe.js';

/** What an invoice prints about its payment. */
export interface PaymentFacts {
  paidAt: Date;
  /** e.g. "Visa •••• 4242"; null when Stripe says nothing usable. */
  method: string | null;
  /** The charge (ch_…), else the PaymentIntent (pi_…). */
  reference: string | null;
}

const CARD_BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
  eftpos_au: 'eftpos',
  interac: 'Interac',
};

const words = (code: string) => code.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

/** A charge's payment_method_details as people read it: "Visa •••• 4242", "SEPA Direct Debit •••• 3000". */
export function describePaymentMethod(details: Stripe.Charge.PaymentMethodDetails | null | undefined): string | null {
  if (!details) return null;
  if (details.type === 'card' && details.card) {
    const brand = CARD_BRANDS[details.card.brand ?? ''] ?? words(details.card.brand || 'Card');
    return details.card.last4 ? `${brand} •••• ${details.card.last4}` : brand;
  }
  if (details.type === 'sepa_debit') return details.sepa_debit?.last4 ? `SEPA Direct Debit •••• ${details.sepa_debit.last4}` : 'SEPA Direct Debit';
  if (details.type === 'us_bank_account') {
    const bank = details.us_bank_account?.bank_name ?? 'Bank account';
    return details.us_bank_account?.last4 ? `${bank} •••• ${details.us_bank_account.last4}` : bank;
  }
  return words(details.type);
}

/** A PaymentIntent's payment as an invoice prints it (one Stripe call: the intent with its charge). */
export async function paymentFacts(payments: Payments, paymentIntentId: string, fallbackAt: Date): Promise<PaymentFacts> {
  const intent = await payments.stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] });
  const charge = intent.latest_charge && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  return {
    paidAt: charge?.created ? new Date(charge.created * 1000) : fallbackAt,
    method: describePaymentMethod(charge?.payment_method_details),
    reference: charge?.id ?? intent.id,
  };
}

/** The PaymentIntent that paid a Stripe invoice (a subscription period), from its payments. */
export async function invoicePaymentIntentId(payments: Payments, stripeInvoiceId: string): Promise<string | null> {
  const invoice = await payments.stripe.invoices.retrieve(stripeInvoiceId, { expand: ['payments'] });
  for (const entry of invoice.payments?.data ?? []) {
    const intent = entry.payment?.payment_intent;
    if (intent) return typeof intent === 'string' ? intent : intent.id;
  }
  return null;
}
