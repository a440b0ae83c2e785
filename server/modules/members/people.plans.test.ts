import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { workersMatching } from '../workers/workers.queries.js';
import { membersMatching } from './members.queries.js';

// The worker and member lists must stay index-backed at a million rows (issue 3): a page over everyone
// reads the pinyin index in order, a subtree page reads its path range, and a two-character search goes
// through the n-gram index (FTS5 on SQLite, GIN on PostgreSQL); never a scan of the whole table.
const page = { after: null };
const fullScan = /^SCAN (workers|members)$|Seq Scan on (workers|members)/m;

describeEachEngine('worker and member list query plans', (ctx) => {
  type Filter = { scope: readonly string[] | 'all'; q?: string };
  // The page the list route runs, compiled rather than executed.
  const pageOf = (table: 'workers' | 'members', f: Filter) =>
    table === 'workers'
      ? workersMatching(ctx.db, { ...page, ...f }).select(['id', 'name']).limit(51).compile()
      : membersMatching(ctx.db, { ...page, ...f }).select(['id', 'name']).limit(51).compile();

  for (const table of ['workers', 'members'] as const) {
    it(`${table}: a page over everyone walks the pinyin index without sorting`, async () => {
      const plan = await planOf(ctx.db, ctx.engine, pageOf(table, { scope: 'all' }));
      expect(plan).toMatch(new RegExp(`${table}_sort`));
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key/);
      expect(plan).not.toMatch(fullScan);
    });

    it(`${table}: a subtree page reads the path range`, async () => {
      const world = await buildTwoProvinces(ctx.db);
      const plan = await planOf(ctx.db, ctx.engine, pageOf(table, { scope: [world.sichuan.path] }));
      expect(plan).toMatch(new RegExp(`${table}_(scope_sort|sort)`));
      expect(plan).not.toMatch(fullScan);
    });

    it(`${table}: a two-character name fragment is found through the n-gram index`, async () => {
      const plan = await planOf(ctx.db, ctx.engine, pageOf(table, { scope: 'all', q: '雪梅' }));
      expect(plan).toMatch(ctx.engine === 'sqlite' ? new RegExp(`${table}_fts VIRTUAL TABLE INDEX`) : new RegExp(`Bitmap Index Scan on ${table}_search`));
      expect(plan).not.toMatch(fullScan);
    });
  }
});
