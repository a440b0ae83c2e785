// Appeal figures from counts kept per unit, China-time day and category: what one appeal adds to them, and
// the figures read back. Exact by construction: durations are counted in tenths of an hour, the precision
// the figures round to (same expression, same float), so a median over the counts is the median over the rows.
import { blockUnitsOf, hourIndexOf } from './appeals.figure-blocks.rules.js';
import { type FigureRow, share, weekOf, weeksBetween } from './appeals.figures.rules.js';

/**
 * filed (value 0); ack_ok / res_ok: acknowledged / answered on time (1) or late (0), when judged; rating: the
 * stars; ack_h10 / res_h10: hours from filing to acknowledgement / answer, in tenths, without a cap (an
 * overflow bucket could hold the median and make it inexact).
 */
export type FigureMeasure = 'filed' | 'ack_ok' | 'res_ok' | 'rating' | 'ack_h10' | 'res_h10';

/** With the appeal's paths, the contribution also names the units that keep it in time blocks (appeals.figure-blocks.rules.ts). */
export type FigureInputs = Pick<FigureRow, 'category' | 'createdAt' | 'acknowledgedAt' | 'answeredAt' | 'acknowledgedOnTime' | 'resolvedOnTime' | 'rating'> & { unitPath?: string; originUnitPath?: string };

/** hour: of filing, in hours since 1970 China time; blockUnits: where its block rows were written (none before blocks existed). */
export type Contribution = { day: string; category: string; measures: [FigureMeasure, number][]; hour: number; blockUnits: number[] };

export type CountRow = { unitId: number; day: string; category: string; measure: FigureMeasure; value: number; n: number };

const CHINA_OFFSET = 8 * 3_600_000;

/** The calendar day in China (UTC+8, no daylight saving since 1991) of an instant, as YYYY-MM-DD. */
export const chinaDayOf = (at: string) => new Date(Date.parse(at) + CHINA_OFFSET).toISOString().slice(0, 10);

/** The instant a China-time day begins. */
export const chinaDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) - CHINA_OFFSET).toISOString();

// The figures round hours as Math.round(h * 10) / 10; the count keeps Math.round(h * 10), and the read divides
// by 10 again, which gives the very same number.
export const tenthsOfHourBetween = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 10);

export function contributionOf(appeal: FigureInputs): Contribution {
  const measures: [FigureMeasure, number][] = [['filed', 0]];
  if (appeal.acknowledgedOnTime !== null) measures.push(['ack_ok', appeal.acknowledgedOnTime]);
  if (appeal.resolvedOnTime !== null) measures.push(['res_ok', appeal.resolvedOnTime]);
  if (appeal.rating !== null) measures.push(['rating', appeal.rating]);
  if (appeal.acknowledgedAt !== null) measures.push(['ack_h10', tenthsOfHourBetween(appeal.createdAt, appeal.acknowledgedAt)]);
  if (appeal.answeredAt !== null) measures.push(['res_h10', tenthsOfHourBetween(appeal.createdAt, appeal.answeredAt)]);
  const blockUnits = appeal.unitPath !== undefined && appeal.originUnitPath !== undefined ? blockUnitsOf(appeal.unitPath, appeal.originUnitPath) : [];
  return { day: chinaDayOf(appeal.createdAt), category: appeal.category, measures, hour: hourIndexOf(appeal.createdAt), blockUnits };
}

/**
 * What an appeal counted, as kept on its row (appeals.figures_counted):
 * "2026-11-23|safety|filed:0,ack_ok:1|499128|0,1" (day, category, measures, hour of filing, block units).
 */
export function encodeContribution(contribution: Contribution): string {
  return `${contribution.day}|${contribution.category}|${contribution.measures.map(([m, v]) => `${m}:${v}`).join(',')}|${contribution.hour}|${contribution.blockUnits.join(',')}`;
}

export function decodeContribution(text: string): Contribution {
  // Written before the time blocks: three fields, and no block rows to take back.
  const [day, category, measures, hour, units] = text.split('|') as [string, string, string, string | undefined, string | undefined];
  return {
    day,
    category,
    hour: hour === undefined ? Number.NaN : Number(hour),
    blockUnits: units ? units.split(',').map(Number) : [],
    measures: measures.split(',').map((pair) => {
      const [measure, value] = pair.split(':') as [FigureMeasure, string];
      return [measure, Number(value)];
    }),
  };
}

const keyOf = (r: Omit<CountRow, 'n'>) => `${r.unitId}|${r.day}|${r.category}|${r.measure}|${r.value}`;

/**
 * The change to the counts when an appeal that counted `before` at `beforeUnits` (null: nowhere) now counts
 * `after` at `afterUnits`: rows that cancel out are dropped, and the rest come in key order, so concurrent
 * writers on PostgreSQL lock shared rows in the same order and never deadlock.
 */
export function countChanges(changes: readonly { contribution: Contribution | null; units: readonly number[]; sign: 1 | -1 }[]): CountRow[] {
  const net = new Map<string, CountRow>();
  for (const { contribution, units, sign } of changes) {
    if (contribution === null) continue;
    for (const unitId of units) {
      for (const [measure, value] of contribution.measures) {
        // Only volume is broken down by category: the other measures keep one row set per day, not eleven
        // (at 1m, 48k rows in Sichuan's 12 weeks instead of 86k). A read sums them over categories either way.
        const row = { unitId, day: contribution.day, category: measure === 'filed' ? contribution.category : '', measure, value, n: 0 };
        const key = keyOf(row);
        const current = net.get(key) ?? row;
        current.n += sign;
        net.set(key, current);
      }
    }
  }
  return [...net.values()].filter((r) => r.n !== 0).sort(compareCountRows);
}

