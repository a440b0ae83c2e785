import { describe, expect, it } from 'vitest';
import { mapMemberHeaders, validateMemberRow } from './imports.members.rules.js';

describe('validateMemberRow', () => {
  const mapping = mapMemberHeaders(['姓名', '性别', '出生年份', '手机号', '身份证号', '入党日期', '状态', '所在支部', '流动党员', '组织关系所在地']);
  const row = ['李娜', '女', '1990', '13900001111', '11010519491231002X', '2015-07-01', '正式党员', '一支部', '是', '河南省郑州市某街道党工委'];

  it('refuses a row whose free text holds a NUL or another control character, naming the field', () => {
    const withNul = row.map((cell, i) => (i === 9 ? '河南省\u0000郑州市' : cell));
    const verdict = validateMemberRow(withNul, mapping, '2026-12-05');
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.rejections.map((r) => r.field)).toEqual(['homeOrgText']);
    expect(verdict.rejections[0]!.message.zh).toMatch(/控制字符/);
    expect(validateMemberRow(row.map((cell, i) => (i === 0 ? '李\u0007娜' : cell)), mapping, '2026-12-05').ok).toBe(false);
  });
});
