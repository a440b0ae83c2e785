// Appeal figures of the busiest units (the whole country and each top-level committee) kept in time blocks of
// an hour, a China day and an ISO week, with durations at three resolutions (ten hours, hours, tenths): a
// window reads a bounded number of blocks, and a median descends from the ten-hour counts to the tenths of
// the one hour that holds it. Per-day counts of small units hardly compress, so they keep only the day rows.
import type { Contribution } from './appeals.figure-counts.rules.js';
import { idsOnPath } from '../org/org.rules.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;

export type Span = 0 | 1 | 2 | 3;
/** Not a time span: the unit's change counters (below). */
export const STAMP_SPAN: Span = 0;
export const HOUR_SPAN: Span = 1;
export const DAY_SPAN: Span = 2;
export const WEEK_SPAN: Span = 3;

/** ack_t / ack_h / ack_c: hours to acknowledge in tenths, whole hours and tens of hours (res_* to answer). */
export type BlockMeasure = 'filed' | 'ack_ok' | 'res_ok' | 'rating' | 'ack_t' | 'ack_h' | 'ack_c' | 'res_t' | 'res_h' | 'res_c' | 'changes';

export type BlockRow = { unitId: number; measure: BlockMeasure; span: Span; block: number; category: string; value: number; n: number };

/** Hours since 1970-01-01 00:00 China time. */
export const hourIndexOf = (at: string) => Math.floor((Date.parse(at) + CHINA_OFFSET) / HOUR);
/** China days since 1970-01-01. */
export const dayIndexOf = (hour: number) => Math.floor(hour / 24);
/** ISO weeks (Monday first, China time); week w begins on day 7w − 3 (1970-01-05 was a Monday). */
export const weekIndexOf = (day: number) => Math.floor((day + 3) / 7);
export const weekStartDay = (week: number) => 7 * week - 3;
/** The Monday of a week, as YYYY-MM-DD (as weekOf in appeals.figures.rules.ts names weeks). */
export const mondayOf = (week: number) => new Date(weekStartDay(week) * DAY).toISOString().slice(0, 10);

/** Which of an appeal's units keep blocks: the whole country (0) and the top-level committee of each path. */
export function blockUnitsOf(unitPath: string, originUnitPath: string): number[] {
  const roots = [unitPath, originUnitPath].map((path) => idsOnPath(path)[0]!);
  return [...new Set([0, ...roots])];
}

const durationRows = (prefix: 'ack' | 'res', tenths: number, span: Span): [BlockMeasure, number][] =>
  span === HOUR_SPAN
    ? [[`${prefix}_t`, tenths]]
    : [
        [`${prefix}_t`, tenths],
        [`${prefix}_h`, Math.floor(tenths / 10)],
        [`${prefix}_c`, Math.floor(tenths / 100)],
      ];

/** One unit's block rows for a contribution: every measure in its hour, day and week; durations in hour blocks as tenths only (few appeals an hour). */
export function blockRowsOf(contribution: Contribution, unitId: number, sign: 1 | -1): BlockRow[] {
  const hour = contribution.hour;
  const blocks: [Span, number][] = [
    [HOUR_SPAN, hour],
    [DAY_SPAN, dayIndexOf(hour)],
    [WEEK_SPAN, weekIndexOf(dayIndexOf(hour))],
  ];
  const rows: BlockRow[] = [];
  for (const [span, block] of blocks) {
    for (const [measure, value] of contribution.measures) {
      const pairs: [BlockMeasure, number][] =
        measure === 'filed' ? [['filed', 0]] : measure === 'ack_h10' ? durationRows('ack', value, span) : measure === 'res_h10' ? durationRows('res', value, span) : [[measure, value]];
      for (const [m, v] of pairs) rows.push({ unitId, measure: m, span, block, category: m === 'filed' ? contribution.category : '', value: v, n: sign });
    }
  }
  return rows;
}

const blockKey = (r: Omit<BlockRow, 'n'>) => `${r.unitId}|${r.measure}|${r.span}|${r.block}|${r.category}|${r.value}`;

/** The net change of the block rows, in key order (PostgreSQL writers lock shared rows in one order). */
export function blockChanges(changes: readonly { contribution: Contribution | null; units: readonly number[]; sign: 1 | -1 }[]): BlockRow[] {
  const net = new Map<string, BlockRow>();
  for (const { contribution, units, sign } of changes) {
    if (contribution === null) continue;
    for (const unitId of units) {
      for (const row of blockRowsOf(contribution, unitId, sign)) {
        const key = blockKey(row);
        const current = net.get(key);
        if (current) current.n += sign;
        else net.set(key, row);
      }
    }
  }
  return [...net.values()].filter((r) => r.n !== 0).sort(compareBlockRows);
}

