import 'reflect-metadata';
import { getIntrospectionQuery, parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { costUsesVariables, estimateOf } from '../../src/platform/graphql-limits.js';
import { RESOLVERS } from '../../src/modules.js';
import { createSchema } from '../../src/platform/schema.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createSchema(RESOLVERS);
});

const estimate = (query: string, variables: Record<string, unknown> = {}) => estimateOf(schema, parse(query), undefined, variables);
const from = '2030-01-01T00:00:00Z';
const search = (days: number, consultantId?: string) => ({ input: { ...(consultantId ? { consultantId } : {}), from, to: new Date(Date.parse(from) + days * 86_400_000).toISOString(), durationMinutes: 30, timeZone: 'UTC' } });
const SLOTS = 'query($input: OpenSlotsInput!) { openSlots(input: $input) { start end consultantId localStart } }';
const DATES = 'query($input: OpenSlotsInput!) { openDates(input: $input) }';
const ID = '5b0b7c8e-0000-4000-8000-000000000001';

describe('operation cost (default limit 5,000)', () => {
  it('openSlots and openDates grow with the days and the consultants searched', () => {
    expect(estimate(SLOTS, search(1, ID))).toEqual({ cost: 14, searches: 1, searched: ['openSlots'] });
    expect(estimate(SLOTS, search(60, ID))).toEqual({ cost: 604, searches: 1, searched: ['openSlots'] });
    // Without consultantId: costed as 8 consultants; one search over the longest range still fits.
    expect(estimate(SLOTS, search(62))).toEqual({ cost: 4964, searches: 1, searched: ['openSlots'] });
    expect(estimate(DATES, search(62))).toEqual({ cost: 1985, searches: 1, searched: ['openDates'] });
    // Past the longest range the resolver answers BAD_USER_INPUT (naming input.to), not the cost.
    expect(estimate(SLOTS, search(400))!.cost).toBe(estimate(SLOTS, search(63))!.cost);
    expect(estimate(SLOTS, search(63))!.cost).toBeLessThan(5000 + 100);
  });

  it('connections cost their page size times their nodes; out-of-range pages are the resolver’s to refuse', () => {
    const ledger = (first: string) => `{ creditLedger${first} { totalCount edges { node { id units } } } }`;
    expect(estimate(ledger('(first: 10)'))!.cost).toBe(1 + 10 * 5);
    expect(estimate(ledger(''))!.cost).toBe(1 + 20 * 5);
    expect(estimate(ledger('(first: 1000)'))!.cost).toBe(1 + 100 * 5);
    expect(estimate(ledger('(first: -3)'))!.cost).toBe(1 + 1 * 5);
  });

  it('consultants: the page, plus the range of every consultant when filtered by open time; only then a search', () => {
    const query = 'query($filter: ConsultantFilter) { consultants(first: 10, filter: $filter) { edges { node { id } } } }';
    expect(estimate(query)).toEqual({ cost: 1 + 10 * 3, searches: 0, searched: [] });
    expect(estimate(query, { filter: { availableBetween: { from, to: '2030-01-08T00:00:00Z', durationMinutes: 60 } } })).toEqual({ cost: 1 + 10 * 3 + 4 * 8 * 7, searches: 1, searched: ['consultants'] });
  });

  it('counts searches alias by alias and through fragments, leaving out skipped fields', () => {
    const query = `query($input: OpenSlotsInput!, $skip: Boolean!) {
      a: openDates(input: $input) b: openDates(input: $input) @skip(if: $skip) ...F
    } fragment F on Query { c: openSlots(input: $input) { start } }`;
    expect(estimate(query, { ...search(1, ID), skip: false })).toMatchObject({ searches: 3, searched: ['openDates', 'openSlots'] });
    expect(estimate(query, { ...search(1, ID), skip: true })!.searches).toBe(2);
  });

  it('GraphiQL’s introspection query is cheap', () => {
    expect(estimate(getIntrospectionQuery())!.cost).toBeLessThan(500);
  });

  it('a document too large to count is over any limit, not waved through', () => {
    // Each fragment spreads the next twice: 2^14 fields in all.
    const fragments = Array.from({ length: 14 }, (_, i) => `fragment F${i} on Package { ${i === 13 ? 'code' : `...F${i + 1} ...F${i + 1}`} }`).join('\n');
    expect(estimate(`{ packages { ...F0 } }\n${fragments}`)!.cost).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('variables that do not coerce are left to execution (BAD_USER_INPUT)', () => {
    expect(estimate(SLOTS, { input: { from: 'soon' } })).toBeNull();
  });
});

describe('when the cost depends on the variables (otherwise one estimate per document)', () => {
  const uses = (query: string) => costUsesVariables(schema, parse(query));
  it('a booking or a purchase costs the same whatever its variables', () => {
    expect(uses('mutation($input: BookConsultationInput!) { bookConsultation(input: $input) { id code status } }')).toBe(false);
    expect(uses('mutation($input: PurchasePackageInput!) { purchasePackage(input: $input) { clientSecret } }')).toBe(false);
    expect(uses(`{ openSlots(input: { from: "${from}", to: "2030-01-02T00:00:00Z", durationMinutes: 30, timeZone: "UTC" }) { start } }`)).toBe(false);
  });
  it('a search range, a page size or a directive in variables changes it, through fragments too', () => {
    expect(uses(SLOTS)).toBe(true);
    expect(uses('query($first: Int) { creditLedger(first: $first) { totalCount } }')).toBe(true);
    expect(uses('query($filter: ConsultantFilter) { consultants(first: 10, filter: $filter) { totalCount } }')).toBe(true);
    expect(uses('query($all: Boolean!) { packages { code features @include(if: $all) } }')).toBe(true);
    expect(uses('query($input: OpenSlotsInput!) { ...F } fragment F on Query { openSlots(input: $input) { start } }')).toBe(true);
  });
});
