// Liaison coverage from counts (issue 6): the figures once read every worker of a subtree with its assignment
// and contacts, and every member with a count of theirs — a second of CPU for a province at a million workers.
// Now each unit holds its counts for its whole subtree (liaison_unit_counts: workers counted, with a liaison,
// members, over and under target) and, per China day, how many of its counted workers were last contacted
// that day (liaison_contact_days). A unit's figures are one row and the days since the window's start
// (≤ 31 and any dated ahead): contacted in the window ⇔ the last contact falls in it.
// Triggers keep them (liaison.coverage-triggers.ts); rebuildLiaisonCoverage recomputes them from scratch.
import { type Kysely, sql, type Transaction } from 'kysely';
import { engineOf } from '../../db/engine.js';
import type { Database } from '../../db/tables.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The counts of one unit's subtree and the contacted workers since `since`: one key look-up and one key range. */
export function coverageCountsQuery(db: Db, unitId: number, since: string) {
  return db
    .selectFrom('liaisonUnitCounts as c')
    .select((eb) => [
      'c.workers',
      'c.withLiaison',
      'c.members',
      'c.overTarget',
      'c.underTarget',
      eb
        .selectFrom('liaisonContactDays as d')
        .select((e) => e.fn.sum<number | string>('d.n').as('n'))
        .where('d.unitId', '=', unitId)
        .where('d.day', '>=', since)
        .as('contacted'),
    ])
    .where('c.unitId', '=', unitId);
}

/** The same figures as coverageOf (liaison.coverage-oracle.ts, the tests' oracle), from the counts. */
export async function coverageFromCounts(db: Db, unitId: number, since: string) {
  const row = await coverageCountsQuery(db, unitId, since).executeTakeFirst();
  return {
    workers: Number(row?.workers ?? 0),
    withLiaison: Number(row?.withLiaison ?? 0),
    contactedLast30Days: Number(row?.contacted ?? 0),
    members: Number(row?.members ?? 0),
    membersOverTarget: Number(row?.overTarget ?? 0),
    membersUnderTarget: Number(row?.underTarget ?? 0),
  };
}

/**
 * Each ancestor-or-self unit id on a stored path column, joined as `a` with the id in `unitId`: the one dialect
 * difference here (SQLite splits the path with json_each, PostgreSQL with string_to_array).
 */
function ancestorsOf(db: Db, path: string) {
  return engineOf(db) === 'postgres'
    ? { join: sql`cross join lateral unnest(string_to_array(trim(both '/' from ${sql.ref(path)}), '/')::int[]) as a(unit_id)`, unitId: sql.ref('a.unit_id') }
    : { join: sql`cross join json_each('[' || replace(trim(${sql.ref(path)}, '/'), '/', ',') || ']') as a`, unitId: sql.ref('a.value') };
}

/**
 * Recomputes every count from the rows: the migration's backfill, and a repair after anything that wrote with
 * the triggers off. Five set statements; the triggers' per-person "before" rows are rewritten first.
 */
export async function rebuildLiaisonCoverage(db: Db): Promise<void> {
  for (const table of ['liaison_unit_counts', 'liaison_contact_days', 'liaison_worker_counted', 'liaison_member_counted']) await sql`delete from ${sql.table(table)}`.execute(db);
  await sql`insert into liaison_worker_counted (worker_id, unit_path, with_liaison, last_contact_on)
    select w.id, w.unit_path, case when a.worker_id is null then 0 else 1 end, (select max(c.contacted_on) from liaison_contacts c where c.worker_id = w.id)
    from workers w left join liaison_assignments a on a.worker_id = w.id
    where w.status = 'active' and w.consent_withdrawn_at is null and w.unit_path is not null`.execute(db);
  await sql`insert into liaison_member_counted (member_id, unit_path, over_target, under_target)
    select l.id, l.unit_path, case when l.assigned > l.target then 1 else 0 end, case when l.assigned < l.target then 1 else 0 end
    from (select m.id, m.unit_path, m.liaison_target as target, (select count(*) from liaison_assignments a where a.member_id = m.id) as assigned
      from members m where m.unit_path is not null) l`.execute(db);
  const a = ancestorsOf(db, 's.unit_path');
  await sql`insert into liaison_unit_counts (unit_id, workers, with_liaison, members, over_target, under_target)
    select unit_id, sum(w), sum(l), sum(m), sum(o), sum(u) from (
      select ${a.unitId} as unit_id, 1 as w, s.with_liaison as l, 0 as m, 0 as o, 0 as u from liaison_worker_counted s ${a.join}
      union all
      select ${a.unitId}, 0, 0, 1, s.over_target, s.under_target from liaison_member_counted s ${a.join}
    ) d group by unit_id`.execute(db);
  await sql`insert into liaison_contact_days (unit_id, day, n)
    select ${a.unitId}, s.last_contact_on, count(*) from liaison_worker_counted s ${a.join}
    where s.last_contact_on is not null group by ${a.unitId}, s.last_contact_on`.execute(db);
}
