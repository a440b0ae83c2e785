import { type Kysely, sql } from 'kysely';
import { changed, sqliteRefreshWorker, workerColumns } from '../../modules/liaison/liaison.coverage-triggers.js';
import { postgresFunctions } from '../../modules/liaison/liaison.coverage-triggers-postgres.js';
import { columnTypes } from '../engine.js';

// The worker triggers of 2026-12-05T1520-liaison-coverage-counts refreshed each inserted or updated worker
// on its own; an import of a million workers paid that a row at a time (issue 6). While a writer defers
// (its own row in liaison_coverage_deferral: one writer at a time on SQLite, its own transaction's on
// PostgreSQL), the triggers note the worker's id instead, and the writer refreshes the noted workers in one
// set-wise pass before it commits (modules/liaison/liaison.coverage-deferral.ts). Without a deferral they
// refresh as before. Deletes always refresh at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.createTable('liaison_coverage_deferral').addColumn('deferred', 'integer', (c) => c.notNull()).execute();
  await db.schema.createTable('liaison_deferred_workers').addColumn('worker_id', 'integer', (c) => c.primaryKey()).execute();
  if (t.postgres) {
    await sql.raw(deferringPostgresFunction).execute(db);
    return;
  }
  const whenDeferred = 'exists (select 1 from liaison_coverage_deferral)';
  const note = 'begin insert into liaison_deferred_workers (worker_id) values (new.id) on conflict do nothing; end';
  const refresh = `begin ${sqliteRefreshWorker('new.id')} end`;
  const updateOf = `after update of ${workerColumns.join(', ')} on workers when (${changed(workerColumns)})`;
  for (const name of ['liaison_counts_worker_insert', 'liaison_counts_worker_update']) await sql.raw(`drop trigger ${name}`).execute(db);
  await sql.raw(`create trigger liaison_counts_worker_insert after insert on workers when not ${whenDeferred} ${refresh}`).execute(db);
  await sql.raw(`create trigger liaison_counts_worker_update ${updateOf} and not ${whenDeferred} ${refresh}`).execute(db);
  await sql.raw(`create trigger liaison_defer_worker_insert after insert on workers when ${whenDeferred} ${note}`).execute(db);
  await sql.raw(`create trigger liaison_defer_worker_update ${updateOf} and ${whenDeferred} ${note}`).execute(db);
}

// The statement trigger's function of 1520 with the deferral: the same workers, noted or refreshed.
const deferringPostgresFunction = `create or replace function liaison_counts_workers_changed() returns trigger language plpgsql as $$
  declare targets int[];
  begin
    if tg_op = 'DELETE' then perform liaison_refresh_workers(array(select id from old_rows)); return null; end if;
    if tg_op = 'INSERT' then targets := array(select id from new_rows);
    else targets := array(select n.id from new_rows n join old_rows o on o.id = n.id
      where o.unit_path is distinct from n.unit_path or o.status is distinct from n.status or o.consent_withdrawn_at is distinct from n.consent_withdrawn_at);
    end if;
    if exists (select 1 from liaison_coverage_deferral) then
      insert into liaison_deferred_workers (worker_id) select unnest(targets) on conflict do nothing;
    else
      perform liaison_refresh_workers(targets);
    end if;
    return null;
  end $$`;

export async function down(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  if (t.postgres) {
    const original = postgresFunctions.find((text) => text.includes('function liaison_counts_workers_changed()'))!;
    await sql.raw(original.replace('create function', 'create or replace function')).execute(db);
  } else {
    for (const name of ['liaison_defer_worker_insert', 'liaison_defer_worker_update', 'liaison_counts_worker_insert', 'liaison_counts_worker_update']) await sql.raw(`drop trigger ${name}`).execute(db);
    const refresh = `begin ${sqliteRefreshWorker('new.id')} end`;
    await sql.raw(`create trigger liaison_counts_worker_insert after insert on workers ${refresh}`).execute(db);
    await sql.raw(`create trigger liaison_counts_worker_update after update of ${workerColumns.join(', ')} on workers when ${changed(workerColumns)} ${refresh}`).execute(db);
  }
  await db.schema.dropTable('liaison_deferred_workers').execute();
  await db.schema.dropTable('liaison_coverage_deferral').execute();
}
