/**
 * fast-check arbitraries for the fuzz's argument values: hostile values of every scalar kind,
 * mixed with valid-looking ones chosen by the argument's name (emails, dates, wall times, real
 * ids…), so that cases get past input checks and deep into the resolvers.
 *
 * Values that depend on the running world (real ids, "now") are generated as markers —
 * { $ref: pool, pick } and { $at: minutes } / { $day: days } — and resolved just before
 * sending (see resolveMarkers), so a seed replays the same cases on a freshly built world.
 */
import fc from 'fast-check';

export interface RefMarker {
  $ref: string;
  pick: number;
}
export const ref = (pool: string): fc.Arbitrary<RefMarker> => fc.nat({ max: 1000 }).map((pick) => ({ $ref: pool, pick }));
/** A DateTime `minutes` from now on the 5-minute grid. */
const at = (minutes: fc.Arbitrary<number>) => minutes.map(($at) => ({ $at }));
/** A YYYY-MM-DD date `days` from today (UTC). */
const day = (days: fc.Arbitrary<number>) => days.map(($day) => ({ $day }));

// ----- Strings -----

const HUGE = [
  'x'.repeat(5_000),
  'é'.repeat(70_000),
  '🙂'.repeat(30_000),
  'Lorem ipsum dolor sit amet. '.repeat(4_000),
];
const UNICODE = [
  'Zoë Ünïcødé',
  '名前 テスト',
  'שלום עולם',
  '🙂👍🏽👨‍👩‍👧‍👦',
  '\u202Eevil.exe',
  'e\u0301\u0301\u0301',
  '\uFEFFbom',
  '\uD800',
  '\uDFFFx\uD83D',
  '\u2028\u2029',
  'Ω≈ç√∫˜µ≤≥÷',
  '\u00a0\u2003 ',
];
const CONTROL = ['\u0000', 'a\u0000b', '\u0007bell', '\u001b[31mred', '\u007f', '\u0085', 'tab\tnew\nline\r\n', '\b\f\v'];
const TRICKY = ["'; drop table app_user; --", '%', '_%_', '\\', '"', '${x}', '<script>alert(1)</script>', '../../etc/passwd', 'null', 'undefined', 'NaN', '0', '-1', '1e309', 'true', '[]', '{}'];

/** Any string at all, hostile first. */
export const anyString: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom('', ' ', '   ', '\t', '\n') },
    { weight: 5, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 3, arbitrary: fc.constantFrom(...UNICODE) },
    { weight: 3, arbitrary: fc.constantFrom(...CONTROL) },
    { weight: 2, arbitrary: fc.constantFrom(...TRICKY) },
    { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 3_000 }).map((n) => 'a'.repeat(n)) },
  );

