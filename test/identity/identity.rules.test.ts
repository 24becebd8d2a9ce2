import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, isTimeZone, nameProblem, normalizeEmail, passwordProblem, phoneProblem } from '../../src/identity/identity.rules.js';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const SYMBOLS = '!#$%&*+-./:;=?@^_~ ';
const CLASSES = [LOWER, UPPER, DIGITS, SYMBOLS] as const;

const charOf = (alphabet: string) => fc.constantFrom(...alphabet.split(''));

/**
 * A password of exactly the given classes (at least one character of each), `length` long.
 * Random characters: the chance of hitting one of the few common passwords is nil.
 */
function passwordOf(classes: readonly string[], minLength: number, maxLength: number) {
  const all = classes.join('');
  return fc
    .tuple(
      fc.tuple(...classes.map(charOf)),
      fc.array(charOf(all), { minLength: Math.max(0, minLength - classes.length), maxLength: maxLength - classes.length }),
    )
    .chain(([required, filler]) => fc.shuffledSubarray([...required, ...filler], { minLength: required.length + filler.length }))
    .map((chars) => chars.join(''));
}

/** The local part of an email, long enough (≥ 4) for the "contains your email" rule to apply. */
const emailName = fc.string({ unit: charOf(LOWER + DIGITS + '.'), minLength: 4, maxLength: 20 }).filter((s) => !s.startsWith('.') && !s.endsWith('.'));

describe('passwordProblem', () => {
  it('rejects every string shorter than 10 characters, whatever it contains', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 9 }), fc.string({ unit: 'binary', maxLength: 9 })).filter((s) => s.length < PASSWORD_MIN_LENGTH),
        (password) => {
          expect(passwordProblem(password)).toBe('Password must be at least 10 characters long.');
          expect(passwordProblem(password, 'someone@acme.test')).not.toBeNull();
        },
      ),
    );
  });

  it('accepts 10–128 characters from three (or four) classes that do not contain the email name', () => {
    const threeOrFour = fc.subarray([...CLASSES], { minLength: 3, maxLength: 4 });
    fc.assert(
      fc.property(
        threeOrFour.chain((classes) => passwordOf(classes, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)),
        emailName,
        (password, name) => {
          fc.pre(!password.toLowerCase().includes(name));
          expect(passwordProblem(password, `${name}@acme.test`)).toBeNull();
          expect(passwordProblem(password)).toBeNull();
        },
      ),
    );
  });

  it('rejects 10+ characters from only one or two classes', () => {
    const oneOrTwo = fc.subarray([...CLASSES], { minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(
        oneOrTwo.chain((classes) => passwordOf(classes, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)),
        (password) => {
          expect(passwordProblem(password)).toBe('Password must mix at least three of: lower-case letters, upper-case letters, digits, symbols.');
        },
      ),
    );
  });

  it('rejects a password containing the email name (≥ 4 characters), in any case', () => {
    fc.assert(
      fc.property(emailName, fc.string({ unit: charOf(LOWER + UPPER), maxLength: 10 }), fc.boolean(), (name, prefix, upper) => {
        const password = `${prefix}${upper ? name.toUpperCase() : name}-Q7#x-pad`;
        expect(passwordProblem(password, `${name}@acme.test`)).toBe('Password must not contain your email address.');
      }),
    );
  });

  it.each([
    ['Ab1!', 'at least 10 characters'],
    [`Aa1!${'x'.repeat(PASSWORD_MAX_LENGTH)}`, 'at most 128 characters'],
    ['abcdefghijkl', 'mix at least three'],
    ['ABCDEFGH1234', 'mix at least three'],
    ['Password123', 'too common'],
    ['pASSWORD123', 'too common'],
    ['Qwerty1234', 'too common'],
    ['Password!1', 'too common'],
  ])('%j: %s', (password, phrase) => {
    expect(passwordProblem(password)).toContain(phrase);
  });

  it('ignores email names shorter than 4 characters', () => {
    expect(passwordProblem('Bob-Secure-2026', 'bob@acme.test')).toBeNull();
    expect(passwordProblem('Jane-Secure-2026', 'jane@acme.test')).toBe('Password must not contain your email address.');
    expect(passwordProblem('X-Jane.Doe-2026', 'Jane.Doe@Acme.test')).toBe('Password must not contain your email address.');
  });
});

