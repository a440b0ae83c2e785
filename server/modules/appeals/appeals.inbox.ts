// The handler's queue: appeals in scope, soonest deadline first (those with no running deadline last),
// then by id; keyset-paged on that order.
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { AppealCategory, AppealsTable } from '../../db/tables-appeals.js';
import { preparedStatement } from '../../db/prepared.js';
import type { Database } from '../../db/tables.js';
import type { AppealLevel, AppealStatus } from './appeals.rules.js';
import { closedStatuses } from './appeals.rules.js';
import { unitIdOf } from '../org/org.rules.js';

type Db = Kysely<Database>;

export type InboxFilter = {
  /** Subtrees the caller reads; 'all' for system admins. An appeal counts if it is held or started there. */
  scope: readonly string[] | 'all';
  category?: AppealCategory;
  status?: AppealStatus | 'open' | 'closed';
  level?: AppealLevel;
  overdue?: boolean;
  assigneeUserId?: number;
  workerId?: number;
  /** Looking for duplicates: the same platform and city, filed since then, other than this one. */
  platformId?: number | null;
  cityCode?: string | null;
  createdSince?: string;
  excludeId?: number;
  now: string;
  after: { hasNoDue: number; dueAt: string | null; id: number } | null;
  limit: number;
};

type WithAppeal = Database & { a: AppealsTable };

/** The filters besides scope and paging, on the appeal row `a`. */
function matchesFilter(eb: ExpressionBuilder<WithAppeal, 'a'>, f: InboxFilter): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (f.category) conditions.push(eb('a.category', '=', f.category));
  const closed = [...closedStatuses];
  if (f.status === 'open') conditions.push(eb('a.status', 'not in', closed));
  else if (f.status === 'closed') conditions.push(eb('a.status', 'in', closed));
  else if (f.status) conditions.push(eb('a.status', '=', f.status));
  if (f.level) conditions.push(eb('a.level', '=', f.level));
  if (f.assigneeUserId !== undefined) conditions.push(eb('a.assigneeUserId', '=', f.assigneeUserId));
  if (f.workerId !== undefined) conditions.push(eb('a.workerId', '=', f.workerId));
  if (f.platformId !== undefined) conditions.push(f.platformId === null ? eb('a.platformId', 'is', null) : eb('a.platformId', '=', f.platformId));
  if (f.cityCode !== undefined) conditions.push(f.cityCode === null ? eb('a.cityCode', 'is', null) : eb('a.cityCode', '=', f.cityCode));
  if (f.createdSince !== undefined) conditions.push(eb('a.createdAt', '>=', f.createdSince));
  if (f.excludeId !== undefined) conditions.push(eb('a.id', '!=', f.excludeId));
  return eb.and(conditions);
}

const hasNoDue = sql<number>`case when a.due_at is null then 1 else 0 end`;

// A list shows the first 80 characters of the description; 81 code points hold at least that many UTF-16
// units, so `length > 80` and `slice(0, 80)` on this prefix give what they gave on the whole text.
const descriptionStart = sql<string>`substr(a.description, 1, 81)`;

/**
 * What a list row shows (the inbox, duplicates, a worker's own list), not the whole appeal: a page of 51
 * whole rows cost about twice the SQLite time and the camel-casing of ~40 columns each (issue 6).
 */
const listColumns = [
  'a.id',
  'a.category',
  descriptionStart.as('descriptionStart'),
  'a.status',
  'a.level',
  'a.unitId',
  'a.unitPath',
  'a.cityCode',
  'a.anonymous',
  'a.createdAt',
  'a.updatedAt',
  'a.answeredAt',
  'a.acknowledgeBy',
  'a.nextUpdateBy',
  'a.resolveBy',
  'a.dueAt',
  'u.name as unitName',
  'p.name as platformName',
  'h.displayName as assigneeName',
  hasNoDue.as('hasNoDue'),
] as const;

