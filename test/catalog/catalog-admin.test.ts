/**
 * The admin catalog mutations through GraphQL: createPackage, updatePackage, archivePackage,
 * restorePackage. Admins only; every refusal is a typed error naming the field, and leaves the
 * package table exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, gql, gqlOk, type GraphQLResult } from '../support/graphql.js';
import { login, snapshotTables, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DEMO_PASSWORD = 'Serenity-Demo-2026!';

let server: TestServer;
let admin: string;
let client: string;
let consultant: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = (await login(server, 'admin@serenity.local', DEMO_PASSWORD)).accessToken;
  client = (await login(server, 'jane.smith@acme.example', DEMO_PASSWORD)).accessToken;
  consultant = (await login(server, 'sarah.chen@serenity.local', DEMO_PASSWORD)).accessToken;
});
afterAll(() => server.stop());

// ---------------------------------------------------------------------------------------------
// Documents and helpers
// ---------------------------------------------------------------------------------------------

const PACKAGE = `id code name type lotKind description features targetAudience credits sessionMinutes allowedBlockMinutes
  validityDays price { amount currency } billingCycle badge displayOrder maxPurchasesPerClient priority lateCancelConsumes purchasable active`;

const CREATE = `mutation Create($input: CreatePackageInput!) { createPackage(input: $input) { ${PACKAGE} } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdatePackageInput!) { updatePackage(id: $id, input: $input) { ${PACKAGE} } }`;
const ARCHIVE = `mutation Archive($id: ID!) { archivePackage(id: $id) { ${PACKAGE} } }`;
const RESTORE = `mutation Restore($id: ID!) { restorePackage(id: $id) { ${PACKAGE} } }`;
const PACKAGES = `query Packages($includeInactive: Boolean) { packages(includeInactive: $includeInactive) { id code active displayOrder } }`;
const ONE = `query One($id: ID!) { package(id: $id) { ${PACKAGE} } }`;

interface PackageJson {
  id: string;
  code: string;
  name: string;
  type: string;
  lotKind: string;
  description: string;
  features: string[];
  targetAudience: string[];
  credits: number;
  sessionMinutes: number;
  allowedBlockMinutes: number[];
  validityDays: number;
  price: { amount: number; currency: string };
  billingCycle: string | null;
  badge: string | null;
  displayOrder: number;
  maxPurchasesPerClient: number | null;
  priority: number;
  lateCancelConsumes: boolean;
  purchasable: boolean;
  active: boolean;
}

let codes = 0;
const nextCode = (stem = 'PKG-TEST') => `${stem}-${++codes}`;

/** A valid SESSION bundle with a fresh code, `overrides` merged in. */
function bundle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: nextCode(),
    name: 'Board Readiness Sprint',
    type: 'CONSULTATION_BUNDLE',
    lotKind: 'SESSION',
    description: 'Three working sessions to prepare a board presentation.',
    features: ['Three 60-minute sessions', 'Deck review'],
    targetAudience: ['CFOs'],
    credits: 3,
    sessionMinutes: 60,
    validityDays: 90,
    price: { amount: 300000, currency: 'USD' },
    ...overrides,
  };
}

/** A valid TIME subscription with a fresh code, `overrides` merged in. */
function subscription(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return bundle({
    type: 'SUBSCRIPTION',
    lotKind: 'TIME',
    credits: 10,
    sessionMinutes: 60,
    allowedBlockMinutes: [60, 90, 120],
    billingCycle: 'QUARTERLY',
    ...overrides,
  });
}

async function create(input: Record<string, unknown>): Promise<PackageJson> {
  return (await gqlOk<{ createPackage: PackageJson }>(server, CREATE, { input }, admin)).createPackage;
}

async function packageRows() {
  return snapshotTables(server, ['package']);
}

/** The error of a refused operation: exactly one, and no data for the field. */
function refused(result: GraphQLResult<Record<string, unknown>>, operation: string, code: string, message?: RegExp | string, field?: string) {
  expect(result.errors, JSON.stringify(result.errors)).toHaveLength(1);
  expect(result.data?.[operation] ?? null).toBeNull();
  return expectError(result, code, message, field);
}

