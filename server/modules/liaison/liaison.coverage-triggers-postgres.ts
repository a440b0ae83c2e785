// PostgreSQL's half of the liaison coverage triggers (see liaison.coverage-triggers.ts for the rule).
// Statement-level with transition tables: a 500-row insert of an import or the seed refreshes its 500 people in
// one set-based pass and adds one difference per unit, instead of 500 function calls each updating the same
// province row (a row updated thousands of times in one transaction grows a long version chain). An org move's
// single UPDATE of every worker path beneath the unit is one pass too.
// The people refreshed are locked first, in id order (no key update: it does not wait for the key-share locks
// foreign-key checks take), so two transactions refreshing one person queue and the second reads what the
// first stored; the counts are upserted in unit order, the same in every transaction.

export const postgresFunctions = [
  `create function liaison_ancestors(path text) returns int[] language sql immutable as $$
    select string_to_array(trim(both '/' from path), '/')::int[] $$`,
  `create function liaison_refresh_workers(targets int[]) returns void language plpgsql as $$
  begin
    if coalesce(cardinality(targets), 0) = 0 then return; end if;
    perform 1 from workers where id = any(targets) order by id for no key update;
    with fresh as (
      select w.id as worker_id, w.unit_path, case when exists (select 1 from liaison_assignments a where a.worker_id = w.id) then 1 else 0 end as with_liaison,
        (select max(c.contacted_on) from liaison_contacts c where c.worker_id = w.id) as last_contact_on
      from workers w where w.id = any(targets) and w.status = 'active' and w.consent_withdrawn_at is null and w.unit_path is not null
    ), was as (
      select * from liaison_worker_counted where worker_id = any(targets)
    ), changes as (
      select a.unit_id, -1 as dw, -s.with_liaison as dl, s.last_contact_on as day from was s cross join unnest(liaison_ancestors(s.unit_path)) a(unit_id)
      union all
      select a.unit_id, 1, f.with_liaison, f.last_contact_on from fresh f cross join unnest(liaison_ancestors(f.unit_path)) a(unit_id)
    ), counts as (
      insert into liaison_unit_counts (unit_id, workers, with_liaison, members, over_target, under_target)
      select unit_id, sum(dw), sum(dl), 0, 0, 0 from changes group by unit_id having sum(dw) <> 0 or sum(dl) <> 0 order by unit_id
      on conflict (unit_id) do update set workers = liaison_unit_counts.workers + excluded.workers, with_liaison = liaison_unit_counts.with_liaison + excluded.with_liaison
    ), days as (
      insert into liaison_contact_days (unit_id, day, n)
      select unit_id, day, sum(dw) from changes where day is not null group by unit_id, day having sum(dw) <> 0 order by unit_id, day
      on conflict (unit_id, day) do update set n = liaison_contact_days.n + excluded.n
    ), gone as (
      delete from liaison_worker_counted s where s.worker_id = any(targets) and not exists (select 1 from fresh f where f.worker_id = s.worker_id)
    )
    insert into liaison_worker_counted (worker_id, unit_path, with_liaison, last_contact_on) select * from fresh
    on conflict (worker_id) do update set unit_path = excluded.unit_path, with_liaison = excluded.with_liaison, last_contact_on = excluded.last_contact_on;
  end $$`,
  `create function liaison_refresh_members(targets int[]) returns void language plpgsql as $$
  begin
    if coalesce(cardinality(targets), 0) = 0 then return; end if;
    perform 1 from members where id = any(targets) order by id for no key update;
    with fresh as (
      select l.id as member_id, l.unit_path, case when l.assigned > l.target then 1 else 0 end as over_target, case when l.assigned < l.target then 1 else 0 end as under_target
      from (select m.id, m.unit_path, m.liaison_target as target, (select count(*) from liaison_assignments a where a.member_id = m.id) as assigned
        from members m where m.id = any(targets) and m.unit_path is not null) l
    ), was as (
      select * from liaison_member_counted where member_id = any(targets)
    ), changes as (
      select a.unit_id, -1 as dm, -s.over_target as dov, -s.under_target as dun from was s cross join unnest(liaison_ancestors(s.unit_path)) a(unit_id)
      union all
      select a.unit_id, 1, f.over_target, f.under_target from fresh f cross join unnest(liaison_ancestors(f.unit_path)) a(unit_id)
    ), counts as (
      insert into liaison_unit_counts (unit_id, workers, with_liaison, members, over_target, under_target)
      select unit_id, 0, 0, sum(dm), sum(dov), sum(dun) from changes group by unit_id having sum(dm) <> 0 or sum(dov) <> 0 or sum(dun) <> 0 order by unit_id
      on conflict (unit_id) do update set members = liaison_unit_counts.members + excluded.members,
        over_target = liaison_unit_counts.over_target + excluded.over_target, under_target = liaison_unit_counts.under_target + excluded.under_target
    ), gone as (
      delete from liaison_member_counted s where s.member_id = any(targets) and not exists (select 1 from fresh f where f.member_id = s.member_id)
    )
    insert into liaison_member_counted (member_id, unit_path, over_target, under_target) select * from fresh
    on conflict (member_id) do update set unit_path = excluded.unit_path, over_target = excluded.over_target, under_target = excluded.under_target;
  end $$`,
  // The people a statement touched, from its transition tables; an update only where a column the figures
  // read changed (a trigger with transition tables cannot name its columns).
  `create function liaison_counts_workers_changed() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then perform liaison_refresh_workers(array(select id from new_rows));
    elsif tg_op = 'DELETE' then perform liaison_refresh_workers(array(select id from old_rows));
    else perform liaison_refresh_workers(array(select n.id from new_rows n join old_rows o on o.id = n.id
      where o.unit_path is distinct from n.unit_path or o.status is distinct from n.status or o.consent_withdrawn_at is distinct from n.consent_withdrawn_at));
    end if;
    return null;
  end $$`,
  `create function liaison_counts_members_changed() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then perform liaison_refresh_members(array(select id from new_rows));
    elsif tg_op = 'DELETE' then perform liaison_refresh_members(array(select id from old_rows));
    else perform liaison_refresh_members(array(select n.id from new_rows n join old_rows o on o.id = n.id
      where o.unit_path is distinct from n.unit_path or o.liaison_target is distinct from n.liaison_target));
    end if;
    return null;
  end $$`,
  `create function liaison_counts_assignments_changed() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      perform liaison_refresh_workers(array(select distinct worker_id from new_rows));
      perform liaison_refresh_members(array(select distinct member_id from new_rows));
    elsif tg_op = 'DELETE' then
      perform liaison_refresh_workers(array(select distinct worker_id from old_rows));
      perform liaison_refresh_members(array(select distinct member_id from old_rows));
    else
      perform liaison_refresh_workers(array(select worker_id from old_rows union select worker_id from new_rows));
      perform liaison_refresh_members(array(select member_id from old_rows union select member_id from new_rows));
    end if;
    return null;
  end $$`,
  `create function liaison_counts_contacts_changed() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then perform liaison_refresh_workers(array(select distinct worker_id from new_rows));
    elsif tg_op = 'DELETE' then perform liaison_refresh_workers(array(select distinct worker_id from old_rows));
    else perform liaison_refresh_workers(array(select o.worker_id from old_rows o join new_rows n on n.id = o.id
      where o.worker_id is distinct from n.worker_id or o.contacted_on is distinct from n.contacted_on
      union select n.worker_id from old_rows o join new_rows n on n.id = o.id where o.worker_id is distinct from n.worker_id or o.contacted_on is distinct from n.contacted_on));
    end if;
    return null;
  end $$`,
];

const functionOf: Record<string, string> = { workers: 'liaison_counts_workers_changed', members: 'liaison_counts_members_changed', liaison_assignments: 'liaison_counts_assignments_changed', liaison_contacts: 'liaison_counts_contacts_changed' };

/** [name, table, definition after the name]: an insert, an update and a delete trigger per table. */
export function postgresTriggers(): [string, string, string][] {
  return Object.entries(functionOf).flatMap(([table, fn]) => [
    [`liaison_counts_${table}_insert`, table, `after insert on ${table} referencing new table as new_rows for each statement execute function ${fn}()`],
    [`liaison_counts_${table}_update`, table, `after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function ${fn}()`],
    [`liaison_counts_${table}_delete`, table, `after delete on ${table} referencing old table as old_rows for each statement execute function ${fn}()`],
  ]);
}

export const postgresFunctionSignatures = [
  'liaison_counts_contacts_changed()', 'liaison_counts_assignments_changed()', 'liaison_counts_members_changed()', 'liaison_counts_workers_changed()',
  'liaison_refresh_members(int[])', 'liaison_refresh_workers(int[])', 'liaison_ancestors(text)',
];
