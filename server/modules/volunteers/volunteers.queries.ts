// Reads and writes of teams, rosters and service records, the same on SQLite and PostgreSQL.
import { createHash } from 'node:crypto';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Actor } from '../../core/scope.js';
import { engineOf } from '../../db/engine.js';
import type { ServiceStatus } from '../../db/tables-volunteers.js';
import type { Database } from '../../db/tables.js';
import { inSubtreePaths } from '../org/org.queries.js';
import { type LedgerRow, type PersonRef, type Viewer, normalizeDescription } from './volunteers.rules.js';

export type Db = Kysely<Database>;

/**
 * A person's name as staff may see it: a worker who withdrew consent keeps their place on a roster and
 * their hours, but their name is no longer shown (raw SQL: snake_case, the aliases w and m are joined).
 */
export const personName = sql<string | null>`case when w.id is not null then (case when w.consent_withdrawn_at is null then w.name end) else m.name end`;

/** The account's links to a worker and a member record, and the units those records belong to. */
export async function viewerOf(db: Db, actor: Actor): Promise<Viewer & { workerUnitPath: string | null; memberUnitPath: string | null }> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('workers as w', 'w.id', 'u.workerId')
    .leftJoin('members as m', 'm.id', 'u.memberId')
    .select(['u.workerId', 'u.memberId', 'w.unitPath as workerUnitPath', 'm.unitPath as memberUnitPath'])
    .where('u.id', '=', actor.userId)
    .executeTakeFirst();
  return { actor, workerId: row?.workerId ?? null, memberId: row?.memberId ?? null, workerUnitPath: row?.workerUnitPath ?? null, memberUnitPath: row?.memberUnitPath ?? null };
}

/** Locks a row for the rest of the transaction on PostgreSQL; SQLite already runs one writer at a time. */
export function lockedForUpdate<DB, TB extends keyof DB, O>(db: Db, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return engineOf(db) === 'postgres' ? query.forUpdate() : query;
}

// ---------------------------------------------------------------------------------------------
// Teams

const activeCount = sql<number>`(select count(*) from volunteer_team_members vm where vm.team_id = t.id and vm.left_on is null)`;

function teamsQuery(db: Db) {
  return db
    .selectFrom('volunteerTeams as t')
    .innerJoin('orgUnits as u', 'u.id', 't.unitId')
    .selectAll('t')
    .select(['u.name as unitName', activeCount.as('activeVolunteers')]);
}
export type TeamRow = NonNullable<Awaited<ReturnType<typeof findTeam>>>;

export async function findTeam(db: Db, id: number) {
  return teamsQuery(db).where('t.id', '=', id).executeTakeFirst();
}

export async function listTeams(db: Db, f: { scope: readonly string[] | 'all'; status: 'open' | 'closed' | 'all'; afterId: number | null; limit: number }) {
  let query = teamsQuery(db);
  if (f.scope !== 'all') query = query.where(inSubtreePaths('t.unitPath', f.scope));
  if (f.status === 'open') query = query.where('t.closedOn', 'is', null);
  if (f.status === 'closed') query = query.where('t.closedOn', 'is not', null);
  if (f.afterId !== null) query = query.where('t.id', '>', f.afterId);
  return query.orderBy('t.id').limit(f.limit + 1).execute();
}

