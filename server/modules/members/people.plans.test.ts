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
  const lists = [
    { table: 'workers', matching: workersMatching },
    { table: 'members', matching: membersMatching },
  ] as const;

  for (const { table, matching } of lists) {
    it(`${table}: a page over everyone walks the pinyin index without sorting`, async () => {
      const plan = await planOf(ctx.db, ctx.engine, matching(ctx.db, { ...page, scope: 'all' }).select(['id', 'name']).limit(51));
      expect(plan).toMatch(new RegExp(`${table}_sort`));
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key/);
      expect(plan).not.toMatch(fullScan);
    });

    it(`${table}: a subtree page reads the path range`, async () => {
      const world = await buildTwoProvinces(ctx.db);
      const plan = await planOf(ctx.db, ctx.engine, matching(ctx.db, { ...page, scope: [world.sichuan.path] }).select(['id', 'name']).limit(51));
      expect(plan).toMatch(new RegExp(`${table}_(scope_sort|sort)`));
      expect(plan).not.toMatch(fullScan);
    });

    it(`${table}: a two-character name fragment is found through the n-gram index`, async () => {
      const plan = await planOf(ctx.db, ctx.engine, matching(ctx.db, { ...page, scope: 'all', q: '雪梅' }).select(['id', 'name']).limit(51));
      expect(plan).toMatch(ctx.engine === 'sqlite' ? new RegExp(`${table}_fts VIRTUAL TABLE INDEX`) : new RegExp(`Bitmap Index Scan on ${table}_search`));
      expect(plan).not.toMatch(fullScan);
    });
  }
});
