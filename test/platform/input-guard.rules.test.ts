/** The character rule of the input guard, property-checked over arbitrary text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringProblem } from '../../src/platform/input-guard.js';

const refused = (unit: number, kind: 'String' | 'ID') =>
  (unit < 0x20 && !(kind === 'String' && (unit === 0x09 || unit === 0x0a || unit === 0x0d))) || (unit >= 0x7f && unit <= 0x9f) || unit === 0xfffe || unit === 0xffff;

/** Any text of well-formed code points none of which the rule refuses. */
const fine = (kind: 'String' | 'ID') =>
  fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).filter((cp) => (cp < 0xd800 || cp > 0xdfff) && !refused(cp, kind)).map((cp) => String.fromCodePoint(cp)), maxLength: 40 });
const badUnit = (kind: 'String' | 'ID') => fc.integer({ min: 0, max: 0xffff }).filter((u) => refused(u, kind) || (u >= 0xd800 && u <= 0xdfff));

describe('stringProblem', () => {
  it.each(['String', 'ID'] as const)('accepts every %s without a refused character (emoji and other astral text included)', (kind) => {
    fc.assert(fc.property(fine(kind), (text) => stringProblem(text, kind, 'f') === null));
  });

  it.each(['String', 'ID'] as const)('refuses a %s with one refused character or lone surrogate anywhere, naming it and its position', (kind) => {
    fc.assert(
      fc.property(fine(kind), badUnit(kind), fine(kind), (before, unit, after) => {
        // A high surrogate followed by a low one would be a pair, not lone: keep it lone.
        const tail = unit >= 0xd800 && unit <= 0xdbff && /^[\uDC00-\uDFFF]/.test(after) ? `x${after}` : after;
        const head = unit >= 0xdc00 && unit <= 0xdfff && /[\uD800-\uDBFF]$/.test(before) ? `${before}x` : before;
        const message = stringProblem(`${head}${String.fromCharCode(unit)}${tail}`, kind, 'input.name');
        expect(message).toContain(`input.name must not contain the character U+${unit.toString(16).toUpperCase().padStart(4, '0')} (at position ${head.length + 1})`);
      }),
    );
  });

  it('tab, line feed and carriage return: fine in text, refused in an id', () => {
    for (const ch of ['\t', '\n', '\r']) {
      expect(stringProblem(`a${ch}b`, 'String', 'notes')).toBeNull();
      expect(stringProblem(`a${ch}b`, 'ID', 'id')).toMatch(/an id takes no control characters/);
    }
  });
});
