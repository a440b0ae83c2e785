import { expect, it } from 'vitest';
import { lockoutMs } from './auth.rules.js';

it('locks after five failures for a minute, doubling up to an hour', () => {
  expect([1, 4].map(lockoutMs)).toEqual([0, 0]);
  expect([5, 6, 7, 10, 11, 30].map(lockoutMs)).toEqual([60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
});
