import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../core/password-policy.js';
import { temporaryPassword } from './users.rules.js';

describe('temporary passwords', () => {
  it('are four groups of four unambiguous characters that pass the password policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const password = temporaryPassword(['driver', '王海涛']);
      expect(password).toMatch(/^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$/);
      expect(passwordProblem(password, ['driver', '王海涛'])).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});
