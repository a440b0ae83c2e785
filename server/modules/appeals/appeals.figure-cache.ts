// A top-level committee's appeal figures, kept in the server process while they still hold (issue 6). Its
// blocks change only with a write that also adds one to one of its change counters (stampRows, in the same
// statement and transaction), so what was computed after reading the counters holds for as long as the
// counters read the same: one key look-up a request instead of the block reads, in any number of processes
// (each keeps its own, and each sees every process's writes through the counters). Read in this order —
// counters first, then blocks — a write that lands in between leaves newer counters than the ones the entry
// is filed under, so the next request reads past it. Only the open-overdue count, which moves with the clock
// and with deadlines that change no block, is counted on every request.
import type { Kysely, Transaction } from 'kysely';
import { preparedStatement } from '../../db/prepared.js';
import type { Database } from '../../db/tables.js';
import { type BlockSums, blockFigures, blockSums, type PartRow, type Read, type SpanBlocks, type SumRow } from './appeals.figure-blocks.js';
import { hourStart, STAMP_SPAN, wholeHoursOf, windowBlocks } from './appeals.figure-blocks.rules.js';
import { weeksBetween } from './appeals.figures.rules.js';

type Db = Kysely<Database> | Transaction<Database>;
type Figures = Awaited<ReturnType<typeof blockFigures<string>>>;

/** What a committee's blocks give over the whole hours of a window, and the appeals of the hours at both ends. */
type Entry = {
  sums: BlockSums;
  /** Filed in the hour before the whole hours / in the hour after them, in filing order. */
  firstHour: PartRow[];
  lastHour: PartRow[];
  /** The figures by how many appeals of each end hour the window takes (the open-overdue count aside). */
  figures: Map<string, Promise<Figures>>;
};

// A few windows of a few committees per process: the entries of older counters are never asked for again.
const MAX_ENTRIES = 32;
const MAX_FIGURES_PER_ENTRY = 64;
const entriesByDatabase = new WeakMap<object, Map<string, Promise<Entry>>>();

const readStamps = preparedStatement(['unitId'], (db: Kysely<Database>, p: { unitId: number }) =>
  db.selectFrom('appealFigureBlocks').select(['category', 'n']).where('unitId', '=', p.unitId).where('measure', '=', 'changes').where('span', '=', STAMP_SPAN).orderBy('category'),
);

/** The committee's change counters, as one text. */
async function stampsOf(db: Kysely<Database>, unitId: number): Promise<string> {
  const { rows } = await readStamps(db, { unitId });
  return rows.map((r) => `${r.category}:${Number(r.n)}`).join(',');
}

/** Answers each distinct read of the blocks once (the medians' steps ask again for the same buckets). */
function rememberedSums(db: Db, unitId: number): BlockSums {
  const answers = new Map<string, Promise<SumRow[]>>();
  return (spans: readonly SpanBlocks[], reads: readonly Read[]) => {
    const key = JSON.stringify([spans, reads]);
    let answer = answers.get(key);
    if (!answer) {
      answer = blockSums(db, unitId, spans, reads);
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
    }
    return answer;
  };
}

type PartRowsOf = (part: { from: string; to: string; toInclusive: boolean; inOrder: boolean }) => Promise<PartRow[]>;

async function loadEntry(db: Db, unitId: number, hours: { first: number; end: number }, partRowsOf: PartRowsOf): Promise<Entry> {
  const hourOf = (hour: number) => partRowsOf({ from: hourStart(hour), to: hourStart(hour + 1), toInclusive: false, inOrder: true });
  const [firstHour, lastHour] = await Promise.all([hourOf(hours.first - 1), hourOf(hours.end)]);
  return { sums: rememberedSums(db, unitId), firstHour, lastHour, figures: new Map() };
}

function remember<V>(map: Map<string, Promise<V>>, key: string, limit: number, make: () => Promise<V>): Promise<V> {
  let value = map.get(key);
  if (!value) {
    if (map.size >= limit) map.delete(map.keys().next().value!);
    value = make();
    map.set(key, value);
    // A failed read is not kept: the next request tries again (and the caller sees the error).
    value.catch(() => map.delete(key));
  }
  return value;
}

/**
 * A top-level committee's figures over [from, to] from its blocks, kept while its change counters stand.
 * `partRowsOf` reads the appeals filed in part of an hour through the reach rows; `openOverdue` is counted anew.
 */
export async function cachedBlockFigures<C extends string>(db: Kysely<Database>, unitId: number, window: { from: string; to: string }, partRowsOf: PartRowsOf, openOverdue: () => Promise<number>) {
  const hours = wholeHoursOf(window.from, window.to);
  const plan = windowBlocks(window.from, window.to);
  const [stamps, overdue] = await Promise.all([stampsOf(db, unitId), openOverdue()]);
  let entries = entriesByDatabase.get(db.getExecutor().adapter);
  if (!entries) {
    entries = new Map<string, Promise<Entry>>();
    entriesByDatabase.set(db.getExecutor().adapter, entries);
  }
  const entry = await remember(entries, `${unitId}|${stamps}|${hours.first}|${hours.end}`, MAX_ENTRIES, () => loadEntry(db, unitId, hours, partRowsOf));
  // The window takes the first hour's appeals from `from` on and the last hour's up to `to` (ISO texts compare in time order).
  const firstTaken = entry.firstHour.filter((r) => r.createdAt >= window.from);
  const lastTaken = entry.lastHour.filter((r) => r.createdAt <= window.to);
  const figures = await remember(entry.figures, `${firstTaken.length}|${lastTaken.length}`, MAX_FIGURES_PER_ENTRY, () => blockFigures<string>(window, plan, entry.sums, [...firstTaken, ...lastTaken], 0));
  return { ...(figures as Awaited<ReturnType<typeof blockFigures<C>>>), weeks: weeksBetween(window.from, window.to), openOverdue: overdue };
}
