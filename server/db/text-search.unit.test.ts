import { describe, expect, it } from 'vitest';
import { gramRootOf, rootOfPath, searchRoots } from './text-search.js';

// A search walks only the roots it is given: a root missing from the list would hide people silently (the
// walk reads no other committee's rows).
describe('the top-level units a search walks', () => {
  it('is the first id of a unit path; a gram row of a person in no unit has the root ""', () => {
    expect(rootOfPath('/1/7/42/')).toBe('1');
    expect(rootOfPath('/604/')).toBe('604');
    expect(rootOfPath('')).toBeNull();
    expect(rootOfPath('/')).toBeNull();
    expect(gramRootOf('/1/7/42/')).toBe('1');
    expect(gramRootOf(null)).toBe('');
  });

  it('are the subtree filter’s when there is one, else the grants’ own, else every one', () => {
    expect(searchRoots(['/1/7/', '/1/9/12/'])).toEqual(['1']);
    expect(searchRoots(['/1/7/', '/2/'])).toEqual(['1', '2']);
    expect(searchRoots(['/1/7/', '/2/'], '/2/5/')).toEqual(['2']);
    expect(searchRoots('all', '/3/4/')).toEqual(['3']);
    expect(searchRoots('all')).toBe('all');
    // No grant: nothing to walk. A text that is no path holds no row.
    expect(searchRoots([])).toEqual([]);
    expect(searchRoots(['/1/', 'not a path'])).toEqual(['1']);
  });
});
