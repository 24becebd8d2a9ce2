import { nameProblem, normalizeEmail } from '../identity/identity.rules.js';

/** What an owner sends: every field, each time (a field left null is cleared). */
export interface BillingDetailsData {
  legalName: string;
  address: string;
  taxId?: string | null;
  email?: string | null;
}

export interface CleanBillingDetails {
  legalName: string;
  address: string;
  taxId: string | null;
  email: string | null;
}

/** The first problem of billing details, naming its field (input.legalName …), or the cleaned values. */
export type BillingDetailsCheck = { ok: true; value: CleanBillingDetails } | { ok: false; field: string; message: string };

export const ADDRESS_MAX = 500;
export const ADDRESS_MAX_LINES = 8;
const TAX_ID = /^[A-Za-z0-9][A-Za-z0-9 .\-/]{1,49}$/;

/** Pure: trims, checks lengths and characters, keeps an address's lines (blank ones dropped). */
export function checkBillingDetails(data: BillingDetailsData): BillingDetailsCheck {
  const fail = (field: string, message: string): BillingDetailsCheck => ({ ok: false, field: `input.${field}`, message });
  const nameIssue = nameProblem('legalName', data.legalName ?? '', 200);
  if (nameIssue) return fail('legalName', nameIssue);
  const lines = (data.address ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const address = lines.join('\n');
  if (!address) return fail('address', 'address is required: the street, the city with its postal code and the country, one per line.');
  if (address.length > ADDRESS_MAX) return fail('address', `address must be at most ${ADDRESS_MAX} characters.`);
  if (lines.length > ADDRESS_MAX_LINES) return fail('address', `address must be at most ${ADDRESS_MAX_LINES} lines.`);
  // eslint-disable-next-line no-control-regex -- control characters (other than the line breaks split above) are what this rejects
  if (lines.some((line) => /[\u0000-\u001f\u007f<>]/.test(line))) return fail('address', 'address must not contain control characters or < >.');
  const taxId = data.taxId?.trim() || null;
  if (taxId && !TAX_ID.test(taxId)) return fail('taxId', 'taxId must be 2–50 letters, digits, spaces, dots, dashes or slashes, e.g. DE123456789 or GB 123 4567 89.');
  const rawEmail = data.email?.trim() || null;
  const email = rawEmail ? normalizeEmail(rawEmail) : null;
  if (rawEmail && !email) return fail('email', 'email must be an email address such as accounts@example.com.');
  return { ok: true, value: { legalName: data.legalName.trim(), address, taxId, email } };
}