// ---------------------------------------------------------------------------------------------
// The happy paths
// ---------------------------------------------------------------------------------------------

describe('createPackage', () => {
  it('adds an active package with the defaults of catalog.md, listed after the others', async () => {
    const before = await gqlOk<{ packages: Array<{ displayOrder: number }> }>(server, PACKAGES, { includeInactive: true });
    const highest = Math.max(...before.packages.map((p) => p.displayOrder));

    const created = await create(bundle({ code: '  pkg-board-readiness ', name: '  Board Readiness Sprint  ', features: [' Three 60-minute sessions ', 'Deck review'] }));
    expect(created).toMatchObject({
      code: 'PKG-BOARD-READINESS',
      name: 'Board Readiness Sprint',
      type: 'CONSULTATION_BUNDLE',
      lotKind: 'SESSION',
      features: ['Three 60-minute sessions', 'Deck review'],
      targetAudience: ['CFOs'],
      credits: 3,
      sessionMinutes: 60,
      allowedBlockMinutes: [60],
      validityDays: 90,
      price: { amount: 300000, currency: 'USD' },
      billingCycle: null,
      badge: null,
      displayOrder: highest + 1,
      maxPurchasesPerClient: null,
      priority: 10,
      lateCancelConsumes: true,
      purchasable: true,
      active: true,
    });

    const listed = await gqlOk<{ packages: Array<{ id: string; code: string }> }>(server, PACKAGES, {});
    expect(listed.packages.at(-1)).toMatchObject({ id: created.id, code: 'PKG-BOARD-READINESS' });
    const byCode = await gqlOk<{ package: PackageJson }>(server, ONE, { id: 'pkg-board-readiness' });
    expect(byCode.package).toEqual(created);
    const [row] = await sql<{ price_amount: number; price_currency: string; allowed_block_minutes: number[] }>(
      server,
      'select price_amount, price_currency, allowed_block_minutes from package where id = ?',
      [created.id],
    );
    expect(row).toEqual({ price_amount: 300000, price_currency: 'USD', allowed_block_minutes: [60] });
  });

  it('takes every optional field as given', async () => {
    const created = await create(
      subscription({
        allowedBlockMinutes: [120, 60, 90, 60],
        badge: 'NEW',
        displayOrder: 42,
        maxPurchasesPerClient: 2,
        priority: 5,
        lateCancelConsumes: false,
        purchasable: false,
        price: { amount: 0, currency: 'EUR' },
        billingCycle: 'ANNUAL',
      }),
    );
    expect(created).toMatchObject({
      type: 'SUBSCRIPTION',
      lotKind: 'TIME',
      allowedBlockMinutes: [60, 90, 120],
      sessionMinutes: 60,
      billingCycle: 'ANNUAL',
      badge: 'NEW',
      displayOrder: 42,
      maxPurchasesPerClient: 2,
      priority: 5,
      lateCancelConsumes: false,
      purchasable: false,
      price: { amount: 0, currency: 'EUR' },
    });
  });

  it('a FREE_TRIAL defaults to priority 0 and not purchasable', async () => {
    const trial = await create(bundle({ type: 'FREE_TRIAL', credits: 1, sessionMinutes: 15, validityDays: 30, price: { amount: 0, currency: 'USD' } }));
    expect(trial).toMatchObject({ priority: 0, purchasable: false, allowedBlockMinutes: [15] });
  });

  it('two admins creating the same code at once: exactly one package', async () => {
    const input = bundle({ code: nextCode('PKG-RACE') });
    const results = await Promise.all([gql(server, CREATE, { input }, admin), gql(server, CREATE, { input }, admin)]);
    const failed = results.filter((r) => r.errors.length > 0);
    expect(failed).toHaveLength(1);
    refused(failed[0]!, 'createPackage', 'CONFLICT', /choose another code/, 'input.code');
    const [row] = await sql<{ count: number }>(server, 'select count(*)::int as count from package where code = ?', [input.code]);
    expect(row!.count).toBe(1);
  });
});

