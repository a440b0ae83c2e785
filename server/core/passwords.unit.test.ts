import { describe, expect, it } from 'vitest';
import { HASHING_SLOTS, hashingLoad, hashPassword, verifyPassword, verifyPasswordWhileWanted } from './passwords.js';

describe('password hashing slots', () => {
  it('hashes at most one a slot, and drops a login whose client has gone by its turn', async () => {
    const stored = await hashPassword('a-long-enough-password');
    const finished: string[] = [];
    const track = <T>(label: string, work: Promise<T>) => work.then((value) => (finished.push(label), value));
    const holders = Array.from({ length: HASHING_SLOTS }, (_, i) => track(`holder ${i}`, verifyPassword('a-long-enough-password', stored)));
    let clientThere = true;
    const gone = track('gone', verifyPasswordWhileWanted('a-long-enough-password', stored, () => clientThere));
    const wanted = track('wanted', verifyPasswordWhileWanted('wrong-password-here', stored, () => true));
    expect(hashingLoad()).toEqual({ running: HASHING_SLOTS, waiting: 2 });
    clientThere = false;

    expect(await Promise.all(holders)).toEqual(Array(HASHING_SLOTS).fill(true));
    expect(await gone).toBeNull();
    expect(await wanted).toBe(false);
    // The dropped one answered the moment it got a slot, before the hash queued behind it was done.
    expect(finished.indexOf('gone')).toBeLessThan(finished.indexOf('wanted'));
    expect(hashingLoad()).toEqual({ running: 0, waiting: 0 });
  });
});
