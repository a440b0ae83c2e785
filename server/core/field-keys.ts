// The keys that encrypt sensitive fields. Key "k1" derives from CONVOY_SECRET (so a fresh install needs
// nothing more); `convoy rotate-key` adds random keys to a key file (mode 0600, beside the database or
// at CONVOY_KEY_FILE) and makes the newest one current. Every envelope names its key, so values under
// older keys stay readable while they are re-encrypted. A server that meets a key it does not know, or
// whose key file changed, reads the file again: a rotation needs no restart.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

export type Keyring = { current: string; keys: ReadonlyMap<string, Buffer> };
type KeyFile = { current: string; keys: Record<string, string> };

export const SECRET_KEY_ID = 'k1';
const RECHECK_MS = 30_000;

export function secretKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'convoy', 'field-encryption', 32));
}

function readKeyFile(file: string | undefined): KeyFile | null {
  if (!file || !existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  if (typeof parsed.current !== 'string' || typeof parsed.keys !== 'object') throw new Error(`${file} is not a Convoy key file`);
  return parsed;
}

export function loadKeyring(secret: string, file?: string): Keyring {
  const keys = new Map<string, Buffer>([[SECRET_KEY_ID, secretKey(secret)]]);
  const stored = readKeyFile(file);
  for (const [id, value] of Object.entries(stored?.keys ?? {})) keys.set(id, Buffer.from(value, 'base64'));
  const current = stored?.current ?? SECRET_KEY_ID;
  if (!keys.has(current)) throw new Error(`The key file names ${current} as current but does not hold it`);
  return { current, keys };
}

/** A keyring that follows its file: re-read when the file changes or an unknown key turns up. */
export function liveKeyring(secret: string, file?: string) {
  let ring = loadKeyring(secret, file);
  let checkedAt = Date.now();
  let stamp = file && existsSync(file) ? statSync(file).mtimeMs : 0;
  const reload = () => {
    ring = loadKeyring(secret, file);
    stamp = file && existsSync(file) ? statSync(file).mtimeMs : 0;
    checkedAt = Date.now();
  };
  return {
    current(): { id: string; key: Buffer } {
      if (file && Date.now() - checkedAt > RECHECK_MS) {
        checkedAt = Date.now();
        const now = existsSync(file) ? statSync(file).mtimeMs : 0;
        if (now !== stamp) reload();
      }
      return { id: ring.current, key: ring.keys.get(ring.current)! };
    },
    key(id: string): Buffer | undefined {
      if (!ring.keys.has(id) && file) reload();
      return ring.keys.get(id);
    },
  };
}

/** Adds a new random key to the file and makes it current; returns its id. */
export function addKey(secret: string, file: string): string {
  const stored = readKeyFile(file) ?? { current: SECRET_KEY_ID, keys: {} };
  const used = [SECRET_KEY_ID, ...Object.keys(stored.keys)].map((id) => Number(id.slice(1)));
  const id = `k${Math.max(...used) + 1}`;
  const next: KeyFile = { current: id, keys: { ...stored.keys, [id]: randomBytes(32).toString('base64') } };
  loadKeyring(secret, undefined); // the secret itself must still be valid
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, file);
  return id;
}