describe('updatePackage', () => {
  it('changes the fields given, keeps the others, by id or by code', async () => {
    const original = await create(bundle({ badge: 'HOT', maxPurchasesPerClient: 3 }));
    const changed = (
      await gqlOk<{ updatePackage: PackageJson }>(
        server,
        UPDATE,
        { id: original.id, input: { name: 'Board Readiness Sprint (2027)', credits: 4, price: { amount: 350000, currency: 'USD' }, features: ['Four sessions'] } },
        admin,
      )
    ).updatePackage;
    expect(changed).toEqual({
      ...original,
      name: 'Board Readiness Sprint (2027)',
      credits: 4,
      price: { amount: 350000, currency: 'USD' },
      features: ['Four sessions'],
    });

    // By code, in any case; null clears what may be empty.
    const cleared = (await gqlOk<{ updatePackage: PackageJson }>(server, UPDATE, { id: original.code.toLowerCase(), input: { badge: null, maxPurchasesPerClient: null } }, admin))
      .updatePackage;
    expect(cleared).toMatchObject({ id: original.id, badge: null, maxPurchasesPerClient: null, credits: 4 });

    const reread = (await gqlOk<{ package: PackageJson }>(server, ONE, { id: original.id })).package;
    expect(reread).toEqual(cleared);
  });

  it('SESSION default blocks follow sessionMinutes; TIME sessionMinutes follows the smallest block', async () => {
    const session = await create(bundle({ sessionMinutes: 90 }));
    expect(session.allowedBlockMinutes).toEqual([90]);
    const longer = (await gqlOk<{ updatePackage: PackageJson }>(server, UPDATE, { id: session.id, input: { sessionMinutes: 120 } }, admin)).updatePackage;
    expect(longer).toMatchObject({ sessionMinutes: 120, allowedBlockMinutes: [120] });

    const time = await create(subscription());
    const blocks = (await gqlOk<{ updatePackage: PackageJson }>(server, UPDATE, { id: time.id, input: { allowedBlockMinutes: [90, 30, 60] } }, admin)).updatePackage;
    expect(blocks).toMatchObject({ sessionMinutes: 30, allowedBlockMinutes: [30, 60, 90] });
  });

  it('an empty input changes nothing', async () => {
    const original = await create(bundle());
    const before = await packageRows();
    const same = (await gqlOk<{ updatePackage: PackageJson }>(server, UPDATE, { id: original.id, input: {} }, admin)).updatePackage;
    expect(same).toEqual(original);
    expect(await packageRows()).toEqual(before);
  });

  it('has no code, type or lotKind: those never change (existing lots depend on them)', async () => {
    const original = await create(bundle());
    for (const input of [{ code: 'PKG-RENAMED' }, { type: 'SUBSCRIPTION' }, { lotKind: 'TIME' }]) {
      const result = await gql(server, UPDATE, { id: original.id, input }, admin);
      expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors[0]?.message).toMatch(/is not defined by type "UpdatePackageInput"/);
    }
  });
});

