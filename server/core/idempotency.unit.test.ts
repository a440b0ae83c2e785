import { hkdfSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { cipherKey } from './idempotency.js';

it('derives the answer key exactly as hkdfSync did, so answers stored before still open', () => {
  for (const clientKey of ['retry-7f7d6c1e-2b1d-4d7e-9d55-0d8a1f7c2e11', '12345678', '~'.repeat(200), 'Zz!#$%&()*+,-./:;<=>?@[]^_`{|}']) {
    expect(cipherKey(clientKey)).toEqual(Buffer.from(hkdfSync('sha256', clientKey, 'convoy-idempotency', 'response', 32)));
  }
});
