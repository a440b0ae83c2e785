// Idempotent writes: a client that retries with the same Idempotency-Key gets the first answer, and the
// change happens once. The key row is written in the same transaction as the change, so a crash leaves
// neither or both; two requests racing with one key meet at the primary key and the loser replays.
// The stored answer is encrypted with a key derived from the client's Idempotency-Key, which only the
// client holds: the table alone cannot tell anyone what was answered (an anonymous filer's secret).
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../db/engine.js';
import type { Database } from '../db/tables.js';
import { AppError } from './errors.js';

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

function cipherKey(clientKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', clientKey, 'convoy-idempotency', 'response', 32));
}

function seal(clientKey: string, plain: string): string {
  const iv = randomBytes(12);
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

/**
 * Runs `write` in a transaction once per (scope, key). `scope` separates callers (a user id, or
 * "anonymous" for filings that must not be linked to anyone).
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

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    const answer = await db.transaction().execute(async (trx) => {
      const result = await write(trx);
      await trx
        .insertInto('idempotencyKeys')
        .values({ keyHash, requestHash, statusCode: result.statusCode, response: seal(key, JSON.stringify(result.body)), createdAt: options.now.toISOString() })
        .execute();
      return result;
    });
    return { ...answer, replayed: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await replay();
    if (!winner) throw error;
    return winner;
  }
}

export async function purgeIdempotencyKeys(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('idempotencyKeys').where('createdAt', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
