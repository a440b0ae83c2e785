// Query plans for tests that keep lists index-backed as tables grow. On PostgreSQL sequential scans are
// switched off for the check, so a plan that still needs one shows that no index could serve the query.
import { type Compilable, type Kysely, sql } from 'kysely';
import type { Engine } from '../db/database.js';

// EXPLAIN takes no bind parameters, so the query's own literal values are inlined ('?' on SQLite, '$n' on PostgreSQL).
function inline(query: string, params: readonly unknown[]): string {
  let next = 0;
  return query.replace(/\?|\$(\d+)/g, (_, i?: string) => {
    const value = params[i ? Number(i) - 1 : next++];
    if (typeof value === 'number') return String(value);
    // An array parameter (n-gram tokens on PostgreSQL) becomes an array literal: '{"雪梅","雪"}'.
    const text = Array.isArray(value) ? `{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}` : String(value);
    return `'${text.replace(/'/g, "''")}'`;
  });
}

/**
 * `avoid` (PostgreSQL only) switches more plan nodes off for the check: on a test's small tables the
 * planner rightly prefers a bitmap scan and a sort, so "is there an index walk in this order" is asked
 * with sorting off — a Sort that remains means no index could give the order.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
export async function planOf(db: Kysely<any>, engine: Engine, query: Compilable | { sql: string; parameters: readonly unknown[] }, avoid: readonly ('sort' | 'bitmapscan')[] = []): Promise<string> {
  const compiled = 'compile' in query ? query.compile() : query;
  const text = inline(compiled.sql, compiled.parameters);
  if (engine === 'sqlite') {
    const { rows } = await sql`explain query plan ${sql.raw(text)}`.execute(db);
    return (rows as { detail: string }[]).map((r) => r.detail).join('\n');
  }
  return db.connection().execute(async (conn) => {
    const settings = ['seqscan', ...avoid].map((node) => `enable_${node}`);
    for (const setting of settings) await sql`set ${sql.raw(setting)} = off`.execute(conn);
    try {
      const { rows } = await sql`explain ${sql.raw(text)}`.execute(conn);
      return (rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      for (const setting of settings) await sql`reset ${sql.raw(setting)}`.execute(conn);
    }
  });
}

/**
 * PostgreSQL only: the plan as run (`EXPLAIN (ANALYZE, FORMAT JSON)`), with the same nodes switched off as
 * `planOf`, so a test can count the rows a node actually read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
export async function analyzedPlanOf(db: Kysely<any>, query: Compilable, avoid: readonly ('sort' | 'bitmapscan')[] = []): Promise<PlanNode> {
  const compiled = query.compile();
  const text = inline(compiled.sql, compiled.parameters);
  return db.connection().execute(async (conn) => {
    const settings = ['seqscan', ...avoid].map((node) => `enable_${node}`);
    for (const setting of settings) await sql`set ${sql.raw(setting)} = off`.execute(conn);
    try {
      const { rows } = await sql`explain (analyze, format json) ${sql.raw(text)}`.execute(conn);
      return (rows as { 'QUERY PLAN': [{ Plan: PlanNode }] }[])[0]!['QUERY PLAN'][0].Plan;
    } finally {
      for (const setting of settings) await sql`reset ${sql.raw(setting)}`.execute(conn);
    }
  });
}

export type PlanNode = { 'Node Type': string; 'Index Name'?: string; Alias?: string; 'Actual Rows': number; 'Actual Loops': number; Plans?: PlanNode[] };

/** Every node of a plan, depth first. */
export function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}
