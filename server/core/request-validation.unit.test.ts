import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forbiddenCharacterIn, forbiddenCharacterIssues } from './request-validation.js';

// The walk makes a place only for what needs one; the issues it finds must be the ones every string
// checked on its own gives, clean or not, keys and values alike.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('30.657', 'hot_water,toilet', '王建军', '👨‍👩‍👧', 'a\u0000b', 'tab\tok', '\u0085', '\uD800', 'x\uDC00', '\uD83D\uDE00'),
);
const flat = fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 6 });

describe('forbidden characters in flat input', () => {
  it('finds exactly what checking each name and string alone finds', () => {
    fc.assert(
      fc.property(flat, fc.boolean(), (input, prototypeLess) => {
        const sent = prototypeLess ? Object.assign(Object.create(null) as Record<string, unknown>, input) : input;
        const expected: string[] = [];
        for (const [key, value] of Object.entries(input)) {
          if (forbiddenCharacterIn(key)) expected.push(`/${key}`);
          if (typeof value === 'string' && forbiddenCharacterIn(value)) expected.push(`/${key}`);
        }
        const found = forbiddenCharacterIssues(sent).map((issue) => issue.instancePath);
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 500 },
    );
  });

  it('still walks nested input', () => {
    expect(forbiddenCharacterIssues({ a: 'clean', b: { c: 'x\u0000' } }).map((issue) => issue.instancePath)).toEqual(['/b/c']);
    expect(forbiddenCharacterIssues({ a: ['ok', 'bad\u0001'] }).map((issue) => issue.instancePath)).toEqual(['/a/1']);
    expect(forbiddenCharacterIssues({ lat: '30.657', service: 'hot_water' })).toEqual([]);
    expect(forbiddenCharacterIssues({ ['k\u0002']: { x: 'ok' } }).map((issue) => issue.instancePath)).toEqual(['/k\u0002']);
    expect(forbiddenCharacterIssues('text\u0000').map((issue) => issue.instancePath)).toEqual(['/']);
  });
});
