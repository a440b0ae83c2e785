// Idempotent writes: a client that retries with the same Idempotency-Key gets the first answer, and the
// change happens once. The key row is written in the same transaction as the change, so a crash leaves
// neither or both; two requests racing with one key meet at the primary key and the loser replays.
// The stored answer is encrypted with a key derived from the client's Idempotency-Key, which only the
// client holds: the table alone cannot tell anyone what was answered (an anonymous filer's secret).
import { createCipheriv, createDecipheriv, createHash, createHmac, randomFillSync } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { preparedStatement } from '../db/prepared.js';
import type { Database } from '../db/tables.js';
import { AppError, conflict } from './errors.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Keys are remembered this long; a retry after that is a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

const ONE = Buffer.from([1]);

/**
 * HKDF-SHA256 (RFC 5869) of the client's key, salt "convoy-idempotency", info "response", 32 bytes: one
 * block, so two HMACs. Written out because hkdfSync builds key objects on every call, a visible share of a
 * filing's CPU (issue 6); the bytes are hkdfSync's (idempotency.unit.test.ts), so stored answers still open.
 */
export function cipherKey(clientKey: string): Buffer {
  const pseudoRandomKey = createHmac('sha256', 'convoy-idempotency').update(clientKey).digest();
  return createHmac('sha256', pseudoRandomKey).update('response').update(ONE).digest();
}

// Nonces drawn from a pool of random bytes filled 256 at a time: a randomBytes call of its own was ~5–20 µs
// a filing (issue 6). A nonce is still 96 random bits, used once.
const NONCE_BYTES = 12;
const nonces = Buffer.alloc(NONCE_BYTES * 256);
let nonceAt = nonces.length;

export function freshNonce(): Buffer {
  if (nonceAt === nonces.length) {
    randomFillSync(nonces);
    nonceAt = 0;
  }
  // A copy: the pool is filled again in place once it is used up.
  const nonce = Buffer.from(nonces.subarray(nonceAt, nonceAt + NONCE_BYTES));
  nonceAt += NONCE_BYTES;
  return nonce;
}

function seal(clientKey: string, plain: string): string {
  const iv = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', cipherKey(clientKey), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join(':');
}

function open(clientKey: string, sealed: string): string {
  const [iv, tag, body] = sealed.split(':');
  const decipher = createDecipheriv('aes-256-gcm', cipherKey(clientKey), Buffer.from(iv ?? '', 'base64url'));
  decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]).toString('utf8');
}

export function validIdempotencyKey(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[\x21-\x7e]{8,200}$/.test(raw)) {
    throw new AppError(400, 'VALIDATION_FAILED', { fields: 'Idempotency-Key' }, [
      { field: 'header.Idempotency-Key', message: { zh: '应为 8–200 个可见 ASCII 字符（例如 UUID）', en: 'must be 8–200 visible ASCII characters (a UUID, say)' } },
    ]);
  }
  return raw;
}

export type Answer<T> = { statusCode: number; body: T };

// Thrown inside the transaction when the key turns out to be taken, so the write rolls back whole.
class KeyTaken extends Error {}

type KeyRow = { keyHash: string; requestHash: string; statusCode: number; response: string; createdAt: string };

// The key's row with the answer; no row back means the key was taken. Compiled once (db/prepared.ts).
const claimKey = preparedStatement(['keyHash', 'requestHash', 'statusCode', 'response', 'createdAt'], (db, row: KeyRow) =>
  db.insertInto('idempotencyKeys').values(row).onConflict((oc) => oc.column('keyHash').doNothing()).returning('keyHash'),
);

/**
 * Runs `write` in a transaction once per (scope, key). `scope` separates callers (a user id, or
 * "anonymous" for filings that must not be linked to anyone).
 *
 * A fresh key costs one statement: the write runs first and its answer goes into the key's row with
 * INSERT … ON CONFLICT DO NOTHING RETURNING in the same transaction. No row back means the key was
 * taken (by an earlier request, or by a racing one that committed first: PostgreSQL makes the insert
 * wait for it): the write is rolled back and the stored answer is read and replayed. A retry thus
 * redoes the write's reads before meeting the key; retries are rare, every first request saves a
 * round trip (issue 6). A write that fails on a retry (the unit closed since, say) still replays.
 */
export async function idempotent<T>(
  db: Kysely<Database>,
  options: { scope: string; key: string | undefined; request: unknown; now: Date },
  write: (trx: Transaction<Database>) => Promise<Answer<T>>,
): Promise<Answer<T> & { replayed: boolean }> {
  const { key } = options;
  if (key === undefined) return { ...(await db.transaction().execute(write)), replayed: false };
  const keyHash = sha256(`${options.scope}\n${key}`);
  const requestHash = sha256(stableJson(options.request));

  const replay = async (): Promise<(Answer<T> & { replayed: boolean }) | undefined> => {
    const stored = await db.selectFrom('idempotencyKeys').selectAll().where('keyHash', '=', keyHash).executeTakeFirst();
    if (!stored) return undefined;
    if (stored.requestHash !== requestHash) throw new AppError(422, 'IDEMPOTENCY_MISMATCH');
    return { statusCode: stored.statusCode, body: JSON.parse(open(key, stored.response)) as T, replayed: true };
  };

  try {
    const answer = await db.transaction().execute(async (trx) => {
      const result = await write(trx);
      const stored = await claimKey(trx, { keyHash, requestHash, statusCode: result.statusCode, response: seal(key, JSON.stringify(result.body)), createdAt: options.now.toISOString() });
      if (stored.rows.length === 0) throw new KeyTaken();
      return result;
    });
    return { ...answer, replayed: false };
  } catch (error) {
    // Any failure may be a retry whose first answer stands; only then is the stored row read.
    const earlier = await replay();
    if (earlier) return earlier;
    // Taken, yet gone by now: only the clean-up of keys a day old could do that.
    if (error instanceof KeyTaken) throw conflict({ zh: '这个 Idempotency-Key 刚刚过期，请换一个重试', en: 'This Idempotency-Key has just expired; retry with a new one' });
    throw error;
  }
}

export async function purgeIdempotencyKeys(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('idempotencyKeys').where('createdAt', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
