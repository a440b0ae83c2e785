import { type Kysely, sql } from 'kysely';
import { rebuildAllAppealFigures } from '../../modules/appeals/appeals.figure-counts.js';
import type { Database } from '../tables.js';
import { columnTypes } from '../engine.js';

// A unit's appeal figures read every appeal of its subtree and aggregated them in JavaScript: seconds and a
// gigabyte of rows at a million appeals (issue 6). Counts per unit that sees an appeal (its reach units and 0
// for the whole country), China-time day of filing, category, measure and value, kept on every change from
// what the appeal counted before (appeals.figures_counted) and what it counts now (appeals.figure-counts.ts).
// SQLite keeps the table WITHOUT ROWID: the read is a range of the primary key and needs nothing else.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('appeals').addColumn('figures_counted', 'text').execute();
  let table = db.schema
    .createTable('appeal_figure_counts')
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('day', t.date, (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('appeal_figure_counts_pk', ['unit_id', 'day', 'category', 'measure', 'value']);
  if (!t.postgres) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  await rebuildAllAppealFigures(db as unknown as Kysely<Database>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('appeal_figure_counts').execute();
  await db.schema.alterTable('appeals').dropColumn('figures_counted').execute();
}
