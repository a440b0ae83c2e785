import { hkdfSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { cipherKey, freshNonce } from './idempotency.js';

it('derives the answer key exactly as hkdfSync did, so answers stored before still open', () => {
  for (const clientKey of ['retry-7f7d6c1e-2b1d-4d7e-9d55-0d8a1f7c2e11', '12345678', '~'.repeat(200), 'Zz!#$%&()*+,-./:;<=>?@[]^_`{|}']) {
    expect(cipherKey(clientKey)).toEqual(Buffer.from(hkdfSync('sha256', clientKey, 'convoy-idempotency', 'response', 32)));
  }
});

it('draws every nonce afresh from its pool, and a nonce handed out stays as it was when the pool is filled again', () => {
  const first = freshNonce();
  const kept = Buffer.from(first);
  const nonces = Array.from({ length: 1_000 }, () => freshNonce());
  expect(first).toEqual(kept);
  expect(nonces.every((nonce) => nonce.length === 12)).toBe(true);
  expect(new Set([first, ...nonces].map((nonce) => nonce.toString('hex'))).size).toBe(1_001);
});
