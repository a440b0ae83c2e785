// The demo's people: workers served by the mobile branches, the members those branches host (some
// of them drivers themselves), their roles, transfers and self-declarations, and the liaison between
// members and workers with its contact log. Everything is drawn from seeded streams, so names,
// phones, ID numbers and assignments repeat from run to run; only the encrypted columns differ
// byte-wise, because every encryption takes a fresh random IV.
//
// Rows are generated and written in chunks (one transaction per ~50,000 rows, 500-row INSERTs), and
// only compact per-person facts are kept between the parts, so the bench world (a million workers,
// a hundred thousand members) fits in memory.
import { type Kysely, sql } from 'kysely';
import { chinaDate } from '../../core/clock.js';
import { nameSortKey } from '../../core/name-sort.js';
import type { SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import { engineOf } from '../engine.js';
import type { ContactChannel, Database, MemberRoleKind, MobilityType, Vehicle, WorkType } from '../tables.js';
import { writeSearchTokensBatch } from '../text-search.js';
import { insertRows } from './bulk-insert.js';
import { type Gender, personName, randomGender } from './chinese-names.js';
import { demoLogins } from './demo-accounts.js';
import { type OrgWorld, type SeedUnit, timeOn } from './org-world.js';
import { seedPlatforms } from './platforms.js';
import { Random, addDays, epochDay, weightedPicker } from './random.js';
import { type SeedCity, type SeedProvince, seedCity, seedProvince } from './regions.js';

type Db = Kysely<Database>;

/** How many people to generate. */
export type PeopleScale = { workers: number; members: number };

export const demoPeople: PeopleScale = { workers: 4_000, members: 400 };
export const benchPeople: PeopleScale = { workers: 1_000_000, members: 100_000 };

/** Rows written per transaction. */
const CHUNK = 50_000;
/** Rows per search-token statement (two bound parameters a row). */
const TOKEN_BATCH = 500;

export type PeopleSummary = {
  workers: number;
  members: number;
  memberRoles: number;
  memberTransfers: number;
  memberDeclarations: number;
  liaisonAssignments: number;
  liaisonContacts: number;
};

export type PeopleInput = {
  db: Db;
  codec: SensitiveCodec;
  seed: number;
  now: Date;
  world: OrgWorld;
  platformIds: ReadonlyMap<string, number>;
  scale: PeopleScale;
  /** The demo logins' user ids, when the demo-accounts step ran: the driver and the secretary are linked. */
  users?: { driver?: number; branch?: number };
  /** Wall time of each part, for the benchmark notes. */
  timings?: Record<string, number>;
};

// ---------------------------------------------------------------------------------------------
// Small generators

// Mobile number segments of the three carriers (13x, 15x, 17x, 18x, 19x), as people have them.
const PHONE_PREFIXES = [
  130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159,
  170, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 193, 195, 198, 199,
];

/** A mainland mobile number not drawn before (kept as a number: exact below 2^53, and compact). */
function uniquePhone(rng: Random, taken: Set<number>): string {
  for (;;) {
    const phone = (PHONE_PREFIXES[Math.floor(rng.next() * PHONE_PREFIXES.length)] as number) * 1e8 + Math.floor(rng.next() * 1e8);
    if (!taken.has(phone)) {
      taken.add(phone);
      return String(phone);
    }
  }
}

const ID_CARD_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CARD_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits. */
export function idCardCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (ID_CARD_WEIGHTS[i] as number) * (first17.charCodeAt(i) - 48);
  return ID_CARD_CHECK[sum % 11] as string;
}

