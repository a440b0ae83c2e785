import { describe, expect, it } from 'vitest';
import { personTokens, queryTokens } from './text-search.js';

describe('n-gram tokens', () => {
  it('indexes characters, bigrams and the phone tail', () => {
    expect(personTokens('张伟明', '5678').sort()).toEqual(['t5678', '伟', '伟明', '张', '张伟', '明'].sort());
  });

  it('turns a query into the tokens every match must have', () => {
    expect(queryTokens('伟')).toEqual(['伟']);
    expect(queryTokens('张伟')).toEqual(['张伟']);
    expect(queryTokens(' 张伟明 ')).toEqual(['张伟', '伟明']);
    expect(queryTokens('5678')).toEqual(['t5678']);
    expect(queryTokens('  ')).toEqual([]);
  });

  it('finds a two-character fragment anywhere in a name', () => {
    const stored = new Set(personTokens('欧阳明华', null));
    expect(queryTokens('阳明').every((t) => stored.has(t))).toBe(true);
    expect(queryTokens('明阳').every((t) => stored.has(t))).toBe(false);
  });
});
