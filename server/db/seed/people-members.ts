// Members hosted by the branches (some of them drivers), and the roles they hold.
import { chinaDate } from '../../core/clock.js';
import { encryptNullable } from '../../core/sensitive.js';
import type { MemberRoleKind, MobilityType } from '../tables.js';
import { type Gender, personName, randomGender } from './chinese-names.js';
import { demoLogins } from './demo-accounts.js';
import { timeOn } from './org-world.js';
import { Random, addDays } from './random.js';
import { type SeedCity, type SeedProvince, seedProvince } from './regions.js';
import { districtCode, homeOrgText, homeProvinceCodes, idCardNumber, maleShareOf, mobilityReasonByWorkType, otherMobilityReasons, sortKeyOf, uniquePhone } from './people-vocabulary.js';
import { type Branch, type PeopleInput, type Row, type WorkerFacts } from './people-parts.js';

// ---------------------------------------------------------------------------------------------
// Members

export type MemberDraft = {
  id: number;
  branch: Branch;
  /** Index into the worker facts when the member is also a worker (same person, same phone). */
  worker: number;
  full: boolean;
  joinDate: string;
  createdOn: string;
  homeOrgText: string | null;
  /** Holds or held a role: kept out of transfers. */
  roles: boolean;
  transferred: boolean;
  row: MemberRow;
};

export const memberColumns = [
  'id', 'name', 'nameSort', 'gender', 'birthYear', 'phoneEnc', 'phoneHash', 'phoneTail', 'idCardEnc', 'idCardHash', 'joinDate',
  'status', 'unitId', 'unitPath', 'isMobile', 'homeOrgText', 'homeUnitId', 'mobilityType', 'mobilityReason', 'workerId',
  'liaisonTarget', 'createdAt', 'updatedAt',
] as const;
export type MemberRow = { [K in (typeof memberColumns)[number]]: string | number | null };

export const later = (a: string, b: string) => (a > b ? a : b);
export const earlier = (a: string, b: string) => (a < b ? a : b);

/** A date in [from, to]; `from` when the range is empty. */
export function dayIn(rng: Random, from: string, to: string): string {
  return to <= from ? from : rng.dateBetween(from, to);
}

/** A birth year between 1960 and 2000, most around 1980 (the sum of two uniform draws). */
export function birthYearOf(rng: Random): number {
  return 1960 + Math.round((rng.next() + rng.next()) * 20);
}

export function homeOf(rng: Random, branch: Branch): { type: MobilityType; province: SeedProvince; city: SeedCity } {
  const ownProvince = seedProvince(`${branch.city.code.slice(0, 2)}0000`);
  const type = rng.weightedPick<MobilityType>(['across_provinces', 'within_province', 'within_city'], [55, 30, 15]);
  if (type === 'within_city') return { type, province: ownProvince, city: branch.city };
  if (type === 'within_province') {
    const others = ownProvince.cities.filter((c) => c.code !== branch.city.code);
    if (others.length) return { type, province: ownProvince, city: rng.pick(others) };
    return { type: 'within_city', province: ownProvince, city: branch.city };
  }
  const province = seedProvince(rng.pick(homeProvinceCodes.filter((code) => code !== ownProvince.code)));
  return { type, province, city: rng.pick(province.cities) };
}

export function buildMembers(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, workers: WorkerFacts, phones: Set<number>, firstId: number): MemberDraft[] {
  const { codec, now, scale } = input;
  const rng = Random.stream(input.seed, 'people:members');
  const today = chinaDate(now);
  const yesterday = addDays(today, -1);
  const totalWorkers = Math.max(1, workers.count);
  const secretaryName = demoLogins.find((l) => l.username === 'branch')?.displayName ?? '刘晓燕';
  const linkedWorkers = new Set<number>();
  const idCards = new Set<string>();
  const members: MemberDraft[] = [];
  if (scale.members === 0) return members;
  for (const branch of branches) {
    // Members in proportion to the workers a branch serves, and at least three: a branch needs them.
    const count = Math.max(3, Math.round((scale.members * branch.workers.length) / totalWorkers));
    for (let k = 0; k < count; k++) {
      const isSecretary = k === 0 && branch === anchor;
      // About three in ten members are themselves one of the branch's workers: one person, one phone.
      let worker = -1;
      if (!isSecretary && branch.workers.length > 0 && rng.chance(0.3)) {
        const candidate = rng.pick(branch.workers) - workers.firstId;
        if (candidate > 0 && workers.reachable[candidate] === 1 && !linkedWorkers.has(candidate)) {
          worker = candidate;
          linkedWorkers.add(candidate);
        }
      }
      let gender: Gender;
      let name: string;
      let phone: string;
      if (worker >= 0) {
        gender = workers.male[worker] === 1 ? 'male' : 'female';
        name = workers.name[worker] as string;
        phone = String(workers.phone[worker]);
      } else {
        gender = isSecretary ? 'female' : randomGender(rng, maleShareOf[branch.workType] - 0.1);
        name = isSecretary ? secretaryName : personName(rng, gender);
        phone = uniquePhone(rng, phones);
      }
      const birthYear = birthYearOf(rng);
      const birthDate = rng.dateBetween(`${birthYear}-01-01`, `${birthYear}-12-31`);
      // One in ten joined within the last year and is still probationary; the first of a branch is full.
      const full = k === 0 || rng.chance(0.9);
      const adult = addDays(birthDate, 18 * 365 + 5);
      const joinDate = full ? dayIn(rng, later(adult, '1985-01-01'), addDays(today, -400)) : dayIn(rng, later(adult, addDays(today, -330)), addDays(today, -20));
      const mobile = !isSecretary && rng.chance(0.6);
      const home = mobile ? homeOf(rng, branch) : null;
      const homeText = home ? homeOrgText(rng, home.province, home.city) : null;
      const reason = home ? (rng.chance(0.8) ? mobilityReasonByWorkType[branch.workType] : rng.pick(otherMobilityReasons)) : null;
      let idCard: string;
      do idCard = idCardNumber(rng, districtCode(rng, home ? home.city : branch.city), birthDate, gender);
      while (idCards.has(idCard));
      idCards.add(idCard);
      const workerCreated = worker >= 0 ? addDays(dateOfWorkerDay(workers.createdDay[worker] as number), 1) : '';
      const createdOn = earlier(yesterday, dayIn(rng, later(later(branch.unit.establishedOn, joinDate), workerCreated), yesterday));
      const createdAt = timeOn(createdOn, rng);
      const id = firstId + members.length;
      branch.members.push(members.length);
      members.push({
        id,
        branch,
        worker,
        full,
        joinDate,
        createdOn,
        homeOrgText: homeText,
        roles: false,
        transferred: false,
        row: {
          id,
          name,
          nameSort: sortKeyOf(name),
          gender,
          birthYear,
          phoneEnc: codec.encrypt(phone),
          phoneHash: codec.hash(phone),
          phoneTail: phone.slice(-4),
          idCardEnc: codec.encrypt(idCard),
          idCardHash: codec.hash(idCard),
          // Membership details are stored encrypted; the draft keeps them in clear for the later parts.
          joinDate: codec.encrypt(joinDate),
          status: full ? 'full' : 'probationary',
          unitId: branch.unit.id,
          unitPath: branch.unit.path,
          isMobile: mobile ? 1 : 0,
          homeOrgText: encryptNullable(codec, homeText),
          homeUnitId: null,
          mobilityType: home ? home.type : null,
          mobilityReason: encryptNullable(codec, home && home.type === 'within_city' ? '工作地与组织关系所在街道不同' : reason),
          workerId: worker >= 0 ? workers.firstId + worker : null,
          liaisonTarget: 10,
          createdAt,
          updatedAt: createdAt,
        },
      });
    }
  }
  return members;
}