describe('normalizeEmail', () => {
  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress(), fc.emailAddress().map((e) => ` ${e.toUpperCase()}\t`)), (input) => {
        const once = normalizeEmail(input);
        if (once !== null) expect(normalizeEmail(once)).toBe(once);
      }),
    );
  });

  it('lower-cases and trims; case and surrounding space do not change the result', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom('', ' ', '\t', '  \n'), (email, space) => {
        const normalized = normalizeEmail(email);
        if (normalized === null) return;
        expect(normalized).toBe(email.toLowerCase());
        expect(normalizeEmail(`${space}${email.toUpperCase()}${space}`)).toBe(normalized);
      }),
    );
  });

  it('accepts ordinary addresses', () => {
    expect(normalizeEmail('  Jane.Doe+serenity@Acme.CO.uk ')).toBe('jane.doe+serenity@acme.co.uk');
    expect(normalizeEmail('bob@globex.test')).toBe('bob@globex.test');
  });

  it.each(['', 'jane', 'jane@acme', 'jane@@acme.com', 'a@b@acme.com', '@acme.com', 'ja ne@acme.com', 'jane@acme..com', 'jane@.acme.com', `${'x'.repeat(65)}@acme.com`, `j@${'d'.repeat(250)}.com`])(
    'rejects %j',
    (input) => {
      expect(normalizeEmail(input)).toBeNull();
    },
  );
});

describe('isTimeZone', () => {
  const zones = Intl.supportedValuesOf('timeZone');

  it('accepts every IANA zone this runtime knows, and UTC', () => {
    expect(zones.length).toBeGreaterThan(300);
    const rejected = zones.filter((zone) => !isTimeZone(zone));
    expect(rejected).toEqual([]);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
  });

  it.each(['+02:00', '-05:00', '', 'Not/AZone', 'Europe/Berlin ', ' UTC', 'Europe//Berlin', '../etc/passwd', 'Mars/Olympus_Mons', 'x'.repeat(65)])('rejects %j', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });

  it('rejects every UTC offset written as ±hh:mm', () => {
    fc.assert(
      fc.property(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45), (sign, hours, minutes) => {
        expect(isTimeZone(`${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`)).toBe(false);
      }),
    );
  });
});

describe('nameProblem and phoneProblem', () => {
  it.each([
    ['', 'First name is required.'],
    ['   ', 'First name is required.'],
    ['x'.repeat(101), 'First name must be at most 100 characters.'],
    ['Jane\u0000', 'First name must not contain control characters or < >.'],
    ['<script>', 'First name must not contain control characters or < >.'],
  ])('name %j: %s', (value, message) => {
    expect(nameProblem('First name', value)).toBe(message);
  });

  it('accepts names up to the limit, trimmed, in any script', () => {
    expect(nameProblem('First name', ` ${'x'.repeat(100)} `)).toBeNull();
    expect(nameProblem('Last name', 'Ó Súilleabháin')).toBeNull();
    expect(nameProblem('Last name', '山田')).toBeNull();
  });

  it.each(['+1 415 555 0100', '030 1234-567', '0049.30.123456', '(030) 1234-567'])('accepts phone %j', (phone) => {
    expect(phoneProblem(phone)).toBeNull();
  });

  it.each(['call me', '12', '+1 415 555 0100 ext. 7', `+${'1'.repeat(40)}`])('rejects phone %j', (phone) => {
    expect(phoneProblem(phone)).toBe('Phone must be a number such as +1 415 555 0100 or (030) 1234-567.');
  });
});
