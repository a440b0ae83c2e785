import { sql } from 'kysely';
import { personTokens } from '../core/text-search.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMember, insertWorker } from '../modules/appeals/appeals.factory.js';
import { buildTwoProvinces } from '../modules/org/org.factory.js';
import { listWorkers } from '../modules/workers/workers.queries.js';
import { engines, type Fresh, freshDatabase } from '../test/harness.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateTo, migrateToLatest, migrationNames } from './migrate.js';
import { gramRootOf, type SearchableTable } from './text-search.js';

// Migration 2026-12-06T0900-search-gram-root-key, up from the release before and down again: every gram row
// keeps its key columns and path and gains its person's top-level unit; the path-following triggers write the
// root too; going down gives back the rows and the root-walk index as they were.
const ROOT_KEY = '2026-12-06T0900-search-gram-root-key';
const previous = migrationNames()[migrationNames().indexOf(ROOT_KEY) - 1]!;

describe.each(engines)('the search grams keyed by their top-level unit [%s]', (engine) => {
  let fresh: Fresh;
  let handle: DatabaseHandle;
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  const zhangWei: number[] = [];

  const gramRows = async (table: SearchableTable) => {
    const { rows } = await sql<{ row: string }>`select gram || '|' || sort_key || '|' || person_id || '|' || coalesce(unit_path, '-') as row from ${sql.table(`${table}_grams`)}`.execute(handle.db);
    return rows.map((r) => r.row).sort();
  };
  // Each row's root against its own path: none may differ.
  const wrongRoots = async (table: SearchableTable) => {
    const { rows } = await sql<{ unitPath: string | null; root: string }>`select unit_path as "unitPath", root from ${sql.table(`${table}_grams`)}`.execute(handle.db);
    expect(rows.length).toBeGreaterThan(0);
    return rows.filter((r) => r.root !== gramRootOf(r.unitPath));
  };
  // The gram table's indexes, each with what it indexes (PostgreSQL names the same root walk either way).
  const indexes = async () => {
    const { rows } =
      engine === 'postgres'
        ? await sql<{ name: string; definition: string }>`select indexname as name, indexdef as definition from pg_indexes where tablename = 'workers_grams'`.execute(handle.db)
        : await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_schema where type = 'index' and tbl_name = 'workers_grams' and sql is not null`.execute(handle.db);
    return rows.map((r) => `${r.name}: ${/split_part|substr/.test(r.definition) ? 'expression' : /\broot\b/.test(r.definition) ? 'root column' : 'columns'}`).sort();
  };

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    handle = openDatabase(fresh.url);
    await migrateTo(handle.db, previous);
    world = await buildTwoProvinces(handle.db);
    // The gram rows as the release before wrote them: no root.
    const withGrams = async (table: SearchableTable, id: number, name: string) => {
      const { rows } = await sql<{ nameSort: string; phoneTail: string | null; unitPath: string | null }>`select name_sort as "nameSort", phone_tail as "phoneTail", unit_path as "unitPath" from ${sql.table(table)} where id = ${id}`.execute(handle.db);
      const { nameSort, phoneTail, unitPath } = rows[0]!;
      for (const gram of personTokens(name, phoneTail)) {
        await sql`insert into ${sql.table(`${table}_grams`)} (gram, sort_key, person_id, unit_path) values (${gram}, ${nameSort}, ${id}, ${unitPath})`.execute(handle.db);
      }
      return id;
    };
    for (const unit of [world.branchA, world.shenzhen]) zhangWei.push(await withGrams('workers', await insertWorker(handle.db, unit, '张伟', world.platform.id), '张伟'));
    await withGrams('members', await insertMember(handle.db, world.branchB, '司马相如'), '司马相如');
    // One not placed in any unit yet: its rows' root is ''.
    const unplaced = await insertWorker(handle.db, world.branchA, '王雪梅', world.platform.id);
    await handle.db.updateTable('workers').set({ unitId: null, unitPath: null }).where('id', '=', unplaced).execute();
    await withGrams('workers', unplaced, '王雪梅');
  });

  afterAll(async () => {
    await handle.destroy();
    await fresh.drop();
  });

  it('gives every gram row its top-level unit and keeps the rest', async () => {
    const before = { workers: await gramRows('workers'), members: await gramRows('members') };
    await migrateToLatest(handle.db);
    for (const table of ['workers', 'members'] as const) {
      expect(await gramRows(table)).toEqual(before[table]);
      expect(await wrongRoots(table)).toEqual([]);
    }
    expect(await indexes()).toEqual(
      engine === 'postgres' ? ['workers_grams_person: columns', 'workers_grams_root_walk: root column', 'workers_grams_walk: columns'] : ['workers_grams_person: columns'],
    );
    const { rows } = await sql<{ n: number }>`select count(*) as n from workers_grams where root = ''`.execute(handle.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });

  it('follows a move to another top-level committee, and finds the person there and over both', async () => {
    const [first] = zhangWei;
    await handle.db.updateTable('workers').set({ unitId: world.shenzhen.id, unitPath: world.shenzhen.path }).where('id', '=', first!).execute();
    expect(await wrongRoots('workers')).toEqual([]);
    expect((await listWorkers(handle.db, { scope: [world.shenzhen.path], q: '张伟', after: null, limit: 10 })).map((w) => w.id).sort()).toEqual([...zhangWei].sort());
    expect(await listWorkers(handle.db, { scope: [world.sichuan.path], q: '张伟', after: null, limit: 10 })).toEqual([]);
    const both = await listWorkers(handle.db, { scope: [world.sichuan.path, world.shenzhen.path], q: '张伟', after: null, limit: 10 });
    expect(both.map((w) => w.id).sort()).toEqual([...zhangWei].sort());
    // Over everything, the worker placed in no unit is found too.
    expect((await listWorkers(handle.db, { scope: 'all', q: '雪梅', after: null, limit: 10 })).map((w) => w.name)).toEqual(['王雪梅']);
  });

  it('goes down to the root-walk index and the rows as they were', async () => {
    const rows = await gramRows('workers');
    await migrateTo(handle.db, previous);
    expect(await gramRows('workers')).toEqual(rows);
    expect(await indexes()).toEqual(
      engine === 'postgres'
        ? ['workers_grams_person: columns', 'workers_grams_root_walk: expression', 'workers_grams_walk: columns']
        : ['workers_grams_person: columns', 'workers_grams_root_walk: expression'],
    );
    const { rows: columns } =
      engine === 'postgres'
        ? await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = 'workers_grams'`.execute(handle.db)
        : await sql<{ name: string }>`select name from pragma_table_info('workers_grams')`.execute(handle.db);
    expect(columns.map((c) => c.name)).not.toContain('root');
    // And up again.
    await migrateToLatest(handle.db);
    expect(await wrongRoots('workers')).toEqual([]);
  });
});
