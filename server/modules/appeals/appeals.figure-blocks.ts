// The busiest units' appeal figures from time blocks (appeal_figure_blocks; the rules and the reasons in
// appeals.figure-blocks.rules.ts): a window reads at most 46 hour blocks, 12 day blocks and its weeks, and the
// appeals of the part-hours at both ends.
import { type Kysely, sql, type Transaction } from 'kysely';
import { preparedRowsStatement } from '../../db/prepared.js';
import type { Database } from '../../db/tables.js';
import { addTo, type BlockMeasure, type BlockRow, blockChanges, compareBlockRows, DAY_SPAN, type Histogram, HOUR_SPAN, locate, medianOfTenths, medianRanks, mondayOf, type Span, stampRows, WEEK_SPAN, type WindowBlocks } from './appeals.figure-blocks.rules.js';
import { contributionOf, decodeContribution, figuresFromSums, type MeasureSum } from './appeals.figure-counts.rules.js';

type Db = Kysely<Database> | Transaction<Database>;

// Seven columns a row: 1,000 rows stay well under SQLite's bound-parameter limit.
const CHUNK = 1_000;

const upsertBlocks = preparedRowsStatement(['unitId', 'measure', 'span', 'block', 'category', 'value', 'n'], (db: Kysely<Database>, rows: readonly BlockRow[]) =>
  db
    .insertInto('appealFigureBlocks')
    .values(rows)
    .onConflict((oc) => oc.columns(['unitId', 'measure', 'span', 'block', 'category', 'value']).doUpdateSet((eb) => ({ n: eb('appealFigureBlocks.n', '+', eb.ref('excluded.n')) }))),
);

export async function addToFigureBlocks(db: Db, rows: readonly BlockRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await upsertBlocks(db, rows.slice(i, i + CHUNK));
}

const side = (counted: string | null, sign: 1 | -1) => {
  const contribution = counted === null ? null : decodeContribution(counted);
  return { contribution, units: contribution?.blockUnits ?? [], sign };
};

/**
 * The block rows' net change when appeals counted `before` and count `after` (each text names its block units),
 * with one more on the change counters of each top-level committee whose blocks they touch; in key order.
 */
export function blockRowsOfChanges(changes: readonly { before: string | null; after: string | null }[]): BlockRow[] {
  const changed = changes.filter((c) => c.before !== c.after);
  const rows = blockChanges(changed.flatMap((c) => [side(c.before, -1), side(c.after, 1)]));
  const stamps = stampRows(changed.map((c) => ({ before: side(c.before, -1).contribution, after: side(c.after, 1).contribution })));
  return stamps.length === 0 ? rows : [...rows, ...stamps].sort(compareBlockRows);
}

export type SpanBlocks = { span: Span; blocks: readonly number[] };

export type Read = { measures: readonly BlockMeasure[]; from?: number; to?: number };

export type SumRow = { measure: BlockMeasure; category: string; value: number | string; week: number | string | null; n: number | string };

/** Sums over some blocks: blockSums itself, or a cache of its answers (appeals.figure-cache.ts). */
export type BlockSums = (spans: readonly SpanBlocks[], reads: readonly Read[]) => Promise<SumRow[]>;

/**
 * Sums per measure, category, value (and week, for volume) over the given blocks: one branch per span and
 * read, each a few seeks of the primary key (unit, measure, span, block, category[, value range]). Written as
 * SQL text, not with the query builder: building ~10 branches a request cost more than running them.
 */
export async function blockSums(db: Db, unitId: number, spans: readonly SpanBlocks[], reads: readonly Read[]): Promise<SumRow[]> {
  // Volume is kept per week: the week of an hour, a day or a week block (integer division on both engines).
  const weekOf = (span: Span) => (span === HOUR_SPAN ? sql`(block / 24 + 3) / 7` : span === DAY_SPAN ? sql`(block + 3) / 7` : sql`block`);
  const branches = spans
    .filter((s) => s.blocks.length > 0)
    .flatMap((s) =>
      reads.map((r) => {
        const filed = r.measures.includes('filed');
        const measures = sql.join(r.measures.map((m) => sql.lit(m)));
        // Only volume has a category: '' keeps the value range within the key.
        const category = filed ? sql`` : sql` and category = ''`;
        const values = r.from === undefined ? sql`` : sql` and value >= ${r.from} and value <= ${r.to}`;
        return sql`select measure, category, value, n, ${filed ? weekOf(s.span) : sql`null`} as week from appeal_figure_blocks
          where unit_id = ${unitId} and measure in (${measures}) and span = ${sql.lit(s.span)} and block in (${sql.join(s.blocks)})${category}${values}`;
      }),
    );
  if (branches.length === 0) return [];
  const { rows } = await sql<SumRow>`
    select measure, category, value, week, sum(n) as n from (${sql.join(branches, sql` union all `)}) b group by measure, category, value, week`.execute(db);
  return rows;
}

export type PartRow = Parameters<typeof contributionOf>[0];

/**
 * A top-level unit's (or the country's) figures over [from, to] (split as `plan`), given the sums of its blocks,
 * the appeals of the part-hours at both ends (read by the caller through the reach rows) and the open-overdue count.
 */
