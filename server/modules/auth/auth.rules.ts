// Account lockout: after five wrong passwords in a row an account refuses passwords for a minute, and
// each further failure doubles the wait, up to an hour. A correct password after the wait resets it.
export const FREE_ATTEMPTS = 5;
const FIRST_LOCK_MS = 60_000;
const LONGEST_LOCK_MS = 3_600_000;

/** How long an account stays locked after this many failures in a row (0: not locked). */
export function lockoutMs(failuresInARow: number): number {
  if (failuresInARow < FREE_ATTEMPTS) return 0;
  return Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** (failuresInARow - FREE_ATTEMPTS));
}
