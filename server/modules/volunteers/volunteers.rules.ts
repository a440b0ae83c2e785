// Volunteer teams are led by a member and open to every worker; hours count once the leader (or staff)
// has verified them, and nobody verifies their own. Who may see names, manage and verify is decided here.
import { type Actor, type Decision, authorize } from '../../core/scope.js';
import { HOURS_STEP, MAX_HOURS, MIN_HOURS } from './volunteers.schema.js';

export type Refusal = { zh: string; en: string };

// ---------------------------------------------------------------------------------------------
// Hours

/** Why an amount of hours cannot be logged, or null when it can (0.5 to 12 in half-hour steps). */
export function hoursRefusal(hours: number): Refusal | null {
  if (!Number.isFinite(hours) || hours < MIN_HOURS) return { zh: `至少 ${MIN_HOURS} 小时`, en: `must be at least ${MIN_HOURS} hours` };
  if (hours > MAX_HOURS) return { zh: `一天最多登记 ${MAX_HOURS} 小时`, en: `at most ${MAX_HOURS} hours a day` };
  if (!Number.isInteger(hours / HOURS_STEP)) return { zh: `应以 ${HOURS_STEP} 小时为单位`, en: `must be in steps of ${HOURS_STEP} hours` };
  return null;
}

/** Hours as stored: half-hours, so sums are whole numbers on both engines. */
export function toHalfHours(hours: number): number {
  const refusal = hoursRefusal(hours);
  if (refusal) throw new RangeError(refusal.en);
  return Math.round(hours * 2);
}

export const hoursOf = (halfHours: number): number => halfHours / 2;

/** Spacing and case of what was done do not make a different entry. */
export function normalizeDescription(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// Dates and periods

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A period of days, both ends included; an open end runs on. */
export type Period = { from: string; to: string | null };

export function periodsOverlap(a: Period, b: Period): boolean {
  return (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to);
}

/** A service date a person may log: not ahead of today, within the team's life, not over a year old. */
export function serviceDateRefusal(date: string, today: string, team: { foundedOn: string; closedOn: string | null }): Refusal | null {
  if (date > today) return { zh: '不能登记未来日期的服务', en: 'service cannot be logged for a future date' };
  if (date < team.foundedOn) return { zh: '服务日期早于服务队成立日期', en: 'the date is before the team was founded' };
  if (team.closedOn !== null && date > team.closedOn) return { zh: '服务日期晚于服务队撤销日期', en: 'the date is after the team was closed' };
  if (date < addDays(today, -365)) return { zh: '只能登记一年以内的服务', en: 'only service within the last year can be logged' };
  return null;
}

export type Term = Period & { id: number };

/**
 * A new holder of a post: the current open-ended holder hands over the day before; any other overlap
 * with a recorded term is refused, so a post has at most one holder on any day.
 */
export function planHandover(terms: readonly Term[], next: Period): { end: { id: number; on: string } | null } | { refusal: Refusal } {
  if (next.to !== null && next.to < next.from) return { refusal: refusals.endBeforeStart };
  let end: { id: number; on: string } | null = null;
  const adjusted = terms.map((t) => {
    if (t.to === null && t.from < next.from) {
      end = { id: t.id, on: addDays(next.from, -1) };
      return { ...t, to: end.on };
    }
    return t;
  });
  if (adjusted.some((t) => periodsOverlap(t, next))) {
    return { refusal: refusals.termOverlap };
  }
  return { end };
}

/** Which term holds a post on a day, if any. */
export function holderOn<T extends { fromDate: string; toDate: string | null }>(terms: readonly T[], day: string): T | null {
  return terms.find((t) => t.fromDate <= day && (t.toDate === null || day <= t.toDate)) ?? null;
}

/** The ledger's period: to defaults to today, from to a year before; from after to is refused. */
export function ledgerPeriod(query: { from?: string; to?: string }, today: string): { from: string; to: string } | { refusal: Refusal } {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -365);
  if (from > to) return { refusal: { zh: '开始日期晚于结束日期', en: 'from is after to' } };
  return { from, to };
}

// ---------------------------------------------------------------------------------------------
// Who may do what

