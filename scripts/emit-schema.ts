/**
 * npm run schema:emit
 *
 * Writes schema.graphql (committed) from the type-graphql code. Run `npm run codegen`
 * afterwards to refresh the SDK; `npm run check:schema` tells when either is stale.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, SCHEMA_FILE, renderSchemaText } from './schema-text.js';

await writeFile(SCHEMA_FILE, await renderSchemaText());
console.log(`Wrote ${path.relative(ROOT, SCHEMA_FILE)}`);
