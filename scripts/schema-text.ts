/**
 * The text of schema.graphql, rendered from the type-graphql code. Shared by
 * scripts/emit-schema.ts (writes it) and scripts/check-schema.ts (compares with it).
 */
import 'reflect-metadata';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { RESOLVERS } from '../src/modules.js';
import { createSchema } from '../src/platform/schema.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = path.join(ROOT, 'schema.graphql');

export const SCHEMA_HEADER = '# Generated from the type-graphql code by `npm run schema:emit`; do not edit.';

/** Sorted lexicographically so that moving a resolver or field in code does not churn the diff. */
export async function renderSchemaText(): Promise<string> {
  const schema = await createSchema(RESOLVERS);
  return `${SCHEMA_HEADER}\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
