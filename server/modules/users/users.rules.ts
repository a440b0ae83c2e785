// A temporary password an administrator hands over when someone has lost theirs: random, long enough to
// pass the password policy, and without characters that are misread when read aloud or copied by hand.
import { randomInt } from 'node:crypto';
import { passwordProblem } from '../../core/password-policy.js';

// No 0/O, 1/l/I: the password is often read over the phone or written on paper.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/** Four groups of four (e.g. "k7mq-x2fp-…"): about 80 bits, checked against the policy like any chosen password. */
export function temporaryPassword(personal: readonly string[] = []): string {
  for (;;) {
    const groups = Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
    const password = groups.join('-');
    if (passwordProblem(password, personal) === null) return password;
  }
}
