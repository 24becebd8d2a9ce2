/**
 * README.md's SDK example ("Booking a consultation") and sdk/README.md's are run as written,
 * twice, against a real server: each ```ts block is read from the README itself, so the docs
 * and this test cannot drift.
 * Only the import (to the workspace's SDK source) and the URL (the test server's) are swapped.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer({ PAYMENTS_MODE: 'local' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'serenity-readme-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await server.stop();
});

/** The first ```ts block after the heading (e.g. `## Usage`). */
function snippet(markdown: string, section: string): string {
  const start = markdown.indexOf(`\n${section}\n`);
  if (start < 0) throw new Error(`README has no section "${section}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(markdown.slice(start));
  if (!block) throw new Error(`section "${section}" has no ts block`);
  return block[1]!;
}

async function runSnippet(code: string, name: string): Promise<unknown[][]> {
  const file = path.join(dir, `${name}.ts`);
  const source = code
    .replaceAll("'@serenity/sdk'", JSON.stringify(path.join(root, 'sdk/src/index.ts')))
    .replaceAll("'http://localhost:4000/graphql'", JSON.stringify(server.graphqlUrl));
  await writeFile(file, source);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(pathToFileURL(file).href);
    return log.mock.calls;
  } finally {
    log.mockRestore();
  }
}

describe("README's SDK example", () => {
  it('books a consultation, and again on a second run', async () => {
    const code = snippet(await readFile(path.join(root, 'README.md'), 'utf8'), '## Booking a consultation');
    expect(code).toContain("from '@serenity/sdk'");
    expect(code).toContain("'http://localhost:4000/graphql'");

    const first = await runSnippet(code, 'run-1');
    const second = await runSnippet(code, 'run-2');
    for (const output of [first, second]) {
      expect(output).toHaveLength(1);
      const [code, status, localStart] = output[0]!;
      expect(code).toMatch(/^CNS-ACME-\d{8}-\d{6}$/);
      expect(status).toBe('SCHEDULED');
      expect(localStart).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    }
    expect(second[0]![0]).not.toBe(first[0]![0]);
    // The first run had no 60-minute credit and bought a package; the second used one of its credits.
    const purchases = await sql<{ status: string }>(server, 'SELECT status FROM purchase');
    expect(purchases.map((p) => p.status)).toEqual(['SUCCEEDED']);
  });

  it("sdk/README.md's usage examples run, twice", async () => {
    const markdown = await readFile(path.join(root, 'sdk/README.md'), 'utf8');
    for (const run of [1, 2]) {
      const usage = await runSnippet(snippet(markdown, '## Usage'), `usage-${run}`);
      expect(usage).toEqual([['Discovery & Assessment Program', 4500, 'USD'], ['Jane Smith', 'Acme Corporation']]);
      const anyOperation = await runSnippet(snippet(markdown, '### Any operation, with a generated document'), `any-${run}`);
      expect(anyOperation).toEqual([]);
      const journey = await runSnippet(snippet(markdown, '## The journey: sign in, find slots, book, pay'), `journey-${run}`);
      expect(journey).toEqual([['SCHEDULED', expect.any(String)]]);
    }
  });
});
