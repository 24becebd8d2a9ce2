import { describe, expect, it } from 'vitest';
import { PACKAGE_CATALOG } from '../../src/catalog/catalog.seed-data.js';
import {
  billingCycleProblem,
  blockMinutesProblem,
  codeProblem,
  currencyProblem,
  defaultPriority,
  defaultPurchasable,
  minutesProblem,
  normalizeBlocks,
  normalizeCode,
  packageProblems,
  timeSessionMinutesProblem,
  type PackageDraft,
} from '../../src/catalog/catalog.rules.js';

const draftOfSeed = ({ priceCents, currency, ...seed }: (typeof PACKAGE_CATALOG)[number]): PackageDraft => ({
  ...seed,
  features: [...seed.features],
  targetAudience: [...seed.targetAudience],
  allowedBlockMinutes: [...seed.allowedBlockMinutes],
  price: { amount: priceCents, currency },
});

describe('catalog rules', () => {
  it('every seeded package passes them (so admins can update any of them)', () => {
    for (const seed of PACKAGE_CATALOG) expect(packageProblems(draftOfSeed(seed)), seed.code).toEqual([]);
  });

  it('the seeds use the defaults the rules give', () => {
    for (const seed of PACKAGE_CATALOG) {
      expect(seed.priority, seed.code).toBe(defaultPriority(seed.type));
      expect(seed.purchasable, seed.code).toBe(defaultPurchasable(seed.type));
    }
  });

  it.each([
    ['PKG-TEAM-WORKSHOP', null],
    ['ABC', null],
    ['A'.repeat(64), null],
    ['AB', /3–64/],
    ['A'.repeat(65), /3–64/],
    ['-PKG', /starting and ending/],
    ['PKG_TEAM', /letters, digits and hyphens/],
    ['pkg-team', /letters, digits and hyphens/], // codes are normalized before the rule
    ['6F1C2A3B-0D4E-4F5A-8B6C-7D8E9F0A1B2C', /UUID/],
  ])('codeProblem(%j)', (code, expected) => {
    const problem = codeProblem(code);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('normalizes codes and blocks', () => {
    expect(normalizeCode('  pkg-x1 ')).toBe('PKG-X1');
    expect(normalizeBlocks([120, 60, 90, 60])).toEqual([60, 90, 120]);
  });

  it.each([
    [15, null],
    [480, null],
    [0, /multiple of 15/],
    [-15, /multiple of 15/],
    [20, /multiple of 15/],
    [495, /multiple of 15/],
    [1.5, /multiple of 15/],
  ])('minutesProblem(%j)', (minutes, expected) => {
    const problem = minutesProblem('sessionMinutes', minutes);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('blocks: required for TIME, never longer than a SESSION credit', () => {
    expect(blockMinutesProblem([], 'TIME', 60)).toMatch(/required for TIME/);
    expect(blockMinutesProblem([60, 90, 120], 'TIME', 60)).toBeNull();
    expect(blockMinutesProblem([30, 60], 'SESSION', 60)).toBeNull();
    expect(blockMinutesProblem([60, 90], 'SESSION', 60)).toMatch(/must not list 90/);
    expect(timeSessionMinutesProblem(60, [60, 90])).toBeNull();
    expect(timeSessionMinutesProblem(90, [60, 90])).toMatch(/set it to 60/);
  });

  it('currencies are ISO-4217 codes in upper case', () => {
    for (const ok of ['USD', 'EUR', 'JPY', 'CHF']) expect(currencyProblem(ok), ok).toBeNull();
    for (const bad of ['usd', 'US', 'USDD', 'XYZ', '', 'U$D']) expect(currencyProblem(bad), bad).toMatch(/ISO-4217/);
  });

  it('billing cycles belong to subscriptions only', () => {
    expect(billingCycleProblem('SUBSCRIPTION', 'ANNUAL')).toBeNull();
    expect(billingCycleProblem('SUBSCRIPTION', null)).toMatch(/needs a billingCycle/);
    expect(billingCycleProblem('PAY_PER_USE', 'QUARTERLY')).toMatch(/Only SUBSCRIPTION/);
    expect(billingCycleProblem('FREE_TRIAL', null)).toBeNull();
  });
});
