// A spreadsheet column maps to a worker field by its Chinese or English header (or an explicit mapping);
// every row is validated on its own, and a rejected row names its field and reason in both languages.
import type { Bilingual } from '../../core/i18n.js';
import { normalizePhone } from '../../core/sensitive.js';
import { isDivisionCode, searchCities } from '../divisions/divisions.rules.js';
import { normalizeHeader, workerHeaderAliases } from './imports.headers.schema.js';
import { forbiddenCharacterIn } from '../../core/request-validation.js';

export const workerImportFields = ['name', 'phone', 'platform', 'platformWorkerId', 'workType', 'vehicle', 'city', 'status'] as const;
export type WorkerImportField = (typeof workerImportFields)[number];
export const requiredWorkerFields: readonly WorkerImportField[] = ['name', 'phone', 'platform', 'platformWorkerId', 'city'];

// The header names live in the schema file, so the browser's mapping preview matches them exactly.
export { normalizeHeader, workerHeaderAliases };

export type HeaderMapping = { columns: Partial<Record<WorkerImportField, number>>; missing: WorkerImportField[] };

/**
 * The mapped cells holding a character text in Convoy never holds (a NUL, another control character, half
 * an emoji): the same rule requests meet (core/request-validation.ts). A file's cells do not pass through
 * request validation, and PostgreSQL refuses a NUL in text while SQLite stores it.
 */
export function unreadableCells<F extends string>(cells: readonly string[], columns: Partial<Record<F, number>>): F[] {
  return (Object.entries(columns) as [F, number | undefined][]).filter(([, index]) => index !== undefined && forbiddenCharacterIn(cells[index] ?? '') !== undefined).map(([field]) => field);
}

export const unreadableCellMessage = { zh: '含有无法保存的控制字符（如 NUL），请检查原文件', en: 'holds a control character (such as NUL) that cannot be stored; check the original file' };

/**
 * Which column holds each field. An explicit mapping (field → header) wins over the aliases; a header
 * the mapping names but the file lacks leaves that field unmapped.
 */
export function mapWorkerHeaders(headers: readonly string[], explicit: Partial<Record<WorkerImportField, string>> = {}): HeaderMapping {
  const normalized = headers.map(normalizeHeader);
  const columns: Partial<Record<WorkerImportField, number>> = {};
  for (const field of workerImportFields) {
    const wanted = explicit[field] !== undefined ? [normalizeHeader(explicit[field])] : workerHeaderAliases[field].map(normalizeHeader);
    const index = normalized.findIndex((h) => h !== '' && wanted.includes(h));
    if (index >= 0) columns[field] = index;
  }
  return { columns, missing: requiredWorkerFields.filter((f) => columns[f] === undefined) };
}

const labels = <T extends string>(table: Record<T, readonly string[]>) => {
  const map = new Map<string, T>();
  for (const [value, names] of Object.entries(table) as [T, readonly string[]][]) {
    map.set(value.toLowerCase(), value);
    for (const name of names) map.set(name.toLowerCase(), value);
  }
  return map;
};

export type WorkType = 'ride_hailing' | 'freight' | 'delivery' | 'courier' | 'other';
export type Vehicle = 'car' | 'van' | 'light_truck' | 'medium_truck' | 'heavy_truck' | 'e_bike' | 'none';

const workTypes = labels<WorkType>({ ride_hailing: ['网约车', '出行'], freight: ['货运', '货车'], delivery: ['外卖配送', '外卖', '配送'], courier: ['快递'], other: ['其他'] });
const vehicles = labels<Vehicle>({
  car: ['汽车', '小汽车', '轿车'],
  van: ['面包车'],
  light_truck: ['轻型货车', '轻卡'],
  medium_truck: ['中型货车', '中卡'],
  heavy_truck: ['重型货车', '重卡'],
  e_bike: ['电动车', '电瓶车', '电动自行车'],
  none: ['无'],
});
// The web's own labels (在岗/离岗, 外卖配送) come first: a file written from the screen must import.
const statuses = labels<'active' | 'inactive'>({ active: ['在岗', '在职', '正常', '活跃'], inactive: ['离岗', '离职', '停用', '不活跃'] });

/** A GB/T 2260 code, or a city's Chinese name with or without 市. */
export function cityCodeOf(value: string): string | undefined {
  const v = value.trim();
  if (/^\d{6}$/.test(v)) return isDivisionCode(v) ? v : undefined;
  if (v.length < 2) return undefined;
  const found = searchCities(v, 50).find((c) => c.name === v || c.name === `${v}市`);
  return found?.code;
}

export type PlatformRef = { id: number; code: string; name: string; nameEn: string; workType: WorkType };

export type ImportLookups = { platformOf: (value: string) => PlatformRef | undefined; cityCodeOf: (value: string) => string | undefined };

