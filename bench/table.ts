/**
 * node --import @swc-node/register/esm-register bench/table.ts [results.json]
 *
 * Prints the README's Performance table (Markdown) from bench/results.json, the last run's.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable, type Results } from './lib/results.js';

const file = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json');
const results = JSON.parse(await readFile(file, 'utf8')) as Results;
console.log(markdownTable(results).join('\n'));
