// The demo's volunteering: a few dozen teams in the branches (some at their platform committee), each led
// by a member of the branch with a roster of mostly non-member workers; four months of service records,
// mostly verified, some pending or rejected; vanguard posts held by members with their history; and
// workers serving as community grid members. Reads the people the people step wrote, draws from its own
// random streams, and writes in one transaction with multi-row inserts.
import { type Kysely, sql } from 'kysely';
import { createHash } from 'node:crypto';
import { chinaDate } from '../../core/clock.js';
import { engineOf } from '../engine.js';
import type { Database } from '../tables.js';
import { insertRows } from './bulk-insert.js';
import { type OrgWorld, type SeedUnit, timeOn } from './org-world.js';
import { seedPlatforms } from './platforms.js';
import { Random, addDays, weightedPicker } from './random.js';
import { seedCity } from './regions.js';
import * as words from './volunteers-vocabulary.js';

type Db = Kysely<Database>;
type Row = Record<string, string | number | null>;

export type VolunteersSummary = {
  volunteerTeams: number;
  volunteerTeamMembers: number;
  serviceRecords: number;
  vanguardPosts: number;
  vanguardPostTerms: number;
  gridRoles: number;
};

export type VolunteersInput = {
  db: Db;
  seed: number;
  now: Date;
  world: OrgWorld;
  platformIds: ReadonlyMap<string, number>;
  /** The demo logins: the driver belongs to a team with hours logged; the secretary verifies her branch's. */
  users: { driver?: number; branch?: number };
};

// The service records span the last four months, as the demo's appeals do.
const WINDOW_DAYS = 120;
const MAX_TEAMS = 48;

const teamColumns = ['id', 'unitId', 'unitPath', 'name', 'description', 'leaderMemberId', 'foundedOn', 'closedOn', 'closeReason', 'createdBy', 'createdAt', 'updatedAt'] as const;
const rosterColumns = ['teamId', 'workerId', 'memberId', 'role', 'joinedOn', 'leftOn', 'addedBy', 'createdAt'] as const;
const recordColumns = ['teamId', 'workerId', 'memberId', 'serviceDate', 'halfHours', 'description', 'descriptionHash', 'status', 'rejectReason', 'verifiedBy', 'verifiedAt', 'createdBy', 'createdAt', 'updatedAt'] as const;
const postColumns = ['id', 'unitId', 'unitPath', 'title', 'kind', 'duties', 'closedOn', 'createdBy', 'createdAt', 'updatedAt'] as const;
const termColumns = ['postId', 'memberId', 'fromDate', 'toDate', 'endReason', 'createdBy', 'createdAt'] as const;
const gridColumns = ['workerId', 'unitId', 'unitPath', 'communityName', 'cityCode', 'gridName', 'gridNumber', 'roleTitle', 'fromDate', 'toDate', 'endReason', 'createdBy', 'createdAt', 'updatedAt'] as const;

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);
// As the server stores it (volunteers.rules normalizeDescription, then SHA-256), so the unique index agrees.
const hashOf = (text: string) => createHash('sha256').update(text.trim().replace(/\s+/g, ' ')).digest('hex');

async function nextIdOf(db: Db, table: 'volunteerTeams' | 'vanguardPosts'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('id').as('maxId')).executeTakeFirst();
  return Number(row?.maxId ?? 0) + 1;
}

async function syncSequence(db: Db, table: 'volunteer_teams' | 'vanguard_posts'): Promise<void> {
  // Explicit ids do not advance a serial's sequence on PostgreSQL; SQLite's autoincrement follows max(id).
  if (engineOf(db) === 'postgres') {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db);
  }
}

type Person = { workerId: number | null; memberId: number | null };
type Branch = { unit: SeedUnit; parent: SeedUnit | undefined; platform: (typeof seedPlatforms)[number]; cityShort: string; districts: string[]; members: { id: number; workerId: number | null }[]; workers: number[] };

