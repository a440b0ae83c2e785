import { expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

it('refuses short, common, personal and guessable passwords, and accepts a memorable phrase', () => {
  expect(passwordProblem('short')?.en).toContain('at least 12');
  expect(passwordProblem('1qaz2wsx3edc')?.en).toContain('most used');
  expect(passwordProblem('QwertyUiop123')?.en).toContain('most used');
  expect(passwordProblem('password123456')?.en).toContain('too easy');
  expect(passwordProblem('liuxiaoyan-2026!', ['liuxiaoyan'])?.en).toContain('username');
  expect(passwordProblem('aaaaaaaaaaaaaaaa')?.en).toContain('too easy');
  expect(passwordProblem('青稞 糌粑 酥油茶 二〇二六')).toBeNull();
  expect(passwordProblem('river-lantern-quietly-77')).toBeNull();
});
