/**
 * The SDK has a typed document for every root field of the API (admin ones too): a field
 * added to schema.graphql without an operation in sdk/src/operations/ fails here.
 * Subscriptions too: each has a document, run by `client.subscribe` (graphql-ws).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, Kind, parse, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = buildSchema(readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
const operationsDir = path.join(root, 'sdk/src/operations');

/** "query.me", "mutation.login", … for every root field some SDK operation selects. */
function selectedRootFields(): Set<string> {
  const selected = new Set<string>();
  for (const file of readdirSync(operationsDir).filter((f) => f.endsWith('.graphql'))) {
    for (const definition of parse(readFileSync(path.join(operationsDir, file), 'utf8')).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind === Kind.FIELD) selected.add(`${definition.operation}.${selection.name.value}`);
      }
    }
  }
  return selected;
}

const rootFields = (kind: 'query' | 'mutation' | 'subscription', type: GraphQLObjectType | null | undefined) => Object.keys(type?.getFields() ?? {}).map((name) => `${kind}.${name}`);

describe('SDK operations', () => {
  it('select every root query, mutation and subscription of schema.graphql', () => {
    const selected = selectedRootFields();
    const all = [...rootFields('query', schema.getQueryType()), ...rootFields('mutation', schema.getMutationType())];
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((field) => !selected.has(field))).toEqual([]);
    const subscriptions = rootFields('subscription', schema.getSubscriptionType());
    expect(subscriptions.length).toBeGreaterThanOrEqual(4);
    expect(subscriptions.filter((field) => !selected.has(field))).toEqual([]);
  });
});
