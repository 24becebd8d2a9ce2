/**
 * Input rules of the identity domain: pure functions returning a message a person can act
 * on, or null when the value is fine.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON_PASSWORDS = new Set([
  'password123', 'password1234', 'qwertyuiop', '1234567890', '0123456789', 'letmein123', 'welcome123',
  'iloveyou123', 'admin12345', 'passw0rd123', 'abc1234567', 'qwerty1234', 'password!1', 'changeme123',
]);

/** At least 10 characters with 3 of: lower case, upper case, digit, symbol; not common; not the email's name. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'Password must mix at least three of: lower-case letters, upper-case letters, digits, symbols.';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'This password is too common; choose another.';
  const name = email?.split('@')[0]?.toLowerCase();
  if (name && name.length >= 4 && password.toLowerCase().includes(name)) return 'Password must not contain your email address.';
  return null;
}

// Practical, not RFC 5322: one @, no spaces, a dot in the domain, sane lengths.
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

/** Lower-cased and trimmed, or null when it is not an email address. */
export function normalizeEmail(email: string): string | null {
  const value = email.trim().toLowerCase();
  return value.length <= 254 && EMAIL.test(value) ? value : null;
}

export function nameProblem(label: string, value: string, max = 100): string | null {
  const trimmed = value.trim();
  if (!trimmed) return `${label} is required.`;
  if (trimmed.length > max) return `${label} must be at most ${max} characters.`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
  if (/[\u0000-\u001f\u007f<>]/.test(trimmed)) return `${label} must not contain control characters or < >.`;
  return null;
}

const PHONE = /^\+?[0-9(][0-9 ().-]{5,28}$/;
export function phoneProblem(phone: string): string | null {
  const value = phone.trim();
  const digits = value.replace(/\D/g, '').length;
  return PHONE.test(value) && digits >= 6 && digits <= 15 ? null : 'Phone must be a number such as +1 415 555 0100 or (030) 1234-567.';
}

export { isTimeZone } from '../platform/scalars.js';
