// Member rows: columns by Chinese or English header, each row validated on its own; a rejected row
// names its field and reason in both languages, like the workers import.
import { normalizeIdCard, normalizePhone } from '../../core/sensitive.js';
import type { MemberStatus, MobilityType } from '../../db/tables.js';
import { normalizeHeader, unreadableCellMessage, unreadableCells } from './imports.rules.js';

export const memberImportFields = ['name', 'gender', 'birthYear', 'phone', 'idCard', 'joinDate', 'status', 'unit', 'isMobile', 'homeOrgText', 'mobilityType'] as const;
export type MemberImportField = (typeof memberImportFields)[number];
export const requiredMemberFields: readonly MemberImportField[] = ['name', 'gender', 'birthYear', 'phone', 'idCard', 'joinDate', 'unit'];

/** Headers as people write them, compared after normalizeHeader. The first is the one exports use. */
export const memberHeaderAliases: Record<MemberImportField, readonly string[]> = {
  name: ['姓名', 'name', '名字'],
  gender: ['性别', 'gender', 'sex'],
  birthYear: ['出生年份', 'birthyear', '出生年'],
  phone: ['手机号', 'phone', '手机', '手机号码', '联系电话', 'mobile'],
  idCard: ['身份证号', 'idcard', '身份证', '身份证号码', '公民身份号码', 'idnumber'],
  joinDate: ['入党日期', 'joindate', '入党时间'],
  status: ['状态', 'status', '党员状态'],
  unit: ['所在支部', 'unit', '支部', '所在党支部', 'unitid', 'branch'],
  isMobile: ['流动党员', 'ismobile', '是否流动党员', 'mobile member'],
  homeOrgText: ['组织关系所在地', 'homeorgtext', 'homeorg', '组织关系所在单位'],
  mobilityType: ['流动类型', 'mobilitytype'],
};

export type MemberHeaderMapping = { columns: Partial<Record<MemberImportField, number>>; missing: MemberImportField[] };

export function mapMemberHeaders(headers: readonly string[], explicit: Partial<Record<MemberImportField, string>> = {}): MemberHeaderMapping {
  const normalized = headers.map(normalizeHeader);
  const columns: Partial<Record<MemberImportField, number>> = {};
  for (const field of memberImportFields) {
    const wanted = explicit[field] !== undefined ? [normalizeHeader(explicit[field])] : memberHeaderAliases[field].map(normalizeHeader);
    const index = normalized.findIndex((h) => h !== '' && wanted.includes(h));
    if (index >= 0) columns[field] = index;
  }
  return { columns, missing: requiredMemberFields.filter((f) => columns[f] === undefined) };
}

const lookup = <T extends string>(table: Record<T, readonly string[]>) => {
  const map = new Map<string, T>();
  for (const [value, names] of Object.entries(table) as [T, readonly string[]][]) {
    map.set(value.toLowerCase(), value);
    for (const name of names) map.set(name.toLowerCase(), value);
  }
  return map;
};

const genders = lookup<'male' | 'female'>({ male: ['男', 'm'], female: ['女', 'f'] });
const statuses = lookup<MemberStatus>({ probationary: ['预备党员', '预备'], full: ['正式党员', '正式'] });
const yesNo = lookup<'yes' | 'no'>({ yes: ['是', 'true', '1', 'y'], no: ['否', 'false', '0', 'n'] });
const mobilityTypes = lookup<MobilityType>({
  within_city: ['市内流动', '市内', '同城'],
  within_province: ['省内流动', '省内跨市', '省内'],
  across_provinces: ['跨省流动', '跨省'],
});

/** Labels an export writes, so the file reads naturally and imports back. */
export const genderLabel: Record<'male' | 'female', string> = { male: '男', female: '女' };
export const statusLabel: Record<MemberStatus, string> = { probationary: '预备党员', full: '正式党员' };
export const mobilityLabel: Record<MobilityType, string> = { within_city: '市内流动', within_province: '省内流动', across_provinces: '跨省流动' };

export type MemberImportRow = {
  name: string;
  gender: 'male' | 'female';
  birthYear: number;
  phone: string;
  idCard: string;
  joinDate: string;
  status: MemberStatus;
  /** The unit as written: an id or an exact name, resolved against the uploader's scope. */
  unit: string;
  isMobile: boolean;
  homeOrgText: string | null;
  mobilityType: MobilityType | null;
};

export type MemberRowRejection = { field: MemberImportField | null; message: { zh: string; en: string } };
export type MemberRowVerdict = { ok: true; row: MemberImportRow } | { ok: false; rejections: MemberRowRejection[] };