export async function seedVolunteers(input: VolunteersInput): Promise<VolunteersSummary> {
  const { db, world, now } = input;
  const summary: VolunteersSummary = { volunteerTeams: 0, volunteerTeamMembers: 0, serviceRecords: 0, vanguardPosts: 0, vanguardPostTerms: 0, gridRoles: 0 };
  const rng = Random.stream(input.seed, 'volunteers');
  const text = Random.stream(input.seed, 'volunteers:text');
  const today = chinaDate(now);
  const nowIso = now.toISOString();
  const windowStart = addDays(today, -WINDOW_DAYS);
  const stamp = (date: string) => earlier(timeOn(date, text), nowIso);

  // Branches that host members: a team needs a member to lead it.
  const members = await db.selectFrom('members').select(['id', 'unitId', 'workerId']).orderBy('id').execute();
  if (members.length === 0) return summary;
  const codeOfId = new Map([...input.platformIds].map(([code, id]) => [id, code]));
  const unitById = new Map(world.units.map((u) => [u.id, u]));
  const branches = new Map<number, Branch>();
  for (const m of members) {
    let branch = branches.get(m.unitId);
    if (!branch) {
      const unit = unitById.get(m.unitId);
      const platform = seedPlatforms.find((p) => p.code === codeOfId.get(unit?.platformId ?? -1));
      if (!unit || unit.kind !== 'mobile_branch' || unit.closedOn !== null || !platform || unit.cityCode === null) continue;
      const city = seedCity(unit.cityCode);
      branch = { unit, parent: unit.parentId === null ? undefined : unitById.get(unit.parentId), platform, cityShort: city.shortName, districts: city.districts.map((d) => d.code), members: [], workers: [] };
      branches.set(m.unitId, branch);
    }
    branch.members.push({ id: m.id, workerId: m.workerId });
  }
  const anchorId = world.anchors.firstChengduBranch;
  const candidates = rng.shuffle([...branches.values()].sort((a, b) => a.unit.id - b.unit.id));
  const teamBranches = candidates.sort((a, b) => Number(b.unit.id === anchorId) - Number(a.unit.id === anchorId)).slice(0, Math.min(MAX_TEAMS, Math.max(1, Math.round(candidates.length * 0.4))));

  // Only workers who are active and have not withdrawn consent are put on anything.
  const workerRows = await db
    .selectFrom('workers')
    .select(['id', 'unitId'])
    .where('unitId', 'in', teamBranches.map((b) => b.unit.id))
    .where('status', '=', 'active')
    .where('consentWithdrawnAt', 'is', null)
    .orderBy('id')
    .execute();
  for (const w of workerRows) branches.get(w.unitId as number)?.workers.push(w.id);
  const driverWorkerId = input.users.driver === undefined ? null : ((await db.selectFrom('users').select('workerId').where('id', '=', input.users.driver).executeTakeFirst())?.workerId ?? null);

  const teams: Row[] = [];
  const roster: Row[] = [];
  const records: Row[] = [];
  const seen = new Set<string>();
  const pickHours = weightedPicker(words.hourChoices, words.hourWeights);
  let teamId = await nextIdOf(db, 'volunteerTeams');
  const usedNames = new Set<string>();

  type Planned = { day: number; hours: number; status: 'verified' | 'pending' | null };
  const logService = (team: { id: number; workType: keyof typeof words.serviceByWorkType; verifier: number | null }, person: Person, from: string, to: string, count: number, fixed?: Planned[]) => {
    const start = later(from, windowStart);
    if (start > to) return;
    const plan = fixed ?? Array.from({ length: count }, (): Planned => ({ day: -1, hours: 0, status: null }));
    for (const entry of plan) {
      const date = entry.day >= 0 ? addDays(today, -entry.day) : text.dateBetween(start, to);
      const description = text.chance(0.6) ? text.pick(words.serviceByWorkType[team.workType]) : text.pick(words.generalService);
      const key = `${team.id}|${person.workerId ?? ''}|${person.memberId ?? ''}|${date}|${description}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const recent = date >= addDays(today, -14);
      const roll = rng.next();
      const status = entry.status ?? (recent ? (roll < 0.55 ? 'pending' : 'verified') : roll < 0.88 ? 'verified' : roll < 0.95 ? 'rejected' : 'pending');
      const createdAt = stamp(earlier(addDays(date, rng.int(0, 2)), today));
      const decidedAt = status === 'pending' ? null : later(stamp(earlier(addDays(date, rng.int(1, 5)), today)), createdAt);
      records.push({
        teamId: team.id,
        workerId: person.workerId,
        memberId: person.memberId,
        serviceDate: date,
        halfHours: (entry.hours > 0 ? entry.hours : pickHours(rng)) * 2,
        description,
        descriptionHash: hashOf(description),
        status,
        rejectReason: status === 'rejected' ? text.pick(words.rejectReasons) : null,
        // The secretary verifies her branch's workers; members' records were verified by the leader or staff.
        verifiedBy: status === 'pending' || person.workerId === null ? null : team.verifier,
        verifiedAt: decidedAt,
        createdBy: null,
        createdAt,
        updatedAt: decidedAt ?? createdAt,
      });
    }
  };

  for (const branch of teamBranches) {
    const isAnchor = branch.unit.id === anchorId;
    // About one team in five belongs to the platform committee, drawing volunteers from all its branches' line.
    const atCommittee = !isAnchor && branch.parent !== undefined && branch.parent.kind !== 'industry_committee' && rng.chance(0.2);
    const unit = atCommittee && branch.parent ? branch.parent : branch.unit;
    // Names are told apart across a city: when a platform's themes run out there, the branch's number is added.
    const themes = words.teamThemes[branch.platform.workType];
    const ordered = isAnchor ? [...themes] : rng.shuffle([...themes]);
    const ordinal = /第[一二三四五六七八九十百零]+/.exec(branch.unit.name)?.[0] ?? `${branch.unit.id}`;
    const choices = [...ordered.map((t) => words.teamNameOf(branch.platform.name, branch.cityShort, t)), ...ordered.map((t) => words.teamNameOf(branch.platform.name, `${branch.cityShort}${ordinal}支部`, t))];
    const name = choices.find((n) => !usedNames.has(n));
    if (name === undefined) continue;
    usedNames.add(name);
    const leader = rng.pick(branch.members);
    const foundedOn = rng.dateBetween(later(branch.unit.establishedOn, addDays(today, -3 * 365)), addDays(today, -150));
    const id = teamId++;
    const createdAt = stamp(foundedOn);
    teams.push({ id, unitId: unit.id, unitPath: unit.path, name, description: text.pick(words.teamDescriptions), leaderMemberId: leader.id, foundedOn, closedOn: null, closeReason: null, createdBy: null, createdAt, updatedAt: createdAt });
    const team = { id, workType: branch.platform.workType, verifier: isAnchor ? (input.users.branch ?? null) : null };
    roster.push({ teamId: id, workerId: null, memberId: leader.id, role: 'leader', joinedOn: foundedOn, leftOn: null, addedBy: null, createdAt });
    logService({ ...team, verifier: null }, { workerId: null, memberId: leader.id }, foundedOn, today, rng.int(3, 8));
    // A person is on a team once, under one record: a worker who is also a member is taken as the worker.
    const taken = new Set<string>([`m${leader.id}`, ...(leader.workerId !== null ? [`w${leader.workerId}`] : [])]);
    const linkedMember = new Map(branch.members.filter((m) => m.workerId !== null).map((m) => [m.workerId as number, m.id]));
    const people: Person[] = [];
    for (const workerId of rng.shuffle([...branch.workers]).slice(0, rng.int(6, 18))) {
      if (taken.has(`w${workerId}`) || workerId === driverWorkerId) continue;
      taken.add(`w${workerId}`);
      const member = linkedMember.get(workerId);
      if (member !== undefined) taken.add(`m${member}`);
      people.push({ workerId, memberId: null });
    }
    for (const m of rng.shuffle(branch.members.filter((x) => !taken.has(`m${x.id}`) && !(x.workerId !== null && taken.has(`w${x.workerId}`)))).slice(0, rng.int(1, 3))) {
      taken.add(`m${m.id}`);
      people.push({ workerId: null, memberId: m.id });
    }
    for (const person of people) {
      const joinedOn = rng.dateBetween(foundedOn, addDays(today, -20));
      const leaving = rng.chance(0.1) ? rng.dateBetween(addDays(joinedOn, 10), addDays(today, -1)) : null;
      const leftOn = leaving !== null && leaving > joinedOn && leaving < today ? leaving : null;
      roster.push({ teamId: id, ...person, role: 'volunteer', joinedOn, leftOn, addedBy: null, createdAt: stamp(joinedOn) });
      logService(team, person, joinedOn, leftOn ?? today, rng.int(0, 7));
    }
    // The demo driver is on his branch's team with a few hours: some verified, the latest still pending.
    if (isAnchor && driverWorkerId !== null) {
      const joinedOn = addDays(today, -90);
      roster.push({ teamId: id, workerId: driverWorkerId, memberId: null, role: 'volunteer', joinedOn: later(joinedOn, foundedOn), leftOn: null, addedBy: null, createdAt: stamp(joinedOn) });
      const plan: Planned[] = [
        { day: 63, hours: 2, status: 'verified' },
        { day: 41, hours: 1.5, status: 'verified' },
        { day: 26, hours: 3, status: 'verified' },
        { day: 12, hours: 2.5, status: 'verified' },
        { day: 3, hours: 2, status: 'pending' },
      ];
      logService(team, { workerId: driverWorkerId, memberId: null }, later(joinedOn, foundedOn), today, plan.length, plan);
    }
  }

  // Vanguard posts in most branches that host members, one or two each, with who held them.
  const posts: Row[] = [];
  const terms: Row[] = [];
  let postId = await nextIdOf(db, 'vanguardPosts');
  for (const branch of [...branches.values()].sort((a, b) => a.unit.id - b.unit.id)) {
    if (!rng.chance(0.6)) continue;
    const kinds = rng.shuffle([...words.vanguardKinds]).slice(0, rng.int(1, 2));
    for (const kind of kinds) {
      const id = postId++;
      const createdOn = rng.dateBetween(later(branch.unit.establishedOn, addDays(today, -3 * 365)), addDays(today, -60));
      const createdAt = stamp(createdOn);
      posts.push({ id, unitId: branch.unit.id, unitPath: branch.unit.path, title: words.postTitleOf(kind, branch.platform.workType), kind, duties: words.postDuties[kind], closedOn: null, createdBy: null, createdAt, updatedAt: createdAt });
      const holders = rng.shuffle([...branch.members]);
      let from = createdOn;
      // A third changed hands before; one in ten stands vacant now, its last holder gone.
      if (holders.length > 1 && rng.chance(0.35) && addDays(from, 60) <= addDays(today, -20)) {
        const handover = rng.dateBetween(addDays(from, 60), addDays(today, -20));
        terms.push({ postId: id, memberId: (holders.shift() as { id: number }).id, fromDate: from, toDate: addDays(handover, -1), endReason: text.pick(words.endReasons), createdBy: null, createdAt });
        from = handover;
      }
      const vacant = rng.chance(0.1);
      const endsOn = vacant ? rng.dateBetween(addDays(from, 1), addDays(today, -1)) : null;
      terms.push({ postId: id, memberId: (holders[0] as { id: number }).id, fromDate: from, toDate: endsOn, endReason: endsOn ? text.pick(words.endReasons) : null, createdBy: null, createdAt: stamp(from) });
    }
  }

  // Community grid roles for about one worker in twenty-five on the teams' branches.
  const grid: Row[] = [];
  for (const branch of teamBranches) {
    for (const workerId of branch.workers) {
      if (!rng.chance(0.04)) continue;
      const district = branch.districts.length > 0 ? rng.pick(branch.districts) : (branch.unit.cityCode as string);
      const community = text.pick(words.communities);
      const n = rng.int(1, 12);
      const fromDate = rng.dateBetween(addDays(today, -3 * 365), addDays(today, -10));
      const ended = rng.chance(0.2) ? rng.dateBetween(fromDate, addDays(today, -1)) : null;
      const createdAt = stamp(fromDate);
      grid.push({
        workerId,
        unitId: branch.unit.id,
        unitPath: branch.unit.path,
        communityName: community,
        cityCode: district,
        gridName: `${community}第${n}网格`,
        gridNumber: `${district.slice(-2)}${String(n).padStart(2, '0')}`,
        roleTitle: rng.chance(0.7) ? 'part_time_grid_member' : 'grid_member',
        fromDate,
        toDate: ended,
        endReason: ended ? text.pick(words.endReasons) : null,
        createdBy: null,
        createdAt,
        updatedAt: ended ? stamp(ended) : createdAt,
      });
    }
  }

  await db.transaction().execute(async (trx) => {
    await insertRows(trx, 'volunteerTeams', teamColumns, teams as never);
    await insertRows(trx, 'volunteerTeamMembers', rosterColumns, roster as never);
    await insertRows(trx, 'serviceRecords', recordColumns, records as never);
    await insertRows(trx, 'vanguardPosts', postColumns, posts as never);
    await insertRows(trx, 'vanguardPostTerms', termColumns, terms as never);
    await insertRows(trx, 'gridRoles', gridColumns, grid as never);
    await syncSequence(trx, 'volunteer_teams');
    await syncSequence(trx, 'vanguard_posts');
  });
  return { volunteerTeams: teams.length, volunteerTeamMembers: roster.length, serviceRecords: records.length, vanguardPosts: posts.length, vanguardPostTerms: terms.length, gridRoles: grid.length };
}
