/**
 * npm run check:schema (CI)
 *
 * Fails when schema.graphql differs from what the type-graphql code renders now, or when
 * the SDK's generated files (sdk/src/generated/) differ from what codegen would produce
 * from that fresh schema. Writes nothing into the repository: codegen runs in memory
 * against a temporary copy of the fresh schema.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generate, type CodegenConfig } from '@graphql-codegen/cli';
import codegenConfig from '../codegen.js';
import { ROOT, SCHEMA_FILE, renderSchemaText } from './schema-text.js';

interface Problem {
  file: string;
  issue: string;
}

const rel = (file: string) => path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/');

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((e) => e.isFile()).map((e) => rel(path.join(e.parentPath, e.name)));
}

const clip = (line: string | undefined) => (line === undefined ? '<end of file>' : JSON.stringify(line.length > 100 ? `${line.slice(0, 100)}…` : line));

/** "line N" of the first difference, to point a reader at it. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `first difference at line ${i + 1}: expected ${clip(a[i])}, found ${clip(b[i])}`;
    }
  }
  return 'differs';
}

const problems: Problem[] = [];

// 1. schema.graphql against the type-graphql code.
const freshSchema = await renderSchemaText();
const onDiskSchema = await readOrNull(SCHEMA_FILE);
const schemaStale = onDiskSchema !== freshSchema;
if (onDiskSchema === null) problems.push({ file: rel(SCHEMA_FILE), issue: 'missing' });
else if (schemaStale) problems.push({ file: rel(SCHEMA_FILE), issue: firstDifference(freshSchema, onDiskSchema) });

// 2. The SDK's generated files against codegen run on the fresh schema.
const generatedDirs = Object.keys(codegenConfig.generates);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'serenity-check-schema-'));
try {
  const tmpSchema = path.join(tmp, 'schema.graphql');
  await writeFile(tmpSchema, freshSchema);
  const config: CodegenConfig & { cwd: string } = { ...codegenConfig, schema: tmpSchema, silent: true, cwd: ROOT };
  const outputs = (await generate(config, false)) as Array<{ filename: string; content: string }>;

  const expected = new Map<string, string>();
  for (const output of outputs) if (output.content) expected.set(rel(output.filename), output.content);

  for (const [file, content] of expected) {
    const onDisk = await readOrNull(path.join(ROOT, file));
    if (onDisk === null) problems.push({ file, issue: 'missing' });
    else if (onDisk !== content) problems.push({ file, issue: firstDifference(content, onDisk) });
  }
  // Only folders are scanned for leftovers (a single-file target has none).
  for (const dir of generatedDirs.filter((d) => d.endsWith('/'))) {
    for (const file of await listFiles(path.join(ROOT, dir))) {
      if (!expected.has(file)) problems.push({ file, issue: 'not produced by codegen any more (extra file)' });
    }
  }
} finally {
  await rm(tmp, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(
    schemaStale
      ? 'schema.graphql is stale: run npm run schema:emit && npm run codegen'
      : 'The SDK\'s generated files are stale: run npm run codegen',
  );
  for (const { file, issue } of problems) console.error(`  ${file}: ${issue}`);
  process.exitCode = 1;
} else {
  console.log(`schema.graphql and ${generatedDirs.join(', ')} are up to date.`);
}
