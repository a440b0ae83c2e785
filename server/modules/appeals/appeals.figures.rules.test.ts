import { expect, it } from 'vitest';
import { appealFigures, median, weekOf, weeksBetween } from './appeals.figures.rules.js';

it('names a week by its Monday in China time', () => {
  // Sunday 2026-11-22 23:30 in Beijing is still the week of Monday 16 November.
  expect(weekOf('2026-11-22T15:30:00Z')).toBe('2026-11-16');
  // Monday 00:30 in Beijing (Sunday 16:30 UTC) already belongs to the new week.
  expect(weekOf('2026-11-22T16:30:00Z')).toBe('2026-11-23');
  expect(weeksBetween('2026-11-01T00:00:00Z', '2026-11-25T00:00:00Z')).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
});

it('ends the weeks at the last year a client may name (a window in December 9999 once looped for ever)', () => {
  const weeks = weeksBetween('9999-12-01T00:00:00Z', '9999-12-31T23:59:59.999Z');
  expect(weeks[0]).toBe('9999-11-29');
  expect(weeks.at(-1)).toBe(weekOf('9999-12-31T23:59:59.999Z'));
  expect(weeks.length).toBeLessThanOrEqual(6);
});

it('takes medians of odd and even counts, and none of nothing', () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeNull();
});

it('counts volume per week and category, times, compliance, satisfaction and open overdue', () => {
  const base = { acknowledgedOnTime: null, resolvedOnTime: null, rating: null, dueAt: null, acknowledgedAt: null, answeredAt: null };
  const rows = [
    { ...base, category: 'income_fees', status: 'confirmed', createdAt: '2026-11-17T01:00:00Z', acknowledgedAt: '2026-11-17T03:00:00Z', answeredAt: '2026-11-18T01:00:00Z', acknowledgedOnTime: 1, resolvedOnTime: 1, rating: 5 },
    { ...base, category: 'income_fees', status: 'confirmed', createdAt: '2026-11-18T01:00:00Z', acknowledgedAt: '2026-11-19T05:00:00Z', answeredAt: '2026-11-22T01:00:00Z', acknowledgedOnTime: 0, resolvedOnTime: 0, rating: 2 },
    { ...base, category: 'safety', status: 'in_progress', createdAt: '2026-11-24T01:00:00Z', acknowledgedAt: '2026-11-24T02:00:00Z', acknowledgedOnTime: 1, dueAt: '2026-11-24T20:00:00Z' },
    { ...base, category: 'safety', status: 'submitted', createdAt: '2026-11-24T05:00:00Z', dueAt: '2026-11-26T05:00:00Z' },
  ];
  const figures = appealFigures(rows, { from: '2026-11-16T00:00:00Z', to: '2026-11-25T02:00:00Z', now: '2026-11-25T02:00:00Z', closed: new Set(['confirmed', 'rejected', 'merged']) });
  expect(figures.weeks).toEqual(['2026-11-16', '2026-11-23']);
  expect(figures.volume).toEqual([
    { week: '2026-11-16', category: 'income_fees', count: 2 },
    { week: '2026-11-23', category: 'safety', count: 2 },
  ]);
  expect(figures.medianHoursToAcknowledge).toBe(2);
  expect(figures.medianHoursToResolve).toBe(60);
  expect(figures.acknowledgedOnTimeShare).toBe(0.667);
  expect(figures.resolvedOnTimeShare).toBe(0.5);
  expect(figures.satisfaction.average).toBe(3.5);
  expect(figures.satisfaction.ratings.find((r) => r.stars === 5)?.count).toBe(1);
  expect(figures.openOverdue).toBe(1);
});
