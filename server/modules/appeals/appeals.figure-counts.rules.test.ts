import fc from 'fast-check';
import { expect, it } from 'vitest';
import { chinaDayOf, figuresFromSums, splitWindow, sumsOfRows } from './appeals.figure-counts.rules.js';
import { appealFigures } from './appeals.figures.rules.js';

const instant = (min: number, max: number) => fc.integer({ min, max }).map((ms) => new Date(ms).toISOString());
const START = Date.parse('2026-08-01T00:00:00Z');
const END = Date.parse('2026-12-01T00:00:00Z');

it('splits a window at China midnights: whole days between, part-days at the ends', () => {
  // 2026-11-20 07:13 UTC is 15:13 in Beijing: the part runs to midnight Beijing (16:00 UTC).
  expect(splitWindow('2026-11-20T07:13:00.000Z', '2026-11-23T01:00:00.000Z')).toEqual({
    days: { first: '2026-11-21', last: '2026-11-22' },
    parts: [
      { from: '2026-11-20T07:13:00.000Z', to: '2026-11-20T16:00:00.000Z', toInclusive: false },
      { from: '2026-11-22T16:00:00.000Z', to: '2026-11-23T01:00:00.000Z', toInclusive: true },
    ],
  });
  expect(splitWindow('2026-11-25T03:00:00.000Z', '2026-11-25T09:30:00.000Z')).toEqual({ days: null, parts: [{ from: '2026-11-25T03:00:00.000Z', to: '2026-11-25T09:30:00.000Z', toInclusive: true }] });
  expect(chinaDayOf('2026-11-22T15:59:59.999Z')).toBe('2026-11-22');
  expect(chinaDayOf('2026-11-22T16:00:00.000Z')).toBe('2026-11-23');
});

it('gives from counts exactly what the rows give: medians of tenths, shares, ratings, volume', () => {
  const row = fc
    .record({
      category: fc.constantFrom('income_fees', 'safety', 'health'),
      createdAt: instant(START, END),
      ackAfter: fc.option(fc.integer({ min: 0, max: 200 * 3_600_000 })),
      answerAfter: fc.option(fc.integer({ min: 0, max: 900 * 3_600_000 })),
      acknowledgedOnTime: fc.option(fc.constantFrom(0, 1)),
      resolvedOnTime: fc.option(fc.constantFrom(0, 1)),
      rating: fc.option(fc.integer({ min: 1, max: 5 })),
    })
    .map((r) => ({
      category: r.category,
      createdAt: r.createdAt,
      // Whole multiples of 3 minutes land on the rounding's halfway points (0.05 h): kept in on purpose.
      acknowledgedAt: r.ackAfter === null ? null : new Date(Date.parse(r.createdAt) + r.ackAfter - (r.ackAfter % 180_000)).toISOString(),
      answeredAt: r.answerAfter === null ? null : new Date(Date.parse(r.createdAt) + r.answerAfter).toISOString(),
      acknowledgedOnTime: r.acknowledgedOnTime,
      resolvedOnTime: r.resolvedOnTime,
      rating: r.rating,
      status: 'submitted',
      dueAt: null,
    }));
  fc.assert(
    fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
      const window = { from: new Date(START).toISOString(), to: new Date(END).toISOString() };
      const expected = appealFigures(rows, { ...window, now: window.to, closed: new Set() });
      const actual = figuresFromSums(sumsOfRows(rows), { ...window, openOverdue: expected.openOverdue });
      expect(actual).toEqual({ ...expected, volume: [...expected.volume].sort((a, b) => a.week.localeCompare(b.week) || a.category.localeCompare(b.category)) });
    }),
    { numRuns: 300 },
  );
});
