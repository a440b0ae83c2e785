// The triggers that keep the liaison coverage counts (liaison.coverage.ts) in step with workers, members,
// assignments and contacts. Triggers, not code paths: the app, imports, the seed, the bench world, privacy
// erasure, org moves and tests that write rows directly all change these tables, and none can forget.
//
// Each trigger "refreshes" the person a changed row belongs to: it works out what the person counts now
// (a worker: counted or not, with a liaison or not, last contact day; a member: over or under target), takes
// the difference from what the person counted before (liaison_worker_counted / liaison_member_counted) and
// adds it to every ancestor-or-self unit of the old and the new place. A difference of zero writes nothing,
// so an org move touches only the units above the moved subtree, not the ones inside it.
// SQLite has no functions, so its refresh is a list of statements spliced into each row trigger's body
// (one writer at a time: no locking needed); PostgreSQL's statement triggers are in
// liaison.coverage-triggers-postgres.ts.
import { type Kysely, sql } from 'kysely';
import { engineOf } from '../../db/engine.js';
import { postgresFunctions, postgresFunctionSignatures, postgresTriggers } from './liaison.coverage-triggers-postgres.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema they create exists
type AnyDb = Kysely<any>;

/** SQLite: the ids on a materialized path ('/1/7/42/') as a json_each table of `value`s. */
const sqliteAncestors = (path: string) => `json_each('[' || replace(trim(${path}, '/'), '/', ',') || ']')`;

// What a worker counts now: nothing unless active, consent not withdrawn and served by a unit.
const sqliteFreshWorker = (id: string) => `select w.id as worker_id, w.unit_path as unit_path,
    exists (select 1 from liaison_assignments a where a.worker_id = w.id) as with_liaison,
    (select max(c.contacted_on) from liaison_contacts c where c.worker_id = w.id) as last_contact_on
  from workers w where w.id = ${id} and w.status = 'active' and w.consent_withdrawn_at is null and w.unit_path is not null`;

// `where true` before GROUP BY: SQLite's parser needs a WHERE in an INSERT … SELECT that has an upsert clause.
function sqliteRefreshWorker(id: string): string {
  const fresh = sqliteFreshWorker(id);
  return `
    insert into liaison_unit_counts (unit_id, workers, with_liaison, members, over_target, under_target)
    select unit_id, sum(dw), sum(dl), 0, 0, 0 from (
      select j.value as unit_id, -1 as dw, -s.with_liaison as dl from liaison_worker_counted s, ${sqliteAncestors('s.unit_path')} j where s.worker_id = ${id}
      union all
      select j.value, 1, f.with_liaison from (${fresh}) f, ${sqliteAncestors('f.unit_path')} j
    ) where true group by unit_id having sum(dw) <> 0 or sum(dl) <> 0
    on conflict (unit_id) do update set workers = liaison_unit_counts.workers + excluded.workers, with_liaison = liaison_unit_counts.with_liaison + excluded.with_liaison;
    insert into liaison_contact_days (unit_id, day, n)
    select unit_id, day, sum(d) from (
      select j.value as unit_id, s.last_contact_on as day, -1 as d from liaison_worker_counted s, ${sqliteAncestors('s.unit_path')} j where s.worker_id = ${id} and s.last_contact_on is not null
      union all
      select j.value, f.last_contact_on, 1 from (${fresh}) f, ${sqliteAncestors('f.unit_path')} j where f.last_contact_on is not null
    ) where true group by unit_id, day having sum(d) <> 0
    on conflict (unit_id, day) do update set n = liaison_contact_days.n + excluded.n;
    delete from liaison_worker_counted where worker_id = ${id} and not exists (${fresh});
    insert into liaison_worker_counted (worker_id, unit_path, with_liaison, last_contact_on) select * from (${fresh}) where true
    on conflict (worker_id) do update set unit_path = excluded.unit_path, with_liaison = excluded.with_liaison, last_contact_on = excluded.last_contact_on;`;
}

// What a member counts now: one member wherever they are, over or under target by their assignments.
const sqliteFreshMember = (id: string) => `select m.id as member_id, m.unit_path as unit_path,
    case when l.assigned > m.liaison_target then 1 else 0 end as over_target,
    case when l.assigned < m.liaison_target then 1 else 0 end as under_target
  from members m, (select count(*) as assigned from liaison_assignments a where a.member_id = ${id}) l
  where m.id = ${id} and m.unit_path is not null`;

