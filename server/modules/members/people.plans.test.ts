import { CompiledQuery } from 'kysely';
import { expect, it } from 'vitest';
import { listPage } from '../../db/text-search.js';
import { describeEachEngine } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { workersMatching } from '../workers/workers.queries.js';
import { membersMatching } from './members.queries.js';

// The worker and member lists must stay index-backed at a million rows (issue 3): a page over everyone
// reads the pinyin index in order, a subtree page reads its path range, and a two-character search goes
// through the n-gram key in list order (issue 6); never a scan of the whole table.
const page = { after: null };
const fullScan = /^SCAN (workers|members)$|Seq Scan on (workers|members)/m;

describeEachEngine('worker and member list query plans', (ctx) => {
  type Filter = { scope: readonly string[] | 'all'; q?: string };
  // The page the list route runs, compiled rather than executed.
  const pageOf = async (table: 'workers' | 'members', f: Filter) =>
    table === 'workers'
      ? listPage((await workersMatching(ctx.db, { ...page, ...f })).map((w) => w.select(['id', 'name'])), 51).compile()
      : listPage((await membersMatching(ctx.db, { ...page, ...f })).map((w) => w.select(['id', 'name'])), 51).compile();

  for (const table of ['workers', 'members'] as const) {
    it(`${table}: a page over everyone walks the pinyin index without sorting`, async () => {
      const plan = await planOf(ctx.db, ctx.engine, await pageOf(table, { scope: 'all' }));
      expect(plan).toMatch(new RegExp(`${table}_sort`));
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key/);
      expect(plan).not.toMatch(fullScan);
    });

    it(`${table}: a subtree page reads the path range`, async () => {
      const world = await buildTwoProvinces(ctx.db);
      const plan = await planOf(ctx.db, ctx.engine, await pageOf(table, { scope: [world.sichuan.path] }));
      expect(plan).toMatch(new RegExp(`${table}_(scope_sort|sort)`));
      expect(plan).not.toMatch(fullScan);
    });

    // Issue 6: a search page walks one gram of `<table>_grams` in (sort key, id) order and stops at the
    // limit, whatever the number of matches: no sort over all matches, the person read by its key. The key
    // is (gram, top-level unit, sort key, person) on SQLite (migration 2026-12-06T0900-search-gram-root-key):
    // a search over several top-level committees is one walk per committee, merged (a compound SELECT that
    // SQLite merges term by term); PostgreSQL walks its (gram, sort key, person) key instead.
    const walk = (engine: string) =>
      engine === 'sqlite'
        ? /^MERGE \(UNION ALL\)\nLEFT(\n.*)*\nSEARCH g USING PRIMARY KEY \(gram=\? AND root=\?/m
        : new RegExp(`Index (Only )?Scan using ${table}_grams_walk on ${table}_grams g`);
    // A scope under one top-level committee walks that committee's rows only: the key itself on SQLite, the
    // root walk (gram, top-level unit, sort key, person) on PostgreSQL.
    const rootWalk = (engine: string) =>
      engine === 'sqlite'
        ? /^SEARCH g USING PRIMARY KEY \(gram=\? AND root=\?/m
        : new RegExp(`Index Only Scan using ${table}_grams_root_walk on ${table}_grams g[^\\n]*\\n\\s+Index Cond: \\(\\(gram = [^\\n]+ AND \\(root = `);
    const personByKey = (engine: string) => (engine === 'sqlite' ? new RegExp(`SEARCH ${table} USING INTEGER PRIMARY KEY`) : new RegExp(`Index Scan using (${table}_pkey|${table}_sort) on ${table}`));

    it(`${table}: a two-character name fragment walks the gram key in list order, without sorting the matches`, async () => {
      // Two top-level committees (and people placed in none): a search over everything walks each.
      await buildTwoProvinces(ctx.db);
      const plan = await planOf(ctx.db, ctx.engine, await pageOf(table, { scope: 'all', q: '雪梅' }), ['sort', 'bitmapscan']);
      expect(plan).toMatch(walk(ctx.engine));
      expect(plan).toMatch(personByKey(ctx.engine));
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key/);
      expect(plan).not.toMatch(fullScan);
    });

    it(`${table}: a subtree's search, a later page and a longer fragment walk a gram key in order; the other grams are key look-ups`, async () => {
      const world = await buildTwoProvinces(ctx.db);
      const later = { after: { nameSort: 'xue3 mei2\u0001雪梅', id: 7 } };
      const cases = [
        { scope: [world.sichuan.path], q: '雪梅', key: rootWalk },
        { scope: 'all' as const, q: '王雪梅', ...later, key: walk },
        { scope: [world.sichuan.path], q: '王雪梅', ...later, key: rootWalk },
      ];
      for (const { key, ...f } of cases) {
        const compiled =
          table === 'workers' ? listPage((await workersMatching(ctx.db, { ...page, ...f })).map((w) => w.select(['id', 'name'])), 51) : listPage((await membersMatching(ctx.db, { ...page, ...f })).map((w) => w.select(['id', 'name'])), 51);
        const plan = await planOf(ctx.db, ctx.engine, compiled, ['sort', 'bitmapscan']);
        expect(plan).toMatch(key(ctx.engine));
        expect(plan).not.toMatch(/TEMP B-TREE|Sort Key/);
        expect(plan).not.toMatch(fullScan);
        if (f.q.length < 3) continue;
        // The later page seeks to the cursor in the key; the second gram is one look-up by its whole key.
        if (ctx.engine === 'sqlite') expect(plan).toMatch(/SEARCH g USING PRIMARY KEY \(gram=\? AND root=\? AND \(sort_key,person_id\)>\(\?,\?\)\)/);
        expect(plan).toMatch(ctx.engine === 'sqlite' ? /SEARCH o (EXISTS )?USING (PRIMARY KEY|COVERING INDEX \w+_grams_person) \((\w+=\? AND ){2,}\w+=\?\)/ : /Index (Only )?Scan using \w+_grams_(walk|root_walk|person) on \w+_grams o/);
      }
    });

    // The gram rows carry the person's unit path (migration T1525-search-gram-scope): a scoped page tests the
    // scope on the walked row and looks up only the people inside it, so a branch's page passes over the rest
    // of its committee's rows inside the key, however small the branch; no count or second start. The rows
    // of other top-level committees are not walked at all (root walk, migration T1910).
    it(`${table}: a subtree's search walks its top-level committee's rows and tests the scope on them, before looking the person up`, async () => {
      const world = await buildTwoProvinces(ctx.db);
      const query = await pageOf(table, { scope: [world.branchA.path], q: '雪梅' });
      if (ctx.engine === 'postgres') {
        const plan = await planOf(ctx.db, ctx.engine, query, ['sort', 'bitmapscan']);
        expect(plan).toMatch(rootWalk(ctx.engine));
        expect(plan).toMatch(new RegExp(`Index Only Scan using ${table}_grams_root_walk on ${table}_grams g[^\\n]*\\n\\s+Index Cond: [^\\n]+\\n\\s+Filter: \\(\\(?unit_path >= `));
        expect(plan).not.toMatch(/Sort Key/);
        return;
      }
      // SQLite's plan names the loops only; its program shows where each condition is tested. Cursors are
      // known by the root page they open; in the key's row unit_path is the fifth column (gram, top-level
      // unit, sort key, person, path).
      const { rows } = await ctx.db.executeQuery<{ opcode: string; p1: number; p2: number }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
      const roots = await ctx.db.executeQuery<{ name: string; rootpage: number }>(CompiledQuery.raw(`select name, rootpage from sqlite_schema where name in ('${table}', '${table}_grams')`));
      const cursorOf = (name: string) => rows.find((r) => r.opcode === 'OpenRead' && r.p2 === roots.rows.find((t) => t.name === name)!.rootpage)!.p1;
      const grams = cursorOf(`${table}_grams`);
      const person = cursorOf(table);
      const lookUp = rows.findIndex((r) => r.opcode === 'SeekRowid' && r.p1 === person);
      const pathTest = rows.findIndex((r) => r.opcode === 'Column' && r.p1 === grams && r.p2 === 4);
      expect(lookUp).toBeGreaterThan(0);
      expect(pathTest).toBeGreaterThan(0);
      expect(pathTest).toBeLessThan(lookUp);
      const plan = await planOf(ctx.db, ctx.engine, query);
      expect(plan).toMatch(rootWalk(ctx.engine));
      expect(plan).not.toMatch(/TEMP B-TREE/);
    });

    // Grants under two top-level committees have no one committee to walk: on SQLite each committee's walk,
    // merged; on PostgreSQL the country-wide key, in order.
    it(`${table}: grants in two top-level committees walk the gram key in order`, async () => {
      const world = await buildTwoProvinces(ctx.db);
      const plan = await planOf(ctx.db, ctx.engine, await pageOf(table, { scope: [world.branchA.path, world.shenzhen.path], q: '雪梅' }), ['sort', 'bitmapscan']);
      expect(plan).toMatch(walk(ctx.engine));
      expect(plan).not.toMatch(new RegExp(`${table}_grams_root_walk`));
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key/);
    });
  }
});
