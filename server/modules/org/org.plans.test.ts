import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { countBeneath } from './org.queries.js';
import { buildTwoProvinces } from './org.factory.js';

// The tree must stay fast at 100,000 units: subtree and child queries are index range scans on both
// engines. On PostgreSQL sequential scans are switched off for the check, so a plan that still needs
// one shows that no index could serve the query.
describeEachEngine('org tree query plans', (ctx) => {
  it('reads a subtree through the path index', async () => {
    const world = await buildTwoProvinces(ctx.db);
    const { descendants } = await countBeneath(ctx.db, world.sichuan);
    expect(descendants).toBe(5);
    const compiled = ctx.db.selectFrom('orgUnits').select('id').where('path', '>=', world.sichuan.path).where('path', '<', `${world.sichuan.path}~`).compile();
    const plan = await planOf(ctx.db, ctx.engine, compiled);
    expect(plan).toMatch(/org_units_path/);
    expect(plan).not.toMatch(/SCAN org_units$|Seq Scan/m);
  });

  it('reads the children of a unit through the parent index', async () => {
    const compiled = ctx.db.selectFrom('orgUnits').select(['id', 'name']).where('parentId', '=', 1).orderBy('name').compile();
    const plan = await planOf(ctx.db, ctx.engine, compiled);
    expect(plan).toMatch(/org_units_parent/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});
