import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { decodeCursor, encodeCursor } from './paging.js';

describe('paging cursors', () => {
  it('reads back what it wrote, position by position', () => {
    const cursor = encodeCursor([1, null, 42]);
    expect(decodeCursor(cursor, ['flag', 'optionalTimestamp', 'id'])).toEqual([1, null, 42]);
    expect(decodeCursor(encodeCursor(['2026-12-05T08:00:00.000Z', 7]), ['timestamp', 'id'])).toEqual(['2026-12-05T08:00:00.000Z', 7]);
    expect(decodeCursor(encodeCursor(['zhang san', 3]), ['text', 'id'])).toEqual(['zhang san', 3]);
    expect(decodeCursor(undefined, ['id'])).toBeNull();
    expect(decodeCursor('', ['id'])).toBeNull();
  });

  // Found by fuzzing (FUZZ_SEED=993274083): [1,"x"] is well-formed JSON of the right length, and "x"
  // reached PostgreSQL as an integer id (500).
  it.each([
    ['a word where an id belongs', encodeCursor([1, 'x']), ['timestamp', 'id']],
    ['a number where a timestamp belongs', encodeCursor([1, 2]), ['timestamp', 'id']],
    ['an impossible timestamp', encodeCursor(['2026-02-30T25:00:00Z', 2]), ['timestamp', 'id']],
    ['an id past the column', encodeCursor([2 ** 31]), ['id']],
    ['a negative or fractional id', encodeCursor([-1]), ['id']],
    ['a flag other than 0 or 1', encodeCursor([2, null, 1]), ['flag', 'optionalTimestamp', 'id']],
    ['the wrong length', encodeCursor([1, 2]), ['id']],
    ['not JSON', 'bm90IGpzb24', ['id']],
    ['an object', encodeCursor({ id: 1 } as never), ['id']],
  ] as const)('refuses %s with a 400 naming the cursor', (_what, cursor, parts) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor, parts);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).status).toBe(400);
    expect((thrown as AppError).fields.map((f) => f.field)).toEqual(['querystring.cursor']);
  });
});