/** Open teams a person may join: those of their unit, the units above it, and the units below it. */
export async function joinableTeams(db: Db, line: readonly string[], unitPath: string, limit = 50) {
  return teamsQuery(db)
    .where('t.closedOn', 'is', null)
    .where((eb) => eb.or([eb('t.unitPath', 'in', [...line]), inSubtreePaths('t.unitPath', [unitPath])]))
    .orderBy('t.unitPath', 'desc')
    .orderBy('t.id')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Rosters

export async function rosterOf(db: Db, teamId: number, includeLeft: boolean) {
  let query = db
    .selectFrom('volunteerTeamMembers as r')
    .leftJoin('workers as w', 'w.id', 'r.workerId')
    .leftJoin('members as m', 'm.id', 'r.memberId')
    .select(['r.id', 'r.teamId', 'r.workerId', 'r.memberId', 'r.role', 'r.joinedOn', 'r.leftOn', personName.as('name')])
    .where('r.teamId', '=', teamId);
  if (!includeLeft) query = query.where('r.leftOn', 'is', null);
  // The leader first, then by when people joined.
  return query.orderBy(sql`case when r.role = 'leader' then 0 else 1 end`).orderBy('r.joinedOn').orderBy('r.id').execute();
}

export async function findEntry(db: Db, teamId: number, entryId: number) {
  return db.selectFrom('volunteerTeamMembers').selectAll().where('teamId', '=', teamId).where('id', '=', entryId).executeTakeFirst();
}

/**
 * The person's active place on a team, under either of their records: a worker who is also a member
 * (members.worker_id) is one person, whichever record they joined under.
 */
export async function activeEntryOf(db: Db, teamId: number, person: PersonRef) {
  const linked = await linkedRecordsOf(db, person);
  return db
    .selectFrom('volunteerTeamMembers')
    .selectAll()
    .where('teamId', '=', teamId)
    .where('leftOn', 'is', null)
    .where((eb) => {
      const alternatives = [];
      if (linked.workerId !== null) alternatives.push(eb('workerId', '=', linked.workerId));
      if (linked.memberId !== null) alternatives.push(eb('memberId', '=', linked.memberId));
      return eb.or(alternatives);
    })
    .executeTakeFirst();
}

/** Both records of a person when they have both: the worker a member works as, or the member a worker is. */
export async function linkedRecordsOf(db: Db, person: PersonRef): Promise<{ workerId: number | null; memberId: number | null }> {
  if (person.memberId !== null) {
    const member = await db.selectFrom('members').select('workerId').where('id', '=', person.memberId).executeTakeFirst();
    return { memberId: person.memberId, workerId: person.workerId ?? member?.workerId ?? null };
  }
  if (person.workerId !== null) {
    const member = await db.selectFrom('members').select('id').where('workerId', '=', person.workerId).executeTakeFirst();
    return { workerId: person.workerId, memberId: member?.id ?? null };
  }
  return { workerId: null, memberId: null };
}

export async function insertEntry(db: Db, values: { teamId: number; workerId: number | null; memberId: number | null; role: 'leader' | 'volunteer'; joinedOn: string; addedBy: number | null; now: Date }) {
  const { now, ...rest } = values;
  return db.insertInto('volunteerTeamMembers').values({ ...rest, leftOn: null, createdAt: now.toISOString() }).returningAll().executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------------------------------------
// Service records

export function descriptionHashOf(description: string): string {
  return createHash('sha256').update(normalizeDescription(description)).digest('hex');
}

function recordsQuery(db: Db) {
  return db
    .selectFrom('serviceRecords as s')
    .innerJoin('volunteerTeams as t', 't.id', 's.teamId')
    .leftJoin('workers as w', 'w.id', 's.workerId')
    .leftJoin('members as m', 'm.id', 's.memberId')
    .selectAll('s')
    .select(['t.name as teamName', 't.unitPath', 't.leaderMemberId', personName.as('name')]);
}
export type RecordRow = NonNullable<Awaited<ReturnType<typeof findRecord>>>;

export async function findRecord(db: Db, id: number) {
  return recordsQuery(db).where('s.id', '=', id).executeTakeFirst();
}

export async function listRecords(db: Db, f: { teamId: number; status?: ServiceStatus; beforeId: number | null; limit: number }) {
  let query = recordsQuery(db).where('s.teamId', '=', f.teamId);
  if (f.status) query = query.where('s.status', '=', f.status);
  if (f.beforeId !== null) query = query.where('s.id', '<', f.beforeId);
  return query.orderBy('s.id', 'desc').limit(f.limit + 1).execute();
}

/**
 * Pending records the viewer may decide: of the teams they lead and of the teams in the subtrees they
 * manage, their own left out (nobody verifies their own). Oldest first, as a queue is worked.
 */
export async function listDecidableRecords(db: Db, f: { viewer: PersonRef; scope: readonly string[] | 'all'; afterId: number | null; limit: number }) {
  const { viewer, scope } = f;
  if (viewer.memberId === null && scope !== 'all' && scope.length === 0) return [];
  let query = recordsQuery(db).innerJoin('orgUnits as u', 'u.id', 't.unitId').select('u.name as unitName').where('s.status', '=', 'pending');
  if (scope !== 'all') {
    query = query.where((eb) => eb.or([...(viewer.memberId !== null ? [eb('t.leaderMemberId', '=', viewer.memberId)] : []), inSubtreePaths('t.unitPath', scope)]));
  }
  if (viewer.workerId !== null) query = query.where((eb) => eb.or([eb('s.workerId', 'is', null), eb('s.workerId', '<>', viewer.workerId)]));
  if (viewer.memberId !== null) query = query.where((eb) => eb.or([eb('s.memberId', 'is', null), eb('s.memberId', '<>', viewer.memberId)]));
  if (f.afterId !== null) query = query.where('s.id', '>', f.afterId);
  return query.orderBy('s.id').limit(f.limit + 1).execute();
}

/** A person's own records, newest first (both of their records when they are a worker and a member). */
export async function recordsOfPerson(db: Db, person: PersonRef, limit: number) {
  if (person.workerId === null && person.memberId === null) return [];
  return recordsQuery(db)
    .where((eb) => {
      const alternatives = [];
      if (person.workerId !== null) alternatives.push(eb('s.workerId', '=', person.workerId));
      if (person.memberId !== null) alternatives.push(eb('s.memberId', '=', person.memberId));
      return eb.or(alternatives);
    })
    .orderBy('s.serviceDate', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Moves a record from one status to the next with a compare-and-set on the status, so two leaders
 * clicking at once cannot both decide it. Returns false when someone else got there first.
 */
export async function decideRecord(db: Db, id: number, from: ServiceStatus, to: ServiceStatus, by: number, reason: string | null, now: Date): Promise<boolean> {
  const at = now.toISOString();
  // verified_by/at say who decided a pending record; a later revocation keeps them (the audit log has both).
  const decided = from === 'pending' ? { verifiedBy: by, verifiedAt: at } : {};
  const result = await db
    .updateTable('serviceRecords')
    .set({ status: to, rejectReason: reason, ...decided, updatedAt: at })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records of the teams in a unit's subtree over a period, grouped by team, person and status. */
export async function ledgerRows(db: Db, unitPath: string, from: string, to: string): Promise<LedgerRow[]> {
  const rows = await db
    .selectFrom('serviceRecords as s')
    .innerJoin('volunteerTeams as t', 't.id', 's.teamId')
    .select(['s.teamId', 's.workerId', 's.memberId', 's.status', (eb) => eb.fn.sum<number>('s.halfHours').as('halfHours'), (eb) => eb.fn.countAll<number>().as('records')])
    .where(inSubtreePaths('t.unitPath', [unitPath]))
    .where('s.serviceDate', '>=', from)
    .where('s.serviceDate', '<=', to)
    .where('s.status', '<>', 'rejected')
    .groupBy(['s.teamId', 's.workerId', 's.memberId', 's.status'])
    .execute();
  return rows.map((r) => ({ ...r, halfHours: Number(r.halfHours), records: Number(r.records) }));
}

/** Hours of one person, all teams, all time (verified and pending). */
export async function ledgerRowsOfPerson(db: Db, person: PersonRef): Promise<LedgerRow[]> {
  if (person.workerId === null && person.memberId === null) return [];
  const rows = await db
    .selectFrom('serviceRecords as s')
    .select(['s.teamId', 's.workerId', 's.memberId', 's.status', (eb) => eb.fn.sum<number>('s.halfHours').as('halfHours'), (eb) => eb.fn.countAll<number>().as('records')])
    .where((eb) => {
      const alternatives = [];
      if (person.workerId !== null) alternatives.push(eb('s.workerId', '=', person.workerId));
      if (person.memberId !== null) alternatives.push(eb('s.memberId', '=', person.memberId));
      return eb.or(alternatives);
    })
    .groupBy(['s.teamId', 's.workerId', 's.memberId', 's.status'])
    .execute();
  return rows.map((r) => ({ ...r, halfHours: Number(r.halfHours), records: Number(r.records) }));
}

/** Names of the people in a ledger (workers who withdrew consent are left nameless). */
export async function namesOf(db: Db, people: readonly PersonRef[]): Promise<Map<string, string | null>> {
  const workerIds = people.flatMap((p) => (p.workerId !== null ? [p.workerId] : []));
  const memberIds = people.flatMap((p) => (p.workerId === null && p.memberId !== null ? [p.memberId] : []));
  const names = new Map<string, string | null>();
  for (let i = 0; i < workerIds.length; i += 500) {
    const rows = await db.selectFrom('workers').select(['id', 'name', 'consentWithdrawnAt']).where('id', 'in', workerIds.slice(i, i + 500)).execute();
    for (const r of rows) names.set(`w${r.id}`, r.consentWithdrawnAt === null ? r.name : null);
  }
  for (let i = 0; i < memberIds.length; i += 500) {
    const rows = await db.selectFrom('members').select(['id', 'name']).where('id', 'in', memberIds.slice(i, i + 500)).execute();
    for (const r of rows) names.set(`m${r.id}`, r.name);
  }
  return names;
}

export async function teamNamesIn(db: Db, unitPath: string) {
  return db.selectFrom('volunteerTeams as t').select(['t.id', 't.name']).where(inSubtreePaths('t.unitPath', [unitPath])).orderBy('t.id').execute();
}

// ---------------------------------------------------------------------------------------------
// Vanguard posts and grid roles

function postsQuery(db: Db) {
  return db.selectFrom('vanguardPosts as p').innerJoin('orgUnits as u', 'u.id', 'p.unitId').selectAll('p').select('u.name as unitName');
}
export type PostRow = NonNullable<Awaited<ReturnType<typeof findPost>>>;

export async function findPost(db: Db, id: number) {
  return postsQuery(db).where('p.id', '=', id).executeTakeFirst();
}

export async function listPosts(db: Db, f: { scope: readonly string[] | 'all'; status: 'open' | 'closed' | 'all'; afterId: number | null; limit: number }) {
  let query = postsQuery(db);
  if (f.scope !== 'all') query = query.where(inSubtreePaths('p.unitPath', f.scope));
  if (f.status === 'open') query = query.where('p.closedOn', 'is', null);
  if (f.status === 'closed') query = query.where('p.closedOn', 'is not', null);
  if (f.afterId !== null) query = query.where('p.id', '>', f.afterId);
  return query.orderBy('p.id').limit(f.limit + 1).execute();
}

/** The terms of some posts, oldest first, with the holders' names. */
export async function termsOf(db: Db, postIds: readonly number[]) {
  if (postIds.length === 0) return [];
  return db
    .selectFrom('vanguardPostTerms as t')
    .innerJoin('members as m', 'm.id', 't.memberId')
    .select(['t.id', 't.postId', 't.memberId', 'm.name', 't.fromDate', 't.toDate', 't.endReason'])
    .where('t.postId', 'in', [...postIds])
    .orderBy('t.postId')
    .orderBy('t.fromDate')
    .execute();
}
export type TermRow = Awaited<ReturnType<typeof termsOf>>[number];

export async function termsOfMember(db: Db, memberId: number) {
  return db
    .selectFrom('vanguardPostTerms as t')
    .innerJoin('vanguardPosts as p', 'p.id', 't.postId')
    .innerJoin('orgUnits as u', 'u.id', 'p.unitId')
    .select(['t.id', 't.postId', 'p.title', 'u.name as unitName', 't.fromDate', 't.toDate', 't.endReason'])
    .where('t.memberId', '=', memberId)
    .orderBy('t.fromDate', 'desc')
    .execute();
}

function gridQuery(db: Db) {
  return db
    .selectFrom('gridRoles as g')
    .innerJoin('workers as w', 'w.id', 'g.workerId')
    .selectAll('g')
    .select(sql<string | null>`case when w.consent_withdrawn_at is null then w.name end`.as('name'));
}
export type GridRoleRow = NonNullable<Awaited<ReturnType<typeof findGridRole>>>;

export async function findGridRole(db: Db, id: number) {
  return gridQuery(db).where('g.id', '=', id).executeTakeFirst();
}

export async function listGridRoles(db: Db, f: { unitPath: string; active: 'true' | 'false' | 'all'; today: string; afterId: number | null; limit: number }) {
  let query = gridQuery(db).where(inSubtreePaths('g.unitPath', [f.unitPath]));
  if (f.active === 'true') query = query.where((eb) => eb.or([eb('g.toDate', 'is', null), eb('g.toDate', '>=', f.today)]));
  if (f.active === 'false') query = query.where('g.toDate', '<', f.today);
  if (f.afterId !== null) query = query.where('g.id', '>', f.afterId);
  return query.orderBy('g.id').limit(f.limit + 1).execute();
}

export async function gridRolesOfWorker(db: Db, workerId: number) {
  return gridQuery(db).where('g.workerId', '=', workerId).orderBy('g.fromDate', 'desc').execute();
}

export async function membershipsOf(db: Db, person: PersonRef) {
  if (person.workerId === null && person.memberId === null) return [];
  return db
    .selectFrom('volunteerTeamMembers as r')
    .innerJoin('volunteerTeams as t', 't.id', 'r.teamId')
    .select(['r.id', 'r.teamId', 'r.role', 'r.joinedOn', 'r.leftOn', 't.name as teamName', 't.closedOn as teamClosedOn'])
    .where((eb) => {
      const alternatives = [];
      if (person.workerId !== null) alternatives.push(eb('r.workerId', '=', person.workerId));
      if (person.memberId !== null) alternatives.push(eb('r.memberId', '=', person.memberId));
      return eb.or(alternatives);
    })
    .orderBy(sql`case when r.left_on is null then 0 else 1 end`)
    .orderBy('r.joinedOn', 'desc')
    .execute();
}