export async function listAppeals(db: Db, f: InboxFilter) {
  if (f.scope !== 'all') return walkUnits(db, f, f.scope);
  return twoPartPage(f, (part, limit) => everyPageQuery(db, f, part, limit).execute());
}

/**
 * A system administrator's page: the same two walks as a unit's, over the `appeals_due (due_at, id)`
 * index of the whole table instead of a unit's reach rows. Both parts order by (due_at, id) — in the
 * part without a deadline every due_at is NULL, so that is id order — because PostgreSQL takes an index
 * order only for the index's own columns, and `IS NULL` does not make due_at a constant for it.
 */
export function everyPageQuery(db: Db, f: InboxFilter, part: 'due' | 'none', limit: number) {
  let query = db
    .selectFrom('appeals as a')
    .innerJoin('orgUnits as u', 'u.id', 'a.unitId')
    .leftJoin('platforms as p', 'p.id', 'a.platformId')
    .leftJoin('users as h', 'h.id', 'a.assigneeUserId')
    .select(listColumns)
    .where((eb) => matchesFilter(eb, f));
  const after = f.after;
  if (part === 'due') {
    query = query.where('a.dueAt', 'is not', null);
    if (f.overdue === true) query = query.where('a.dueAt', '<', f.now);
    if (f.overdue === false) query = query.where('a.dueAt', '>=', f.now);
    if (after && after.hasNoDue === 0) query = query.where((eb) => eb(eb.refTuple('a.dueAt', 'a.id'), '>', eb.tuple(after.dueAt ?? '', after.id)));
  } else {
    query = query.where('a.dueAt', 'is', null);
    if (after && after.hasNoDue === 1) query = query.where('a.id', '>', after.id);
  }
  return query.orderBy('a.dueAt').orderBy('a.id').limit(limit);
}

/**
 * One page of a unit's appeals from its reach rows, in two walks of the (unit_id, due_at, appeal_id)
 * index: running deadlines first, then those without one. Each reads at most `limit` + 1 rows that pass
 * the filters, however many appeals the subtree holds. The engines sort NULL at opposite ends of an
 * index, so the two parts are asked for separately rather than in one ORDER BY.
 */
export function unitPageQuery(db: Db, unitId: number, f: InboxFilter, part: 'due' | 'none', limit: number) {
  let query = db
    .selectFrom('appealReach as r')
    .innerJoin('appeals as a', 'a.id', 'r.appealId')
    .innerJoin('orgUnits as u', 'u.id', 'a.unitId')
    .leftJoin('platforms as p', 'p.id', 'a.platformId')
    .leftJoin('users as h', 'h.id', 'a.assigneeUserId')
    .select(listColumns)
    .where('r.unitId', '=', unitId)
    .where((eb) => matchesFilter(eb, f));
  const after = f.after;
  if (part === 'due') {
    query = query.where('r.dueAt', 'is not', null);
    if (f.overdue === true) query = query.where('r.dueAt', '<', f.now);
    if (f.overdue === false) query = query.where('r.dueAt', '>=', f.now);
    if (after && after.hasNoDue === 0) query = query.where((eb) => eb(eb.refTuple('r.dueAt', 'r.appealId'), '>', eb.tuple(after.dueAt ?? '', after.id)));
  } else {
    query = query.where('r.dueAt', 'is', null);
    if (after && after.hasNoDue === 1) query = query.where('r.appealId', '>', after.id);
  }
  return query.orderBy('r.dueAt').orderBy('r.appealId').limit(limit);
}

type PageRow = Awaited<ReturnType<ReturnType<typeof unitPageQuery>['execute']>>[number];

/** Running deadlines first, then — if the page is not full and overdue ones alone were not asked for — the rest. */
async function twoPartPage<Row>(f: InboxFilter, read: (part: 'due' | 'none', limit: number) => Promise<Row[]>): Promise<Row[]> {
  const wanted = f.limit + 1;
  const rows: Row[] = [];
  if (f.after?.hasNoDue !== 1) rows.push(...(await read('due', wanted)));
  if (rows.length < wanted && f.overdue !== true) rows.push(...(await read('none', wanted - rows.length)));
  return rows;
}

