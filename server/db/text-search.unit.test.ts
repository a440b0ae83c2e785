import { type CompiledQuery, type Kysely, SqliteAdapter } from 'kysely';
import { describe, expect, it } from 'vitest';
import { personTokens } from '../core/text-search.js';
import type { Database } from './tables.js';
import { byGramKey, gramRootOf, type NewPerson, rootOfPath, searchRoots, writeNewPeopleGrams } from './text-search.js';

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

// The rows an import writes for its new people are sorted as one number each (person × width + token): every
// person's every gram must come out once, beside that person's own key and path, in the key's order.
describe("the grams of an import's new people", () => {
  it('are every token of every person, written in (gram, root, sort key, person) order, a thousand a statement', async () => {
    const names = ['王', '王伟', '欧阳明华', '张伟明', '李娜', '司马相如长卿', '王伟'];
    const people: NewPerson[] = Array.from({ length: 400 }, (_, i) => {
      const name = names[i % names.length]!;
      return { id: 1000 - i, nameSort: `${name}-${i % 13}`, unitPath: i % 5 === 0 ? null : `/${(i % 3) + 1}/${i}/`, tokens: personTokens(name, i % 2 ? String(1000 + i) : null) };
    });
    const written: unknown[][] = [];
    const db = {
      getExecutor: () => ({ adapter: new SqliteAdapter() }),
      executeQuery: async (query: CompiledQuery) => {
        written.push([...query.parameters]);
        return { rows: [] };
      },
    } as unknown as Kysely<Database>;
    await writeNewPeopleGrams(db, 'workers', people);

    const expected = people
      .flatMap((p) => p.tokens.map((gram) => ({ gram, root: gramRootOf(p.unitPath), sortKey: p.nameSort, personId: p.id, unitPath: p.unitPath })))
      .sort(byGramKey)
      .flatMap((r) => [r.gram, r.root, r.sortKey, r.personId, r.unitPath]);
    const rows = expected.length / 5;
    expect(rows).toBeGreaterThan(2000);
    expect(written.map((values) => values.length / 5)).toEqual([...Array<number>(Math.floor(rows / 1000)).fill(1000), rows % 1000].filter((n) => n > 0));
    expect(written.flat()).toEqual(expected);
  });
});
