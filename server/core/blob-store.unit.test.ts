import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskBlobStore, newBlobKey } from './blob-store.js';

// Download routes look files up by keys the server made; this is the last line if a key ever came from
// elsewhere: nothing outside the store's folder can be named.
describe('disk blob store keys', () => {
  const root = mkdtempSync(join(tmpdir(), 'convoy-blobs-'));
  const folder = join(root, 'uploads');
  writeFileSync(join(root, 'secret.txt'), 'outside the store');
  const store = diskBlobStore(folder);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores and reads back under a key it made', async () => {
    const key = newBlobKey('appeal-photos');
    await store.put(key, Buffer.from('photo'));
    expect((await store.get(key))?.toString()).toBe('photo');
  });

  it.each([
    '../secret.txt',
    'appeal-photos/../../secret.txt',
    'appeal-photos/2026-11/../../../secret.txt',
    '..%2Fsecret.txt',
    '%2e%2e/secret.txt',
    '..\\secret.txt',
    '/etc/passwd',
    'appeal-photos/2026-11/0123456789abcdef0123456789abcdef/../../../../secret.txt',
    'appeal-photos/2026-11/0123456789abcdef0123456789abcdef\u0000.txt',
  ])('refuses the key %j for reading, writing and removing', async (key) => {
    await expect(store.get(key)).rejects.toThrow(/Bad blob key/);
    await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/Bad blob key/);
    await expect(store.remove(key)).rejects.toThrow(/Bad blob key/);
  });
});
