import { type Kysely, sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../../db/tables.js';
import { describeEachEngine } from '../../test/harness.js';
import { countBeneath } from './org.queries.js';
import { buildTwoProvinces } from './org.factory.js';

// The tree must stay fast at 100,000 units: subtree and child queries are index range scans on both
// engines. On PostgreSQL sequential scans are switched off for the check, so a plan that still needs
// one shows that no index could serve the query.
// EXPLAIN takes no bind parameters, so the test's own literal values are inlined ('?' on SQLite, '$n' on PostgreSQL).
function inline(query: string, params: unknown[]): string {
  let next = 0;
  return query.replace(/\?|\$(\d+)/g, (_, i?: string) => `'${String(params[i ? Number(i) - 1 : next++])}'`);
}

async function planOf(db: Kysely<Database>, engine: string, query: string, params: unknown[]): Promise<string> {
  if (engine === 'sqlite') {
    const { rows } = await sql`explain query plan ${sql.raw(inline(query, params))}`.execute(db);
    return (rows as { detail: string }[]).map((r) => r.detail).join('\n');
  }
  return db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    const { rows } = await sql`explain ${sql.raw(inline(query, params))}`.execute(conn);
    await sql`reset enable_seqscan`.execute(conn);
    return (rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
  });
}

describeEachEngine('org tree query plans', (ctx) => {
  it('reads a subtree through the path index', async () => {
    const world = await buildTwoProvinces(ctx.db);
    const { descendants } = await countBeneath(ctx.db, world.sichuan);
    expect(descendants).toBe(5);
    const compiled = ctx.db.selectFrom('orgUnits').select('id').where('path', '>=', world.sichuan.path).where('path', '<', `${world.sichuan.path}~`).compile();
    const plan = await planOf(ctx.db, ctx.engine, compiled.sql, [...compiled.parameters]);
    expect(plan).toMatch(/org_units_path/);
    expect(plan).not.toMatch(/SCAN org_units$|Seq Scan/m);
  });

  it('reads the children of a unit through the parent index', async () => {
    const compiled = ctx.db.selectFrom('orgUnits').select(['id', 'name']).where('parentId', '=', 1).orderBy('name').compile();
    const plan = await planOf(ctx.db, ctx.engine, compiled.sql, [...compiled.parameters]);
    expect(plan).toMatch(/org_units_parent/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});