function compareCountRows(a: CountRow, b: CountRow): number {
  return a.unitId - b.unitId || a.day.localeCompare(b.day) || a.category.localeCompare(b.category) || a.measure.localeCompare(b.measure) || a.value - b.value;
}

/** A sum read back: the day and category are kept for `filed` only (volume per week and category). */
export type MeasureSum = { measure: FigureMeasure; value: number; day: string | null; category: string | null; n: number };

/** The rows of the window's part-days, read one by one, as the sums they would have added. */
export function sumsOfRows(rows: readonly FigureInputs[]): MeasureSum[] {
  return rows.flatMap((row) => {
    const c = contributionOf(row);
    return c.measures.map(([measure, value]) => ({ measure, value, day: measure === 'filed' ? c.day : null, category: measure === 'filed' ? c.category : null, n: 1 }));
  });
}

function medianOfCounts(tenths: Map<number, number>): number | null {
  const entries = [...tenths.entries()].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const valueAt = (index: number) => {
    let seen = 0;
    for (const [k, n] of entries) {
      seen += n;
      if (index < seen) return k / 10;
    }
    throw new Error('median index beyond the counts');
  };
  const middle = Math.floor(total / 2);
  return total % 2 === 1 ? valueAt(middle) : (valueAt(middle - 1) + valueAt(middle)) / 2;
}

/** The figures of appealFigures (appeals.figures.rules.ts), from sums instead of rows; volume in week and category order. */
export function figuresFromSums<C extends string>(sums: readonly MeasureSum[], options: { from: string; to: string; openOverdue: number }) {
  const volume = new Map<string, number>();
  const byMeasure = new Map<FigureMeasure, Map<number, number>>();
  for (const sum of sums) {
    if (sum.measure === 'filed') {
      const key = `${weekOf(`${sum.day}T00:00:00+08:00`)}|${sum.category}`;
      volume.set(key, (volume.get(key) ?? 0) + sum.n);
    }
    const values = byMeasure.get(sum.measure) ?? new Map<number, number>();
    values.set(sum.value, (values.get(sum.value) ?? 0) + sum.n);
    byMeasure.set(sum.measure, values);
  }
  const countOf = (measure: FigureMeasure, value?: number) => [...(byMeasure.get(measure) ?? new Map<number, number>()).entries()].reduce((total, [v, n]) => (value === undefined || v === value ? total + n : total), 0);
  const ratings = [1, 2, 3, 4, 5].map((stars) => ({ stars, count: countOf('rating', stars) }));
  const rated = ratings.reduce((total, r) => total + r.count, 0);
  const starSum = ratings.reduce((total, r) => total + r.stars * r.count, 0);
  return {
    weeks: weeksBetween(options.from, options.to),
    volume: [...volume.entries()]
      .filter(([, count]) => count !== 0)
      .map(([key, count]) => {
        const [week, category] = key.split('|') as [string, C];
        return { week, category, count };
      })
      .sort((a, b) => a.week.localeCompare(b.week) || a.category.localeCompare(b.category)),
    total: countOf('filed'),
    medianHoursToAcknowledge: medianOfCounts(byMeasure.get('ack_h10') ?? new Map<number, number>()),
    medianHoursToResolve: medianOfCounts(byMeasure.get('res_h10') ?? new Map<number, number>()),
    acknowledgedOnTimeShare: share(countOf('ack_ok', 1), countOf('ack_ok')),
    resolvedOnTimeShare: share(countOf('res_ok', 1), countOf('res_ok')),
    satisfaction: { average: rated === 0 ? null : Math.round((starSum / rated) * 100) / 100, ratings },
    openOverdue: options.openOverdue,
  };
}

/**
 * Splits [from, to] at China-time midnights: the whole days in between are read from the counts, the
 * part-days at either end (at most one day's worth of time in all) from the appeals themselves.
 */
export function splitWindow(from: string, to: string): { days: { first: string; last: string } | null; parts: { from: string; to: string; toInclusive: boolean }[] } {
  let first = chinaDayOf(from);
  if (chinaDayStart(first) < new Date(from).toISOString()) first = nextDay(first);
  const toInstant = new Date(to).toISOString();
  // A day is whole when the instant after it is still within the window (to is inclusive).
  let last = chinaDayOf(toInstant);
  if (chinaDayStart(nextDay(last)) > toInstant) last = previousDay(last);
  if (first > last) return { days: null, parts: [{ from, to, toInclusive: true }] };
  const parts = [];
  const firstStart = chinaDayStart(first);
  const afterLast = chinaDayStart(nextDay(last));
  if (new Date(from).toISOString() < firstStart) parts.push({ from, to: firstStart, toInclusive: false });
  if (afterLast <= toInstant) parts.push({ from: afterLast, to, toInclusive: true });
  return { days: { first, last }, parts };
}

const shiftDay = (day: string, by: number) => new Date(Date.parse(`${day}T00:00:00.000Z`) + by * 86_400_000).toISOString().slice(0, 10);
const nextDay = (day: string) => shiftDay(day, 1);
const previousDay = (day: string) => shiftDay(day, -1);
