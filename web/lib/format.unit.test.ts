import { describe, expect, it } from 'vitest';
import { chinaToday, formatChinaDateTime, formatChinaMinute } from './format';

describe('China time formats', () => {
  it('shows an instant as China wall-clock time, to the second or the minute', () => {
    expect(formatChinaDateTime('2026-11-25T10:31:07.000Z')).toBe('2026-11-25 18:31:07');
    expect(formatChinaMinute('2026-11-28T13:32:59.000Z')).toBe('2026-11-28 21:32');
    // Past midnight in China while still the day before in UTC.
    expect(formatChinaMinute('2026-12-31T16:05:00.000Z')).toBe('2027-01-01 00:05');
  });

  it('gives back what is not an instant unchanged', () => {
    expect(formatChinaDateTime('not a date')).toBe('not a date');
    expect(formatChinaMinute('')).toBe('');
  });

  it('knows today in China', () => {
    expect(chinaToday(new Date('2026-12-04T17:00:00.000Z'))).toBe('2026-12-05');
  });
});