function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * A date as spreadsheets write it: 2015-07-01, 2015/7/1 or 2015.7.1, or an Excel date serial (what a
 * date cell holds when the file is read without its styles), normalized to YYYY-MM-DD.
 */
export function normalizeDate(raw: string): string | null {
  if (/^\d{4,5}(\.\d+)?$/.test(raw.trim())) {
    const serial = Math.floor(Number(raw));
    // Day 1 is 1900-01-01; counting from 1899-12-30 absorbs Excel's phantom 1900-02-29 for later dates.
    return serial > 60 ? new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10) : null;
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw.trim());
  if (!m) return null;
  const value = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isRealDate(value) ? value : null;
}

/** Checks one row and reports every bad field, so one pass over the error report fixes the row. */
export function validateMemberRow(cells: readonly string[], mapping: MemberHeaderMapping, today: string): MemberRowVerdict {
  const cell = (field: MemberImportField) => {
    const index = mapping.columns[field];
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const rejections: MemberRowRejection[] = [];
  const reject = (field: MemberImportField, zh: string, en: string) => rejections.push({ field, message: { zh, en } });
  const unreadable = unreadableCells(cells, mapping.columns);
  if (unreadable.length > 0) return { ok: false, rejections: unreadable.map((field) => ({ field, message: unreadableCellMessage })) };

  const name = cell('name');
  if (!name) reject('name', '姓名不能为空', 'Name is required');
  else if (name.length > 50) reject('name', '姓名超过 50 个字', 'Name is longer than 50 characters');
  const genderValue = cell('gender');
  const gender = genders.get(genderValue.toLowerCase());
  if (!gender) reject('gender', genderValue ? `无法识别的性别“${genderValue}”（男/女）` : '性别不能为空', genderValue ? `Unknown gender "${genderValue}" (男/女)` : 'Gender is required');
  const yearValue = cell('birthYear');
  const birthYear = /^\d{4}$/.test(yearValue) ? Number(yearValue) : NaN;
  if (!(birthYear >= 1920 && birthYear <= 2015)) reject('birthYear', `出生年份“${yearValue}”应在 1920–2015 之间`, `Birth year "${yearValue}" must be between 1920 and 2015`);
  const rawPhone = cell('phone');
  const phone = normalizePhone(rawPhone);
  if (!phone) reject('phone', rawPhone ? `手机号 ${rawPhone} 不是 11 位中国大陆手机号` : '手机号不能为空', rawPhone ? `${rawPhone} is not an 11-digit mainland China mobile number` : 'Phone is required');
  const rawIdCard = cell('idCard');
  const idCard = normalizeIdCard(rawIdCard);
  if (!idCard) reject('idCard', rawIdCard ? '身份证号码无效（校验位不符）' : '身份证号不能为空', rawIdCard ? 'The ID number is not valid (check character mismatch)' : 'ID number is required');
  const rawJoin = cell('joinDate');
  const joinDate = normalizeDate(rawJoin);
  if (!joinDate || joinDate > today) reject('joinDate', rawJoin ? `入党日期“${rawJoin}”无效` : '入党日期不能为空', rawJoin ? `Join date "${rawJoin}" is not valid` : 'Join date is required');
  const statusValue = cell('status');
  const status = statusValue ? statuses.get(statusValue.toLowerCase()) : 'full';
  if (!status) reject('status', `无法识别的状态“${statusValue}”（预备党员/正式党员）`, `Unknown status "${statusValue}" (预备党员/正式党员)`);
  const unit = cell('unit');
  if (!unit) reject('unit', '所在支部不能为空', 'Unit is required');
  const mobileValue = cell('isMobile');
  const mobile = mobileValue ? yesNo.get(mobileValue.toLowerCase()) : 'no';
  if (!mobile) reject('isMobile', `流动党员一栏应填“是”或“否”，而不是“${mobileValue}”`, `Mobile member must be 是 or 否, not "${mobileValue}"`);
  const homeOrgText = cell('homeOrgText');
  if (homeOrgText.length > 200) reject('homeOrgText', '组织关系所在地超过 200 个字', 'Home organization is longer than 200 characters');
  const mobilityValue = cell('mobilityType');
  const mobilityType = mobilityValue ? mobilityTypes.get(mobilityValue.toLowerCase()) : null;
  if (mobilityType === undefined) reject('mobilityType', `无法识别的流动类型“${mobilityValue}”`, `Unknown mobility type "${mobilityValue}"`);

  if (rejections.length > 0 || !gender || !phone || !idCard || !joinDate || !status || !mobile || mobilityType === undefined) return { ok: false, rejections };
  return { ok: true, row: { name, gender, birthYear, phone, idCard, joinDate, status, unit, isMobile: mobile === 'yes', homeOrgText: homeOrgText || null, mobilityType } };
}