/**
 * The change counters of the top-level committees (span 0, measure 'changes', one per category): each change
 * that writes a committee's blocks adds one in the same statement, so a figure computed from its blocks is
 * still exact while the counters read before it are unchanged (appeals.figure-cache.ts), in any process.
 * Per category, so that filings queue on no row their category's block rows did not already hold; none for
 * the country (0), whose rows every writer shares.
 */
export function stampRows(changes: readonly { before: Contribution | null; after: Contribution | null }[]): BlockRow[] {
  const net = new Map<string, BlockRow>();
  for (const { before, after } of changes) {
    const touched = new Set<string>();
    for (const c of [before, after]) for (const unitId of c?.blockUnits ?? []) if (unitId !== 0) touched.add(`${unitId}|${c!.category}`);
    for (const key of touched) {
      const [unitId, category] = key.split('|') as [string, string];
      const row = net.get(key) ?? { unitId: Number(unitId), measure: 'changes', span: STAMP_SPAN, block: 0, category, value: 0, n: 0 };
      row.n += 1;
      net.set(key, row);
    }
  }
  return [...net.values()];
}

export function compareBlockRows(a: BlockRow, b: BlockRow): number {
  return a.unitId - b.unitId || a.measure.localeCompare(b.measure) || a.span - b.span || a.block - b.block || a.category.localeCompare(b.category) || a.value - b.value;
}

export type Part = { from: string; to: string; toInclusive: boolean };
export type WindowBlocks = { parts: Part[]; hours: number[]; days: number[]; weeks: number[] };

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);
const floorDiv = (a: number, b: number) => Math.floor(a / b);
const range = (first: number, last: number) => Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
const utc = (chinaMs: number) => new Date(chinaMs - CHINA_OFFSET).toISOString();

/** The whole hours of [from, to] (to inclusive): [first, end), as hour indexes; the part-hours are hour first − 1 and hour end. */
export function wholeHoursOf(from: string, to: string): { first: number; end: number } {
  return { first: ceilDiv(Date.parse(from) + CHINA_OFFSET, HOUR), end: floorDiv(Date.parse(to) + CHINA_OFFSET + 1, HOUR) };
}

/** The instant an hour (index) begins. */
export const hourStart = (hour: number) => utc(hour * HOUR);

/**
 * Splits [from, to] (to inclusive) into the part-hours at both ends (read from the appeals), whole hours up to
 * the nearest China midnights, whole days up to the nearest Mondays, and whole weeks: at most 2 parts, 46
 * hours, 12 days and the weeks between.
 */
export function windowBlocks(from: string, to: string): WindowBlocks {
  const a = Date.parse(from) + CHINA_OFFSET;
  const end = Date.parse(to) + CHINA_OFFSET + 1;
  const { first: hs, end: he } = wholeHoursOf(from, to);
  const none: WindowBlocks = { parts: [{ from, to, toInclusive: true }], hours: [], days: [], weeks: [] };
  if (hs >= he) return none;
  const parts: Part[] = [];
  if (a < hs * HOUR) parts.push({ from, to: utc(hs * HOUR), toInclusive: false });
  if (he * HOUR < end) parts.push({ from: utc(he * HOUR), to, toInclusive: true });
  const ds = ceilDiv(hs, 24);
  const de = floorDiv(he, 24);
  if (ds >= de) return { parts, hours: range(hs, he - 1), days: [], weeks: [] };
  const hours = [...range(hs, ds * 24 - 1), ...range(de * 24, he - 1)];
  const ws = ceilDiv(ds + 3, 7);
  const we = floorDiv(de + 3, 7);
  if (ws >= we) return { parts, hours, days: range(ds, de - 1), weeks: [] };
  return { parts, hours, days: [...range(ds, weekStartDay(ws) - 1), ...range(weekStartDay(we), de - 1)], weeks: range(ws, we - 1) };
}

/** Counts per value, added up. */
export type Histogram = Map<number, number>;

export function addTo(histogram: Histogram, value: number, n: number): void {
  histogram.set(value, (histogram.get(value) ?? 0) + n);
}

/** The value holding the rank-th (0-based) count in value order, and how many counts lie below it. */
export function locate(histogram: Histogram, rank: number): { value: number; below: number } {
  let below = 0;
  for (const [value, n] of [...histogram.entries()].filter(([, n]) => n !== 0).sort((x, y) => x[0] - y[0])) {
    if (rank < below + n) return { value, below };
    below += n;
  }
  throw new Error('rank beyond the counts');
}

/** The ranks whose values make a median of `total` counts (one when odd, the middle two when even). */
export const medianRanks = (total: number): number[] => (total === 0 ? [] : total % 2 === 1 ? [Math.floor(total / 2)] : [total / 2 - 1, total / 2]);

/** The median in hours from the tenths at its ranks, computed as medianOfCounts computes it (same floats). */
export const medianOfTenths = (tenths: readonly number[]): number | null => (tenths.length === 0 ? null : tenths.length === 1 ? tenths[0]! / 10 : (tenths[0]! / 10 + tenths[1]! / 10) / 2);