/** What every page has; anything else given is a filter. */
const pageKeys = new Set<string>(['scope', 'now', 'after', 'limit'] satisfies (keyof InboxFilter)[]);

/**
 * No filter besides the unit: the inbox as it opens, and the pages after (the most frequent by far). Told
 * from the keys given rather than a list of filters, so a filter added later can never be dropped here.
 */
const isPlain = (f: InboxFilter) => Object.entries(f).every(([key, value]) => pageKeys.has(key) || value === undefined);

const unfiltered: InboxFilter = { scope: [], now: '', after: null, limit: 0 };
type PlainPageParams = { unitId: number; limit: number; afterDueAt: string; afterId: number };

// The plain pages' four statements, compiled once (db/prepared.ts): Kysely built and compiled this join of
// five tables anew on every page, ~0.1–0.2 ms of the inbox's ~0.6 at 1m workers in-process (issue 6).
const plainPages = {
  dueFirst: preparedStatement(['unitId', 'limit'], (db, p: PlainPageParams) => unitPageQuery(db, p.unitId, unfiltered, 'due', p.limit)),
  dueAfter: preparedStatement(['unitId', 'limit', 'afterDueAt', 'afterId'], (db, p: PlainPageParams) =>
    unitPageQuery(db, p.unitId, { ...unfiltered, after: { hasNoDue: 0, dueAt: p.afterDueAt, id: p.afterId } }, 'due', p.limit),
  ),
  noneFirst: preparedStatement(['unitId', 'limit'], (db, p: PlainPageParams) => unitPageQuery(db, p.unitId, unfiltered, 'none', p.limit)),
  noneAfter: preparedStatement(['unitId', 'limit', 'afterId'], (db, p: PlainPageParams) =>
    unitPageQuery(db, p.unitId, { ...unfiltered, after: { hasNoDue: 1, dueAt: null, id: p.afterId } }, 'none', p.limit),
  ),
};

async function plainPart(db: Db, unitId: number, after: InboxFilter['after'], part: 'due' | 'none', limit: number): Promise<PageRow[]> {
  const params = { unitId, limit, afterDueAt: after?.dueAt ?? '', afterId: after?.id ?? 0 };
  if (part === 'due') return (await (after && after.hasNoDue === 0 ? plainPages.dueAfter : plainPages.dueFirst)(db, params)).rows;
  return (await (after && after.hasNoDue === 1 ? plainPages.noneAfter : plainPages.noneFirst)(db, params)).rows;
}

const unitPage = (db: Db, unitId: number, f: InboxFilter): Promise<PageRow[]> =>
  twoPartPage(f, (part, limit) => (isPlain(f) ? plainPart(db, unitId, f.after, part, limit) : unitPageQuery(db, unitId, f, part, limit).execute()));

const byInboxOrder = (x: PageRow, y: PageRow) =>
  Number(x.hasNoDue) - Number(y.hasNoDue) || (x.dueAt ?? '').localeCompare(y.dueAt ?? '') || x.id - y.id;

/** A page over one or more subtrees: each unit's own page, merged in inbox order without duplicates. */
async function walkUnits(db: Db, f: InboxFilter, scope: readonly string[]): Promise<PageRow[]> {
  const unitIds = [...new Set(scope.map(unitIdOf))];
  if (unitIds.length === 0) return [];
  const pages = [];
  for (const unitId of unitIds) pages.push(await unitPage(db, unitId, f));
  if (pages.length === 1) return pages[0]!;
  const seen = new Set<number>();
  return pages
    .flat()
    .sort(byInboxOrder)
    .filter((row) => !seen.has(row.id) && seen.add(row.id))
    .slice(0, f.limit + 1);
}
export type InboxRow = Awaited<ReturnType<typeof listAppeals>>[number];
