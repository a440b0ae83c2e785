import { expect, it } from 'vitest';
import { nameSortKey } from './name-sort.js';

it('sorts Chinese names by pinyin, as a phone book does', () => {
  const names = ['张伟', '李娜', '王芳', '刘洋', '陈静', '安然', '赵磊'];
  const sorted = [...names].sort((a, b) => (nameSortKey(a) < nameSortKey(b) ? -1 : 1));
  expect(sorted).toEqual(['安然', '陈静', '李娜', '刘洋', '王芳', '张伟', '赵磊']);
});

it('keeps homophones apart and stable', () => {
  expect(nameSortKey('张伟')).not.toBe(nameSortKey('章伟'));
  expect(nameSortKey('张伟')).toBe(nameSortKey('张伟'));
});