/** The person behind a session: staff grants, and the worker or member record the account is linked to. */
export type Viewer = { actor: Actor; workerId: number | null; memberId: number | null };
export type PersonRef = { workerId: number | null; memberId: number | null };
export type TeamScope = { unitPath: string; leaderMemberId: number };

export function leadsTeam(viewer: Viewer, team: TeamScope): boolean {
  return viewer.memberId !== null && viewer.memberId === team.leaderMemberId;
}

export function isSamePerson(viewer: Pick<Viewer, 'workerId' | 'memberId'>, person: PersonRef): boolean {
  return (person.workerId !== null && person.workerId === viewer.workerId) || (person.memberId !== null && person.memberId === viewer.memberId);
}

/** Names on the roster and in the team's records: the team's leader, and staff who read people there. */
export function rosterReadAccess(viewer: Viewer, team: TeamScope): Decision {
  return leadsTeam(viewer, team) ? 'allowed' : authorize(viewer.actor, 'person.read', team.unitPath);
}

/**
 * Whether a viewer of the roster may also see who is a worker and who a member (the record ids): staff
 * who read people do; a leader without that grant sees names only, since membership is sensitive.
 */
export function mayIdentify(viewer: Viewer, team: TeamScope): boolean {
  return authorize(viewer.actor, 'person.read', team.unitPath) === 'allowed';
}

/** A person's view with the record ids left out, for viewers who may not identify them. */
export function namesOnly<T extends PersonRef>(row: T): T {
  return { ...row, workerId: null, memberId: null };
}

/** Adding and removing people: the leader, and staff who manage the unit. */
export function rosterWriteAccess(viewer: Viewer, team: TeamScope): Decision {
  return leadsTeam(viewer, team) ? 'allowed' : authorize(viewer.actor, 'org.write', team.unitPath);
}

/** The team itself (name, description, founding, closing): staff who manage the unit. */
export function teamManageAccess(viewer: Viewer, team: TeamScope): Decision {
  return authorize(viewer.actor, 'org.write', team.unitPath);
}

export type VerifyDecision = Decision | 'own_record';

/** Verifying or rejecting a pending record: the team's leader or staff, never the person who served. */
export function verifyAccess(viewer: Viewer, team: TeamScope, record: PersonRef): VerifyDecision {
  const decision = rosterWriteAccess(viewer, team);
  if (decision === 'allowed' && isSamePerson(viewer, record)) return 'own_record';
  return decision;
}

/** Revoking a verified record is a correction of the ledger: staff only, the leader's word is already in it. */
export function revokeAccess(viewer: Viewer, team: TeamScope): Decision {
  return authorize(viewer.actor, 'org.write', team.unitPath);
}

/**
 * A worker or member may join any open team of the units above or below their own: no membership, no
 * invitation. Staff who read the unit find it through their grant instead.
 */
export function mayJoin(personUnitPath: string | null, teamUnitPath: string): boolean {
  if (personUnitPath === null) return false;
  return personUnitPath.startsWith(teamUnitPath) || teamUnitPath.startsWith(personUnitPath);
}

/** The paths of a unit and every unit above it, from a materialized path ("/1/7/42/"). */
export function lineOf(unitPath: string): string[] {
  const ids = unitPath.split('/').filter(Boolean);
  return ids.map((_, i) => `/${ids.slice(0, i + 1).join('/')}/`);
}

