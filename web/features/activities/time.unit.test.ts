import { describe, expect, it } from 'vitest';
import { chinaDateOf, chinaMonthRange, formatChinaSpan, fromChinaInput, shiftMonth, toChinaInput } from './time';

// Activities are read and written on China time (UTC+8) whatever the browser's own zone.
describe('activity times in China time', () => {
  it('reads a datetime-local value as China time and shows an instant back the same way', () => {
    expect(fromChinaInput('2026-12-08T09:00')).toBe('2026-12-08T01:00:00.000Z');
    expect(toChinaInput('2026-12-08T01:00:00.000Z')).toBe('2026-12-08T09:00');
    expect(fromChinaInput('')).toBeNull();
    expect(fromChinaInput('2026-12-08 09:00')).toBeNull();
  });

  it('puts a late-evening UTC instant on the next China day, and months on China boundaries', () => {
    expect(chinaDateOf('2026-11-30T16:30:00.000Z')).toBe('2026-12-01');
    expect(chinaMonthRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
  });

  it('shortens a span within one day and spells out one that runs past midnight', () => {
    expect(formatChinaSpan('2026-12-08T01:00:00.000Z', '2026-12-08T03:30:00.000Z')).toBe('2026-12-08 09:00–11:30');
    expect(formatChinaSpan('2026-12-08T13:00:00.000Z', '2026-12-08T17:00:00.000Z')).toBe('2026-12-08 21:00 – 2026-12-09 01:00');
  });
});
