import { describe, expect, it } from 'vitest';
import { HASHING_SLOTS, hashingLoad, hashPassword, verifyPassword, verifyPasswordWhileWanted } from './passwords.js';

describe('password hashing slots', () => {
  it('hashes at most one a slot, and drops a login whose client has gone by its turn', async () => {
    const stored = await hashPassword('a-long-enough-password');
    const holders = Array.from({ length: HASHING_SLOTS }, () => verifyPassword('a-long-enough-password', stored));
    let clientThere = true;
    // The right password: hashed, it would answer true, so null shows it was dropped unhashed.
    const gone = verifyPasswordWhileWanted('a-long-enough-password', stored, () => clientThere);
    const wanted = verifyPasswordWhileWanted('wrong-password-here', stored, () => true);
    expect(hashingLoad()).toEqual({ running: HASHING_SLOTS, waiting: 2 });
    clientThere = false;

    expect(await Promise.all(holders)).toEqual(Array(HASHING_SLOTS).fill(true));
    expect(await gone).toBeNull();
    expect(await wanted).toBe(false);
    expect(hashingLoad()).toEqual({ running: 0, waiting: 0 });
  });
});
