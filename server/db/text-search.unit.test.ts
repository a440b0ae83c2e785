import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { rootOfPath, searchRoots } from './text-search.js';
import type { Database } from './tables.js';

// A search walks only the roots it is given: a root missing from the list would hide people silently (the
// walk reads no other committee's rows). Only a list over everything asks the database (every top-level unit).
describe('the top-level units a search walks', () => {
  const noDatabase = undefined as unknown as Kysely<Database>;

  it('is the first id of a unit path', () => {
    expect(rootOfPath('/1/7/42/')).toBe('1');
    expect(rootOfPath('/604/')).toBe('604');
    expect(rootOfPath('')).toBeNull();
    expect(rootOfPath('/')).toBeNull();
  });

  it('are the subtree filter’s when there is one, else the grants’ own', async () => {
    expect(await searchRoots(noDatabase, ['/1/7/', '/1/9/12/'])).toEqual(['1']);
    expect(await searchRoots(noDatabase, ['/1/7/', '/2/'])).toEqual(['1', '2']);
    expect(await searchRoots(noDatabase, ['/1/7/', '/2/'], '/2/5/')).toEqual(['2']);
    expect(await searchRoots(noDatabase, 'all', '/3/4/')).toEqual(['3']);
    // No grant: nothing to walk. A text that is no path holds no row.
    expect(await searchRoots(noDatabase, [])).toEqual([]);
    expect(await searchRoots(noDatabase, ['/1/', 'not a path'])).toEqual(['1']);
  });
});
