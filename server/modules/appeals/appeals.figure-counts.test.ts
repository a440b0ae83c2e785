import { beforeAll, expect, it } from 'vitest';
import { Random } from '../../db/seed/random.js';
import type { OrgUnit } from '../../db/tables.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { buildUnit } from '../org/org.factory.js';
import { findUnit, moveSubtree } from '../org/org.queries.js';
import { type AppealWorld, buildAppealWorld } from './appeals.factory.js';
import { ALL_UNITS, openOverdueQuery, partRowsQuery, rebuildAppealFigures, unitAppealFigures } from './appeals.figure-counts.js';
import { appealFigures } from './appeals.figures.rules.js';
import { figureRowsQuery } from './appeals.reach.js';
import { autoConfirm, escalateBreaches } from './appeals.scheduler.js';
import { appealCategories } from './appeals.schema.js';
import { closedStatuses } from './appeals.rules.js';

const HOUR = 3_600_000;
const SEED = Number(process.env.FIGURES_SEED ?? 20261205);

// The oracle: every appeal of the window read and aggregated in JavaScript, as the figures were computed
// before the counts (appeals.figures.rules.ts); volume sorted, as the counts give it.
async function bruteForce(ctx: { db: Parameters<typeof figureRowsQuery>[0] }, scope: string[] | 'all', window: { from: string; to: string; now: string }) {
  const rows = await figureRowsQuery(ctx.db, scope, window.from, window.to).execute();
  const figures = appealFigures(rows, { ...window, closed: closedStatuses });
  return { ...figures, volume: [...figures.volume].sort((a, b) => a.week.localeCompare(b.week) || a.category.localeCompare(b.category)) };
}