/** Look-ups for one job: platforms by code or name, cities memoized (a file repeats a few cities). */
export function importLookups(platforms: readonly PlatformRef[]): ImportLookups {
  const byKey = new Map<string, PlatformRef>();
  for (const p of platforms) for (const key of [p.code, p.name, p.nameEn]) byKey.set(key.trim().toLowerCase(), p);
  const cities = new Map<string, string | undefined>();
  return {
    platformOf: (value) => byKey.get(value.trim().toLowerCase()),
    cityCodeOf: (value) => {
      if (!cities.has(value)) cities.set(value, cityCodeOf(value));
      return cities.get(value);
    },
  };
}

export type WorkerImportRow = {
  name: string;
  phone: string;
  platformId: number;
  platformWorkerId: string;
  workType: WorkType;
  vehicle: Vehicle;
  cityCode: string;
  status: 'active' | 'inactive';
};

export type RowRejection = { field: WorkerImportField | null; message: Bilingual };

export type RowVerdict = { ok: true; row: WorkerImportRow } | { ok: false; rejections: RowRejection[] };

/** Checks one row and reports every bad field, so one pass over the error report fixes the row. */
export function validateWorkerRow(cells: readonly string[], mapping: HeaderMapping, lookups: ImportLookups): RowVerdict {
  const cell = (field: WorkerImportField) => {
    const index = mapping.columns[field];
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const rejections: RowRejection[] = [];
  const reject = (field: WorkerImportField, zh: string, en: string) => rejections.push({ field, message: { zh, en } });
  const unreadable = unreadableCells(cells, mapping.columns);
  if (unreadable.length > 0) return { ok: false, rejections: unreadable.map((field) => ({ field, message: unreadableCellMessage })) };

  const name = cell('name');
  if (!name) reject('name', '姓名不能为空', 'Name is required');
  else if (name.length > 50) reject('name', '姓名超过 50 个字', 'Name is longer than 50 characters');
  const rawPhone = cell('phone');
  const phone = normalizePhone(rawPhone);
  if (!phone) reject('phone', rawPhone ? `手机号 ${rawPhone} 不是 11 位中国大陆手机号` : '手机号不能为空', rawPhone ? `${rawPhone} is not an 11-digit mainland China mobile number` : 'Phone is required');
  const platformValue = cell('platform');
  const platform = platformValue ? lookups.platformOf(platformValue) : undefined;
  if (!platform) reject('platform', platformValue ? `没有名称或代码为“${platformValue}”的平台` : '平台不能为空', platformValue ? `There is no platform named or coded "${platformValue}"` : 'Platform is required');
  const platformWorkerId = cell('platformWorkerId');
  if (!platformWorkerId) reject('platformWorkerId', '平台工号不能为空', 'Platform worker id is required');
  else if (platformWorkerId.length > 64) reject('platformWorkerId', '平台工号超过 64 个字符', 'Platform worker id is longer than 64 characters');
  const workTypeValue = cell('workType');
  const workType = workTypeValue ? workTypes.get(workTypeValue.toLowerCase()) : platform?.workType;
  if (!workType && workTypeValue) reject('workType', `无法识别的工作类型“${workTypeValue}”`, `Unknown work type "${workTypeValue}"`);
  const vehicleValue = cell('vehicle');
  const vehicle = vehicleValue ? vehicles.get(vehicleValue.toLowerCase()) : 'none';
  if (!vehicle) reject('vehicle', `无法识别的车辆“${vehicleValue}”`, `Unknown vehicle "${vehicleValue}"`);
  const cityValue = cell('city');
  const cityCode = cityValue ? lookups.cityCodeOf(cityValue) : undefined;
  if (!cityCode) reject('city', cityValue ? `无法识别的城市“${cityValue}”（请填写城市名或 6 位行政区划代码）` : '城市不能为空', cityValue ? `Unknown city "${cityValue}" (use the city name or its six-digit code)` : 'City is required');
  const statusValue = cell('status');
  const status = statusValue ? statuses.get(statusValue.toLowerCase()) : 'active';
  if (!status) reject('status', `无法识别的状态“${statusValue}”`, `Unknown status "${statusValue}"`);

  if (rejections.length > 0 || !phone || !platform || !workType || !vehicle || !cityCode || !status) return { ok: false, rejections };
  return { ok: true, row: { name, phone, platformId: platform.id, platformWorkerId, workType, vehicle, cityCode, status } };
}

/** One CSV field, quoted when it must be; a leading =+-@ is defused so a spreadsheet never runs it. */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null)[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** Uploads per person in ten minutes before the import routes answer 429 with Retry-After. */
export const IMPORTS_PER_WINDOW = 20;
