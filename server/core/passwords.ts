import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';

// scrypt is memory-hard and ships with Node, so no native add-on is needed. N=2^15, r=8 costs
// 32 MiB and roughly 50–100 ms per hash on one core: slow for a guesser, fine for a login.
const N = 2 ** 15;
const r = 8;
const p = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number, rr: number, pp: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r: rr, p: pp, maxmem: MAX_MEMORY }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Passwords hashed at once, at most: one a core, up to libuv's four threads. scrypt runs on that threadpool,
 * which file reads share, and takes 32 MiB a hash; a burst of logins took all four threads and 128 MiB, and
 * every login that came was hashed, its client gone or not: after the bench's login phase at a million
 * workers (50 connections, cut at its end) the server went on hashing for 4.5–5.8 s. A hash beyond the
 * cores would only wait in the threadpool's queue, so it waits here, where a login whose client has gone by
 * its turn is dropped unhashed.
 */
export const HASHING_SLOTS = Math.min(4, availableParallelism());
let hashing = 0;
const waiting: (() => void)[] = [];

/** Hashes running and waiting for a slot now. */
export function hashingLoad(): { running: number; waiting: number } {
  return { running: hashing, waiting: waiting.length };
}

async function inHashingSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < HASHING_SLOTS) hashing += 1;
  // A slot that frees passes straight to the first in line, so the count stays as it is.
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else hashing -= 1;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await inHashingSlot(() => derive(password, salt, N, r, p));
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  return (await verifyPasswordWhileWanted(password, stored, () => true)) === true;
}

/**
 * verifyPassword for a client who may leave while the hash waits for its slot: null, and nothing hashed,
 * when `wanted` says at its turn that nobody waits for the answer any more.
 */
export async function verifyPasswordWhileWanted(password: string, stored: string, wanted: () => boolean): Promise<boolean | null> {
  const [scheme, n, rr, pp, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !rr || !pp || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await inHashingSlot(async () => (wanted() ? derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(rr), Number(pp)) : null));
  if (actual === null) return null;
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
export const decoyHash = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
