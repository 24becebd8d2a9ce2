/**
 * Input rules of the catalog: pure functions returning a message a person can act on, or null
 * when the value is fine. `packageProblems` checks a whole package (create, and the merged
 * result of an update) and names each problem's input field.
 */
import { BillingCycle, CreditLotKind, PackageType } from './package.entity.js';
import { isUuid } from '../platform/ids.js';

export const CODE_MIN_LENGTH = 3;
export const CODE_MAX_LENGTH = 64;
export const NAME_MAX_LENGTH = 200; // the column's length
export const DESCRIPTION_MAX_LENGTH = 4000;
export const BADGE_MAX_LENGTH = 40; // the column's length
export const LIST_MAX_ITEMS = 30;
export const LIST_ITEM_MAX_LENGTH = 300;
export const CREDITS_MAX = 10_000;
export const SESSION_MINUTES_MAX = 480;
export const MINUTES_STEP = 15;
export const BLOCKS_MAX_ITEMS = 12;
export const VALIDITY_DAYS_MAX = 3650;
export const MAX_PURCHASES_MAX = 10_000;
export const PRIORITY_MAX = 1000;
export const DISPLAY_ORDER_MAX = 1_000_000;
/** Stripe charges at most eight digits of minor units in one payment. */
export const PRICE_AMOUNT_MAX = 99_999_999;

/** catalog.md: free-trial (and promotional) lots burn first (0), all others at 10. */
export function defaultPriority(type: PackageType): number {
  return type === PackageType.FREE_TRIAL ? 0 : 10;
}

/** A free trial is granted, never sold. */
export function defaultPurchasable(type: PackageType): boolean {
  return type !== PackageType.FREE_TRIAL;
}

