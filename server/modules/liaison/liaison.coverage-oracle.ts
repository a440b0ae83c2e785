// The liaison coverage read from the rows themselves: every worker and member of the subtree. The route
// reads the counts the triggers keep (liaison.coverage.ts); this is the oracle the tests hold them to.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/tables.js';
import { subtreeRange } from '../org/org.rules.js';

type Db = Kysely<Database>;

export async function coverageOf(db: Db, unitPath: string, since: string) {
  const { from, to } = subtreeRange(unitPath);
  const inUnit = sql<boolean>`w.unit_path >= ${from} and w.unit_path < ${to} and w.status = 'active' and w.consent_withdrawn_at is null`;
  const { rows } = await sql<{ workers: number; withLiaison: number; contacted: number }>`
    select count(*) as workers,
      count(a.worker_id) as with_liaison,
      sum(case when exists (select 1 from liaison_contacts c where c.worker_id = w.id and c.contacted_on >= ${since}) then 1 else 0 end) as contacted
    from workers w left join liaison_assignments a on a.worker_id = w.id
    where ${inUnit}`.execute(db);
  const counts = rows[0] ?? { workers: 0, withLiaison: 0, contacted: 0 };
  const members = await memberTargetCounts(db, unitPath);
  return {
    workers: Number(counts.workers ?? 0),
    withLiaison: Number(counts.withLiaison ?? 0),
    contactedLast30Days: Number(counts.contacted ?? 0),
    ...members,
  };
}

/**
 * Members beneath a unit and how many hold more or fewer workers than their target, counted by the
 * database: a province's thousands of members never come into the server as rows.
 */
async function memberTargetCounts(db: Db, unitPath: string) {
  const { from, to } = subtreeRange(unitPath);
  const { rows } = await sql<{ members: number; over: number | null; under: number | null }>`
    select count(*) as members,
      sum(case when l.assigned > l.target then 1 else 0 end) as over,
      sum(case when l.assigned < l.target then 1 else 0 end) as under
    from (select m.liaison_target as target, (select count(*) from liaison_assignments a where a.member_id = m.id) as assigned
      from members m where m.unit_path >= ${from} and m.unit_path < ${to}) l`.execute(db);
  const counts = rows[0];
  return { members: Number(counts?.members ?? 0), membersOverTarget: Number(counts?.over ?? 0), membersUnderTarget: Number(counts?.under ?? 0) };
}
