import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personTokens } from '../core/text-search.js';
import { insertMember, insertWorker } from '../modules/appeals/appeals.factory.js';
import { buildTwoProvinces } from '../modules/org/org.factory.js';
import { listWorkers } from '../modules/workers/workers.queries.js';
import { engines, type Fresh, freshDatabase } from '../test/harness.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateTo, migrateToLatest, migrationNames } from './migrate.js';
import type { SearchableTable } from './text-search.js';

// A database as the release before the search grams left it: tokens in the FTS5 table (SQLite) or the
// token array (PostgreSQL) only. The migration must give every person exactly the grams their search
// index held, beside their sort key, so the first search after the upgrade finds what it found before.
const GRAMS = '2026-12-05T1210-search-grams';
const previous = migrationNames()[migrationNames().indexOf(GRAMS) - 1]!;

// What the release before wrote (db/text-search.ts then): no grams table yet.
async function writeOldTokens(handle: DatabaseHandle, table: SearchableTable, id: number, tokens: string[]) {
  if (handle.engine === 'postgres') await sql`update ${sql.table(table)} set search_tokens = ${tokens}::text[] where id = ${id}`.execute(handle.db);
  else await sql`insert into ${sql.table(`${table}_fts`)} (rowid, tokens) values (${id}, ${tokens.join(' ')})`.execute(handle.db);
}

describe.each(engines)('upgrading to the search grams [%s]', (engine) => {
  let fresh: Fresh;
  let handle: DatabaseHandle;
  const people: { table: SearchableTable; id: number; name: string; tokens: string[] }[] = [];

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    handle = openDatabase(fresh.url);
    await migrateTo(handle.db, previous);
    const world = await buildTwoProvinces(handle.db);
    for (const [i, name] of ['欧阳明华', '张伟', '张伟', '王雪梅', '李明'].entries()) {
      const id = await insertWorker(handle.db, i % 2 ? world.branchA : world.branchB, name, world.platform.id);
      const tail = (await handle.db.selectFrom('workers').select('phoneTail').where('id', '=', id).executeTakeFirstOrThrow()).phoneTail;
      // The last one was erased before the upgrade: its tokens were cleared.
      const tokens = i === 4 ? [] : personTokens(name, tail);
      await writeOldTokens(handle, 'workers', id, tokens);
      people.push({ table: 'workers', id, name, tokens });
    }
    const memberId = await insertMember(handle.db, world.branchA, '司马相如');
    const memberTail = (await handle.db.selectFrom('members').select('phoneTail').where('id', '=', memberId).executeTakeFirstOrThrow()).phoneTail;
    await writeOldTokens(handle, 'members', memberId, personTokens('司马相如', memberTail));
    people.push({ table: 'members', id: memberId, name: '司马相如', tokens: personTokens('司马相如', memberTail) });
    await migrateToLatest(handle.db);
  });

  afterAll(async () => {
    await handle.destroy();
    await fresh.drop();
  });

  it("gives each person the grams their search index held, beside their sort key; an erased person none", async () => {
    for (const person of people) {
      const table = person.table === 'workers' ? 'workersGrams' : 'membersGrams';
      const grams = await handle.db.selectFrom(table).select(['gram', 'sortKey']).where('personId', '=', person.id).execute();
      const sortKey = (await handle.db.selectFrom(person.table).select('nameSort').where('id', '=', person.id).executeTakeFirstOrThrow()).nameSort;
      expect(grams.map((g) => g.gram).sort(), person.name).toEqual([...person.tokens].sort());
      for (const g of grams) expect(g.sortKey).toBe(sortKey);
    }
    expect(people.some((p) => p.tokens.length === 0)).toBe(true);
  });

  it('finds the people by a fragment right after the upgrade, in list order', async () => {
    const found = await listWorkers(handle.db, { scope: 'all', q: '张伟', after: null, limit: 10 });
    expect(found.map((w) => w.id)).toEqual(people.filter((p) => p.name === '张伟').map((p) => p.id));
    expect(await listWorkers(handle.db, { scope: 'all', q: '李明', after: null, limit: 10 })).toEqual([]);
  });
});
