import { describe, expect, it } from 'vitest';
import { rootOfPath, rootOfScope } from './text-search.js';

// The root walk may only be chosen when every row the list could return lies under that one top-level unit:
// a wrong root would hide people silently (the walk reads no other committee's rows).
describe('the top-level unit a search may walk', () => {
  it('is the first id of a unit path', () => {
    expect(rootOfPath('/1/7/42/')).toBe('1');
    expect(rootOfPath('/604/')).toBe('604');
    expect(rootOfPath('')).toBeNull();
    expect(rootOfPath('/')).toBeNull();
  });

  it('is the subtree filter’s when there is one, else the one all grants share, else none', () => {
    expect(rootOfScope('all')).toBeNull();
    expect(rootOfScope([])).toBeNull();
    expect(rootOfScope(['/1/7/', '/1/9/12/'])).toBe('1');
    expect(rootOfScope(['/1/7/', '/2/'])).toBeNull();
    expect(rootOfScope(['/1/7/', '/2/'], '/2/5/')).toBe('2');
    expect(rootOfScope('all', '/3/4/')).toBe('3');
    expect(rootOfScope(['/1/', 'not a path'])).toBeNull();
  });
});