/** Codes are compared in upper case (`package(id)` finds them in any case). */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/** A normalized code: upper-case letters, digits and hyphens, not shaped like an id. */
export function codeProblem(code: string): string | null {
  if (code.length < CODE_MIN_LENGTH || code.length > CODE_MAX_LENGTH || !/^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$/.test(code)) {
    return `Code must be ${CODE_MIN_LENGTH}–${CODE_MAX_LENGTH} characters of letters, digits and hyphens, starting and ending with a letter or digit, e.g. PKG-TEAM-WORKSHOP.`;
  }
  if (isUuid(code)) return 'Code must not look like a UUID: package(id) would read it as an id. Use a name such as PKG-TEAM-WORKSHOP.';
  return null;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what these reject
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above, but line breaks and tabs are fine in prose
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A required single-line text (trimmed by the caller). */
export function lineProblem(label: string, value: string, max: number): string | null {
  if (!value) return `${label} is required.`;
  if (value.length > max) return `${label} must be at most ${max} characters (it has ${value.length}).`;
  if (CONTROL.test(value)) return `${label} must be one line without control characters.`;
  return null;
}

export function descriptionProblem(value: string): string | null {
  if (!value) return 'Description is required: one or two sentences clients read in the catalog.';
  if (value.length > DESCRIPTION_MAX_LENGTH) return `Description must be at most ${DESCRIPTION_MAX_LENGTH} characters (it has ${value.length}).`;
  if (CONTROL_EXCEPT_LINES.test(value)) return 'Description must not contain control characters (line breaks are fine).';
  return null;
}

/** A list of short lines, e.g. features or target audiences (items trimmed by the caller). */
export function lineListProblem(label: string, items: readonly string[]): string | null {
  if (items.length > LIST_MAX_ITEMS) return `${label} may list at most ${LIST_MAX_ITEMS} items (it has ${items.length}).`;
  for (const [index, item] of items.entries()) {
    const problem = lineProblem(`${label} item ${index + 1}`, item, LIST_ITEM_MAX_LENGTH);
    if (problem) return item ? problem : `${label} item ${index + 1} is empty: remove it or write it out.`;
  }
  return null;
}

function wholeNumberProblem(label: string, value: number, min: number, max: number, unit = ''): string | null {
  const suffix = unit ? ` ${unit}` : '';
  if (!Number.isSafeInteger(value) || value < min || value > max) return `${label} must be a whole number from ${min} to ${max}${suffix} (got ${value}).`;
  return null;
}

export function creditsProblem(credits: number, lotKind: CreditLotKind): string | null {
  const unit = lotKind === CreditLotKind.TIME ? 'hours per period' : 'sessions';
  return wholeNumberProblem(`Credits (${unit})`, credits, 1, CREDITS_MAX);
}

/** One session length or block: positive, a multiple of 15 minutes, at most 8 hours. */
export function minutesProblem(label: string, minutes: number): string | null {
  if (!Number.isSafeInteger(minutes) || minutes <= 0 || minutes > SESSION_MINUTES_MAX || minutes % MINUTES_STEP !== 0) {
    return `${label} must be a multiple of ${MINUTES_STEP} minutes from ${MINUTES_STEP} to ${SESSION_MINUTES_MAX} (got ${minutes}).`;
  }
  return null;
}

/** The lengths a package's credits pay, against its kind and session minutes (blocks sorted, distinct). */
export function blockMinutesProblem(blocks: readonly number[], lotKind: CreditLotKind, sessionMinutes: number): string | null {
  if (blocks.length === 0) {
    return lotKind === CreditLotKind.TIME
      ? 'allowedBlockMinutes is required for TIME packages: list the session lengths the minutes may be spent on, e.g. [60, 90, 120].'
      : 'allowedBlockMinutes must not be empty: leave it out to pay sessions of up to sessionMinutes.';
  }
  if (blocks.length > BLOCKS_MAX_ITEMS) return `allowedBlockMinutes may list at most ${BLOCKS_MAX_ITEMS} lengths.`;
  for (const block of blocks) {
    const problem = minutesProblem(`Every allowedBlockMinutes entry`, block);
    if (problem) return problem;
  }
  if (lotKind === CreditLotKind.SESSION) {
    const longer = blocks.find((block) => block > sessionMinutes);
    if (longer !== undefined) return `A SESSION credit pays sessions of up to sessionMinutes (${sessionMinutes}): allowedBlockMinutes must not list ${longer}.`;
  }
  return null;
}

/** TIME packages: sessionMinutes is the smallest block a session may draw. */
export function timeSessionMinutesProblem(sessionMinutes: number, blocks: readonly number[]): string | null {
  const smallest = Math.min(...blocks);
  if (blocks.length > 0 && sessionMinutes !== smallest) {
    return `For TIME packages sessionMinutes is the smallest block a session may draw: set it to ${smallest}, the smallest of allowedBlockMinutes [${blocks.join(', ')}] (got ${sessionMinutes}).`;
  }
  return null;
}

export function validityDaysProblem(days: number): string | null {
  return wholeNumberProblem('validityDays', days, 1, VALIDITY_DAYS_MAX, 'days');
}

export function priceAmountProblem(amount: number): string | null {
  if (!Number.isSafeInteger(amount) || amount < 0) return `price.amount must be zero or more, in minor units (cents): e.g. 450000 for 4,500.00 (got ${amount}).`;
  if (amount > PRICE_AMOUNT_MAX) return `price.amount must be at most ${PRICE_AMOUNT_MAX} minor units, the most one Stripe payment takes (got ${amount}).`;
  return null;
}

const CURRENCIES: ReadonlySet<string> | null = (() => {
  try {
    return new Set(Intl.supportedValuesOf('currency'));
  } catch {
    return null; // an ICU-less Node: the shape check alone
  }
})();

/** An ISO-4217 code in upper case. */
export function currencyProblem(currency: string): string | null {
  if (!/^[A-Z]{3}$/.test(currency) || (CURRENCIES && !CURRENCIES.has(currency))) {
    return `price.currency must be an ISO-4217 currency code of three upper-case letters, such as USD or EUR (got "${currency.slice(0, 20)}").`;
  }
  return null;
}

/** Subscriptions renew every billing cycle; nothing else does. */
export function billingCycleProblem(type: PackageType, billingCycle: BillingCycle | null): string | null {
  if (type === PackageType.SUBSCRIPTION && billingCycle === null) {
    return `A SUBSCRIPTION package needs a billingCycle (${Object.values(BillingCycle).join(' or ')}): how often it renews.`;
  }
  if (type !== PackageType.SUBSCRIPTION && billingCycle !== null) {
    return `Only SUBSCRIPTION packages have a billingCycle; leave it out (or null) for a ${type} package.`;
  }
  return null;
}

export function purchasableProblem(type: PackageType, purchasable: boolean): string | null {
  if (type === PackageType.FREE_TRIAL && purchasable) return 'A FREE_TRIAL package is granted on email verification, never sold: purchasable must be false.';
  return null;
}

export function freeTrialPriceProblem(type: PackageType, amount: number): string | null {
  if (type === PackageType.FREE_TRIAL && amount !== 0) return `A FREE_TRIAL package costs nothing: price.amount must be 0 (got ${amount}).`;
  return null;
}

export function badgeProblem(badge: string): string | null {
  const problem = lineProblem('Badge', badge, BADGE_MAX_LENGTH);
  return problem && !badge ? 'Badge must not be blank: null removes it.' : problem;
}

export function maxPurchasesProblem(max: number): string | null {
  return wholeNumberProblem('maxPurchasesPerClient', max, 1, MAX_PURCHASES_MAX, '(null: no limit)');
}

export function priorityProblem(priority: number): string | null {
  return wholeNumberProblem('priority', priority, 0, PRIORITY_MAX, '(lower burns first; free trial 0, others 10)');
}

export function displayOrderProblem(order: number): string | null {
  return wholeNumberProblem('displayOrder', order, 0, DISPLAY_ORDER_MAX);
}

/** Every field of a package, normalized (texts trimmed, code upper-cased, blocks sorted). */
export interface PackageDraft {
  code: string;
  name: string;
  type: PackageType;
  lotKind: CreditLotKind;
  description: string;
  features: string[];
  targetAudience: string[];
  credits: number;
  sessionMinutes: number;
  allowedBlockMinutes: number[];
  validityDays: number;
  price: { amount: number; currency: string };
  billingCycle: BillingCycle | null;
  badge: string | null;
  displayOrder: number;
  maxPurchasesPerClient: number | null;
  priority: number;
  lateCancelConsumes: boolean;
  purchasable: boolean;
}

/** A problem with one input field; `field` is relative to the input ("credits", "price.amount"). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Distinct lengths in ascending order. */
export function normalizeBlocks(blocks: readonly number[]): number[] {
  return [...new Set(blocks)].sort((a, b) => a - b);
}

/** Every problem of a whole package, in input-field order; empty when it may be saved. */
export function packageProblems(draft: PackageDraft): FieldProblem[] {
  const checks: Array<[string, string | null]> = [
    ['code', codeProblem(draft.code)],
    ['name', lineProblem('Name', draft.name, NAME_MAX_LENGTH)],
    ['description', descriptionProblem(draft.description)],
    ['features', lineListProblem('Features', draft.features)],
    ['targetAudience', lineListProblem('targetAudience', draft.targetAudience)],
    ['credits', creditsProblem(draft.credits, draft.lotKind)],
    ['sessionMinutes', minutesProblem('sessionMinutes', draft.sessionMinutes)],
    ['allowedBlockMinutes', blockMinutesProblem(draft.allowedBlockMinutes, draft.lotKind, draft.sessionMinutes)],
    ['sessionMinutes', draft.lotKind === CreditLotKind.TIME ? timeSessionMinutesProblem(draft.sessionMinutes, draft.allowedBlockMinutes) : null],
    ['validityDays', validityDaysProblem(draft.validityDays)],
    ['price.amount', priceAmountProblem(draft.price.amount) ?? freeTrialPriceProblem(draft.type, draft.price.amount)],
    ['price.currency', currencyProblem(draft.price.currency)],
    ['billingCycle', billingCycleProblem(draft.type, draft.billingCycle)],
    ['badge', draft.badge === null ? null : badgeProblem(draft.badge)],
    ['displayOrder', displayOrderProblem(draft.displayOrder)],
    ['maxPurchasesPerClient', draft.maxPurchasesPerClient === null ? null : maxPurchasesProblem(draft.maxPurchasesPerClient)],
    ['priority', priorityProblem(draft.priority)],
    ['purchasable', purchasableProblem(draft.type, draft.purchasable)],
  ];
  return checks.filter((check): check is [string, string] => check[1] !== null).map(([field, message]) => ({ field, message }));
}