function sqliteRefreshMember(id: string): string {
  const fresh = sqliteFreshMember(id);
  return `
    insert into liaison_unit_counts (unit_id, workers, with_liaison, members, over_target, under_target)
    select unit_id, 0, 0, sum(dm), sum(dov), sum(dun) from (
      select j.value as unit_id, -1 as dm, -s.over_target as dov, -s.under_target as dun from liaison_member_counted s, ${sqliteAncestors('s.unit_path')} j where s.member_id = ${id}
      union all
      select j.value, 1, f.over_target, f.under_target from (${fresh}) f, ${sqliteAncestors('f.unit_path')} j
    ) where true group by unit_id having sum(dm) <> 0 or sum(dov) <> 0 or sum(dun) <> 0
    on conflict (unit_id) do update set members = liaison_unit_counts.members + excluded.members,
      over_target = liaison_unit_counts.over_target + excluded.over_target, under_target = liaison_unit_counts.under_target + excluded.under_target;
    delete from liaison_member_counted where member_id = ${id} and not exists (${fresh});
    insert into liaison_member_counted (member_id, unit_path, over_target, under_target) select * from (${fresh}) where true
    on conflict (member_id) do update set unit_path = excluded.unit_path, over_target = excluded.over_target, under_target = excluded.under_target;`;
}

const changed = (columns: readonly string[]) => columns.map((c) => `old.${c} is not new.${c}`).join(' or ');
const workerColumns = ['unit_path', 'status', 'consent_withdrawn_at'];
const memberColumns = ['unit_path', 'liaison_target'];

/** SQLite triggers: [name, statement]. */
function sqliteTriggers(): [string, string][] {
  const body = (...parts: string[]) => `begin ${parts.join('\n')} end`;
  return [
    ['liaison_counts_worker_insert', `after insert on workers ${body(sqliteRefreshWorker('new.id'))}`],
    ['liaison_counts_worker_update', `after update of ${workerColumns.join(', ')} on workers when ${changed(workerColumns)} ${body(sqliteRefreshWorker('new.id'))}`],
    ['liaison_counts_worker_delete', `after delete on workers ${body(sqliteRefreshWorker('old.id'))}`],
    ['liaison_counts_member_insert', `after insert on members ${body(sqliteRefreshMember('new.id'))}`],
    ['liaison_counts_member_update', `after update of ${memberColumns.join(', ')} on members when ${changed(memberColumns)} ${body(sqliteRefreshMember('new.id'))}`],
    ['liaison_counts_member_delete', `after delete on members ${body(sqliteRefreshMember('old.id'))}`],
    ['liaison_counts_assignment_insert', `after insert on liaison_assignments ${body(sqliteRefreshWorker('new.worker_id'), sqliteRefreshMember('new.member_id'))}`],
    ['liaison_counts_assignment_update', `after update of worker_id, member_id on liaison_assignments ${body(sqliteRefreshWorker('old.worker_id'), sqliteRefreshWorker('new.worker_id'), sqliteRefreshMember('old.member_id'), sqliteRefreshMember('new.member_id'))}`],
    ['liaison_counts_assignment_delete', `after delete on liaison_assignments ${body(sqliteRefreshWorker('old.worker_id'), sqliteRefreshMember('old.member_id'))}`],
    ['liaison_counts_contact_insert', `after insert on liaison_contacts ${body(sqliteRefreshWorker('new.worker_id'))}`],
    ['liaison_counts_contact_update', `after update of worker_id, contacted_on on liaison_contacts ${body(sqliteRefreshWorker('old.worker_id'), sqliteRefreshWorker('new.worker_id'))}`],
    ['liaison_counts_contact_delete', `after delete on liaison_contacts ${body(sqliteRefreshWorker('old.worker_id'))}`],
  ];
}

export async function createLiaisonCoverageTriggers(db: AnyDb): Promise<void> {
  if (engineOf(db) === 'postgres') {
    for (const text of postgresFunctions) await sql.raw(text).execute(db);
    for (const [name, , text] of postgresTriggers()) await sql.raw(`create trigger ${name} ${text}`).execute(db);
  } else {
    for (const [name, text] of sqliteTriggers()) await sql.raw(`create trigger ${name} ${text}`).execute(db);
  }
}

export async function dropLiaisonCoverageTriggers(db: AnyDb): Promise<void> {
  if (engineOf(db) === 'postgres') {
    for (const [name, table] of postgresTriggers()) await sql.raw(`drop trigger if exists ${name} on ${table}`).execute(db);
    for (const fn of postgresFunctionSignatures) await sql.raw(`drop function if exists ${fn}`).execute(db);
  } else {
    for (const [name] of sqliteTriggers()) await sql.raw(`drop trigger if exists ${name}`).execute(db);
  }
}
