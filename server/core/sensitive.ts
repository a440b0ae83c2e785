import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

// Phones and ID-card numbers are stored only encrypted (AES-256-GCM, a fresh IV per value) with a
// keyed hash beside them for uniqueness and exact look-up. Both keys derive from CONVOY_SECRET, so a
// copied database alone reveals neither the numbers nor a way to test guesses against the hashes.
// The envelope names its key id, so a later key rotation can re-encrypt value by value.

export type SensitiveCodec = {
  encrypt: (plain: string) => string;
  decrypt: (envelope: string) => string;
  /** Deterministic keyed hash of a normalized value. */
  hash: (plain: string) => string;
};

const KEY_ID = 'k1';

function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'convoy', purpose, 32));
}

export function sensitiveCodec(secret: string): SensitiveCodec {
  const encryptionKey = deriveKey(secret, 'field-encryption');
  const hashKey = deriveKey(secret, 'field-hash');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', KEY_ID, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(':');
    },
    decrypt(envelope) {
      const [version, keyId, iv, tag, body] = envelope.split(':');
      if (version !== 'v1' || keyId !== KEY_ID || !iv || !tag || body === undefined) throw new Error('Unknown encrypted value format');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    hash(plain) {
      return createHmac('sha256', hashKey).update(plain).digest('base64url');
    },
  };
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

/** 510***********123X */
export function maskIdCard(idCard: string): string {
  return idCard.length >= 8 ? `${idCard.slice(0, 3)}${'*'.repeat(idCard.length - 7)}${idCard.slice(-4)}` : '****';
}
