import { type Kysely, sql } from 'kysely';
import { rebuildAppealFigures } from '../../modules/appeals/appeals.figure-counts.js';
import { engineOf } from '../engine.js';
import type { Database } from '../tables.js';

// The day counts (2026-12-05T1310) still grew with the data for the busiest units: their duration counts per
// day hardly compress, and the part-days at a window's ends were read from the appeals (issue 6). The country
// and each top-level committee also keep hour, day and week blocks, durations in tens of hours, hours and
// tenths (appeals.figure-blocks.rules.ts); figures_counted now names the hour of filing and those units.
// SQLite keeps the table WITHOUT ROWID: every read is a range of the primary key.
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = engineOf(db) === 'postgres';
  let table = db.schema
    .createTable('appeal_figure_blocks')
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('span', 'integer', (c) => c.notNull())
    .addColumn('block', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('appeal_figure_blocks_pk', ['unit_id', 'measure', 'span', 'block', 'category', 'value']);
  if (!postgres) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  await rebuildAppealFigures(db as unknown as Kysely<Database>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('appeal_figure_blocks').execute();
}
