import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomFillSync } from 'node:crypto';
import { liveKeyring } from './field-keys.js';

// Phones and ID-card numbers are stored only encrypted (AES-256-GCM, a fresh IV per value) with a
// keyed hash beside them for uniqueness and exact look-up; membership details (join dates, where a
// relation is kept, reasons for moving) only encrypted. The hash key and the first encryption key
// derive from CONVOY_SECRET, so a copied database alone reveals neither the numbers nor a way to test
// guesses against the hashes. The envelope names its key id: `convoy rotate-key` (field-keys.ts,
// db/rotate-key.ts) re-encrypts value by value under a new key while the server keeps running.

export type SensitiveCodec = {
  encrypt: (plain: string) => string;
  decrypt: (envelope: string) => string;
  /** Deterministic keyed hash of a normalized value (keyed by CONVOY_SECRET; not rotated with the field keys). */
  hash: (plain: string) => string;
  keyIdOf: (envelope: string) => string;
  currentKeyId: () => string;
};

const cache = new Map<string, SensitiveCodec>();

// AES-GCM needs an IV never used twice under a key: each value gets 96 fresh random bits. They are drawn
// from the CSPRNG 1,024 IVs at a time, because a randomBytes(12) call per value was ~10 % of a large
// import's CPU (issue 6). Each slot is handed out once and used at once (encrypt is synchronous), before
// the pool is refilled.
const IV_BYTES = 12;
const ivPool = Buffer.alloc(IV_BYTES * 1024);
let ivNext = ivPool.length;
function freshIv(): Buffer {
  if (ivNext === ivPool.length) {
    randomFillSync(ivPool);
    ivNext = 0;
  }
  const iv = ivPool.subarray(ivNext, ivNext + IV_BYTES);
  ivNext += IV_BYTES;
  return iv;
}

/**
 * The codec for a secret (and, in the server, the key file that holds rotated keys). One instance per
 * pair, so every module reads the same live keyring.
 */
export function sensitiveCodec(secret: string, keyFile?: string): SensitiveCodec {
  const cacheKey = `${keyFile ?? ''}\u0000${secret}`;
  const known = cache.get(cacheKey);
  if (known) return known;
  const ring = liveKeyring(secret, keyFile);
  const hashKey = Buffer.from(hkdfSync('sha256', secret, 'convoy', 'field-hash', 32));
  const codec: SensitiveCodec = {
    encrypt(plain) {
      const { id, key } = ring.current();
      const iv = freshIv();
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
    },
    decrypt(envelope) {
      const [version, keyId, iv, tag, body] = envelope.split(':');
      const key = keyId ? ring.key(keyId) : undefined;
      if (version !== 'v1' || !key || !iv || !tag || body === undefined) throw new Error(`Unknown encrypted value format or key ${keyId ?? ''}`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    hash(plain) {
      return createHmac('sha256', hashKey).update(plain).digest('base64url');
    },
    keyIdOf(envelope) {
      return envelope.split(':')[1] ?? '';
    },
    currentKeyId() {
      return ring.current().id;
    },
  };
  cache.set(cacheKey, codec);
  return codec;
}

/** A nullable field through the codec: absence stays visible (null), the value does not. */
export function encryptNullable(codec: SensitiveCodec, plain: string | null): string | null {
  return plain === null ? null : codec.encrypt(plain);
}

export function decryptNullable(codec: SensitiveCodec, envelope: string | null): string | null {
  return envelope === null ? null : codec.decrypt(envelope);
}

/** The server's codec: the configured secret and key file. */
export function fieldCodec(config: { secret: string; keyFile: string }): SensitiveCodec {
  return sensitiveCodec(config.secret, config.keyFile);
}

/** Mainland mobile numbers: 11 digits starting with 1; a +86 or 0086 prefix and separators are dropped. */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s\-()]/g, '').replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

const ID_CARD_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CARD_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits of a resident ID number. */
export function idCardCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (ID_CARD_WEIGHTS[i] as number) * (first17.charCodeAt(i) - 48);
  return ID_CARD_CHECK[sum % 11] as string;
}

/** An 18-character resident ID number (GB 11643) with a valid check character, upper-cased; else null. */
export function normalizeIdCard(raw: string): string | null {
  const value = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return null;
  return idCardCheckCharacter(value) === value[17] ? value : null;
}

/** 138****5678: enough to recognize a number, not enough to call it. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

// Lists show every phone masked, and each one cost an AES-GCM decryption: a worker search's 50 rows spent
// ~0.25–0.4 ms of its ~1 ms decrypting (issue 6). An envelope's masked form never changes (a new key, or a
// new phone, is a new envelope), so each codec remembers the masked forms of the last MASKED_PHONES envelopes
// it opened for a list (~3 MB). Only masked forms are kept; a full number is still decrypted, and audited,
// where it is unmasked.
export const MASKED_PHONES = 20_000;
const maskedByCodec = new WeakMap<SensitiveCodec, Map<string, string>>();

/** maskPhone(codec.decrypt(envelope)), remembered per envelope (oldest first out). */
export function maskedPhoneOf(codec: SensitiveCodec, envelope: string): string {
  let masked = maskedByCodec.get(codec);
  if (!masked) maskedByCodec.set(codec, (masked = new Map<string, string>()));
  const known = masked.get(envelope);
  if (known !== undefined) return known;
  const value = maskPhone(codec.decrypt(envelope));
  if (masked.size >= MASKED_PHONES) masked.delete(masked.keys().next().value as string);
  masked.set(envelope, value);
  return value;
}

/** 510***********123X */
export function maskIdCard(idCard: string): string {
  return idCard.length >= 8 ? `${idCard.slice(0, 3)}${'*'.repeat(idCard.length - 7)}${idCard.slice(-4)}` : '****';
}