describeEachEngine('appeals: figures from counts kept on every change', (ctx) => {
  let w: AppealWorld;
  let admin: Session;
  let shenzhenBranch: OrgUnit;
  const rng = new Random(SEED, 'figure-counts');
  const appeals: number[] = [];
  const driverAppeals: number[] = [];
  let log: string[] = [];

  const call = (session: Session, method: 'GET' | 'POST', url: string, payload?: object) => ctx.app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
  const pick = <T>(items: readonly T[]) => items[rng.int(0, items.length - 1)]!;
  const units = async () => Promise.all([w.sichuan, w.chengdu, w.committee, w.branchA, w.branchB, w.groupA, w.guangdong, w.shenzhen, shenzhenBranch].map(async (u) => (await findUnit(ctx.db, u.id))!));

  async function compareEverywhere(label: string) {
    const now = ctx.clock.now().toISOString();
    const windows = [
      { from: new Date(Date.parse(now) - 12 * 7 * 24 * HOUR).toISOString(), to: now, now },
      // Arbitrary instants: part-days at both ends, a window within one day, one ending at a China midnight.
      { from: '2026-11-20T07:13:00.000Z', to: new Date(Date.parse(now) - 5 * HOUR).toISOString(), now },
      { from: '2026-11-25T03:00:00.000Z', to: '2026-11-25T09:30:00.000Z', now },
      { from: '2026-11-24T16:00:00.000Z', to: '2026-11-27T16:00:00.000Z', now },
    ];
    for (const unit of [...(await units()), null]) {
      for (const window of windows) {
        const expected = await bruteForce(ctx, unit ? [unit.path] : 'all', window);
        const actual = await unitAppealFigures(ctx.db, unit ?? ALL_UNITS, window);
        expect(actual, `${label}: ${unit?.name ?? 'all'} ${window.from}..${window.to} (seed ${SEED}; ${log.slice(-8).join('; ')})`).toEqual(expected);
      }
    }
  }

  // The top-level committees' figures are kept per process under their change counters
  // (appeals.figure-cache.ts): read after every step, they must follow each write at once.
  async function compareCommittees(label: string) {
    const now = ctx.clock.now().toISOString();
    const windows = [
      { from: new Date(Date.parse(now) - 12 * 7 * 24 * HOUR).toISOString(), to: now, now },
      { from: new Date(Date.parse(now) - 3 * 24 * HOUR - 1_234_567).toISOString(), to: new Date(Date.parse(now) + 2 * HOUR).toISOString(), now },
    ];
    for (const unit of [w.sichuan, w.guangdong]) {
      for (const window of windows) {
        const expected = await bruteForce(ctx, [unit.path], window);
        expect(await unitAppealFigures(ctx.db, unit, window), `${label}: ${unit.name} ${window.from}..${window.to} (seed ${SEED}; ${log.slice(-4).join('; ')})`).toEqual(expected);
      }
    }
  }

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    shenzhenBranch = await buildUnit(ctx.db, { parent: w.shenzhen, kind: 'mobile_branch', name: '速达出行深圳第一流动党员党支部', platformId: w.platform.id, cityCode: '440300' });
    await ctx.createUser({ username: 'admin', password: 'correct-horse-battery', displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    admin = await ctx.login('admin', 'correct-horse-battery');
  });

  async function file() {
    const category = pick(appealCategories);
    const byDriver = driverAppeals.length < 20 && rng.chance(0.5);
    const response = byDriver
      ? await call(w.sessions.driver, 'POST', '/api/v1/appeals', { category, description: `随机诉求：${category}`, anonymous: false })
      : await call(admin, 'POST', '/api/v1/appeals', { category, description: `来电记录：${category}`, anonymous: false, contactName: '来电人', platformId: w.platform.id, cityCode: '510100', unitId: pick([w.branchA, w.branchB, w.committee, shenzhenBranch]).id });
    expect(response.statusCode, response.body).toBe(201);
    appeals.push(response.json().id);
    if (byDriver) driverAppeals.push(response.json().id);
    log.push(`file #${response.json().id}`);
  }

  async function handle() {
    const id = pick(appeals);
    const action = rng.int(0, 9);
    if (action < 6) {
      const to = pick(['acknowledged', 'acknowledged', 'in_progress', 'resolved', 'partly_resolved', 'rejected', 'referred', 'merged'] as const);
      await call(admin, 'POST', `/api/v1/appeals/${id}/transitions`, { to, reason: '处理说明', ...(to === 'referred' ? { referredTo: '交通运输局' } : {}), ...(to === 'merged' ? { mergedIntoId: pick(appeals) } : {}) });
      log.push(`${to} #${id}`);
    } else if (action < 8) {
      const rating = rng.int(1, 5);
      const own = driverAppeals.length > 0 ? pick(driverAppeals) : id;
      const confirm = rng.chance(0.7);
      await call(w.sessions.driver, 'POST', `/api/v1/me/appeals/${own}/feedback`, confirm ? { action: 'confirm', rating } : { action: 'reopen', comment: '还没有解决' });
      log.push(`${confirm ? `rate ${rating}` : 'reopen'} #${own}`);
    } else if (action === 8) {
      await call(admin, 'POST', `/api/v1/appeals/${id}/escalate`, { reason: '需要上级协调' });
      log.push(`escalate #${id}`);
    } else {
      const target = pick([w.branchA, w.branchB, w.committee, shenzhenBranch]);
      await call(admin, 'POST', `/api/v1/appeals/${id}/transfer`, { unitId: target.id, reason: '转办' });
      log.push(`transfer #${id} to ${target.id}`);
    }
  }

  async function moveSomeSubtree() {
    const [branchB, committee, shenzhen, chengdu, guangdong] = await Promise.all([w.branchB, w.committee, w.shenzhen, w.chengdu, w.guangdong].map(async (u) => (await findUnit(ctx.db, u.id))!));
    const [unit, parent] = rng.chance(0.5) ? [branchB!, branchB!.path.startsWith(committee!.path) ? shenzhen! : committee!] : [committee!, committee!.path.startsWith(chengdu!.path) ? guangdong! : chengdu!];
    await ctx.db.transaction().execute((trx) => moveSubtree(trx, unit, parent, ctx.clock.now()));
    log.push(`move ${unit.name} under ${parent.name}`);
  }

  async function passTime() {
    ctx.clock.advance(rng.int(1, 40 * 10) * HOUR / 10 + rng.int(0, 59_999));
    await escalateBreaches(ctx.db, ctx.clock.now());
    await autoConfirm(ctx.db, ctx.clock.now());
    // Sessions expire when hours pass: the two accounts this test uses log in again.
    w.sessions.driver = await ctx.login('driver', 'correct-horse-battery');
    admin = await ctx.login('admin', 'correct-horse-battery');
    log.push(`now ${ctx.clock.now().toISOString()}`);
  }

  it('gives the figures the brute-force reading gives, after random filings, handling, ratings, merges, moves and the scheduler', async () => {
    log = [];
    for (let i = 0; i < 8; i++) await file();
    for (let step = 0; step < 70; step++) {
      const roll = rng.next();
      if (roll < 0.3 && appeals.length < 40) await file();
      else if (roll < 0.75) await handle();
      else if (roll < 0.85) await moveSomeSubtree();
      else await passTime();
      await compareCommittees(`step ${step}`);
      if (step % 35 === 34) await compareEverywhere(`step ${step}`);
    }
    await compareEverywhere('end');
  }, 600_000);

  it('holds the same day counts, block rows and figures_counted as a rebuild from the appeals', async () => {
    const snapshot = async () =>
      (await ctx.db.selectFrom('appealFigureCounts').selectAll().where('n', '!=', 0).orderBy(['unitId', 'day', 'category', 'measure', 'value']).execute()).map((r) => ({ ...r, n: Number(r.n) }));
    const blocks = async () =>
      (await ctx.db.selectFrom('appealFigureBlocks').selectAll().where('n', '!=', 0).where('span', '<>', 0).orderBy(['unitId', 'measure', 'span', 'block', 'category', 'value']).execute()).map((r) => ({ ...r, n: Number(r.n) }));
    const counters = async () => new Map((await ctx.db.selectFrom('appealFigureBlocks').select(['unitId', 'category', 'n']).where('span', '=', 0).execute()).map((r) => [`${r.unitId}|${r.category}`, Number(r.n)]));
    const counted = async () => ctx.db.selectFrom('appeals').select(['id', 'figuresCounted']).orderBy('id').execute();
    const kept = await snapshot();
    const keptBlocks = await blocks();
    const keptCounted = await counted();
    const keptCounters = await counters();
    expect(kept.length).toBeGreaterThan(0);
    expect(keptBlocks.length).toBeGreaterThan(0);
    expect(keptCounters.size).toBeGreaterThan(0);
    await rebuildAppealFigures(ctx.db);
    expect(await snapshot()).toEqual(kept);
    expect(await blocks()).toEqual(keptBlocks);
    expect(await counted()).toEqual(keptCounted);
    // A rebuild is a change to every committee's blocks: each counter moves on (so no process keeps figures from before it).
    const rebuiltCounters = await counters();
    for (const [key, n] of keptCounters) expect(rebuiltCounters.get(key), key).toBe(n + 1);
    await compareEverywhere('after rebuild');
  });

  it('reads a unit’s counts by its primary key, and the part-days and overdue appeals by index', async () => {
    const window = { from: '2026-11-25T03:00:00.000Z', to: '2026-11-25T09:30:00.000Z', now: ctx.clock.now().toISOString() };
    const days = ctx.db.selectFrom('appealFigureCounts').select('n').where('unitId', '=', w.sichuan.id).where('day', '>=', '2026-09-01').where('day', '<=', '2026-11-30');
    const counts = await planOf(ctx.db, ctx.engine, days);
    const part = await planOf(ctx.db, ctx.engine, partRowsQuery(ctx.db, w.sichuan.id, { ...window, toInclusive: true }));
    const overdue = await planOf(ctx.db, ctx.engine, openOverdueQuery(ctx.db, w.sichuan.id, window));
    if (ctx.engine === 'sqlite') {
      expect(counts).toMatch(/SEARCH appeal_figure_counts USING PRIMARY KEY \(unit_id=\? AND day>\? AND day<\?\)/);
      expect(part).toMatch(/SEARCH a USING INDEX \S*created\S* \(created_at>\? AND created_at<\?\)/);
      expect(part).not.toMatch(/SCAN/);
      // The reach index alone: no appeal is looked up.
      expect(overdue).toMatch(/SEARCH r USING COVERING INDEX appeal_reach_inbox \(unit_id=\? AND due_at<\?\)/);
      expect(overdue).not.toMatch(/appeals|SEARCH a /);
    } else {
      expect(counts).toMatch(/Index Cond: \(\(unit_id = \d+\) AND \(day >= /);
      expect(counts).toMatch(/Scan (using|on) appeal_figure_counts_pk/);
      expect(`${counts}\n${part}\n${overdue}`).not.toMatch(/Seq Scan/);
      expect(overdue).not.toMatch(/appeals/);
    }
  });
});
