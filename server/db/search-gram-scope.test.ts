import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personTokens } from '../core/text-search.js';
import { insertMember, insertWorker } from '../modules/appeals/appeals.factory.js';
import { buildTwoProvinces } from '../modules/org/org.factory.js';
import { listMembers } from '../modules/members/members.queries.js';
import { listWorkers } from '../modules/workers/workers.queries.js';
import { engines, type Fresh, freshDatabase } from '../test/harness.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateTo, migrateToLatest, migrationNames } from './migrate.js';
import type { SearchableTable } from './text-search.js';

// Upgrading a database whose gram rows hold no unit path yet (migration 2026-12-05T1525-search-gram-scope):
// every gram row gets its person's path, the key and the rows stay the same, and from then on a change of
// a person's path (a move, an import, an org move) is followed by the triggers.
const SCOPE = '2026-12-05T1525-search-gram-scope';
const previous = migrationNames()[migrationNames().indexOf(SCOPE) - 1]!;

describe.each(engines)('upgrading the search grams to carry the unit path [%s]', (engine) => {
  let fresh: Fresh;
  let handle: DatabaseHandle;
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  const people: { table: SearchableTable; id: number; name: string }[] = [];
  let gramsBefore: { table: SearchableTable; rows: string[] }[] = [];

  // The rows as (gram, sort key, person): what the upgrade must keep.
  async function gramKeys(table: SearchableTable): Promise<string[]> {
    const { rows } = await sql<{ gram: string; sortKey: string; personId: number }>`select gram, sort_key as "sortKey", person_id as "personId" from ${sql.table(`${table}_grams`)}`.execute(handle.db);
    return rows.map((r) => `${r.gram}|${r.sortKey}|${r.personId}`).sort();
  }

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    handle = openDatabase(fresh.url);
    await migrateTo(handle.db, previous);
    world = await buildTwoProvinces(handle.db);
    const add = async (table: SearchableTable, id: number, name: string) => {
      const person = await sql<{ nameSort: string; phoneTail: string | null }>`select name_sort as "nameSort", phone_tail as "phoneTail" from ${sql.table(table)} where id = ${id}`.execute(handle.db);
      const { nameSort, phoneTail } = person.rows[0]!;
      // As the release before wrote them: no path.
      for (const gram of personTokens(name, phoneTail)) {
        await sql`insert into ${sql.table(`${table}_grams`)} (gram, sort_key, person_id) values (${gram}, ${nameSort}, ${id})`.execute(handle.db);
      }
      people.push({ table, id, name });
    };
    for (const [i, name] of ['欧阳明华', '张伟', '张伟', '王雪梅'].entries()) {
      await add('workers', await insertWorker(handle.db, [world.branchA, world.branchB, world.groupA, world.shenzhen][i]!, name, world.platform.id), name);
    }
    await add('members', await insertMember(handle.db, world.branchB, '司马相如'), '司马相如');
    gramsBefore = [{ table: 'workers', rows: await gramKeys('workers') }, { table: 'members', rows: await gramKeys('members') }];
    await migrateToLatest(handle.db);
  });

  afterAll(async () => {
    await handle.destroy();
    await fresh.drop();
  });

  it("keeps every gram row and gives each its person's unit path", async () => {
    for (const { table, rows } of gramsBefore) {
      expect(rows.length).toBeGreaterThan(0);
      expect(await gramKeys(table)).toEqual(rows);
      const { rows: stale } = await sql`select g.person_id from ${sql.table(`${table}_grams`)} g join ${sql.table(table)} p on p.id = g.person_id
        where g.unit_path is null or g.unit_path <> p.unit_path`.execute(handle.db);
      expect(stale).toEqual([]);
    }
  });

  it('finds people by a fragment within a scope right after the upgrade, and follows a later move', async () => {
    const ids = (name: string) => people.filter((p) => p.name === name).map((p) => p.id);
    expect((await listWorkers(handle.db, { scope: [world.sichuan.path], q: '张伟', after: null, limit: 10 })).map((w) => w.id)).toEqual(ids('张伟'));
    // One in branch B, the other in branch A's group.
    expect((await listWorkers(handle.db, { scope: [world.branchB.path], q: '张伟', after: null, limit: 10 })).map((w) => w.id)).toEqual(ids('张伟').slice(0, 1));
    expect((await listMembers(handle.db, { scope: [world.branchB.path], q: '相如', after: null, limit: 10 })).map((m) => m.id)).toEqual(ids('司马相如'));

    // A direct write of a person's path (as an import's upsert does) is followed by the trigger.
    const [second] = ids('张伟').slice(1);
    await handle.db.updateTable('workers').set({ unitId: world.shenzhen.id, unitPath: world.shenzhen.path }).where('id', '=', second!).execute();
    expect((await listWorkers(handle.db, { scope: [world.shenzhen.path], q: '张伟', after: null, limit: 10 })).map((w) => w.id)).toEqual([second]);
    expect((await listWorkers(handle.db, { scope: [world.sichuan.path], q: '张伟', after: null, limit: 10 })).map((w) => w.id)).toEqual(ids('张伟').slice(0, 1));
    expect(await listWorkers(handle.db, { scope: [world.branchA.path], q: '张伟', after: null, limit: 10 })).toEqual([]);
  });
});
