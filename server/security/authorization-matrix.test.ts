// The authorization matrix, checked over HTTP: every row of authorization-matrix.md, every role, own
// scope and other scope, on a seeded world of two disjoint subtrees, on SQLite and on PostgreSQL. A
// registered route without a row fails, and so does a row whose route is gone.
import { beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { describeEachEngine } from '../test/harness.js';
import { allProbes, type Checker, checkerFor, fingerprint } from './authz-check.js';
import { type MatrixRow, outcomeOf, readMatrix } from './authz-matrix-file.js';
import { buildAuthzWorld, matrixRoles, type Side, type World } from './authz-world.js';
import { registeredRoutes, routeKey } from './route-inventory.js';

const rows = readMatrix();

/** What would betray subtree B in an answer: its people and appeals, and (unless the row is open across subtrees) its units and teams. */
function markersOf(w: World, row: MatrixRow): string[] {
  const personal = ['B王建军', 'B李秀英', 'B：平台抽成上调'];
  if (row.note.startsWith('Open across subtrees')) return personal;
  return [...personal, w.B.root.name, w.B.committee.name, w.B.branch.name, w.B.group.name, 'B爱心车队', 'B安全先锋岗'];
}

describeEachEngine('authorization matrix', (ctx) => {
  let world: World;
  let check: Checker;

  beforeAll(async () => {
    world = await buildAuthzWorld(ctx);
    check = checkerFor(world);
  });

  it('has a row for every registered route, and a probe for every row; no row names a route that is gone', async () => {
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: 'silent' });
    const routes = await registeredRoutes({ db: ctx.db, engine: ctx.engine, config, clock: ctx.clock });
    const registered = new Map(routes.map((r) => [routeKey(r), r]));
    const documented = new Map(rows.map((r) => [routeKey(r), r]));
    expect([...registered.keys()].filter((key) => !documented.has(key)), 'registered routes without a row: run npx tsx scripts/authz-matrix.ts --write').toEqual([]);
    expect([...documented.keys()].filter((key) => !registered.has(key)), 'rows of routes that are gone').toEqual([]);
    expect(rows.filter((r) => !allProbes[routeKey(r)]).map(routeKey), 'rows without a probe').toEqual([]);
    // The public mark is the route's own configuration, not a claim of the table.
    expect(rows.filter((r) => registered.get(routeKey(r))?.public !== r.public).map(routeKey), 'rows whose public mark is wrong').toEqual([]);
  });

  it('notices a change: the detector that holds refused writes to "nothing changed" sees an allowed one', async () => {
    const before = await fingerprint(ctx.db);
    const group = await ctx.app.inject({ method: 'POST', url: '/api/v1/org-units', headers: world.admin.headers, payload: { parentId: world.A.branch.id, name: '检测用党小组', kind: 'group' } });
    expect(group.statusCode, group.body).toBe(201);
    const after = await fingerprint(ctx.db);
    expect([...after.keys()].filter((t) => after.get(t) !== before.get(t))).toEqual(expect.arrayContaining(['org_units', 'audit_log']));
  });

  it.each(rows.map((row) => [routeKey(row), row] as const))('%s answers each role as the matrix says', async (_key, row: MatrixRow) => {
    const wrong: string[] = [];
    const markers = markersOf(world, row);
    const verify = async (role: (typeof matrixRoles)[number], side: Side, expected: string) => {
      if (expected === '—') return;
      const seen = await check(row, role, side);
      const got = outcomeOf(seen.status);
      if (got !== expected) wrong.push(`${role} ${side}: expected ${expected}, got ${seen.status} ${seen.body.slice(0, 200)}`);
      if (seen.status >= 300 && seen.changedTables.length > 0) wrong.push(`${role} ${side}: refused with ${seen.status} but changed ${seen.changedTables.join(', ')}`);
      // An answer across subtrees, where the matrix allows one, still names nothing of B.
      if (side === 'other' && role !== 'system_admin' && got === '2xx') {
        const leaked = markers.filter((m) => seen.body.includes(m));
        if (leaked.length > 0) wrong.push(`${role} other: the answer names ${leaked.join(', ')} of subtree B`);
      }
    };
    for (const role of matrixRoles) {
      await verify(role, 'own', row.cells[role].own);
      if (row.scoped && role !== 'anonymous') await verify(role, 'other', row.cells[role].other);
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