export async function blockFigures<C extends string>(window: { from: string; to: string }, plan: WindowBlocks, sumsOf: BlockSums, partRows: readonly PartRow[], openOverdue: number) {
  const coarseSpans: SpanBlocks[] = [
    { span: DAY_SPAN, blocks: plan.days },
    { span: WEEK_SPAN, blocks: plan.weeks },
  ];
  const hourSpan: SpanBlocks[] = [{ span: HOUR_SPAN, blocks: plan.hours }];
  const counters: BlockMeasure[] = ['ack_ok', 'res_ok', 'rating'];
  const [hourRows, coarseRows] = await Promise.all([
    sumsOf(hourSpan, [{ measures: ['filed'] }, { measures: [...counters, 'ack_t', 'res_t'] }]),
    sumsOf(coarseSpans, [{ measures: ['filed'] }, { measures: [...counters, 'ack_c', 'res_c'] }]),
  ]);
  const sums: MeasureSum[] = [];
  // Exact tenths known without another read: the hour blocks' and the part-hours' appeals.
  const fineTenths = { ack: new Map() as Histogram, res: new Map() as Histogram };
  const coarse = { ack: new Map() as Histogram, res: new Map() as Histogram };
  const add = (measure: string, category: string, value: number, week: number | null, n: number) => {
    if (measure === 'filed') sums.push({ measure: 'filed', value: 0, day: mondayOf(week!), category, n });
    else if (measure === 'ack_t' || measure === 'res_t') {
      const kind = measure === 'ack_t' ? 'ack' : 'res';
      addTo(fineTenths[kind], value, n);
      addTo(coarse[kind], Math.floor(value / 100), n);
    } else if (measure === 'ack_c') addTo(coarse.ack, value, n);
    else if (measure === 'res_c') addTo(coarse.res, value, n);
    else sums.push({ measure: measure as 'ack_ok' | 'res_ok' | 'rating', value, day: null, category: null, n });
  };
  for (const r of [...hourRows, ...coarseRows]) add(r.measure, r.category, Number(r.value), r.week === null ? null : Number(r.week), Number(r.n));
  for (const row of partRows) {
    const c = contributionOf(row);
    for (const [measure, value] of c.measures) {
      if (measure === 'filed') sums.push({ measure, value, day: c.day, category: c.category, n: 1 });
      else if (measure === 'ack_h10') add('ack_t', '', value, null, 1);
      else if (measure === 'res_h10') add('res_t', '', value, null, 1);
      else sums.push({ measure, value, day: null, category: null, n: 1 });
    }
  }
  const medians = await mediansOf(sumsOf, coarseSpans, coarse, fineTenths);
  const figures = figuresFromSums<C>(sums, { from: window.from, to: window.to, openOverdue });
  return { ...figures, medianHoursToAcknowledge: medians.ack, medianHoursToResolve: medians.res };
}

/**
 * Each median: the ten-hour bucket of its rank(s) from the coarse counts, then the hour within it, then the
 * tenth within that hour (the day and week blocks read once per step for both medians; the hour blocks and
 * part-hours are already known to the tenth).
 */
async function mediansOf(sumsOf: BlockSums, spans: readonly SpanBlocks[], coarse: Record<'ack' | 'res', Histogram>, fine: Record<'ack' | 'res', Histogram>) {
  const kinds = ['ack', 'res'] as const;
  const ranks = Object.fromEntries(kinds.map((k) => [k, medianRanks([...coarse[k].values()].reduce((a, b) => a + b, 0))])) as Record<'ack' | 'res', number[]>;
  // Step 1: the bucket of each rank, and the rank within it.
  const inBucket = Object.fromEntries(kinds.map((k) => [k, ranks[k].map((rank) => {
    const at = locate(coarse[k], rank);
    return { bucket: at.value, rank: rank - at.below };
  })])) as Record<'ack' | 'res', { bucket: number; rank: number }[]>;
  const fineIn = (k: 'ack' | 'res', from: number, to: number, scale: number) => {
    const h: Histogram = new Map();
    for (const [tenths, n] of fine[k]) if (tenths >= from && tenths <= to) addTo(h, Math.floor(tenths / scale), n);
    return h;
  };
  const hourReads = kinds.flatMap((k) => [...new Set(inBucket[k].map((b) => b.bucket))].map((bucket) => ({ measures: [`${k}_h` as const], from: bucket * 10, to: bucket * 10 + 9 })));
  const hourRows = hourReads.length === 0 ? [] : await sumsOf(spans, hourReads);
  // Step 2: the hour of each rank within its bucket.
  const inHour = Object.fromEntries(kinds.map((k) => [k, inBucket[k].map(({ bucket, rank }) => {
    const hours = fineIn(k, bucket * 100, bucket * 100 + 99, 10);
    for (const r of hourRows) if (r.measure === `${k}_h` && Math.floor(Number(r.value) / 10) === bucket) addTo(hours, Number(r.value), Number(r.n));
    const at = locate(hours, rank);
    return { hour: at.value, rank: rank - at.below };
  })])) as Record<'ack' | 'res', { hour: number; rank: number }[]>;
  const tenthReads = kinds.flatMap((k) => [...new Set(inHour[k].map((h) => h.hour))].map((hour) => ({ measures: [`${k}_t` as const], from: hour * 10, to: hour * 10 + 9 })));
  const tenthRows = tenthReads.length === 0 ? [] : await sumsOf(spans, tenthReads);
  // Step 3: the tenth of each rank within its hour.
  const medians = { ack: null as number | null, res: null as number | null };
  for (const k of kinds) {
    const values = inHour[k].map(({ hour, rank }) => {
      const tenths = fineIn(k, hour * 10, hour * 10 + 9, 1);
      for (const r of tenthRows) if (r.measure === `${k}_t` && Math.floor(Number(r.value) / 10) === hour) addTo(tenths, Number(r.value), Number(r.n));
      return locate(tenths, rank).value;
    });
    medians[k] = medianOfTenths(values);
  }
  return medians;
}
