import { describe, expect, it } from 'vitest';
import { afterFailure, channelsFor, MAX_DELIVERY_ATTEMPTS, retryDelayMs, textFor } from './notifications.rules.js';

const text = { zh: '诉求已受理', en: 'Appeal acknowledged' };

describe('notification rules', () => {
  it('writes English for English-speaking users and Chinese for everyone else', () => {
    expect(textFor('en', text)).toBe('Appeal acknowledged');
    expect(textFor('en-GB', text)).toBe('Appeal acknowledged');
    expect(textFor('zh-CN', text)).toBe('诉求已受理');
    expect(textFor('fr', text)).toBe('诉求已受理');
  });

  it('emails only users with an address, and reaches disabled accounts only in-app', () => {
    const asked = ['email', 'sms'] as const;
    expect(channelsFor({ email: 'li@example.org', disabledAt: null }, asked)).toEqual(['email', 'sms']);
    expect(channelsFor({ email: null, disabledAt: null }, asked)).toEqual(['sms']);
    expect(channelsFor({ email: '  ', disabledAt: null }, asked)).toEqual(['sms']);
    expect(channelsFor({ email: 'li@example.org', disabledAt: '2026-01-01T00:00:00.000Z' }, asked)).toEqual([]);
  });

  it('waits one minute after the first failure, doubling up to an hour', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((failures) => retryDelayMs(failures) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('schedules the next try after a failure and gives up on the last attempt', () => {
    const now = new Date('2026-11-25T02:00:00.000Z');
    expect(afterFailure(0, now)).toEqual({ status: 'pending', nextAttemptAt: '2026-11-25T02:01:00.000Z' });
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS - 2, now)).toEqual({ status: 'pending', nextAttemptAt: '2026-11-25T03:00:00.000Z' });
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS - 1, now)).toEqual({ status: 'failed' });
  });
});