const emails = fc.oneof(
  ref('email'),
  fc.constantFrom('nobody@nowhere.test', 'not-an-email', 'a@b', '@example.com', 'user@', 'UPPER.CASE@ALPHA.TEST', ' spaced@alpha.test ', 'a+tag@alpha.test', 'ü@ünïcode.test', `${'l'.repeat(300)}@alpha.test`),
  fc.emailAddress(),
);
const passwords = fc.constantFrom('Correct-Horse-42', 'Another-Pass-2026!', 'short', 'alllowercaseletters', '1234567890', 'Aa1!'.repeat(300), 'Pässwörd-Ünï-42');
const tokens = fc.oneof(ref('token'), fc.constantFrom('not-a-real-token', 'a'.repeat(64), '0'.repeat(43)), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/));
const localDates = fc.oneof(
  { weight: 4, arbitrary: day(fc.integer({ min: -3, max: 120 })) },
  { weight: 2, arbitrary: fc.constantFrom('2026-02-30', '2026-13-01', '2026-00-10', '0000-01-01', '9999-12-31', '2026-1-1', '26-01-01', '2026/01/01', '2026-01-01T00:00:00Z', 'tomorrow') },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
);
const wallTimes = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`) },
  { weight: 1, arbitrary: fc.constantFrom('24:00', '00:00', '25:00', '09:60', '9:00', '09:00:00', '-01:00', '12:7', 'noon') },
);
const currencies = fc.constantFrom('USD', 'EUR', 'GBP', 'JPY', 'usd', 'XXX', 'US', 'EURO', '€');
const skills = fc.constantFrom('Business Strategy', 'business strategy', 'Market Entry', 'Digital Transformation', 'SAP S/4HANA', 'Fuzzing');
const languages = fc.constantFrom('English', 'german', 'Mandarin', 'Klingon', 'x');
const urls = fc.constantFrom('https://example.com/report.pdf', 'http://example.com', 'javascript:alert(1)', 'ftp://example.com/x', 'example.com', '//evil.test', 'https://');
const packageCodes = fc.oneof(ref('packageCode'), fc.integer({ min: 1, max: 99_999 }).map((n) => `PKG-FUZZ-${n}`), fc.constantFrom('ab', 'pkg-lower-case', 'PKG WITH SPACES', `PKG-${'X'.repeat(80)}`));
const cursors = fc.oneof(ref('cursor'), fc.constantFrom('not-a-cursor', Buffer.from('c:').toString('base64url'), Buffer.from('c:garbage|x').toString('base64url'), Buffer.from('c:2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url'), '====', '🙂'));

/** A String argument or input field, valid-looking by its name about half the time. */
export function stringFor(name: string, parent: string): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: plausibleString(name, parent) }, { weight: 2, arbitrary: anyString });
}

/** A String that passes most checks: the name's valid-looking values, or plain text. */
export function plausibleString(name: string, parent: string): fc.Arbitrary<unknown> {
  return guessString(name, parent) ?? fc.constantFrom('Fuzz', 'A reasonable sentence of text.', 'Jane');
}

function guessString(name: string, parent: string): fc.Arbitrary<unknown> | undefined {
  if (/email/i.test(name)) return emails;
  if (/password/i.test(name)) return passwords;
  if (/token$/i.test(name)) return tokens;
  if (name === 'after') return cursors;
  if (parent === 'TimeIntervalInput') return wallTimes;
  if (/date$|On$/.test(name) || (parent === 'AvailabilityExceptionInput' && (name === 'from' || name === 'to'))) return localDates;
  if (name === 'currency') return currencies;
  if (name === 'code') return packageCodes;
  if (name === 'fileUrl') return urls;
  if (name === 'paymentMethodId') return fc.constantFrom('pm_card_visa', 'pm_card_chargeDeclined', 'pm_', 'card_123');
  if (/skill/i.test(name)) return skills;
  if (/language/i.test(name)) return languages;
  if (name === 'idempotencyKey') return fc.constantFrom('key-1', 'key-2', 'k'.repeat(300));
  if (name === 'organizationName') return fc.constantFrom('Fuzz Corp', 'Globex Inc', 'Acme Corporation');
  return undefined;
}

// ----- Numbers, booleans, ids, date-times, zones -----

const INT_EDGES = [0, 1, -1, 2, 5, 7, 15, 30, 45, 60, 90, 120, 480, 495, 1000, 10_000, 2_147_483_647, -2_147_483_648];
/** Int: 32-bit edges and small values; rarely not an Int at all (graphql-js must refuse it). */
export const anyInt: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...INT_EDGES) },
  { weight: 4, arbitrary: fc.integer({ min: -20, max: 200 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(2_147_483_648, -2_147_483_649, 1e15, 1.5, -0.5, Number.MAX_SAFE_INTEGER) },
);

export function intFor(name: string): fc.Arbitrary<unknown> {
  if (/minutes/i.test(name)) return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -1, max: 33 }).map((n) => n * 15) }, { weight: 1, arbitrary: anyInt });
  if (/^(overall|expertise|helpfulness|communication)$/.test(name)) return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: anyInt });
  if (name === 'weekday') return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 1, arbitrary: anyInt });
  if (/^(first|units|credits|days|years)$/.test(name)) return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -2, max: 120 }) }, { weight: 1, arbitrary: anyInt });
  return anyInt;
}

/** An Int in the range the name suggests (e.g. minutes in steps of 15), or a small one. */
export function plausibleInt(name: string): fc.Arbitrary<unknown> {
  if (/minutes/i.test(name)) return fc.integer({ min: 1, max: 8 }).map((n) => n * 15);
  if (/^(overall|expertise|helpfulness|communication)$/.test(name)) return fc.integer({ min: 1, max: 5 });
  if (name === 'weekday') return fc.integer({ min: 1, max: 7 });
  if (name === 'amount') return fc.integer({ min: 0, max: 500_000 });
  return fc.integer({ min: 1, max: 60 });
}

export const anyFloat: fc.Arbitrary<unknown> = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308, -1e-308));
export const anyBoolean: fc.Arbitrary<unknown> = fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('true', 0, 1) });

/** Which pool an ID argument draws from, by its name and the root field. */
export function plausibleId(name: string, rootField: string): fc.Arbitrary<unknown> {
  return ref(idPool(name, rootField));
}

export function idFor(name: string, rootField: string): fc.Arbitrary<unknown> {
  const pool = idPool(name, rootField);
  return fc.oneof(
    { weight: 6, arbitrary: ref(pool) },
    { weight: 1, arbitrary: ref('anyId') },
    { weight: 2, arbitrary: fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '', '1', 'ffffffff-ffff-ffff-ffff-ffffffffffffff', 'PKG-DISCOVERY-ASSESSMENT')) },
    { weight: 1, arbitrary: anyString },
    { weight: 1, arbitrary: fc.constantFrom(0, 42, -1, 1e20) },
  );
}

function idPool(name: string, rootField: string): string {
  if (name === 'consultantId') return 'consultant';
  if (name === 'organizationId') return 'organization';
  if (name === 'userId') return 'user';
  if (name === 'lotId') return 'lot';
  if (name === 'packageId') return 'package';
  if (name === 'consultationId') return 'consultation';
  if (/onsultation|NoShow|Reschedule|Attendees/.test(rootField)) return 'consultation';
  if (/ackage/i.test(rootField)) return 'package';
  if (/urchase/i.test(rootField)) return 'purchase';
  if (/ubscription/i.test(rootField)) return 'subscription';
  if (/nvitation/i.test(rootField)) return 'invitation';
  if (rootField === 'consultant') return 'consultant';
  return 'anyId';
}

export const anyDateTime: fc.Arbitrary<unknown> = fc.oneof(
  // Near now, where the all-hours consultant is bookable (within ±9 h of its noon) and beyond.
  { weight: 5, arbitrary: at(fc.integer({ min: -60, max: 9 * 60 })) },
  { weight: 2, arbitrary: at(fc.integer({ min: -30 * 24 * 60, max: 120 * 24 * 60 })) },
  { weight: 2, arbitrary: fc.constantFrom('2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-12-01T10:00:00+14:00', '2026-12-01 10:00', '2026-12-01', 'not a date', '', 'T', '2026-12-01T24:00:00Z', '+275760-09-13T00:00:00.000Z') },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1_800_000_000_000, 1e20) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
);

/** A DateTime where the all-hours consultant is bookable: a few hours ahead, on the grid. */
export const plausibleDateTime: fc.Arbitrary<unknown> = at(fc.integer({ min: 1, max: 9 * 12 }).map((n) => n * 5));
const REAL_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Etc/GMT-14', 'Etc/GMT+12', 'Australia/Lord_Howe'];
export const plausibleTimeZone: fc.Arbitrary<unknown> = fc.constantFrom(...REAL_ZONES);

export const anyTimeZone: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: plausibleTimeZone },
  { weight: 2, arbitrary: fc.constantFrom('Mars/Olympus_Mons', 'utc', 'europe/berlin', '+02:00', 'GMT+2', 'EST', 'Local', 'Europe/', '/', 'Etc/GMT+13') },
  { weight: 1, arbitrary: anyString },
);

/** A value of the wrong kind for whatever the type asks (coercion must refuse it, typed). */
export const wrongKind: fc.Arbitrary<unknown> = fc.constantFrom(123, -7.25, 'str', true, {}, { nested: { deeper: 1 } }, [], [1, 'two', null]);

// ----- Resolving markers -----

export interface MarkerPools {
  pools: Record<string, readonly string[]>;
  now: Date;
}

const FIVE_MINUTES = 5 * 60_000;

/** Replaces every marker in `value` by its concrete value in the running world. */
export function resolveMarkers(value: unknown, world: MarkerPools): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveMarkers(v, world));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$ref === 'string') {
    const pool = world.pools[record.$ref] ?? [];
    return pool.length ? pool[Number(record.pick) % pool.length] : 'missing-pool-value';
  }
  if (typeof record.$at === 'number') {
    const base = Math.ceil(world.now.getTime() / FIVE_MINUTES) * FIVE_MINUTES;
    return new Date(base + record.$at * 60_000).toISOString().replace(/:00\.000Z$/, ':00Z');
  }
  if (typeof record.$day === 'number') return new Date(world.now.getTime() + record.$day * 86_400_000).toISOString().slice(0, 10);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolveMarkers(v, world)]));
}
