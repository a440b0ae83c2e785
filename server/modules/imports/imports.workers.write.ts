// The writing half of the workers import: a batch's decided creates and updates, with their stored forms
// (encrypted phone, keyed hash, pinyin sort key, search grams). Kept apart from the deciding half
// (imports.workers.ts) because this is where an import of a million rows spends its time.
import { CompiledQuery } from 'kysely';
import { nameSortKey } from '../../core/name-sort.js';
import type { SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import { engineOf } from '../../db/engine.js';
import type { Worker } from '../../db/tables.js';
import { type NewPerson, writeNewPeopleGrams, writeSearchGrams } from '../../db/text-search.js';
import type { Trx } from './imports.batches.js';

export type WorkerSnapshot = Pick<Worker, 'name' | 'phoneHash' | 'workType' | 'vehicle' | 'cityCode' | 'status' | 'unitId' | 'unitPath' | 'consentWithdrawnAt'> & {
  id: number | null;
  phone: string | null;
};
export type WorkerDecision = { platformId: number; platformWorkerId: string; snapshot: WorkerSnapshot; kind: 'create' | 'update' };

/**
 * nameSortKey remembered for one job. pinyin-pro segments each name (a tenth of the import's CPU time
 * at 100,000 rows), and a roster repeats names a lot: 王伟 and 张敏 come back every few hundred rows.
 * The key depends on the name alone, so a remembered one is exact; the map is emptied when it grows
 * large, which bounds its memory on a file of a million distinct names.
 */
export function nameSortMemo(limit = 50_000): (name: string) => string {
  const known = new Map<string, string>();
  return (name) => {
    let key = known.get(name);
    if (key === undefined) {
      if (known.size >= limit) known.clear();
      key = nameSortKey(name);
      known.set(name, key);
    }
    return key;
  };
}

// Rows per INSERT: 500 × 16 parameters stays far below SQLite's 32,766 and PostgreSQL's 65,535.
const ROWS_PER_INSERT = 500;
const insertColumns = ['name', 'name_sort', 'phone_enc', 'phone_hash', 'phone_tail', 'platform_id', 'platform_worker_id', 'work_type', 'vehicle', 'city_code', 'unit_id', 'unit_path', 'status', 'consent_channel', 'created_at', 'updated_at'];

/**
 * The statement text of a multi-row insert of `rows` workers, written once per size. Kysely's builder
 * made an object tree of every value and camel-cased every node: at 100,000 rows that cost more than
 * SQLite took to store them (as the seeding found, server/db/seed/bulk-insert.ts).
 */
function insertText(rows: number, postgres: boolean): string {
  const width = insertColumns.length;
  const tuples = Array.from({ length: rows }, (_, r) => `(${insertColumns.map((_, c) => (postgres ? `$${r * width + c + 1}` : '?')).join(',')})`);
  return `insert into workers (${insertColumns.join(',')}) values ${tuples.join(',')} returning id, name, name_sort as "nameSort", unit_path as "unitPath", phone_tail as "phoneTail"`;
}

export type WorkerWriter = ((trx: Trx, decisions: readonly WorkerDecision[]) => Promise<void>) & {
  /** Inserts the workers created since the last call, then their search grams, each in its index's order. */
  finish: (trx: Trx) => Promise<void>;
  /** Drops the new workers waiting for finish (their transaction was rolled back). */
  forget: () => void;
};

type NewWorker = { unitPath: string | null; nameSort: string };

/**
 * The order new workers are inserted in: by unit path, then by name. A new worker lands in seven b-trees;
 * in this order, four of them (unit path and name; unit and name; platform, city and name; city and name)
 * take their rows in a sweep or within one unit's or city's few pages, instead of a page anywhere in the
 * index for each row. Only the phone hash and the name index stay random. At a million workers the index
 * pages a transaction touches are far more than SQLite's page cache holds, so a row that lands anywhere
 * reads a page and writes one out: 80,000-row transactions in this order imported 19–25 % faster
 * (`bench/import-direct.ts --world=<1m> --batch=80000 --check-every=80000`).
 */
export function byUnitThenName(a: NewWorker, b: NewWorker): number {
  const pathA = a.unitPath ?? '';
  const pathB = b.unitPath ?? '';
  if (pathA !== pathB) return pathA < pathB ? -1 : 1;
  if (a.nameSort !== b.nameSort) return a.nameSort < b.nameSort ? -1 : 1;
  return 0;
}

/**
 * A writer for one job: it keeps the job's name-sort memo and its statement texts. Updates are written at
 * once, in row order; new workers wait for the end of the transaction (finish), so a transaction written in
 * slices still inserts them in one pass, in byUnitThenName's order, and their grams in one pass in the gram
 * key's order: sorted per 2,000-row slice instead, a 40,000-row transaction at a million workers ran 21 %
 * slower (`bench/import-direct.ts --check-every=2000`), each slice sweeping the b-trees again. The caller
 * changes a waiting new worker through its snapshot, never by an update decision: until finish, it is not
 * in the table (imports.workers.ts keeps what a transaction decided for that). Every row is stamped `at`,
 * the job's time.
 */
export function workerWriter(codec: SensitiveCodec, at: string): WorkerWriter {
  const sortKeyOf = nameSortMemo();
  const texts = new Map<string, string>();
  const textOf = (rows: number, postgres: boolean) => {
    const id = `${postgres}:${rows}`;
    let text = texts.get(id);
    if (text === undefined) texts.set(id, (text = insertText(rows, postgres)));
    return text;
  };

  let waiting: WorkerDecision[] = [];
  const finish = async (trx: Trx) => {
    // The snapshot as it is now: a later row of the transaction may have changed a waiting worker.
    const creates = waiting.map((decision) => ({ decision, unitPath: decision.snapshot.unitPath, nameSort: sortKeyOf(decision.snapshot.name) }));
    waiting = [];
    creates.sort(byUnitThenName);
    const inserted: NewPerson[] = [];
    const postgres = engineOf(trx) === 'postgres';
    for (let i = 0; i < creates.length; i += ROWS_PER_INSERT) {
      const some = creates.slice(i, i + ROWS_PER_INSERT);
      const values: (string | number | null)[] = [];
      for (const { decision, nameSort } of some) {
        const { snapshot: s, platformId, platformWorkerId } = decision;
        const phone = s.phone!;
        values.push(s.name, nameSort, codec.encrypt(phone), s.phoneHash, phone.slice(-4), platformId, platformWorkerId, s.workType, s.vehicle, s.cityCode, s.unitId, s.unitPath, s.status, 'import', at, at);
      }
      // The grams copy what was stored (the returned row), so they cannot differ from the person.
      const result = await trx.executeQuery<{ id: number; name: string; nameSort: string; unitPath: string | null; phoneTail: string | null }>(CompiledQuery.raw(textOf(some.length, postgres), values));
      for (const w of result.rows) inserted.push({ id: w.id, nameSort: w.nameSort, unitPath: w.unitPath, tokens: personTokens(w.name, w.phoneTail) });
    }
    await writeNewPeopleGrams(trx, 'workers', inserted);
  };

  const write = async (trx: Trx, decisions: readonly WorkerDecision[]) => {
    const updated: { id: number; tokens: string[] }[] = [];
    // Updates first, in row order: a phone one worker gives up may be taken by a row after it.
    for (const { snapshot: s } of decisions.filter((d) => d.kind === 'update')) {
      await trx
        .updateTable('workers')
        .set({
          name: s.name,
          nameSort: sortKeyOf(s.name),
          phoneEnc: codec.encrypt(s.phone!),
          phoneHash: s.phoneHash,
          phoneTail: s.phone!.slice(-4),
          workType: s.workType,
          vehicle: s.vehicle,
          cityCode: s.cityCode,
          status: s.status,
          unitId: s.unitId,
          unitPath: s.unitPath,
          updatedAt: at,
        })
        .where('id', '=', s.id!)
        .execute();
      updated.push({ id: s.id!, tokens: personTokens(s.name, s.phone!.slice(-4)) });
    }
    await writeSearchGrams(trx, 'workers', updated);
    for (const decision of decisions) if (decision.kind === 'create') waiting.push(decision);
  };
  const forget = () => {
    waiting = [];
  };
  return Object.assign(write, { finish, forget });
}