export function dateOfWorkerDay(day: number): string {
  return addDays('1970-01-01', day);
}

// ---------------------------------------------------------------------------------------------
// Roles

export const roleColumns = ['memberId', 'unitId', 'role', 'fromDate', 'toDate'] as const;

/** Chooses each branch's office holders, past and present (written once the members are). */
export function buildRoles(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, members: MemberDraft[]): Row[] {
  const rng = Random.stream(input.seed, 'people:roles');
  const today = chinaDate(input.now);
  const yesterday = addDays(today, -1);
  const rows: Row[] = [];
  for (const branch of branches) {
    const established = branch.unit.establishedOn;
    const fulls = branch.members.map((i) => members[i] as MemberDraft).filter((m) => m.full);
    if (fulls.length === 0) continue;
    // The demo secretary holds the demo branch's chair; elsewhere the longest-standing member is likeliest.
    const [first, ...rest] = fulls;
    const secretary = branch === anchor ? (first as MemberDraft) : (rng.chance(0.5) ? (first as MemberDraft) : rng.pick(fulls));
    const free = rng.shuffle([first as MemberDraft, ...rest].filter((m) => m !== secretary));
    const earliestFor = (m: MemberDraft) => later(established, m.joinDate);
    const add = (m: MemberDraft, unitId: number, role: MemberRoleKind, fromDate: string, toDate: string | null) => {
      m.roles = true;
      rows.push({ memberId: m.id, unitId, role, fromDate, toDate });
    };
    // A branch founded two years ago or more may have changed secretary since.
    const previous = free.length > 0 && established <= addDays(today, -730) && rng.chance(0.35) ? (free.pop() as MemberDraft) : null;
    if (previous) {
      const from = earliestFor(previous);
      const change = dayIn(rng, later(addDays(from, 180), earliestFor(secretary)), addDays(today, -60));
      add(previous, branch.unit.id, 'secretary', from, change);
      add(secretary, branch.unit.id, 'secretary', change, null);
      if (rng.chance(0.5)) add(previous, branch.unit.id, 'committee_member', change, null);
    } else {
      const from = earliestFor(secretary);
      add(secretary, branch.unit.id, 'secretary', dayIn(rng, from, earlier(addDays(from, 90), yesterday)), null);
    }
    if (fulls.length >= 4 && free.length > 0 && rng.chance(0.6)) {
      const deputy = free.pop() as MemberDraft;
      add(deputy, branch.unit.id, 'deputy_secretary', dayIn(rng, earliestFor(deputy), addDays(today, -30)), null);
    }
    if (fulls.length >= 5) {
      for (let n = rng.int(1, 2); n > 0 && free.length > 0; n--) {
        const member = free.pop() as MemberDraft;
        add(member, branch.unit.id, 'committee_member', dayIn(rng, earliestFor(member), addDays(today, -30)), null);
      }
    }
    // Roles that ended: a committee member who stepped down.
    if (free.length > 0 && rng.chance(0.25)) {
      const member = free.pop() as MemberDraft;
      const from = dayIn(rng, earliestFor(member), addDays(today, -240));
      add(member, branch.unit.id, 'committee_member', from, dayIn(rng, addDays(from, 180), addDays(today, -30)));
    }
    for (const group of branch.groups) {
      if (free.length === 0 || !rng.chance(0.5)) continue;
      const member = free.pop() as MemberDraft;
      add(member, group.id, 'group_leader', dayIn(rng, later(group.establishedOn, member.joinDate), addDays(today, -14)), null);
    }
  }
  return rows;
}
