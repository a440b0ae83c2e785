// Vocabulary and identities for the demo people: phone numbers, ID numbers, home organizations,
// the words of contact notes, demands and reasons.
import { idCardCheckCharacter } from '../../core/sensitive.js';
import { nameSortKey } from '../../core/name-sort.js';
import type { ContactChannel, Vehicle, WorkType } from '../tables.js';
import { type Gender } from './chinese-names.js';
import { type Random } from './random.js';
import { type SeedCity, type SeedProvince } from './regions.js';

// ---------------------------------------------------------------------------------------------
// Small generators

// Mobile number segments of the three carriers (13x, 15x, 17x, 18x, 19x), as people have them.
export const PHONE_PREFIXES = [
  130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159,
  170, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 193, 195, 198, 199,
];

/** A mainland mobile number not drawn before (kept as a number: exact below 2^53, and compact). */
export function uniquePhone(rng: Random, taken: Set<number>): string {
  for (;;) {
    const phone = (PHONE_PREFIXES[Math.floor(rng.next() * PHONE_PREFIXES.length)] as number) * 1e8 + Math.floor(rng.next() * 1e8);
    if (!taken.has(phone)) {
      taken.add(phone);
      return String(phone);
    }
  }
}

/** An 18-character ID number: area, birth date, sequence (odd for men, even for women), check. */
export function idCardNumber(rng: Random, areaCode: string, birthDate: string, gender: Gender): string {
  let sequence = rng.int(1, 998);
  if ((sequence % 2 === 1) !== (gender === 'male')) sequence += 1;
  const first17 = `${areaCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idCardCheckCharacter(first17);
}

export function districtCode(rng: Random, city: SeedCity): string {
  return city.districts.length ? rng.pick(city.districts).code : city.code;
}

export const nameSortCache = new Map<string, string>();
/** Names repeat a lot over a million people; the pinyin conversion is the slow part. */
export function sortKeyOf(name: string): string {
  let key = nameSortCache.get(name);
  if (key === undefined) {
    key = nameSortKey(name);
    nameSortCache.set(name, key);
  }
  return key;
}

/** Men's share by kind of work: drivers are overwhelmingly men, riders and couriers a little less. */
export const maleShareOf: Record<WorkType, number> = { ride_hailing: 0.9, freight: 0.95, delivery: 0.85, courier: 0.8, other: 0.9 };

/** Initials of each platform's name in pinyin, before its worker numbers (QH2258094). */
export const workerIdPrefix: Record<string, string> = { qinghe: 'QH', nuantu: 'NT', zaitu: 'ZT', qianyi: 'QY', fandian: 'FD', xiaoman: 'XM', yunjian: 'YJ', angui: 'AG' };

export type VehicleChoice = { items: Vehicle[]; weights: number[] };
export const vehiclesByPlatform: Record<string, VehicleChoice> = {
  // Same-city freight: vans on demand, some light trucks; long-haul: heavy trucks mostly.
  zaitu: { items: ['van', 'light_truck', 'medium_truck'], weights: [55, 35, 10] },
  qianyi: { items: ['heavy_truck', 'medium_truck', 'light_truck'], weights: [60, 30, 10] },
  // Designated drivers ride a folding e-bike to the customer and back, or take the metro.
  angui: { items: ['e_bike', 'none'], weights: [65, 35] },
};
export const vehiclesByWorkType: Record<WorkType, VehicleChoice> = {
  ride_hailing: { items: ['car'], weights: [1] },
  freight: { items: ['van', 'light_truck', 'medium_truck', 'heavy_truck'], weights: [40, 30, 15, 15] },
  delivery: { items: ['e_bike', 'none'], weights: [95, 5] },
  courier: { items: ['e_bike', 'van', 'none'], weights: [85, 10, 5] },
  other: { items: ['e_bike', 'none'], weights: [65, 35] },
};

export const CONSENT_VERSION = '2026-10';
export const CONSENT_PURPOSE = '为办理您提出的诉求、提供驿站与关爱服务、开展联系走访，处理您的姓名、手机号、所属平台与服务城市信息';
export const consentChannels = ['mobile_page', 'paper', 'import'];
export const consentChannelWeights = [60, 15, 25];

/** Provinces many mobile workers come from (labour-exporting), for home organizations elsewhere. */
export const homeProvinceCodes = ['410000', '510000', '430000', '340000', '360000', '450000', '520000', '420000', '500000', '130000', '370000', '620000', '530000'];

export const villageNames = [
  '红星', '新华', '团结', '光明', '前进', '和平', '胜利', '东风', '向阳', '民主', '建设', '幸福', '新民', '长青', '柳林', '桃园',
  '石桥', '大坪', '白沙', '青山', '河口', '龙泉', '双河', '高桥', '马家', '王庄', '李湾', '陈岗', '杨柳', '黄土', '三合', '永安',
];
export const communityNames = ['文化', '建设', '和平', '新村', '东街', '南苑', '滨河', '解放', '人民', '长安', '朝阳', '花园'];

export function homeOrgText(rng: Random, province: SeedProvince, city: SeedCity): string {
  const district = city.districts.length ? rng.pick(city.districts).name : '';
  const place = province.municipality ? `${province.name}${district}` : `${province.name}${city.name}${district}`;
  return rng.chance(0.75) ? `${place}${rng.pick(villageNames)}村党支部` : `${place}${rng.pick(communityNames)}社区党支部`;
}

export const mobilityReasonByWorkType: Record<WorkType, string> = {
  ride_hailing: '外出从事网约车客运',
  freight: '外出从事货运驾驶',
  delivery: '外出从事外卖配送',
  courier: '外出从事快递收派',
  other: '外出从事代驾服务',
};
export const otherMobilityReasons = ['随配偶外出务工', '外出务工，户籍地无固定工作', '在务工城市租房定居，子女随迁就读'];

export const contactNotes = [
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
export const demands = [
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
export const contactChannels: ContactChannel[] = ['phone', 'wechat', 'visit', 'station'];
export const contactChannelWeights = [40, 30, 15, 15];

export const transferReasons = ['工作调动到新的城市', '随所在平台调整服务区域', '回原籍所在地工作', '家庭搬迁，就近参加组织生活'];
export const transferRejectReasons = ['接收支部与党员实际工作地不一致，请核实后重新申请', '材料不全，缺少党员组织关系介绍信', '申请转入的支部已撤销，请选择其他支部'];
export const declarationRejectReasons = ['原籍党组织回复查无此人', '入党时间与档案记载不符，请补充材料后重新申报', '未能联系到原籍党组织，请提供组织关系介绍信'];
