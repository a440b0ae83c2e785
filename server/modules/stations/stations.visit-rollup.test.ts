import type { Kysely } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { nameSortKey } from '../../core/name-sort.js';
import { sensitiveCodec } from '../../core/sensitive.js';
import type { Database, OrgUnit } from '../../db/tables.js';
import { describeEachEngine } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { buildTwoProvinces, buildUnit } from '../org/org.factory.js';
import { findUnit, moveSubtree } from '../org/org.queries.js';
import { insertStationRow } from './stations.factory.js';
import { visitCells, workersPerMonth } from './stations.queries.js';
import { monthOf } from './stations.rules.js';
import { cellRowsQuery, insertVisit, monthRowsQuery, rebuildAllVisitRollup, visitSummaryRows } from './stations.visit-rollup.js';
import { monthPlus, type RankCursor, rankedStationsQuery, tiedStationsQuery, type VisitWindow, windowStationsQuery } from './stations.visit-ranks.js';
import { visitSummary } from './stations.visit-summary.js';

const codec = sensitiveCodec('x'.repeat(40));
const MONTHS = ['2026-10', '2026-11', '2026-12'];
const DAYS = ['2026-10-30', '2026-11-02', '2026-11-02', '2026-11-20', '2026-12-01', '2026-12-01', '2026-12-15'];

/** A small deterministic generator (mulberry32): the same sequence of writes on both engines. */
function randomFrom(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!, chance: (p: number) => next() < p };
}

