import { describe, expect, it } from 'vitest';
import { MASKED_PHONES, maskedPhoneOf, maskIdCard, maskPhone, normalizeIdCard, normalizePhone, type SensitiveCodec, sensitiveCodec } from './sensitive.js';

describe('sensitive values', () => {
  const codec = sensitiveCodec('s'.repeat(40));

  it('encrypts with a fresh IV each time and decrypts back', () => {
    const a = codec.encrypt('13812345678');
    const b = codec.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812345678');
    expect(codec.decrypt(a)).toBe('13812345678');
  });

  it('gives every value its own IV, across many refills of the IV pool', () => {
    const envelopes = Array.from({ length: 5_000 }, (_, i) => codec.encrypt(`1381234${String(i).padStart(4, '0')}`));
    const ivs = envelopes.map((e) => e.split(':')[2]!);
    expect(new Set(ivs).size).toBe(envelopes.length);
    for (const iv of ivs) expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    envelopes.forEach((e, i) => expect(codec.decrypt(e)).toBe(`1381234${String(i).padStart(4, '0')}`));
  });

  // Distinct envelopes to fill the remembered masks with.
  const envelopes = new Map<number, string>();
  const envelopeOf = (i: number) => envelopes.get(i) ?? (envelopes.set(i, codec.encrypt(`139${String(i).padStart(8, '0')}`)), envelopes.get(i)!);

  it("masks a listed phone once per envelope: the same mask as decrypting it, each codec its own, the oldest forgotten first", () => {
    let decrypted = 0;
    const counting: SensitiveCodec = { ...codec, decrypt: (envelope) => (decrypted++, codec.decrypt(envelope)) };
    const envelope = codec.encrypt('13812345678');
    expect(maskedPhoneOf(counting, envelope)).toBe(maskPhone('13812345678'));
    expect(maskedPhoneOf(counting, envelope)).toBe('138****5678');
    expect(decrypted).toBe(1);
    // The same number under a new envelope (a new key, or written again) is opened anew.
    expect(maskedPhoneOf(counting, codec.encrypt('13812345678'))).toBe('138****5678');
    expect(decrypted).toBe(2);
    // Another codec keeps its own: an envelope it cannot open still fails there.
    expect(() => maskedPhoneOf(sensitiveCodec('t'.repeat(40)), envelope)).toThrow();
    // Bounded: past MASKED_PHONES envelopes the first one is opened again.
    for (let i = 0; i < MASKED_PHONES; i++) maskedPhoneOf(counting, envelopeOf(i));
    decrypted = 0;
    expect(maskedPhoneOf(counting, envelope)).toBe('138****5678');
    expect(decrypted).toBe(1);
  });

  it('refuses a tampered value and a value under another secret', () => {
    const envelope = codec.encrypt('13812345678');
    const parts = envelope.split(':');
    parts[4] = Buffer.from('13812345679').toString('base64url');
    expect(() => codec.decrypt(parts.join(':'))).toThrow();
    expect(() => sensitiveCodec('t'.repeat(40)).decrypt(envelope)).toThrow();
  });

  it('hashes deterministically per secret', () => {
    expect(codec.hash('13812345678')).toBe(codec.hash('13812345678'));
    expect(codec.hash('13812345678')).not.toBe(sensitiveCodec('t'.repeat(40)).hash('13812345678'));
  });

  it('normalizes mainland mobile numbers', () => {
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('0086 13812345678')).toBe('13812345678');
    expect(normalizePhone('12812345678')).toBeNull();
    expect(normalizePhone('1381234567')).toBeNull();
  });

  it('checks the ID-card check character (GB 11643)', () => {
    expect(normalizeIdCard('11010519491231002x')).toBe('11010519491231002X');
    expect(normalizeIdCard('110105194912310021')).toBeNull();
    expect(normalizeIdCard('11010519491231002')).toBeNull();
  });

  it('masks for display', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdCard('11010519491231002X')).toBe('110***********002X');
  });
});
