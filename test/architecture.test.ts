/**
 * The direction of dependencies between src/ folders (README, "Where code lives"): `platform/`
 * imports no domain, and each domain imports only the layers below its own — so no two domain
 * folders can import each other, directly or round a cycle. Reaching upward goes through a
 * domain event or a handler registered at start-up (src/modules.ts wires them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../src/modules.js';

/** From the ground up; a folder may import its own layer's files, never a sibling folder of that layer. */
const LAYERS: readonly (readonly string[])[] = [
  ['platform'],
  ['identity', 'catalog'],
  ['credits', 'scheduling'],
  // Bookings take fees: consultations calls payments; a paid fee reaches back through a registered handler.
  ['payments'],
  ['consultations'],
  // Each consultation's place to meet, following its events; consultations never import it.
  ['meetings'],
  // Consultations as iCalendar events: the invitations notifications attach, and the feeds.
  ['calendar'],
  // Reacts to every domain's events; nothing below imports it.
  ['notifications'],
  // Pages for browsers, built on the SDK; they call the API like any client.
  ['web'],
];

/** Top-level files: config.ts is read by every layer and imports none; the rest assemble the app and may import anything. */
const SETTINGS = 'config.ts';
const ASSEMBLY = new Set(['modules.ts', 'app.ts', 'main.ts', 'run.ts', 'worker.ts']);

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(SRC, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** Every relative import, export-from, import type and dynamic import of a file, as a path under src/. */
function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => ({ from: file, to: path.posix.normalize(path.posix.join(path.posix.dirname(file), name)).replace(/\.js$/, '.ts') }));
}

/** The folder a file belongs to (payments/stripe-simulator/… is payments), or the top-level file itself. */
const unitOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file);
const layerOf = (unit: string) => LAYERS.findIndex((layer) => layer.includes(unit));

const FILES = sourceFiles(SRC);
const ALL_IMPORTS = FILES.flatMap(importsOf);
const IMPORTS = ALL_IMPORTS.filter((i) => unitOf(i.from) !== unitOf(i.to));
const describeImport = (i: Import) => `${i.from} imports ${i.to}`;

describe('dependency direction between src/ folders', () => {
  it('every folder of src/ has its place in the layers', () => {
    const folders = [...new Set(FILES.filter((f) => f.includes('/')).map(unitOf))].sort();
    expect(folders.filter((folder) => layerOf(folder) < 0)).toEqual([]);
    expect(FILES.filter((f) => !f.includes('/')).filter((f) => f !== SETTINGS && !ASSEMBLY.has(f))).toEqual([]);
  });

  it('platform/ imports no domain and nothing that assembles the domains', () => {
    const upward = IMPORTS.filter((i) => unitOf(i.from) === 'platform' && unitOf(i.to) !== SETTINGS);
    expect(upward.map(describeImport)).toEqual([]);
  });

  it('the files of platform/ import each other without a cycle', () => {
    const next = new Map<string, string[]>();
    for (const i of ALL_IMPORTS.filter((i) => unitOf(i.from) === 'platform' && unitOf(i.to) === 'platform')) next.set(i.from, [...(next.get(i.from) ?? []), i.to]);
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (file: string, trail: string[]) => {
      if (trail.includes(file)) return void cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      if (done.has(file)) return;
      for (const to of next.get(file) ?? []) visit(to, [...trail, file]);
      done.add(file);
    };
    for (const file of next.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('config.ts imports nothing of src/', () => {
    expect(IMPORTS.filter((i) => i.from === SETTINGS).map(describeImport)).toEqual([]);
  });

  it('a domain imports only the layers below its own (so domain folders form no cycle)', () => {
    const wrong = IMPORTS.filter((i) => {
      const from = unitOf(i.from);
      const to = unitOf(i.to);
      if (ASSEMBLY.has(from) || from === 'platform' || from === SETTINGS) return false;
      if (to === SETTINGS) return false;
      if (ASSEMBLY.has(to)) return true;
      return layerOf(to) >= layerOf(from);
    });
    expect(wrong.map(describeImport)).toEqual([]);
  });

  it("src/modules.ts lists every folder's manifest, from the ground up", () => {
    const folders = [...new Set(FILES.filter((f) => f.includes('/')).map(unitOf))];
    const listed = MODULES.map((m) => m.name);
    expect([...listed].sort()).toEqual(folders.sort());
    const layers = listed.map(layerOf);
    expect(layers).toEqual([...layers].sort((a, b) => a - b));
  });
});
