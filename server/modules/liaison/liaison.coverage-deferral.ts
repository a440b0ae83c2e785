// Deferred coverage refreshes for bulk writers (issue 6). An import writes thousands of workers in one
// transaction, and the row triggers of liaison.coverage-triggers.ts refreshed each one on its own: a dozen
// statements a worker, adding 1 to the same few units above a branch thousands of times over. While a
// writer defers (a row of its own in liaison_coverage_deferral), the worker triggers only note the ids of
// the workers whose counted columns changed (liaison_deferred_workers); flushWorkerCoverage then refreshes
// them all in one set-wise pass — one difference per unit — and ends the deferral, in the same transaction,
// so the counts are never seen out of step. The refresh is the row triggers' own rule applied to a set:
// what the workers count now, less what they counted, added to every ancestor-or-self unit.
// PostgreSQL: its statement triggers note the ids the same way (migration 2026-12-05T1920).
import { type Kysely, sql, type Transaction } from 'kysely';
import { engineOf } from '../../db/engine.js';
import type { Database } from '../../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

const deferred = 'select worker_id from liaison_deferred_workers';

// What the deferred workers count now (the set form of the row triggers' "fresh" worker).
const sqliteFreshWorkers = `select w.id as worker_id, w.unit_path as unit_path,
    exists (select 1 from liaison_assignments a where a.worker_id = w.id) as with_liaison,
    (select max(c.contacted_on) from liaison_contacts c where c.worker_id = w.id) as last_contact_on
  from workers w where w.id in (${deferred}) and w.status = 'active' and w.consent_withdrawn_at is null and w.unit_path is not null`;
const sqliteAncestors = (path: string) => `json_each('[' || replace(trim(${path}, '/'), '/', ',') || ']')`;

// `where true` before GROUP BY / ON CONFLICT: SQLite's parser needs a WHERE in an INSERT … SELECT with an upsert.
const sqliteFlush = [
  `insert into liaison_unit_counts (unit_id, workers, with_liaison, members, over_target, under_target)
    select unit_id, sum(dw), sum(dl), 0, 0, 0 from (
      select j.value as unit_id, -1 as dw, -s.with_liaison as dl from liaison_worker_counted s, ${sqliteAncestors('s.unit_path')} j where s.worker_id in (${deferred})
      union all
      select j.value, 1, f.with_liaison from (${sqliteFreshWorkers}) f, ${sqliteAncestors('f.unit_path')} j
    ) where true group by unit_id having sum(dw) <> 0 or sum(dl) <> 0
    on conflict (unit_id) do update set workers = liaison_unit_counts.workers + excluded.workers, with_liaison = liaison_unit_counts.with_liaison + excluded.with_liaison`,
  `insert into liaison_contact_days (unit_id, day, n)
    select unit_id, day, sum(d) from (
      select j.value as unit_id, s.last_contact_on as day, -1 as d from liaison_worker_counted s, ${sqliteAncestors('s.unit_path')} j where s.worker_id in (${deferred}) and s.last_contact_on is not null
      union all
      select j.value, f.last_contact_on, 1 from (${sqliteFreshWorkers}) f, ${sqliteAncestors('f.unit_path')} j where f.last_contact_on is not null
    ) where true group by unit_id, day having sum(d) <> 0
    on conflict (unit_id, day) do update set n = liaison_contact_days.n + excluded.n`,
  `delete from liaison_worker_counted where worker_id in (${deferred}) and worker_id not in (select worker_id from (${sqliteFreshWorkers}))`,
  `insert into liaison_worker_counted (worker_id, unit_path, with_liaison, last_contact_on) select * from (${sqliteFreshWorkers}) where true
    on conflict (worker_id) do update set unit_path = excluded.unit_path, with_liaison = excluded.with_liaison, last_contact_on = excluded.last_contact_on`,
];

/** SQLite: the statements that start a deferral and those that flush it, for a writer on its own connection (the bench's raw ceiling). */
export const sqliteWorkerCoverageDeferral = {
  defer: 'insert into liaison_coverage_deferral (deferred) values (1)',
  flush: [...sqliteFlush, 'delete from liaison_deferred_workers', 'delete from liaison_coverage_deferral'],
};

/** From here to flushWorkerCoverage, in this transaction, the worker triggers note ids instead of refreshing. */
export async function deferWorkerCoverage(trx: Transaction<Database>): Promise<void> {
  await sql`insert into liaison_coverage_deferral (deferred) values (1)`.execute(trx);
}

/** Refreshes every worker noted since deferWorkerCoverage in one pass, and ends the deferral. */
export async function flushWorkerCoverage(trx: Db): Promise<void> {
  if (engineOf(trx) === 'postgres') {
    // liaison_refresh_workers locks the workers in id order and upserts the units in order, as the triggers do.
    await sql`select liaison_refresh_workers(array(select worker_id from liaison_deferred_workers order by worker_id))`.execute(trx);
  } else {
    for (const text of sqliteFlush) await sql.raw(text).execute(trx);
  }
  await sql`delete from liaison_deferred_workers`.execute(trx);
  await sql`delete from liaison_coverage_deferral`.execute(trx);
}
