/**
 * Stripe's test cards and test PaymentMethod ids, with the outcome Stripe gives each
 * (https://docs.stripe.com/testing): 4242… succeeds, 0002 is declined, 9995 has insufficient
 * funds, 3155/3184 need 3-D Secure authentication first. Other valid numbers are refused as
 * Stripe's test mode refuses real cards.
 */
import { ApiError, invalid, newId, noSuch, now, type Obj } from './util.js';

export interface Decline {
  /** The error code (card_declined, expired_card, incorrect_cvc …). */
  code: string;
  declineCode: string;
  message: string;
}
export type CardOutcome = { kind: 'succeed' } | { kind: 'decline'; decline: Decline } | { kind: 'authenticate' };
interface TestCard {
  number: string;
  paymentMethod: string;
  brand: string;
  funding: string;
  outcome: CardOutcome;
}

const ok: CardOutcome = { kind: 'succeed' };
const declined = (declineCode: string, message: string, code = 'card_declined'): CardOutcome => ({ kind: 'decline', decline: { code, declineCode, message } });

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', paymentMethod: 'pm_card_visa', brand: 'visa', funding: 'credit', outcome: ok },
  { number: '4000056655665556', paymentMethod: 'pm_card_visa_debit', brand: 'visa', funding: 'debit', outcome: ok },
  { number: '5555555555554444', paymentMethod: 'pm_card_mastercard', brand: 'mastercard', funding: 'credit', outcome: ok },
  { number: '378282246310005', paymentMethod: 'pm_card_amex', brand: 'amex', funding: 'credit', outcome: ok },
  { number: '4000000000000002', paymentMethod: 'pm_card_chargeDeclined', brand: 'visa', funding: 'credit', outcome: declined('generic_decline', 'Your card was declined.') },
  { number: '4000000000009995', paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds', brand: 'visa', funding: 'credit', outcome: declined('insufficient_funds', 'Your card has insufficient funds.') },
  { number: '4000000000009987', paymentMethod: 'pm_card_chargeDeclinedLostCard', brand: 'visa', funding: 'credit', outcome: declined('lost_card', 'Your card was declined.') },
  { number: '4000000000000069', paymentMethod: 'pm_card_chargeDeclinedExpiredCard', brand: 'visa', funding: 'credit', outcome: declined('expired_card', 'Your card has expired.', 'expired_card') },
  { number: '4000000000000127', paymentMethod: 'pm_card_chargeDeclinedIncorrectCvc', brand: 'visa', funding: 'credit', outcome: declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc') },
  { number: '4000002500003155', paymentMethod: 'pm_card_authenticationRequiredOnSetup', brand: 'visa', funding: 'credit', outcome: { kind: 'authenticate' } },
  { number: '4000002760003184', paymentMethod: 'pm_card_authenticationRequired', brand: 'visa', funding: 'credit', outcome: { kind: 'authenticate' } },
];
const BY_PM = new Map(TEST_CARDS.map((card) => [card.paymentMethod, card]));
const BY_NUMBER = new Map(TEST_CARDS.map((card) => [card.number, card]));

const LIVE_CARD = declined('test_mode_live_card', 'Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.');

const cardError = (code: string, message: string, param: string) => new ApiError(402, { type: 'card_error', code, message, param, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` });

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

const brandOf = (digits: string) => (digits.startsWith('4') ? 'visa' : /^5[1-5]|^2[2-7]/.test(digits) ? 'mastercard' : /^3[47]/.test(digits) ? 'amex' : 'unknown');

function paymentMethodObject(id: string, card: { brand: string; last4: string; funding: string; exp_month: number; exp_year: number }, outcome: CardOutcome): Obj {
  return {
    id, object: 'payment_method', type: 'card', allow_redisplay: 'unspecified',
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    card: { ...card, checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' }, country: 'US', display_brand: card.brand, networks: { available: [card.brand], preferred: null }, wallet: null },
    created: now(), customer: null, livemode: false, metadata: {},
    // Not a Stripe field: what confirming with this card does (removed from answers, see publicPaymentMethod).
    simulated_outcome: outcome,
  };
}

/** A PaymentMethod as Stripe answers it. */
export const publicPaymentMethod = (pm: Obj): Obj => {
  const { simulated_outcome: _outcome, ...rest } = pm;
  return rest;
};

/** A test id (pm_card_visa …) or a PaymentMethod made from a card number; others are unknown (404). */
export function resolvePaymentMethod(paymentMethods: Map<string, any>, id: string, param = 'payment_method'): Obj {
  const stored = paymentMethods.get(id);
  if (stored) return stored;
  const card = BY_PM.get(id);
  if (!card) throw noSuch('PaymentMethod', id, param);
  return paymentMethodObject(id, { brand: card.brand, last4: card.number.slice(-4), funding: card.funding, exp_month: 12, exp_year: new Date().getUTCFullYear() + 8 }, card.outcome);
}

/** POST /v1/payment_methods with type=card and raw card[number], card[exp_month], card[exp_year], card[cvc]. */
export function createCardPaymentMethod(paymentMethods: Map<string, any>, p: Obj): Obj {
  if (p.type !== 'card') throw invalid('The simulator makes card PaymentMethods only: type=card.', { param: 'type' });
  const card = (p.card ?? {}) as Obj;
  const digits = String(card.number ?? '').replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhn(digits)) throw cardError('incorrect_number', 'Your card number is incorrect.', 'card[number]');
  const month = Number(card.exp_month);
  const yearGiven = Number(card.exp_year);
  const year = yearGiven < 100 ? 2000 + yearGiven : yearGiven;
  if (!Number.isInteger(month) || month < 1 || month > 12) throw cardError('invalid_expiry_month', "Your card's expiration month is invalid.", 'card[exp_month]');
  const today = new Date();
  if (!Number.isInteger(year) || year < today.getUTCFullYear() || year > today.getUTCFullYear() + 50) throw cardError('invalid_expiry_year', "Your card's expiration year is invalid.", 'card[exp_year]');
  if (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1) throw cardError('invalid_expiry_month', "Your card's expiration date is in the past.", 'card[exp_month]');
  if (card.cvc !== undefined && !/^\d{3,4}$/.test(String(card.cvc))) throw cardError('invalid_cvc', "Your card's security code is invalid.", 'card[cvc]');
  const known = BY_NUMBER.get(digits);
  const pm = paymentMethodObject(
    newId('pm'),
    { brand: known?.brand ?? brandOf(digits), last4: digits.slice(-4), funding: known?.funding ?? 'credit', exp_month: month, exp_year: year },
    known?.outcome ?? LIVE_CARD,
  );
  paymentMethods.set(pm.id, pm);
  return pm;
}