export const refusals = {
  leaderMustBeMember: { zh: '服务队队长须由党员担任（队员不限，所有劳动者均可加入）', en: 'the team leader must be a member (anyone may join as a volunteer)' },
  alreadyOnRoster: { zh: '此人已在该服务队中', en: 'this person is already on the team' },
  leaderCannotLeave: { zh: '队长不能直接退出，请先移交队长', en: 'the leader cannot leave; hand the team over first' },
  notOnRoster: { zh: '此人不在该服务队中，请先加入', en: 'this person is not on the team; join it first' },
  teamClosed: { zh: '该服务队已撤销', en: 'this team is closed' },
  notPending: { zh: '只有待核实的记录可以核实或退回', en: 'only a pending record can be verified or rejected' },
  notVerified: { zh: '只有已核实的记录可以撤销', en: 'only a verified record can be revoked' },
  ownRecord: { zh: '不能核实自己的服务记录', en: 'nobody verifies their own service record' },
  duplicateRecord: { zh: '同一天、同一内容的服务已经登记过', en: 'this service was already logged for that day' },
  termOverlap: { zh: '与该岗位已有的任期重叠：一个先锋岗同一时间只有一位上岗党员', en: 'overlaps a recorded term: a vanguard post has one holder at a time' },
  futureTerm: { zh: '该岗位有尚未开始的任期，请先调整后再撤销', en: 'the post has a term that has not begun yet; change it before retiring the post' },
  postClosed: { zh: '该先锋岗已撤销', en: 'this vanguard post is closed' },
  noHolder: { zh: '该先锋岗目前无人上岗', en: 'nobody holds this post now' },
  endBeforeStart: { zh: '结束日期早于开始日期', en: 'the end is before the start' },
  gridOverlap: { zh: '此人在该社区网格已有重叠的任职', en: 'this worker already serves this grid in an overlapping period' },
  gridEnded: { zh: '该网格任职已结束', en: 'this grid role has already ended' },
  duplicateName: { zh: '该组织下已有同名的在册服务队或先锋岗', en: 'an open team or post of this unit already has this name' },
} satisfies Record<string, Refusal>;

// ---------------------------------------------------------------------------------------------
// The ledger

/** One group of records as the query returns it: a team, a person, a status, their sum and count. */
export type LedgerRow = PersonRef & { teamId: number; status: string; halfHours: number; records: number };
export type Totals = { verifiedHours: number; pendingHours: number; verifiedRecords: number; pendingRecords: number };
export type PersonTotals = Totals & PersonRef & { teams: number };

const emptyTotals = (): Totals => ({ verifiedHours: 0, pendingHours: 0, verifiedRecords: 0, pendingRecords: 0 });

export const personKeyOf = (p: PersonRef): string => (p.workerId !== null ? `w${p.workerId}` : `m${p.memberId ?? 0}`);

function add(totals: Totals, row: LedgerRow): void {
  if (row.status === 'verified') {
    totals.verifiedHours += hoursOf(row.halfHours);
    totals.verifiedRecords += row.records;
  } else if (row.status === 'pending') {
    totals.pendingHours += hoursOf(row.halfHours);
    totals.pendingRecords += row.records;
  }
}

/**
 * Folds grouped records into totals per team, per person and for the unit. Only verified hours count;
 * pending ones are shown beside them; rejected ones are left out. A volunteer is someone with verified hours.
 */
export function foldLedger(rows: readonly LedgerRow[]) {
  const total = { ...emptyTotals(), volunteers: 0 };
  const teams = new Map<number, Totals & { volunteers: number }>();
  const people = new Map<string, PersonTotals & { teamIds: Set<number> }>();
  const volunteersOfTeam = new Map<number, Set<string>>();
  for (const row of rows) {
    if (row.status !== 'verified' && row.status !== 'pending') continue;
    const key = personKeyOf(row);
    add(total, row);
    let team = teams.get(row.teamId);
    if (!team) teams.set(row.teamId, (team = { ...emptyTotals(), volunteers: 0 }));
    add(team, row);
    let person = people.get(key);
    if (!person) people.set(key, (person = { ...emptyTotals(), workerId: row.workerId, memberId: row.memberId, teams: 0, teamIds: new Set() }));
    add(person, row);
    person.teamIds.add(row.teamId);
    if (row.status === 'verified') {
      const seen = volunteersOfTeam.get(row.teamId) ?? new Set<string>();
      seen.add(key);
      volunteersOfTeam.set(row.teamId, seen);
    }
  }
  for (const [teamId, seen] of volunteersOfTeam) (teams.get(teamId) as { volunteers: number }).volunteers = seen.size;
  const personList: PersonTotals[] = [...people.values()].map(({ teamIds, ...p }) => ({ ...p, teams: teamIds.size }));
  total.volunteers = personList.filter((p) => p.verifiedRecords > 0).length;
  // Most verified hours first; ties by key so the order is the same on every engine.
  personList.sort((a, b) => b.verifiedHours - a.verifiedHours || b.pendingHours - a.pendingHours || personKeyOf(a).localeCompare(personKeyOf(b)));
  return { total, teams, people: personList };
}
