import { describe, expect, it } from 'vitest';
import { clockStartingAt } from './clock.js';

describe('a clock starting at a given instant', () => {
  it('begins there and runs at real speed', () => {
    let real = Date.parse('2026-12-05T11:00:00.000Z');
    const clock = clockStartingAt(new Date('2026-12-05T02:00:00.000Z'), () => real);
    expect(clock.now().toISOString()).toBe('2026-12-05T02:00:00.000Z');
    real += 90_000;
    expect(clock.now().toISOString()).toBe('2026-12-05T02:01:30.000Z');
  });
});
