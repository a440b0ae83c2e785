import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dayIndexOf, hourIndexOf, locate, medianOfTenths, medianRanks, weekIndexOf, windowBlocks } from './appeals.figure-blocks.rules.js';
import { median } from './appeals.figures.rules.js';

const START = Date.parse('2026-01-01T00:00:00Z');
const END = Date.parse('2027-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

it('splits any window into part-hours, hours, days and weeks that hold each instant of it exactly once', () => {
  fc.assert(
    fc.property(fc.integer({ min: START, max: END }), fc.integer({ min: 0, max: 120 * 86_400_000 }), fc.array(fc.integer({ min: -3_600_000, max: 121 * 86_400_000 }), { maxLength: 40 }), (from, length, offsets) => {
      const to = from + length;
      const plan = windowBlocks(iso(from), iso(to));
      expect(plan.hours.length).toBeLessThanOrEqual(46);
      expect(plan.days.length).toBeLessThanOrEqual(12);
      // Instants at the ends and at block edges, and random ones around the window.
      for (const at of [from, to, from - 1, to + 1, ...offsets.map((o) => from + o)]) {
        const hour = hourIndexOf(iso(at));
        const day = dayIndexOf(hour);
        const holders = [
          ...plan.parts.filter((p) => Date.parse(p.from) <= at && (p.toInclusive ? at <= Date.parse(p.to) : at < Date.parse(p.to))),
          ...plan.hours.filter((h) => h === hour),
          ...plan.days.filter((d) => d === day),
          ...plan.weeks.filter((w) => w === weekIndexOf(day)),
        ];
        expect(holders.length, `${iso(at)} in ${iso(from)}..${iso(to)}`).toBe(at >= from && at <= to ? 1 : 0);
      }
    }),
    { numRuns: 500 },
  );
});

it('names weeks from Monday, China time', () => {
  // 2026-11-23 is a Monday; 16:00 UTC on the Sunday before is already Monday in Beijing.
  expect(weekIndexOf(dayIndexOf(hourIndexOf('2026-11-22T16:00:00.000Z')))).toBe(weekIndexOf(dayIndexOf(hourIndexOf('2026-11-29T15:59:59.999Z'))));
  expect(weekIndexOf(dayIndexOf(hourIndexOf('2026-11-22T15:59:59.999Z')))).toBe(weekIndexOf(dayIndexOf(hourIndexOf('2026-11-22T16:00:00.000Z'))) - 1);
});

it('finds the median of counts at its ranks as the median of the values', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 80 }), (tenths) => {
      const histogram = new Map<number, number>();
      for (const t of tenths) histogram.set(t, (histogram.get(t) ?? 0) + 1);
      const values = medianRanks(tenths.length).map((rank) => locate(histogram, rank).value);
      expect(medianOfTenths(values)).toBe(median(tenths.map((t) => t / 10)));
    }),
  );
});