async function insertWorker(db: Kysely<Database>, unit: OrgUnit, platformId: number, n: number): Promise<number> {
  const phone = `137${String(n).padStart(8, '0')}`;
  const name = `司机${n}`;
  const row = await db
    .insertInto('workers')
    .values({ name, nameSort: nameSortKey(name), phoneEnc: codec.encrypt(phone), phoneHash: codec.hash(phone), phoneTail: phone.slice(-4), unitId: unit.id, unitPath: unit.path, platformId, platformWorkerId: `V${n}`, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', status: 'active', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describeEachEngine('station visit figures: the rollup answers as the visits themselves do', (ctx) => {
  let units: OrgUnit[] = [];
  const stationIds: number[] = [];
  const workerIds: number[] = [];

  beforeAll(async () => {
    const world = await buildTwoProvinces(ctx.db);
    const groupB = await buildUnit(ctx.db, { parent: world.branchB, kind: 'group', name: '第二党小组' });
    units = [world.sichuan, world.chengdu, world.committee, world.branchA, world.branchB, world.groupA, groupB, world.guangdong, world.shenzhen];
    for (const unit of [world.branchA, world.branchA, world.branchB, world.groupA, groupB, world.shenzhen, world.chengdu]) {
      stationIds.push(await insertStationRow(ctx.db, { unitId: unit.id, name: `驿站${stationIds.length + 1}` }));
    }
    stationIds.push(await insertStationRow(ctx.db, { name: '无单位驿站' }));
    for (let n = 0; n < 12; n++) workerIds.push(await insertWorker(ctx.db, units[3 + (n % 4)]!, world.platform.id, n));
  });

  const freshUnits = async () => Promise.all(units.map(async (u) => (await findUnit(ctx.db, u.id))!));

  /** Brute force: the raw visits grouped, as the summary computed them before the rollup. */
  async function fromVisits(roots: readonly string[] | 'all') {
    const scope = roots === 'all' ? { paths: 'all' as const, months: MONTHS } : { paths: roots, months: MONTHS };
    const cells = (await visitCells(ctx.db, scope)).sort((a, b) => a.stationId - b.stationId || (a.unitId ?? 0) - (b.unitId ?? 0) || a.month.localeCompare(b.month));
    return { cells, workers: [...(await workersPerMonth(ctx.db, scope)).entries()].sort() };
  }
  async function fromRollup(roots: readonly string[] | 'all') {
    const { cells, workers } = await visitSummaryRows(ctx.db, roots, MONTHS);
    return { cells, workers: [...workers.entries()].sort() };
  }
  // One month each, this year, and windows ending later that still hold some of the visits (or none).
  const WINDOWS: VisitWindow[] = [...MONTHS.map((lastMonth) => ({ months: 1 as const, lastMonth })), ...['2026-12', '2027-10', '2027-11', '2027-12'].map((lastMonth) => ({ months: 12 as const, lastMonth }))];
  const monthsOf = (w: VisitWindow) => Array.from({ length: w.months }, (_, i) => monthPlus(w.lastMonth, i - w.months + 1));

  /** Brute force: the window's visits summed per station, in the figures' order, with its totals. */
  async function figuresFromVisits(roots: readonly string[] | 'all', window: VisitWindow) {
    const months = monthsOf(window);
    const cells = await visitCells(ctx.db, { paths: roots, months });
    const byStation = new Map<number, number>();
    for (const c of cells) byStation.set(c.stationId, (byStation.get(c.stationId) ?? 0) + c.visits);
    const workers = await workersPerMonth(ctx.db, { paths: roots, months });
    return {
      total: cells.reduce((sum, c) => sum + c.visits, 0),
      stationsVisited: byStation.size,
      byMonth: months.map((month) => ({ month, visits: cells.filter((c) => c.month === month).reduce((sum, c) => sum + c.visits, 0), workers: workers.get(month) ?? 0 })),
      stations: [...byStation].map(([stationId, visits]) => ({ stationId, visits })).sort((a, b) => b.visits - a.visits || a.stationId - b.stationId),
    };
  }
  /** The summary read page by page (two stations a page, so ties are crossed by the cursor). */
  async function figuresFromSummary(roots: readonly string[] | 'all', window: VisitWindow) {
    const months = monthsOf(window);
    const stations: { stationId: number; visits: number }[] = [];
    let after: RankCursor | null = null;
    for (;;) {
      const page = await visitSummary(ctx.db, { roots, months, window, after, limit: 2 });
      stations.push(...page.stations.slice(0, 2).map(({ stationId, visits }) => ({ stationId, visits })));
      expect(page.cells.every((c) => page.stations.slice(0, 2).some((s) => s.stationId === c.stationId))).toBe(true);
      if (page.stations.length <= 2) return { total: page.total, stationsVisited: page.stationsVisited, byMonth: page.byMonth, stations };
      after = page.stations[1]!;
    }
  }
  async function expectSameEverywhere(step: string) {
    const fresh = await freshUnits();
    const scopes: (readonly string[] | 'all')[] = ['all', ...fresh.map((u) => [u.path]), [fresh[3]!.path, fresh[8]!.path], [fresh[1]!.path, fresh[3]!.path]];
    for (const roots of scopes) {
      expect(await fromRollup(roots), `${step}: ${JSON.stringify(roots)}`).toEqual(await fromVisits(roots));
      for (const window of WINDOWS) expect(await figuresFromSummary(roots, window), `${step}: ${JSON.stringify(roots)} ${JSON.stringify(window)}`).toEqual(await figuresFromVisits(roots, window));
    }
  }

  it('keeps person-times, distinct workers and the stations’ order exact through check-ins, station hand-overs and org moves', async () => {
    const random = randomFrom(20261205);
    const taken = new Set<string>();
    let visits = 0;
    let moves = 0;
    for (let step = 0; step < 160; step++) {
      if (random.chance(0.08)) {
        // An org move: any unit but a root, under any unit outside its own subtree.
        const fresh = await freshUnits();
        const unit = random.pick(fresh.filter((u) => u.parentId !== null));
        const parent = random.pick(fresh.filter((u) => !u.path.startsWith(unit.path) && u.id !== unit.parentId));
        await ctx.db.transaction().execute((trx) => moveSubtree(trx, unit, parent, new Date('2026-12-02T00:00:00Z')));
        moves += 1;
      } else if (random.chance(0.05)) {
        // A station handed to another unit: its later visits count there, its earlier ones stay.
        await ctx.db.updateTable('stations').set({ unitId: random.pick(units).id }).where('id', '=', random.pick(stationIds.slice(0, -1))).execute();
      } else {
        const stationId = random.pick(stationIds);
        const workerId = random.pick(workerIds);
        const day = random.pick(DAYS);
        if (taken.has(`${stationId}|${workerId}|${day}`)) continue;
        taken.add(`${stationId}|${workerId}|${day}`);
        const station = await ctx.db.selectFrom('stations').select('unitId').where('id', '=', stationId).executeTakeFirstOrThrow();
        await ctx.db.transaction().execute((trx) => insertVisit(trx, { stationId, workerId, userId: null, unitId: station.unitId, visitedOn: day, month: monthOf(day), visitedAt: `${day}T04:00:00.000Z` }));
        visits += 1;
      }
      if (step % 40 === 39) await expectSameEverywhere(`after step ${step}`);
    }
    expect(visits).toBeGreaterThan(100);
    expect(moves).toBeGreaterThan(3);
    await expectSameEverywhere('at the end');
  });

  it('reads a unit’s own rows through their key, never the visits beneath it', async () => {
    const unit = units[0]!;
    const cells = await planOf(ctx.db, ctx.engine, cellRowsQuery(ctx.db, [unit.id], MONTHS));
    const months = await planOf(ctx.db, ctx.engine, monthRowsQuery(ctx.db, unit.id, MONTHS));
    const window: VisitWindow = { months: 12, lastMonth: '2026-12' };
    const after = { visits: 3, stationId: stationIds[0]! };
    const ranked = await planOf(ctx.db, ctx.engine, rankedStationsQuery(ctx.db, unit.id, window, after.visits, 21), ['sort']);
    const tied = await planOf(ctx.db, ctx.engine, tiedStationsQuery(ctx.db, unit.id, window, after, 21), ['sort']);
    const counted = await planOf(ctx.db, ctx.engine, windowStationsQuery(ctx.db, unit.id, window));
    for (const plan of [cells, months, ranked, tied, counted]) expect(plan).not.toMatch(/station_visits\b/);
    // The page's order comes from the index: no sort of the subtree's stations.
    for (const plan of [ranked, tied]) expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
    if (ctx.engine === 'sqlite') {
      expect(cells).toMatch(/SEARCH c USING INDEX sqlite_autoindex_station_visit_cells_1 \(scope_unit_id=\? AND month=\?\)/);
      expect(months).toMatch(/SEARCH station_visit_months USING INDEX sqlite_autoindex_station_visit_months_1 \(scope_unit_id=\? AND month=\?\)/);
      expect(ranked).toMatch(/SEARCH r USING (COVERING )?INDEX station_visit_ranks_order \(scope_unit_id=\? AND months=\? AND last_month=\? AND visits<\?\)/);
      expect(tied).toMatch(/SEARCH r USING (COVERING )?INDEX station_visit_ranks_order \(scope_unit_id=\? AND months=\? AND last_month=\? AND visits=\? AND station_id>\?\)/);
      expect(counted).toMatch(/SEARCH station_visit_windows USING INDEX sqlite_autoindex_station_visit_windows_1 \(scope_unit_id=\? AND months=\? AND last_month=\?\)/);
    } else {
      expect(cells).toMatch(/Index (Only )?Scan using station_visit_cells_pk|Bitmap Index Scan on station_visit_cells_pk/);
      expect(months).toMatch(/Index (Only )?Scan using station_visit_months_pk|Bitmap Index Scan on station_visit_months_pk/);
      for (const plan of [ranked, tied]) expect(plan).toMatch(/Index (Only )?Scan using station_visit_ranks_order on station_visit_ranks r/);
      expect(counted).toMatch(/Index (Only )?Scan using station_visit_windows_pk|Bitmap Index Scan on station_visit_windows_pk/);
    }
  });

  it('rebuilds, after a bulk load, exactly the rows the check-ins kept', async () => {
    const snapshot = async () => {
      const rollup = ctx.db.withTables<{ stationVisitCells: Record<string, number | string>; stationVisitMonths: Record<string, number | string>; stationVisitRanks: Record<string, number | string>; stationVisitWindows: Record<string, number | string> }>();
      const cells = await rollup.selectFrom('stationVisitCells').selectAll().where('visits', '>', 0).orderBy('scopeUnitId').orderBy('month').orderBy('stationId').orderBy('unitId').execute();
      const months = await rollup.selectFrom('stationVisitMonths').selectAll().where('visits', '>', 0).orderBy('scopeUnitId').orderBy('month').execute();
      const ranks = await rollup.selectFrom('stationVisitRanks').selectAll().orderBy('scopeUnitId').orderBy('months').orderBy('lastMonth').orderBy('stationId').execute();
      const windows = await rollup.selectFrom('stationVisitWindows').selectAll().orderBy('scopeUnitId').orderBy('months').orderBy('lastMonth').execute();
      return { cells, months, ranks, windows };
    };
    const kept = await snapshot();
    expect(kept.cells.length).toBeGreaterThan(20);
    expect(kept.ranks.length).toBeGreaterThan(kept.cells.length);
    await rebuildAllVisitRollup(ctx.db);
    expect(await snapshot()).toEqual(kept);
  });
});