/** An 18-character ID number: area, birth date, sequence (odd for men, even for women), check. */
function idCardNumber(rng: Random, areaCode: string, birthDate: string, gender: Gender): string {
  let sequence = rng.int(1, 998);
  if ((sequence % 2 === 1) !== (gender === 'male')) sequence += 1;
  const first17 = `${areaCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idCardCheck(first17);
}

function districtCode(rng: Random, city: SeedCity): string {
  return city.districts.length ? rng.pick(city.districts).code : city.code;
}

const nameSortCache = new Map<string, string>();
/** Names repeat a lot over a million people; the pinyin conversion is the slow part. */
function sortKeyOf(name: string): string {
  let key = nameSortCache.get(name);
  if (key === undefined) {
    key = nameSortKey(name);
    nameSortCache.set(name, key);
  }
  return key;
}

/** Men's share by kind of work: drivers are overwhelmingly men, riders and couriers a little less. */
const maleShareOf: Record<WorkType, number> = { ride_hailing: 0.9, freight: 0.95, delivery: 0.85, courier: 0.8, other: 0.9 };

/** Initials of each platform's name in pinyin, before its worker numbers (QH2258094). */
const workerIdPrefix: Record<string, string> = { qinghe: 'QH', nuantu: 'NT', zaitu: 'ZT', qianyi: 'QY', fandian: 'FD', xiaoman: 'XM', yunjian: 'YJ', angui: 'AG' };

type VehicleChoice = { items: Vehicle[]; weights: number[] };
const vehiclesByPlatform: Record<string, VehicleChoice> = {
  // Same-city freight: vans on demand, some light trucks; long-haul: heavy trucks mostly.
  zaitu: { items: ['van', 'light_truck', 'medium_truck'], weights: [55, 35, 10] },
  qianyi: { items: ['heavy_truck', 'medium_truck', 'light_truck'], weights: [60, 30, 10] },
  // Designated drivers ride a folding e-bike to the customer and back, or take the metro.
  angui: { items: ['e_bike', 'none'], weights: [65, 35] },
};
const vehiclesByWorkType: Record<WorkType, VehicleChoice> = {
  ride_hailing: { items: ['car'], weights: [1] },
  freight: { items: ['van', 'light_truck', 'medium_truck', 'heavy_truck'], weights: [40, 30, 15, 15] },
  delivery: { items: ['e_bike', 'none'], weights: [95, 5] },
  courier: { items: ['e_bike', 'van', 'none'], weights: [85, 10, 5] },
  other: { items: ['e_bike', 'none'], weights: [65, 35] },
};

const CONSENT_VERSION = '2026-10';
const CONSENT_PURPOSE = '为办理您提出的诉求、提供驿站与关爱服务、开展联系走访，处理您的姓名、手机号、所属平台与服务城市信息';
const consentChannels = ['mobile_page', 'paper', 'import'];
const consentChannelWeights = [60, 15, 25];

/** Provinces many mobile workers come from (labour-exporting), for home organizations elsewhere. */
const homeProvinceCodes = ['410000', '510000', '430000', '340000', '360000', '450000', '520000', '420000', '500000', '130000', '370000', '620000', '530000'];

const villageNames = [
  '红星', '新华', '团结', '光明', '前进', '和平', '胜利', '东风', '向阳', '民主', '建设', '幸福', '新民', '长青', '柳林', '桃园',
  '石桥', '大坪', '白沙', '青山', '河口', '龙泉', '双河', '高桥', '马家', '王庄', '李湾', '陈岗', '杨柳', '黄土', '三合', '永安',
];
const communityNames = ['文化', '建设', '和平', '新村', '东街', '南苑', '滨河', '解放', '人民', '长安', '朝阳', '花园'];

function homeOrgText(rng: Random, province: SeedProvince, city: SeedCity): string {
  const district = city.districts.length ? rng.pick(city.districts).name : '';
  const place = province.municipality ? `${province.name}${district}` : `${province.name}${city.name}${district}`;
  return rng.chance(0.75) ? `${place}${rng.pick(villageNames)}村党支部` : `${place}${rng.pick(communityNames)}社区党支部`;
}

const mobilityReasonByWorkType: Record<WorkType, string> = {
  ride_hailing: '外出从事网约车客运',
  freight: '外出从事货运驾驶',
  delivery: '外出从事外卖配送',
  courier: '外出从事快递收派',
  other: '外出从事代驾服务',
};
const otherMobilityReasons = ['随配偶外出务工', '外出务工，户籍地无固定工作', '在务工城市租房定居，子女随迁就读'];

const contactNotes = [
  '了解近期接单和收入情况',
  '提醒夏季高温注意休息，介绍附近驿站',
  '转达支部主题党日活动安排，欢迎参加',
  '询问车辆保险续保情况',
  '了解家庭情况，孩子在老家上学',
  '宣传交通安全和防疲劳驾驶',
  '介绍司机之家免费体检活动',
  '协助在手机上完成个人信息授权',
  '反映的问题已转支部书记跟进',
  '回访上次反映的问题，已得到答复',
  '一起在驿站吃午饭，聊了工作近况',
  '提醒按时休息，不要连续长时间驾驶',
];
const demands = [
  '平台抽成上调，收入下降',
  '派单减少，空驶时间变长',
  '高峰期罚款规则不清楚，申诉没有回应',
  '充电桩排队时间长，希望驿站增加快充',
  '希望解决子女在务工地入学问题',
  '小区不让外卖电动车进入，送餐超时被扣款',
  '货车进城限行时段调整，影响接单',
  '希望参加职业伤害保障',
  '账号被封没有说明原因',
  '停车难，临时停车被贴罚单',
  '希望驿站延长夜间开放时间',
  '医保异地报销手续复杂',
];
const contactChannels: ContactChannel[] = ['phone', 'wechat', 'visit', 'station'];
const contactChannelWeights = [40, 30, 15, 15];

const transferReasons = ['工作调动到新的城市', '随所在平台调整服务区域', '回原籍所在地工作', '家庭搬迁，就近参加组织生活'];
const transferRejectReasons = ['接收支部与党员实际工作地不一致，请核实后重新申请', '材料不全，缺少党员组织关系介绍信', '申请转入的支部已撤销，请选择其他支部'];
const declarationRejectReasons = ['原籍党组织回复查无此人', '入党时间与档案记载不符，请补充材料后重新申报', '未能联系到原籍党组织，请提供组织关系介绍信'];

// ---------------------------------------------------------------------------------------------
// Workers

type Branch = {
  unit: SeedUnit;
  index: number;
  platformCode: string;
  workType: WorkType;
  city: SeedCity;
  groups: SeedUnit[];
  /** Ids of the workers it serves, in id order. */
  workers: number[];
  /** Indexes into the member list of the members it hosts. */
  members: number[];
};

/** Compact facts about every worker, for the later parts (indexed by id - firstId). */
type WorkerFacts = {
  firstId: number;
  count: number;
  branch: Int32Array;
  /** 1 when active with consent not withdrawn: may have a liaison or declare membership. */
  reachable: Uint8Array;
  male: Uint8Array;
  phone: Float64Array;
  name: string[];
  createdDay: Int32Array;
};

const workerColumns = [
  'id', 'name', 'nameSort', 'phoneEnc', 'phoneHash', 'phoneTail', 'platformId', 'platformWorkerId', 'workType', 'vehicle',
  'cityCode', 'unitId', 'unitPath', 'status', 'userId', 'consentVersion', 'consentPurpose', 'consentAt', 'consentChannel',
  'consentWithdrawnAt', 'createdAt', 'updatedAt',
] as const;
type WorkerRow = { [K in (typeof workerColumns)[number]]: string | number | null };

async function nextId(db: Db, table: 'workers' | 'members'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('id').as('maxId')).executeTakeFirst();
  return Number(row?.maxId ?? 0) + 1;
}

async function syncSequence(db: Db, table: 'workers' | 'members'): Promise<void> {
  // Explicit ids do not advance a serial's sequence on PostgreSQL; SQLite's autoincrement follows max(id).
  if (engineOf(db) === 'postgres') {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db);
  }
}

async function writeChunk(db: Db, table: 'workers' | 'members', columns: readonly string[], rows: Record<string, string | number | null>[], tokens: { id: number; tokens: string[] }[]) {
  await db.transaction().execute(async (trx) => {
    await insertRows(trx, table, columns as never, rows as never);
    for (let start = 0; start < tokens.length; start += TOKEN_BATCH) {
      await writeSearchTokensBatch(trx, table, tokens.slice(start, start + TOKEN_BATCH));
    }
  });
}

function branchesOf(world: OrgWorld, platformIds: ReadonlyMap<string, number>): Branch[] {
  const codeOfId = new Map([...platformIds].map(([code, id]) => [id, code]));
  const groupsOf = new Map<number, SeedUnit[]>();
  for (const unit of world.units) {
    if (unit.kind !== 'group' || unit.closedOn !== null || unit.parentId === null) continue;
    const list = groupsOf.get(unit.parentId) ?? [];
    list.push(unit);
    groupsOf.set(unit.parentId, list);
  }
  return world.units
    .filter((u) => u.kind === 'mobile_branch' && u.closedOn === null && u.platformId !== null && u.cityCode !== null)
    .map((unit, index) => {
      const platformCode = codeOfId.get(unit.platformId as number) as string;
      const platform = seedPlatforms.find((p) => p.code === platformCode);
      if (!platform) throw new Error(`Unit ${unit.id} names a platform the seed did not insert`);
      return { unit, index, platformCode, workType: platform.workType, city: seedCity(unit.cityCode as string), groups: groupsOf.get(unit.id) ?? [], workers: [], members: [] };
    });
}

async function seedWorkers(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, phones: Set<number>): Promise<WorkerFacts> {
  const { db, codec, now, scale } = input;
  const rng = Random.stream(input.seed, 'people:workers');
  const today = chinaDate(now);
  const yesterday = addDays(today, -1);
  const firstDay = addDays(today, -3 * 365);
  const firstId = await nextId(db, 'workers');
  const count = scale.workers;
  const facts: WorkerFacts = {
    firstId,
    count,
    branch: new Int32Array(count),
    reachable: new Uint8Array(count),
    male: new Uint8Array(count),
    phone: new Float64Array(count),
    name: new Array<string>(count),
    createdDay: new Int32Array(count),
  };
  // Branches differ in size: the busiest serve about three times as many workers as the quietest.
  const pickBranch = weightedPicker(branches, branches.map(() => 0.5 + rng.next()));
  const vehiclePickers = new Map<string, (r: Random) => Vehicle>();
  const vehicleOf = (branch: Branch) => {
    let pick = vehiclePickers.get(branch.platformCode);
    if (!pick) {
      const choice = vehiclesByPlatform[branch.platformCode] ?? vehiclesByWorkType[branch.workType];
      pick = weightedPicker(choice.items, choice.weights);
      vehiclePickers.set(branch.platformCode, pick);
    }
    return pick(rng);
  };
  // Platform worker ids: the platform's initials and a number that grows by small random steps.
  const workerNumbers = new Map(seedPlatforms.map((p) => [p.code, rng.int(1_000_000, 3_000_000)]));
  const pickChannel = weightedPicker(consentChannels, consentChannelWeights);
  const driverName = demoLogins.find((l) => l.username === 'driver')?.displayName ?? '王海涛';

  let rows: WorkerRow[] = [];
  let tokens: { id: number; tokens: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    // The demo driver comes first, in the demo secretary's branch, active and consenting.
    const isDriver = i === 0 && anchor !== undefined;
    const branch = isDriver && anchor ? anchor : pickBranch(rng);
    const gender: Gender = isDriver ? 'male' : randomGender(rng, maleShareOf[branch.workType]);
    const name = isDriver ? driverName : personName(rng, gender);
    const phone = uniquePhone(rng, phones);
    const number = (workerNumbers.get(branch.platformCode) as number) + rng.int(1, 9);
    workerNumbers.set(branch.platformCode, number);
    const earliest = branch.unit.establishedOn > firstDay ? branch.unit.establishedOn : firstDay;
    const createdOn = rng.dateBetween(earliest, yesterday);
    const createdAt = timeOn(createdOn, rng);
    const active = isDriver || rng.chance(0.95);
    const consented = isDriver || rng.chance(0.9);
    const consentAt = consented ? timeOn(rng.dateBetween(createdOn > '2026-10-01' ? createdOn : '2026-10-01', yesterday), rng) : null;
    const withdrawnAt = consentAt !== null && !isDriver && rng.chance(0.006) ? timeOn(rng.dateBetween(consentAt.slice(0, 10), yesterday), rng) : null;
    const updatedAt = [createdAt, consentAt ?? '', withdrawnAt ?? ''].reduce((a, b) => (b > a ? b : a));
    rows.push({
      id,
      name,
      nameSort: sortKeyOf(name),
      phoneEnc: codec.encrypt(phone),
      phoneHash: codec.hash(phone),
      phoneTail: phone.slice(-4),
      platformId: branch.unit.platformId,
      platformWorkerId: `${workerIdPrefix[branch.platformCode] ?? branch.platformCode.toUpperCase()}${number}`,
      workType: branch.workType,
      vehicle: vehicleOf(branch),
      cityCode: branch.city.code,
      unitId: branch.unit.id,
      unitPath: branch.unit.path,
      status: active ? 'active' : 'inactive',
      userId: isDriver ? (input.users?.driver ?? null) : null,
      consentVersion: consentAt ? CONSENT_VERSION : null,
      consentPurpose: consentAt ? CONSENT_PURPOSE : null,
      consentAt,
      consentChannel: consentAt ? (isDriver ? 'mobile_page' : pickChannel(rng)) : null,
      consentWithdrawnAt: withdrawnAt,
      createdAt,
      updatedAt,
    });
    tokens.push({ id, tokens: personTokens(name, phone.slice(-4)) });
    branch.workers.push(id);
    facts.branch[i] = branch.index;
    facts.reachable[i] = active && withdrawnAt === null ? 1 : 0;
    facts.male[i] = gender === 'male' ? 1 : 0;
    facts.phone[i] = Number(phone);
    facts.name[i] = name;
    facts.createdDay[i] = epochDay(createdOn);
    if (rows.length === CHUNK || i === count - 1) {
      await writeChunk(db, 'workers', workerColumns, rows, tokens);
      rows = [];
      tokens = [];
    }
  }
  await syncSequence(db, 'workers');
  if (anchor && input.users?.driver !== undefined && count > 0) {
    await db.updateTable('users').set({ workerId: firstId }).where('id', '=', input.users.driver).execute();
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Writing many rows: one transaction per CHUNK rows

type Row = Record<string, string | number | null>;

class ChunkWriter {
  private rows: Row[] = [];
  count = 0;
  constructor(
    private readonly db: Db,
    private readonly table: keyof Database,
    private readonly columns: readonly string[],
  ) {}

  async push(row: Row): Promise<void> {
    this.rows.push(row);
    this.count += 1;
    if (this.rows.length >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    await this.db.transaction().execute((trx) => insertRows(trx, this.table, this.columns as never, rows as never));
  }
}

// ---------------------------------------------------------------------------------------------
// Members

type MemberDraft = {
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

const memberColumns = [
  'id', 'name', 'nameSort', 'gender', 'birthYear', 'phoneEnc', 'phoneHash', 'phoneTail', 'idCardEnc', 'idCardHash', 'joinDate',
  'status', 'unitId', 'unitPath', 'isMobile', 'homeOrgText', 'homeUnitId', 'mobilityType', 'mobilityReason', 'workerId',
  'liaisonTarget', 'createdAt', 'updatedAt',
] as const;
type MemberRow = { [K in (typeof memberColumns)[number]]: string | number | null };

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/** A date in [from, to]; `from` when the range is empty. */
function dayIn(rng: Random, from: string, to: string): string {
  return to <= from ? from : rng.dateBetween(from, to);
}

/** A birth year between 1960 and 2000, most around 1980 (the sum of two uniform draws). */
function birthYearOf(rng: Random): number {
  return 1960 + Math.round((rng.next() + rng.next()) * 20);
}

function homeOf(rng: Random, branch: Branch): { type: MobilityType; province: SeedProvince; city: SeedCity } {
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

function buildMembers(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, workers: WorkerFacts, phones: Set<number>, firstId: number): MemberDraft[] {
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
          joinDate,
          status: full ? 'full' : 'probationary',
          unitId: branch.unit.id,
          unitPath: branch.unit.path,
          isMobile: mobile ? 1 : 0,
          homeOrgText: homeText,
          homeUnitId: null,
          mobilityType: home ? home.type : null,
          mobilityReason: home && home.type === 'within_city' ? '工作地与组织关系所在街道不同' : reason,
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

function dateOfWorkerDay(day: number): string {
  return addDays('1970-01-01', day);
}

// ---------------------------------------------------------------------------------------------
// Roles

const roleColumns = ['memberId', 'unitId', 'role', 'fromDate', 'toDate'] as const;

/** Chooses each branch's office holders, past and present (written once the members are). */
function buildRoles(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, members: MemberDraft[]): Row[] {
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

// ---------------------------------------------------------------------------------------------
// Transfers

const transferColumns = [
  'memberId', 'fromUnitId', 'toUnitId', 'status', 'reason', 'rejectReason', 'requestedAt', 'requestedBy', 'approvedAt', 'approvedBy',
  'acceptedAt', 'acceptedBy', 'doneAt', 'rejectedAt', 'rejectedBy',
] as const;

/** Chooses transfers in each state; a done one moves the member (the row still to be inserted). */
function buildTransfers(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, members: MemberDraft[]): Row[] {
  const rng = Random.stream(input.seed, 'people:transfers');
  const today = chinaDate(input.now);
  const yesterday = addDays(today, -1);
  const perState = Math.max(2, Math.round(members.length / 130));
  const oldEnough = addDays(today, -160);
  // Anyone without a role, not also a worker (whose branch follows their platform), and on record for a while.
  const candidates = rng.shuffle(members.filter((m) => !m.roles && m.worker < 0 && m.createdOn <= oldEnough));
  // The demo branch has one of each, so its pages show both sides of the workflow.
  candidates.sort((a, b) => Number(b.branch === anchor) - Number(a.branch === anchor));
  const byPlatform = new Map<string, Branch[]>();
  for (const b of branches) byPlatform.set(b.platformCode, [...(byPlatform.get(b.platformCode) ?? []), b]);
  const otherBranch = (branch: Branch): Branch | null => {
    const same = (byPlatform.get(branch.platformCode) ?? []).filter((b) => b !== branch);
    if (same.length && rng.chance(0.7)) return rng.pick(same);
    const any = branches.filter((b) => b !== branch);
    return any.length ? rng.pick(any) : null;
  };
  const at = (from: string, to: string) => timeOn(dayIn(rng, from, earlier(to, yesterday)), rng);
  const plusDays = (time: string, min: number, max: number) => at(addDays(time.slice(0, 10), min), addDays(time.slice(0, 10), max));
  const rows: Row[] = [];
  const states = ['requested', 'approved', 'done', 'rejected'] as const;
  let next = 0;
  for (const state of states) {
    for (let n = 0; n < perState && next < candidates.length; n++) {
      const member = candidates[next++] as MemberDraft;
      const other = otherBranch(member.branch);
      if (!other) continue;
      member.transferred = true;
      const row: Row = {
        memberId: member.id,
        fromUnitId: member.branch.unit.id,
        toUnitId: other.unit.id,
        status: state,
        reason: rng.pick(transferReasons),
        rejectReason: null,
        requestedAt: '',
        requestedBy: null,
        approvedAt: null,
        approvedBy: null,
        acceptedAt: null,
        acceptedBy: null,
        doneAt: null,
        rejectedAt: null,
        rejectedBy: null,
      };
      if (state === 'requested') row.requestedAt = at(addDays(today, -25), yesterday);
      if (state === 'approved') {
        row.requestedAt = at(addDays(today, -40), addDays(today, -10));
        row.approvedAt = plusDays(row.requestedAt, 1, 5);
      }
      if (state === 'done') {
        // Arrived here from another branch: the member is hosted by the receiving branch now.
        row.fromUnitId = other.unit.id;
        row.toUnitId = member.branch.unit.id;
        row.requestedAt = at(addDays(today, -150), addDays(today, -40));
        row.approvedAt = plusDays(row.requestedAt, 1, 5);
        row.acceptedAt = plusDays(row.approvedAt, 1, 5);
        row.doneAt = row.acceptedAt;
        member.row.updatedAt = row.doneAt;
      }
      if (state === 'rejected') {
        row.requestedAt = at(addDays(today, -90), addDays(today, -20));
        // Half are turned down by the sending side, half by the receiving side after approval.
        if (rng.chance(0.5)) row.approvedAt = plusDays(row.requestedAt, 1, 5);
        row.rejectedAt = plusDays((row.approvedAt ?? row.requestedAt) as string, 1, 10);
        row.rejectReason = rng.pick(transferRejectReasons);
      }
      rows.push(row);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Declarations (摸排)

const declarationColumns = ['workerId', 'unitId', 'unitPath', 'homeOrgText', 'joinDate', 'status', 'decisionReason', 'decidedAt', 'decidedBy', 'memberId', 'createdAt'] as const;

function buildDeclarations(input: PeopleInput, branches: Branch[], anchor: Branch | undefined, workers: WorkerFacts, members: MemberDraft[]): Row[] {
  const rng = Random.stream(input.seed, 'people:declarations');
  const today = chinaDate(input.now);
  const yesterday = addDays(today, -1);
  const rows: Row[] = [];
  const declared = new Set<number>();
  for (const m of members) if (m.worker >= 0) declared.add(m.worker);
  // Verified: half the mobile members who are also workers came to light by declaring themselves.
  for (const m of members) {
    if (m.worker < 0 || m.homeOrgText === null || !rng.chance(0.5)) continue;
    const workerCreated = dateOfWorkerDay(workers.createdDay[m.worker] as number);
    const filed = dayIn(rng, later(workerCreated, addDays(m.createdOn, -10)), m.createdOn);
    rows.push({
      workerId: workers.firstId + m.worker,
      unitId: m.branch.unit.id,
      unitPath: m.branch.unit.path,
      homeOrgText: m.homeOrgText,
      joinDate: m.joinDate,
      status: 'verified',
      decisionReason: null,
      decidedAt: m.row.createdAt,
      decidedBy: null,
      memberId: m.id,
      createdAt: timeOn(filed, rng),
    });
  }
  const declarer = (branch: Branch): number => {
    for (let tries = 0; tries < 20; tries++) {
      const w = rng.pick(branch.workers) - workers.firstId;
      if (w > 0 && workers.reachable[w] === 1 && !declared.has(w)) {
        declared.add(w);
        return w;
      }
    }
    return -1;
  };
  const fresh = (status: 'pending' | 'rejected', branch: Branch) => {
    const w = branch.workers.length ? declarer(branch) : -1;
    if (w < 0) return;
    const home = homeOf(rng, branch);
    const workerCreated = dateOfWorkerDay(workers.createdDay[w] as number);
    const filed = status === 'pending' ? dayIn(rng, later(workerCreated, addDays(today, -30)), yesterday) : dayIn(rng, later(workerCreated, addDays(today, -120)), addDays(today, -20));
    rows.push({
      workerId: workers.firstId + w,
      unitId: branch.unit.id,
      unitPath: branch.unit.path,
      homeOrgText: homeOrgText(rng, home.province, home.city),
      joinDate: rng.dateBetween('2000-01-01', addDays(today, -400)),
      status,
      decisionReason: status === 'rejected' ? rng.pick(declarationRejectReasons) : null,
      decidedAt: status === 'rejected' ? timeOn(dayIn(rng, addDays(filed, 2), earlier(addDays(filed, 10), yesterday)), rng) : null,
      decidedBy: null,
      memberId: null,
      createdAt: timeOn(filed, rng),
    });
  };
  const pending = Math.max(3, Math.round(members.length / 50));
  const rejected = Math.max(2, Math.round(members.length / 100));
  // The demo branch's inbox has two waiting.
  for (let n = 0; n < pending; n++) fresh('pending', n < 2 && anchor ? anchor : rng.pick(branches));
  for (let n = 0; n < rejected; n++) fresh('rejected', rng.pick(branches));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Liaison and the contact log

const assignmentColumns = ['workerId', 'memberId', 'assignedAt', 'assignedBy'] as const;
const contactColumns = ['memberId', 'workerId', 'contactedOn', 'channel', 'notes', 'demandsRaised', 'createdAt', 'createdBy'] as const;

async function seedLiaison(input: PeopleInput, branches: Branch[], workers: WorkerFacts, members: MemberDraft[]): Promise<{ assignments: number; contacts: number }> {
  const rng = Random.stream(input.seed, 'people:liaison');
  const contactRng = Random.stream(input.seed, 'people:contacts');
  const today = chinaDate(input.now);
  const yesterday = addDays(today, -1);
  const window = addDays(today, -90);
  const assignments = new ChunkWriter(input.db, 'liaisonAssignments', assignmentColumns);
  const contacts = new ChunkWriter(input.db, 'liaisonContacts', contactColumns);
  const pickChannel = weightedPicker(contactChannels, contactChannelWeights);
  const pickContactCount = weightedPicker([0, 1, 2, 3, 4], [25, 35, 22, 12, 6]);
  const linked = new Set<number>();
  for (const m of members) if (m.worker >= 0) linked.add(m.worker);
  for (const branch of branches) {
    // Workers who are members themselves need no liaison; inactive ones and those who withdrew consent get none.
    const open = rng.shuffle(branch.workers.map((id) => id - workers.firstId).filter((w) => workers.reachable[w] === 1 && !linked.has(w)));
    // Some workers stay without a liaison: the coverage figures have something to show.
    let capacity = Math.floor(open.length * 0.85);
    let next = 0;
    for (const index of rng.shuffle([...branch.members])) {
      const member = members[index] as MemberDraft;
      const profile = rng.next();
      const wanted = profile < 0.12 ? rng.int(0, 3) : profile < 0.9 ? rng.int(6, 10) : rng.int(11, 12);
      const take = Math.min(wanted, capacity);
      capacity -= take;
      // About one member in seven has not contacted anyone lately: the secretary's list of whom to remind.
      const silent = contactRng.chance(0.15);
      for (let n = 0; n < take; n++) {
        const w = open[next++] as number;
        const workerId = workers.firstId + w;
        const assignedOn = dayIn(rng, later(member.createdOn, dateOfWorkerDay(workers.createdDay[w] as number)), yesterday);
        await assignments.push({ workerId, memberId: member.id, assignedAt: timeOn(assignedOn, rng), assignedBy: null });
        if (silent) continue;
        for (let c = pickContactCount(contactRng); c > 0; c--) {
          const on = dayIn(contactRng, later(assignedOn, window), yesterday);
          await contacts.push({
            memberId: member.id,
            workerId,
            contactedOn: on,
            channel: pickChannel(contactRng),
            notes: contactRng.pick(contactNotes),
            demandsRaised: contactRng.chance(0.2) ? contactRng.pick(demands) : null,
            createdAt: timeOn(on, contactRng),
            createdBy: null,
          });
        }
      }
    }
  }
  await assignments.flush();
  await contacts.flush();
  return { assignments: assignments.count, contacts: contacts.count };
}

// ---------------------------------------------------------------------------------------------
// The step

/** Seeds every people table; returns the counts. Run after the org world (and the demo accounts). */
export async function seedPeople(input: PeopleInput): Promise<PeopleSummary> {
  const branches = branchesOf(input.world, input.platformIds);
  const summary: PeopleSummary = { workers: 0, members: 0, memberRoles: 0, memberTransfers: 0, memberDeclarations: 0, liaisonAssignments: 0, liaisonContacts: 0 };
  if (branches.length === 0 || input.scale.workers === 0) return summary;
  const { db } = input;
  const anchor = branches.find((b) => b.unit.id === input.world.anchors.firstChengduBranch);
  // One set of phones for workers and members: the same number is the same person, linked, never two.
  const phones = new Set<number>();
  const timed = async <T>(part: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    if (input.timings) input.timings[part] = Math.round(performance.now() - started);
    return result;
  };
  const workers = await timed('people:workers', () => seedWorkers(input, branches, anchor, phones));
  summary.workers = workers.count;

  const members = await timed('people:members', async () => {
    const drafts = buildMembers(input, branches, anchor, workers, phones, await nextId(db, 'members'));
    // Roles and transfers are decided before the members are written: a done transfer updates the member.
    const roles = buildRoles(input, branches, anchor, drafts);
    const transfers = buildTransfers(input, branches, anchor, drafts);
    for (let start = 0; start < drafts.length; start += CHUNK) {
      const chunk = drafts.slice(start, start + CHUNK);
      await writeChunk(db, 'members', memberColumns, chunk.map((m) => m.row), chunk.map((m) => ({ id: m.id, tokens: personTokens(String(m.row.name), String(m.row.phoneTail)) })));
    }
    await syncSequence(db, 'members');
    const roleWriter = new ChunkWriter(db, 'memberRoles', roleColumns);
    for (const role of roles) await roleWriter.push(role);
    await roleWriter.flush();
    summary.memberRoles = roles.length;
    await db.transaction().execute((trx) => insertRows(trx, 'memberTransfers', transferColumns, transfers as never));
    summary.memberTransfers = transfers.length;
    const declarations = buildDeclarations(input, branches, anchor, workers, drafts);
    await db.transaction().execute((trx) => insertRows(trx, 'memberDeclarations', declarationColumns, declarations as never));
    summary.memberDeclarations = declarations.length;
    const secretary = anchor ? drafts[anchor.members[0] as number] : undefined;
    if (secretary && input.users?.branch !== undefined) {
      await db.updateTable('users').set({ memberId: secretary.id }).where('id', '=', input.users.branch).execute();
    }
    return drafts;
  });
  summary.members = members.length;

  const liaison = await timed('people:liaison', () => seedLiaison(input, branches, workers, members));
  summary.liaisonAssignments = liaison.assignments;
  summary.liaisonContacts = liaison.contacts;
  return summary;
}
