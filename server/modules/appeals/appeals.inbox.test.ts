import type { Insertable } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { Random } from '../../db/seed/random.js';
import type { AppealsTable } from '../../db/tables-appeals.js';
import type { OrgUnit } from '../../db/tables.js';
import { describeEachEngine } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { moveSubtree } from '../org/org.queries.js';
import { everyPageQuery, type InboxFilter, listAppeals, unitPageQuery } from './appeals.inbox.js';
import { figureRowsQuery, reachOf, syncAppealReach } from './appeals.reach.js';
import { appealCategories } from './appeals.schema.js';
import { closedStatuses } from './appeals.rules.js';

// The inbox walks each unit's reach rows in deadline order (issue 6). These tests hold it to the
// brute-force answer — every appeal held or started in the subtree, sorted in JavaScript — on a few
// hundred appeals with shared deadlines and no deadline at all, page by page, and keep its plan an
// ordered index walk on both engines.
const NOW = '2026-11-25T02:00:00.000Z';
type Row = { id: number; unitPath: string; originUnitPath: string; dueAt: string | null; status: string; category: string };

describeEachEngine('appeals inbox: the page walk', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let rows: Row[] = [];

  const inSubtree = (path: string, root: string) => path.startsWith(root);
  const bruteForce = (scope: readonly string[], keep: (r: Row) => boolean = () => true) =>
    rows
      .filter((r) => scope.some((root) => inSubtree(r.unitPath, root) || inSubtree(r.originUnitPath, root)))
      .filter(keep)
      .sort((x, y) => Number(x.dueAt === null) - Number(y.dueAt === null) || (x.dueAt ?? '').localeCompare(y.dueAt ?? '') || x.id - y.id)
      .map((r) => r.id);

  // Every page in turn, the way the route builds its cursor from the last row of a page.
  async function walk(scope: InboxFilter['scope'], limit: number, extra: Partial<InboxFilter> = {}): Promise<number[]> {
    const ids: number[] = [];
    let after: InboxFilter['after'] = null;
    for (let pages = 0; pages < 500; pages++) {
      const page = await listAppeals(ctx.db, { scope, now: NOW, after, limit, ...extra });
      ids.push(...page.slice(0, limit).map((r) => r.id));
      if (page.length <= limit) return ids;
      const last = page[limit - 1]!;
      after = { hasNoDue: Number(last.hasNoDue), dueAt: last.dueAt, id: last.id };
    }
    throw new Error('the walk did not end');
  }

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    const units: OrgUnit[] = [world.branchA, world.branchB, world.groupA, world.committee, world.chengdu, world.shenzhen, world.guangdong];
    const rng = new Random(6, 'inbox-walk');
    // Few distinct deadlines, so many appeals share one and the id decides; a third have none.
    const deadlines = Array.from({ length: 12 }, (_, i) => new Date(Date.parse(NOW) + (i - 4) * 3_600_000).toISOString());
    const statuses = ['submitted', 'acknowledged', 'in_progress', 'resolved', 'confirmed', 'waiting_on_worker'] as const;
    for (let i = 0; i < 300; i++) {
      const origin = units[rng.int(0, units.length - 1)]!;
      // Most are still held where they started; some went up to an ancestor or over to another unit.
      const holder = rng.next() < 0.7 ? origin : units[rng.int(0, units.length - 1)]!;
      const dueAt = rng.next() < 0.33 ? null : deadlines[rng.int(0, deadlines.length - 1)]!;
      const status = statuses[rng.int(0, statuses.length - 1)]!;
      const category = appealCategories[rng.int(0, 2)]!;
      const values: Insertable<AppealsTable> = {
        category,
        description: `收件箱测试 ${i}`,
        platformId: world.platform.id,
        cityCode: '510100',
        contactPreference: 'in_app',
        anonymous: 0,
        channel: 'app',
        status,
        level: 'branch',
        unitId: holder.id,
        unitPath: holder.path,
        originUnitId: origin.id,
        originUnitPath: origin.path,
        receivedAt: NOW,
        dueAt,
        createdAt: NOW,
        updatedAt: NOW,
      };
      const { id } = await ctx.db.insertInto('appeals').values(values).returning('id').executeTakeFirstOrThrow();
      await syncAppealReach(ctx.db, { id, unitPath: holder.path, originUnitPath: origin.path, dueAt, createdAt: NOW }, { isNew: true });
      rows.push({ id, unitPath: holder.path, originUnitPath: origin.path, dueAt, status, category });
    }
    // Later changes move some deadlines, stop some clocks and pass some appeals on, as handling does.
    for (const row of rows.filter((_, i) => i % 5 === 0)) {
      const holder = units[rng.int(0, units.length - 1)]!;
      const dueAt = rng.next() < 0.5 ? null : deadlines[rng.int(0, deadlines.length - 1)]!;
      await ctx.db.updateTable('appeals').set({ unitId: holder.id, unitPath: holder.path, dueAt }).where('id', '=', row.id).execute();
      await syncAppealReach(ctx.db, { id: row.id, unitPath: holder.path, originUnitPath: row.originUnitPath, dueAt, createdAt: NOW });
      Object.assign(row, { unitPath: holder.path, dueAt });
    }
  });

  it('pages through each subtree exactly as the brute-force order, held or started there', async () => {
    for (const unit of [world.sichuan, world.chengdu, world.committee, world.branchA, world.groupA, world.guangdong]) {
      const expected = bruteForce([unit.path]);
      expect(expected.length).toBeGreaterThan(0);
      expect(await walk([unit.path], 7)).toEqual(expected);
      expect((await listAppeals(ctx.db, { scope: [unit.path], now: NOW, after: null, limit: 50 })).slice(0, 50).map((r) => r.id)).toEqual(expected.slice(0, 50));
    }
  });

  it('merges several subtrees without repeating an appeal seen from two of them', async () => {
    const scope = [world.branchA.path, world.branchB.path, world.shenzhen.path];
    expect(await walk(scope, 9)).toEqual(bruteForce(scope));
    const nested = [world.committee.path, world.branchA.path];
    expect(await walk(nested, 11)).toEqual(bruteForce(nested));
  });

  it('keeps the filters: open or closed, overdue or not, one category', async () => {
    const scope = [world.sichuan.path];
    const closed = new Set<string>(closedStatuses);
    expect(await walk(scope, 8, { status: 'open' })).toEqual(bruteForce(scope, (r) => !closed.has(r.status)));
    expect(await walk(scope, 8, { status: 'closed' })).toEqual(bruteForce(scope, (r) => closed.has(r.status)));
    expect(await walk(scope, 8, { overdue: true })).toEqual(bruteForce(scope, (r) => r.dueAt !== null && r.dueAt < NOW));
    expect(await walk(scope, 8, { overdue: false })).toEqual(bruteForce(scope, (r) => r.dueAt === null || r.dueAt >= NOW));
    expect(await walk(scope, 8, { category: appealCategories[1] })).toEqual(bruteForce(scope, (r) => r.category === appealCategories[1]));
  });

  it('pages a system administrator\'s whole inbox in the same order, filters kept', async () => {
    const everyAppeal = await ctx.db.selectFrom('appeals').select(['id', 'dueAt', 'status']).execute();
    const ordered = (keep: (r: (typeof everyAppeal)[number]) => boolean) =>
      everyAppeal
        .filter(keep)
        .sort((x, y) => Number(x.dueAt === null) - Number(y.dueAt === null) || (x.dueAt ?? '').localeCompare(y.dueAt ?? '') || x.id - y.id)
        .map((r) => r.id);
    const closed = new Set<string>(closedStatuses);
    expect(await walk('all', 17)).toEqual(ordered(() => true));
    expect(await walk('all', 9, { status: 'closed' })).toEqual(ordered((r) => closed.has(r.status)));
    expect(await walk('all', 9, { overdue: true })).toEqual(ordered((r) => r.dueAt !== null && r.dueAt < NOW));
    expect(await walk('all', 9, { overdue: false })).toEqual(ordered((r) => r.dueAt === null || r.dueAt >= NOW));
  });

  it('follows an org move: the moved appeals leave the old ancestors and reach the new ones', async () => {
    const movedBefore = bruteForce([world.committee.path]);
    await ctx.db.transaction().execute((trx) => moveSubtree(trx, world.committee, world.shenzhen, new Date(NOW)));
    const newPrefix = `${world.shenzhen.path}${world.committee.id}/`;
    const repath = (p: string) => (p.startsWith(world.committee.path) ? newPrefix + p.slice(world.committee.path.length) : p);
    rows = rows.map((r) => ({ ...r, unitPath: repath(r.unitPath), originUnitPath: repath(r.originUnitPath) }));
    expect(await walk([world.guangdong.path], 13)).toEqual(bruteForce([world.guangdong.path]));
    expect(await walk([world.chengdu.path], 13)).toEqual(bruteForce([world.chengdu.path]));
    expect(await walk([newPrefix], 13)).toEqual(movedBefore);
    // Every reach row is what the appeal's paths say, no more and no fewer.
    const reach = await ctx.db.selectFrom('appealReach').select(['appealId', 'unitId']).orderBy('appealId').orderBy('unitId').execute();
    const expected = rows.flatMap((r) => reachOf(r.unitPath, r.originUnitPath).map((unitId) => ({ appealId: r.id, unitId })));
    expected.sort((x, y) => x.appealId - y.appealId || x.unitId - y.unitId);
    expect(reach).toEqual(expected);
  });

  // On a bench world with real statistics both engines choose this walk on their own (bench/README.md).
  it('reads one page as an ordered walk of the reach index, never sorting the subtree', async () => {
    const filter: InboxFilter = { scope: [world.sichuan.path], now: NOW, after: { hasNoDue: 0, dueAt: NOW, id: 5 }, limit: 50 };
    for (const part of ['due', 'none'] as const) {
      const plan = await planOf(ctx.db, ctx.engine, unitPageQuery(ctx.db, world.sichuan.id, filter, part, 51), ['sort', 'bitmapscan']);
      expect(plan).toMatch(/appeal_reach_inbox/);
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key|Seq Scan on appeals|SCAN a\b/);
    }
  });

  it('reads a system administrator\'s page as an ordered walk of the deadline index, never sorting every appeal', async () => {
    const filter: InboxFilter = { scope: 'all', now: NOW, after: { hasNoDue: 0, dueAt: NOW, id: 5 }, limit: 50 };
    for (const part of ['due', 'none'] as const) {
      const plan = await planOf(ctx.db, ctx.engine, everyPageQuery(ctx.db, filter, part, 51), ['sort', 'bitmapscan']);
      expect(plan).toMatch(/appeals_due/);
      expect(plan).not.toMatch(/TEMP B-TREE|Sort Key|Seq Scan on appeals|SCAN a\b/);
    }
  });

  it('reads a unit\'s figures through its reach rows, not from every appeal of the window (plan: SQLite)', async () => {
    const query = figureRowsQuery(ctx.db, [world.sichuan.path], '2026-09-01T00:00:00.000Z', NOW);
    // SQLite drives from the reach rows. PostgreSQL chooses between the reach rows and the window's index by
    // statistics (on the 10k bench world: a hash join over the province's reach rows; on these few unanalyzed
    // rows it guesses one row in the window), so only SQLite's plan is held here; both answer the same rows.
    if (ctx.engine === 'sqlite') {
      const plan = await planOf(ctx.db, ctx.engine, query);
      expect(plan).toMatch(/appeal_reach_inbox \(unit_id=\?\)/);
      expect(plan).not.toMatch(/appeals_created/);
    }
    const expected = rows.filter((r) => r.unitPath.startsWith(world.sichuan.path) || r.originUnitPath.startsWith(world.sichuan.path)).length;
    expect((await query.execute()).length).toBe(expected);
  });
});
