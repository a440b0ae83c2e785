import { describe, expect, it } from 'vitest';
import { cityCodeOf, csvField, importLookups, mapWorkerHeaders, validateWorkerRow } from './imports.rules.js';

const platform = { id: 7, code: 'suda', name: '速达出行', nameEn: 'Suda Mobility', workType: 'ride_hailing' as const };
const lookups = importLookups([platform]);

describe('mapWorkerHeaders', () => {
  it('recognizes Chinese headers, a BOM and stray spaces', () => {
    const mapping = mapWorkerHeaders(['\uFEFF姓名', '手机号码', ' 平台 ', '平台工号', '城市', '备注']);
    expect(mapping.columns).toEqual({ name: 0, phone: 1, platform: 2, platformWorkerId: 3, city: 4 });
    expect(mapping.missing).toEqual([]);
  });

  it('recognizes English headers in any case and spacing', () => {
    const mapping = mapWorkerHeaders(['Name', 'PHONE', 'Platform', 'Platform Worker Id', 'city_code', 'Work type', 'Vehicle', 'Status']);
    expect(mapping.columns).toEqual({ name: 0, phone: 1, platform: 2, platformWorkerId: 3, city: 4, workType: 5, vehicle: 6, status: 7 });
  });

  it('lets an explicit mapping name an unusual header, and reports required fields still missing', () => {
    const mapping = mapWorkerHeaders(['姓名', '联系方式', '平台'], { phone: '联系方式' });
    expect(mapping.columns).toEqual({ name: 0, phone: 1, platform: 2 });
    expect(mapping.missing).toEqual(['platformWorkerId', 'city']);
  });
});

describe('validateWorkerRow', () => {
  const mapping = mapWorkerHeaders(['姓名', '手机号', '平台', '平台工号', '城市', '工作类型', '车辆', '状态']);

  it('accepts Chinese labels, a platform by name and a city by name, with defaults for blanks', () => {
    expect(validateWorkerRow(['张伟', '+86 139-0000-1111', '速达出行', 'D1', '成都', '', '电动车', ''], mapping, lookups)).toEqual({
      ok: true,
      row: { name: '张伟', phone: '13900001111', platformId: 7, platformWorkerId: 'D1', workType: 'ride_hailing', vehicle: 'e_bike', cityCode: '510100', status: 'active' },
    });
  });

  it('reports every bad field of a row, in both languages', () => {
    const verdict = validateWorkerRow(['', '123', 'nope', 'D1', '火星', '开飞机', '', '在职'], mapping, lookups);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.rejections.map((r) => r.field)).toEqual(['name', 'phone', 'platform', 'workType', 'city']);
    expect(verdict.rejections[2]!.message).toEqual({ zh: '没有名称或代码为“nope”的平台', en: 'There is no platform named or coded "nope"' });
  });

  // Cells do not pass through request validation: a NUL stored on SQLite and failed the batch on PostgreSQL.
  it('refuses a row whose cells hold a NUL, another control character or half an emoji, naming the fields', () => {
    const verdict = validateWorkerRow(['张\u0000伟', '13900001111', '速达出行', 'D\u001b1', '成都', '', '', '在职\uD83D'], mapping, lookups);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.rejections.map((r) => r.field)).toEqual(['name', 'platformWorkerId', 'status']);
    expect(verdict.rejections[0]!.message.en).toMatch(/control character/);
    // Tabs and line breaks inside a quoted cell are text, not control characters to refuse.
    expect(validateWorkerRow(['张伟', '13900001111', '速达出行', 'D\t1', '成都', '', '', ''], mapping, lookups).ok).toBe(true);
  });
});

describe('cityCodeOf', () => {
  it('takes a GB/T 2260 code or a Chinese city name with or without 市', () => {
    expect(cityCodeOf('440300')).toBe('440300');
    expect(cityCodeOf('深圳市')).toBe('440300');
    expect(cityCodeOf('深圳')).toBe('440300');
    expect(cityCodeOf('999999')).toBeUndefined();
  });
});

describe('csvField', () => {
  it('quotes what must be quoted and defuses formulas', () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(null)).toBe('');
  });
});

describe('labels as the web shows them', () => {
  const mapping = mapWorkerHeaders(['姓名', '手机号', '平台', '平台工号', '城市', '工作类型', '车辆', '状态']);

  it('accepts a file written with the words on screen (外卖配送, 小汽车, 在岗/离岗)', () => {
    const onScreen = validateWorkerRow(['王芳', '13800001111', '速达出行', 'D9', '成都市', '外卖配送', '电动车', '离岗'], mapping, lookups);
    expect(onScreen).toMatchObject({ ok: true, row: { workType: 'delivery', vehicle: 'e_bike', status: 'inactive' } });
    const active = validateWorkerRow(['王芳', '13800001112', '速达出行', 'D10', '成都市', '网约车', '小汽车', '在岗'], mapping, lookups);
    expect(active).toMatchObject({ ok: true, row: { status: 'active' } });
  });
});