describe('archivePackage and restorePackage', () => {
  it('archived packages leave the catalog but stay readable; restore brings them back; both idempotent', async () => {
    const pkg = await create(bundle());
    const codesOf = async (includeInactive: boolean) =>
      (await gqlOk<{ packages: Array<{ code: string; active: boolean }> }>(server, PACKAGES, { includeInactive })).packages;

    const archived = (await gqlOk<{ archivePackage: PackageJson }>(server, ARCHIVE, { id: pkg.id }, admin)).archivePackage;
    expect(archived).toEqual({ ...pkg, active: false });
    expect((await codesOf(false)).map((p) => p.code)).not.toContain(pkg.code);
    expect((await codesOf(true)).map(({ code, active }) => ({ code, active }))).toContainEqual({ code: pkg.code, active: false });
    expect((await gqlOk<{ package: PackageJson }>(server, ONE, { id: pkg.id })).package).toEqual(archived);

    // Again, by code: same answer, nothing written.
    const before = await packageRows();
    const again = (await gqlOk<{ archivePackage: PackageJson }>(server, ARCHIVE, { id: pkg.code }, admin)).archivePackage;
    expect(again).toEqual(archived);
    expect(await packageRows()).toEqual(before);

    // An archived package can still be corrected.
    const renamed = (await gqlOk<{ updatePackage: PackageJson }>(server, UPDATE, { id: pkg.id, input: { name: 'Retired sprint' } }, admin)).updatePackage;
    expect(renamed).toMatchObject({ name: 'Retired sprint', active: false });

    const restored = (await gqlOk<{ restorePackage: PackageJson }>(server, RESTORE, { id: pkg.id }, admin)).restorePackage;
    expect(restored).toEqual({ ...pkg, name: 'Retired sprint', active: true });
    expect((await codesOf(false)).map((p) => p.code)).toContain(pkg.code);
    const restoredAgain = (await gqlOk<{ restorePackage: PackageJson }>(server, RESTORE, { id: pkg.id }, admin)).restorePackage;
    expect(restoredAgain).toEqual(restored);
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals: exact code, field and message; the package table unchanged
// ---------------------------------------------------------------------------------------------

describe('createPackage refuses bad input and writes nothing', () => {
  const cases: Array<[string, Record<string, unknown>, 'BAD_USER_INPUT' | 'CONFLICT', string, RegExp]> = [
    ['zero credits', bundle({ credits: 0 }), 'BAD_USER_INPUT', 'input.credits', /^Credits \(sessions\) must be a whole number from 1 to 10000 \(got 0\)\.$/],
    ['negative credits', bundle({ credits: -5 }), 'BAD_USER_INPUT', 'input.credits', /Credits \(sessions\) must be a whole number from 1 to 10000 \(got -5\)/],
    ['zero hours (TIME)', subscription({ credits: 0 }), 'BAD_USER_INPUT', 'input.credits', /Credits \(hours per period\) must be a whole number from 1/],
    ['too many credits', bundle({ credits: 10_001 }), 'BAD_USER_INPUT', 'input.credits', /from 1 to 10000/],
    ['negative price', bundle({ price: { amount: -1, currency: 'USD' } }), 'BAD_USER_INPUT', 'input.price.amount', /price\.amount must be zero or more, in minor units \(cents\)/],
    ['a price over Stripe’s eight digits', bundle({ price: { amount: 100_000_000, currency: 'USD' } }), 'BAD_USER_INPUT', 'input.price.amount', /at most 99999999 .*\(got 100000000\)/],
    ['a currency that is not ISO-4217', bundle({ price: { amount: 100, currency: 'XYZ' } }), 'BAD_USER_INPUT', 'input.price.currency', /ISO-4217 currency code .* \(got "XYZ"\)/],
    ['a currency in lower case', bundle({ price: { amount: 100, currency: 'usd' } }), 'BAD_USER_INPUT', 'input.price.currency', /three upper-case letters, such as USD/],
    ['a currency of the wrong length', bundle({ price: { amount: 100, currency: 'DOLLARS' } }), 'BAD_USER_INPUT', 'input.price.currency', /ISO-4217/],
    ['TIME without blocks', subscription({ allowedBlockMinutes: null }), 'BAD_USER_INPUT', 'input.allowedBlockMinutes', /allowedBlockMinutes is required for TIME packages/],
    ['TIME with an empty block list', subscription({ allowedBlockMinutes: [] }), 'BAD_USER_INPUT', 'input.allowedBlockMinutes', /required for TIME packages/],
    ['a block that is not a multiple of 15', subscription({ allowedBlockMinutes: [60, 100] }), 'BAD_USER_INPUT', 'input.allowedBlockMinutes', /multiple of 15 minutes .* \(got 100\)/],
    ['TIME sessionMinutes not the smallest block', subscription({ sessionMinutes: 30 }), 'BAD_USER_INPUT', 'input.sessionMinutes', /set it to 60, the smallest of allowedBlockMinutes \[60, 90, 120\]/],
    ['a SESSION block longer than sessionMinutes', bundle({ allowedBlockMinutes: [60, 90] }), 'BAD_USER_INPUT', 'input.allowedBlockMinutes', /up to sessionMinutes \(60\): allowedBlockMinutes must not list 90/],
    ['SUBSCRIPTION without billingCycle', subscription({ billingCycle: undefined }), 'BAD_USER_INPUT', 'input.billingCycle', /A SUBSCRIPTION package needs a billingCycle \(QUARTERLY or ANNUAL\)/],
    ['billingCycle on a bundle', bundle({ billingCycle: 'ANNUAL' }), 'BAD_USER_INPUT', 'input.billingCycle', /Only SUBSCRIPTION packages have a billingCycle; leave it out .* CONSULTATION_BUNDLE/],
    ['a purchasable FREE_TRIAL', bundle({ type: 'FREE_TRIAL', price: { amount: 0, currency: 'USD' }, purchasable: true }), 'BAD_USER_INPUT', 'input.purchasable', /granted on email verification, never sold: purchasable must be false/],
    ['a FREE_TRIAL with a price', bundle({ type: 'FREE_TRIAL', price: { amount: 100, currency: 'USD' } }), 'BAD_USER_INPUT', 'input.price.amount', /A FREE_TRIAL package costs nothing/],
    ['a 10,000-character name', bundle({ name: 'x'.repeat(10_000) }), 'BAD_USER_INPUT', 'input.name', /Name must be at most 200 characters \(it has 10000\)/],
    ['a blank name', bundle({ name: '   ' }), 'BAD_USER_INPUT', 'input.name', /^Name is required\.$/],
    ['a name with a line break', bundle({ name: 'Two\nlines' }), 'BAD_USER_INPUT', 'input.name', /one line without control characters/],
    ['a blank description', bundle({ description: '' }), 'BAD_USER_INPUT', 'input.description', /Description is required/],
    ['an empty feature', bundle({ features: ['Deck review', ' '] }), 'BAD_USER_INPUT', 'input.features', /Features item 2 is empty/],
    ['zero sessionMinutes', bundle({ sessionMinutes: 0 }), 'BAD_USER_INPUT', 'input.sessionMinutes', /sessionMinutes must be a multiple of 15 minutes from 15 to 480 \(got 0\)/],
    ['sessionMinutes not a multiple of 15', bundle({ sessionMinutes: 50 }), 'BAD_USER_INPUT', 'input.sessionMinutes', /multiple of 15/],
    ['sessionMinutes over 8 hours', bundle({ sessionMinutes: 495 }), 'BAD_USER_INPUT', 'input.sessionMinutes', /from 15 to 480 \(got 495\)/],
    ['zero validityDays', bundle({ validityDays: 0 }), 'BAD_USER_INPUT', 'input.validityDays', /validityDays must be a whole number from 1 to 3650 days/],
    ['validityDays over 10 years', bundle({ validityDays: 3651 }), 'BAD_USER_INPUT', 'input.validityDays', /from 1 to 3650 days \(got 3651\)/],
    ['maxPurchasesPerClient 0', bundle({ maxPurchasesPerClient: 0 }), 'BAD_USER_INPUT', 'input.maxPurchasesPerClient', /maxPurchasesPerClient must be a whole number from 1/],
    ['a negative priority', bundle({ priority: -1 }), 'BAD_USER_INPUT', 'input.priority', /priority must be a whole number from 0/],
    ['a negative displayOrder', bundle({ displayOrder: -1 }), 'BAD_USER_INPUT', 'input.displayOrder', /displayOrder must be a whole number from 0/],
    ['a badge too long', bundle({ badge: 'B'.repeat(41) }), 'BAD_USER_INPUT', 'input.badge', /Badge must be at most 40 characters/],
    ['a code with spaces', bundle({ code: 'PKG TEAM' }), 'BAD_USER_INPUT', 'input.code', /Code must be 3–64 characters of letters, digits and hyphens/],
    ['a code too short', bundle({ code: 'PK' }), 'BAD_USER_INPUT', 'input.code', /3–64 characters/],
    ['a code ending in a hyphen', bundle({ code: 'PKG-' }), 'BAD_USER_INPUT', 'input.code', /starting and ending with a letter or digit/],
    ['a code shaped like an id', bundle({ code: '6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c' }), 'BAD_USER_INPUT', 'input.code', /must not look like a UUID/],
    ['a seeded code', bundle({ code: 'PKG-DISCOVERY-ASSESSMENT' }), 'CONFLICT', 'input.code', /A package with code "PKG-DISCOVERY-ASSESSMENT" already exists: choose another code/],
    ['a seeded code in lower case', bundle({ code: 'pkg-free-trial' }), 'CONFLICT', 'input.code', /"PKG-FREE-TRIAL" already exists/],
  ];

  it.each(cases)('%s', async (_name, input, code, field, message) => {
    const before = await packageRows();
    refused(await gql(server, CREATE, { input }, admin), 'createPackage', code, message, field);
    expect(await packageRows()).toEqual(before);
  });

  it('lists every problem, the first one as the message', async () => {
    const result = await gql(server, CREATE, { input: bundle({ credits: 0, validityDays: 0, price: { amount: -5, currency: 'usd' } }) }, admin);
    const error = refused(result, 'createPackage', 'BAD_USER_INPUT', /^Credits/, 'input.credits');
    expect((error.extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual([
      'input.credits',
      'input.validityDays',
      'input.price.amount',
      'input.price.currency',
    ]);
  });

  it('an archived package keeps its code: CONFLICT says to restore it', async () => {
    const pkg = await create(bundle());
    await gqlOk(server, ARCHIVE, { id: pkg.id }, admin);
    const before = await packageRows();
    const result = await gql(server, CREATE, { input: bundle({ code: pkg.code }) }, admin);
    refused(result, 'createPackage', 'CONFLICT', /is archived .*restore it with restorePackage/, 'input.code');
    expect(await packageRows()).toEqual(before);
  });
});

describe('updatePackage refuses bad input and writes nothing', () => {
  let target: PackageJson;
  let time: PackageJson;
  beforeAll(async () => {
    target = await create(bundle({ badge: 'KEEP' }));
    time = await create(subscription());
  });

  const cases: Array<[string, () => { id: string; input: Record<string, unknown> }, string, string, RegExp]> = [
    ['zero credits', () => ({ id: target.id, input: { credits: 0 } }), 'BAD_USER_INPUT', 'input.credits', /from 1 to 10000 \(got 0\)/],
    ['a good name with negative credits: neither is saved', () => ({ id: target.id, input: { name: 'Changed', credits: -1 } }), 'BAD_USER_INPUT', 'input.credits', /got -1/],
    ['a negative price', () => ({ id: target.id, input: { price: { amount: -100, currency: 'USD' } } }), 'BAD_USER_INPUT', 'input.price.amount', /zero or more/],
    ['a price of 2^31 - 1 cents', () => ({ id: target.id, input: { price: { amount: 2_147_483_647, currency: 'USD' } } }), 'BAD_USER_INPUT', 'input.price.amount', /at most 99999999/],
    ['a bad currency', () => ({ id: target.id, input: { price: { amount: 100, currency: 'EURO' } } }), 'BAD_USER_INPUT', 'input.price.currency', /ISO-4217/],
    ['billingCycle on a bundle', () => ({ id: target.id, input: { billingCycle: 'QUARTERLY' } }), 'BAD_USER_INPUT', 'input.billingCycle', /Only SUBSCRIPTION packages/],
    ['clearing a subscription’s billingCycle', () => ({ id: time.id, input: { billingCycle: null } }), 'BAD_USER_INPUT', 'input.billingCycle', /needs a billingCycle/],
    ['emptying a TIME package’s blocks', () => ({ id: time.id, input: { allowedBlockMinutes: [] } }), 'BAD_USER_INPUT', 'input.allowedBlockMinutes', /required for TIME packages/],
    ['a TIME sessionMinutes that is not the smallest block', () => ({ id: time.id, input: { sessionMinutes: 90 } }), 'BAD_USER_INPUT', 'input.sessionMinutes', /set it to 60/],
    ['a 10,000-character name', () => ({ id: target.id, input: { name: 'x'.repeat(10_000) } }), 'BAD_USER_INPUT', 'input.name', /at most 200 characters/],
    ['null for a name', () => ({ id: target.id, input: { name: null } }), 'BAD_USER_INPUT', 'input.name', /^name cannot be null: leave it out to keep the current value\.$/],
    ['null for credits', () => ({ id: target.id, input: { credits: null } }), 'BAD_USER_INPUT', 'input.credits', /cannot be null/],
    ['a purchasable free trial', () => ({ id: 'PKG-FREE-TRIAL', input: { purchasable: true } }), 'BAD_USER_INPUT', 'input.purchasable', /never sold/],
    ['an unknown code', () => ({ id: 'PKG-NOPE', input: { credits: 2 } }), 'NOT_FOUND', 'id', /^Package "PKG-NOPE" was not found\.$/],
    ['an unknown id', () => ({ id: '00000000-0000-4000-8000-000000000000', input: { credits: 2 } }), 'NOT_FOUND', 'id', /^Package "00000000-0000-4000-8000-000000000000" was not found\.$/],
    ['an empty id', () => ({ id: '', input: { credits: 2 } }), 'NOT_FOUND', 'id', /was not found/],
  ];

  it.each(cases)('%s', async (_name, variables, code, field, message) => {
    const before = await packageRows();
    refused(await gql(server, UPDATE, variables(), admin), 'updatePackage', code, message, field);
    expect(await packageRows()).toEqual(before);
  });
});

describe('archivePackage and restorePackage refuse unknown packages', () => {
  it.each([
    ['archivePackage', 'PKG-NOPE', ARCHIVE],
    ['archivePackage', '00000000-0000-4000-8000-000000000000', ARCHIVE],
    ['restorePackage', 'PKG-NOPE', RESTORE],
    ['restorePackage', '00000000-0000-4000-8000-000000000000', RESTORE],
  ])('%s(%j) is NOT_FOUND', async (operation, id, document) => {
    const before = await packageRows();
    refused(await gql(server, document, { id }, admin), operation, 'NOT_FOUND', `Package "${id}" was not found.`, 'id');
    expect(await packageRows()).toEqual(before);
  });
});

describe('only admins change the catalog', () => {
  const attempts = (): Array<[string, string, Record<string, unknown>]> => [
    ['createPackage', CREATE, { input: bundle() }],
    ['updatePackage', UPDATE, { id: 'PKG-DISCOVERY-ASSESSMENT', input: { credits: 1, price: { amount: 0, currency: 'USD' } } }],
    ['archivePackage', ARCHIVE, { id: 'PKG-DISCOVERY-ASSESSMENT' }],
    ['restorePackage', RESTORE, { id: 'PKG-DISCOVERY-ASSESSMENT' }],
  ];

  it('clients and consultants are FORBIDDEN, anonymous callers UNAUTHENTICATED; nothing changes', async () => {
    const callers: Array<[string, string | undefined, string, RegExp]> = [
      ['client', client, 'FORBIDDEN', /^Only admin accounts may do this\.$/],
      ['consultant', consultant, 'FORBIDDEN', /^Only admin accounts may do this\.$/],
      ['anonymous', undefined, 'UNAUTHENTICATED', /Sign in first/],
    ];
    for (const [who, token, code, message] of callers) {
      for (const [operation, document, variables] of attempts()) {
        const before = await packageRows();
        const result = await gql(server, document, variables, token);
        expect(result.errors[0]?.extensions?.code, `${operation} as ${who}`).toBe(code);
        refused(result, operation, code, message);
        expect(await packageRows(), `${operation} as ${who}`).toEqual(before);
      }
    }
  });

  it('authorization comes before validation: bad input from a non-admin is still FORBIDDEN / UNAUTHENTICATED', async () => {
    const input = bundle({ credits: 0, name: '' });
    refused(await gql(server, CREATE, { input }, client), 'createPackage', 'FORBIDDEN');
    refused(await gql(server, CREATE, { input }), 'createPackage', 'UNAUTHENTICATED');
    refused(await gql(server, UPDATE, { id: 'PKG-NOPE', input: { credits: 0 } }, consultant), 'updatePackage', 'FORBIDDEN');
  });

  it('packages stays public, archived ones included when asked', async () => {
    const pkg = await create(bundle());
    await gqlOk(server, ARCHIVE, { id: pkg.id }, admin);
    for (const token of [undefined, client, consultant]) {
      const all = await gqlOk<{ packages: Array<{ code: string }> }>(server, PACKAGES, { includeInactive: true }, token);
      expect(all.packages.map((p) => p.code)).toContain(pkg.code);
      const active = await gqlOk<{ packages: Array<{ code: string }> }>(server, PACKAGES, {}, token);
      expect(active.packages.map((p) => p.code)).not.toContain(pkg.code);
    }
  });
});
