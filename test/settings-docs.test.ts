/**
 * Every setting the code reads (config.ts's schema: nothing else reads process.env) is named in
 * .env.example and in the README's Settings table, so an operator never meets one only in the code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../src/config.js';

// Switches the tests use to pause or simplify the running server: not for operators.
const TEST_ONLY = (name: string) => name.startsWith('TEST_');
const operatorSettings = SETTING_NAMES.filter((name) => !TEST_ONLY(name));

function settingsSection(readme: string): string {
  const start = readme.indexOf('\n## Settings\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the settings are documented', () => {
  it('config.ts reads settings (a sanity floor: the list is the schema, not a copy)', () => {
    expect(operatorSettings.length).toBeGreaterThan(60);
    expect(operatorSettings).toEqual(expect.arrayContaining(['DATABASE_URL', 'MEETING_PROVIDER', 'ZOOM_CLIENT_SECRET', 'MEETING_LINK_WAIT_SECONDS']));
  });

  it('.env.example names each one once, commented out (unset: its default)', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const named = [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=$/gm)].map((m) => m[1]);
    expect([...named].sort()).toEqual([...operatorSettings].sort());
    // Nothing set by copying it: every line is a comment or blank.
    expect(example.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'))).toEqual([]);
  });

  it("the README's Settings table has a row naming each one", () => {
    const table = settingsSection(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
    const rowNames = new Set(
      table
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1])),
    );
    expect(operatorSettings.filter((name) => !rowNames.has(name))).toEqual([]);
  });
});
