import type { Kysely } from 'kysely';
import { queryTokens } from '../../core/text-search.js';
import type { Database, DeclarationStatus, Member, MemberRoleKind, MemberStatus, TransferStatus } from '../../db/tables.js';
import { listPage, searchRoots, searchWalks } from '../../db/text-search.js';
import { inSubtreePaths } from '../org/org.queries.js';

type Db = Kysely<Database>;

export async function findMember(db: Db, id: number): Promise<Member | undefined> {
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMemberBy(db: Db, column: 'phoneHash' | 'idCardHash' | 'workerId', value: string | number) {
  return db.selectFrom('members').select(['id', 'name']).where(column, '=', value).executeTakeFirst();
}

export type MemberListFilter = {
  scope: readonly string[] | 'all';
  subtree?: string;
  q?: string;
  status?: MemberStatus;
  isMobile?: boolean;
  after: { nameSort: string; id: number } | null;
  limit: number;
};

/**
 * Members matching the list's filters and scope, in pinyin order after the cursor, as walks (db/text-search.ts):
 * the list and the export pick their own columns on each and run them as one page with listPage.
 */
export async function membersMatching(db: Db, f: Omit<MemberListFilter, 'limit'>) {
  const tokens = f.q ? queryTokens(f.q) : [];
  const within = (column: string) => [...(f.scope === 'all' ? [] : [inSubtreePaths(column, f.scope)]), ...(f.subtree ? [inSubtreePaths(column, [f.subtree])] : [])];
  // A search walks the n-gram key in list order, as the workers' does (db/text-search.ts).
  const walks = tokens.length > 0 ? await searchWalks(db, 'members', tokens as [string, ...string[]], f.after, within, searchRoots(f.scope, f.subtree)) : [inNameOrder(db, f.after)];
  return walks.map((walk) => {
    let query = walk;
    for (const inScope of within('members.unitPath')) query = query.where(inScope);
    if (f.status) query = query.where('members.status', '=', f.status);
    if (f.isMobile !== undefined) query = query.where('members.isMobile', '=', f.isMobile ? 1 : 0);
    return query;
  });
}

function inNameOrder(db: Db, after: MemberListFilter['after']) {
  let query = db.selectFrom('members');
  if (after) {
    const { nameSort, id } = after;
    query = query.where((eb) => eb.or([eb('members.nameSort', '>', nameSort), eb.and([eb('members.nameSort', '=', nameSort), eb('members.id', '>', id)])]));
  }
  return query.orderBy('members.nameSort').orderBy('members.id');
}

export async function listMembers(db: Db, f: MemberListFilter) {
  const walks = await membersMatching(db, f);
  return listPage(
    walks.map((walk) => walk.select(['id', 'name', 'nameSort', 'phoneEnc', 'status', 'joinDate', 'unitId', 'isMobile'])),
    f.limit + 1,
  ).execute();
}

export async function findRole(db: Db, id: number) {
  return db.selectFrom('memberRoles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function rolesOfMember(db: Db, memberId: number) {
  return db
    .selectFrom('memberRoles as r')
    .leftJoin('orgUnits as u', 'u.id', 'r.unitId')
    .select(['r.id', 'r.unitId', 'u.name as unitName', 'r.role', 'r.fromDate', 'r.toDate'])
    .where('r.memberId', '=', memberId)
    .orderBy('r.fromDate', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
}

/** Open terms (no end date) of a role in a unit: who holds it now. */
export async function openRolesIn(db: Db, unitId: number, role: MemberRoleKind) {
  return db.selectFrom('memberRoles').select(['id', 'memberId']).where('unitId', '=', unitId).where('role', '=', role).where('toDate', 'is', null).execute();
}

const transferColumns = [
  't.id',
  't.memberId',
  'm.name as memberName',
  't.fromUnitId',
  'f.name as fromUnitName',
  't.toUnitId',
  'd.name as toUnitName',
  't.status',
  't.reason',
  't.rejectReason',
  't.requestedAt',
  't.approvedAt',
  't.acceptedAt',
  't.doneAt',
  't.rejectedAt',
] as const;

function transfersWithNames(db: Db) {
  return db
    .selectFrom('memberTransfers as t')
    .innerJoin('members as m', 'm.id', 't.memberId')
    .innerJoin('orgUnits as f', 'f.id', 't.fromUnitId')
    .innerJoin('orgUnits as d', 'd.id', 't.toUnitId');
}

export async function findTransfer(db: Db, id: number) {
  return transfersWithNames(db).select(transferColumns).select(['f.path as fromPath', 'd.path as toPath']).where('t.id', '=', id).executeTakeFirst();
}

export async function transfersOfMember(db: Db, memberId: number) {
  return transfersWithNames(db).select(transferColumns).where('t.memberId', '=', memberId).orderBy('t.id', 'desc').execute();
}

export async function hasOpenTransfer(db: Db, memberId: number): Promise<boolean> {
  const row = await db.selectFrom('memberTransfers').select('id').where('memberId', '=', memberId).where('status', 'in', ['requested', 'approved']).executeTakeFirst();
  return row !== undefined;
}

export type TransferListFilter = {
  scope: readonly string[] | 'all';
  direction: 'outgoing' | 'incoming';
  status?: TransferStatus;
  afterId: number | null;
  limit: number;
};

/** Transfers leaving (or arriving at) units in scope, newest first. */
export async function listTransfers(db: Db, f: TransferListFilter) {
  const side = f.direction === 'outgoing' ? 'f' : 'd';
  let query = transfersWithNames(db).select(transferColumns);
  if (f.scope !== 'all') query = query.where(inSubtreePaths(`${side}.path`, f.scope));
  if (f.status) query = query.where('t.status', '=', f.status);
  if (f.afterId !== null) query = query.where('t.id', '<', f.afterId);
  return query.orderBy('t.id', 'desc').limit(f.limit + 1).execute();
}

const declarationColumns = [
  'x.id',
  'x.workerId',
  'w.name as workerName',
  'w.phoneEnc',
  'x.unitId',
  'x.unitPath',
  'x.homeOrgText',
  'x.joinDate',
  'x.status',
  'x.decisionReason',
  'x.decidedAt',
  'x.memberId',
  'x.createdAt',
] as const;

function declarationsWithWorker(db: Db) {
  return db.selectFrom('memberDeclarations as x').innerJoin('workers as w', 'w.id', 'x.workerId');
}

export async function findDeclaration(db: Db, id: number) {
  return declarationsWithWorker(db).select(declarationColumns).where('x.id', '=', id).executeTakeFirst();
}

export async function latestDeclarationOfWorker(db: Db, workerId: number) {
  return declarationsWithWorker(db).select(declarationColumns).where('x.workerId', '=', workerId).orderBy('x.id', 'desc').executeTakeFirst();
}

export async function listDeclarations(db: Db, f: { scope: readonly string[] | 'all'; status: DeclarationStatus; afterId: number | null; limit: number }) {
  let query = declarationsWithWorker(db).select(declarationColumns).where('x.status', '=', f.status);
  if (f.scope !== 'all') query = query.where(inSubtreePaths('x.unitPath', f.scope));
  if (f.afterId !== null) query = query.where('x.id', '>', f.afterId);
  return query.orderBy('x.id').limit(f.limit + 1).execute();
}
