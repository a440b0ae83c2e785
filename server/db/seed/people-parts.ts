// What the people seeding parts share: their inputs, the branches people belong to, compact facts
// about workers, and writing rows in chunks.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import { engineOf } from '../engine.js';
import type { Database, WorkType } from '../tables.js';
import { type SearchableTable, gramRootOf } from '../text-search.js';
import { insertRows, withIndexesMadeAfter } from './bulk-insert.js';
import { type OrgWorld, type SeedUnit } from './org-world.js';
import { seedPlatforms } from './platforms.js';
import { type SeedCity, seedCity } from './regions.js';

export type Db = Kysely<Database>;

/** How many people to generate. */
export type PeopleScale = { workers: number; members: number };

export const demoPeople: PeopleScale = { workers: 4_000, members: 400 };
export const benchPeople: PeopleScale = { workers: 1_000_000, members: 100_000 };

/** Rows written per transaction. */
export const CHUNK = 50_000;

export type PeopleSummary = {
  workers: number;
  members: number;
  memberRoles: number;
  memberTransfers: number;
  memberDeclarations: number;
  liaisonAssignments: number;
  liaisonContacts: number;
};

export type PeopleInput = {
  db: Db;
  codec: SensitiveCodec;
  seed: number;
  now: Date;
  world: OrgWorld;
  platformIds: ReadonlyMap<string, number>;
  scale: PeopleScale;
  /** The demo logins' user ids, when the demo-accounts step ran: the driver and the secretary are linked. */
  users?: { driver?: number; branch?: number };
  /** Wall time of each part, for the benchmark notes. */
  timings?: Record<string, number>;
  /** false: no search grams (a file that keeps the people only for the appeals told from them, bench/world-appeals-beside.ts). */
  searchGrams?: false;
};

// ---------------------------------------------------------------------------------------------
// Workers

export type Branch = {
  unit: SeedUnit;
  index: number;
  platformCode: string;
  workType: WorkType;
  city: SeedCity;
  groups: SeedUnit[];
  /** Ids of the workers it serves, in id order. */
  workers: number[];
  /** Indexes into the member list of the members it hosts. */
  members: number[];
};

/** Compact facts about every worker, for the later parts (indexed by id - firstId). */
export type WorkerFacts = {
  firstId: number;
  count: number;
  branch: Int32Array;
  /** 1 when active with consent not withdrawn: may have a liaison or declare membership. */
  reachable: Uint8Array;
  male: Uint8Array;
  phone: Float64Array;
  name: string[];
  createdDay: Int32Array;
};

export const workerColumns = [
  'id', 'name', 'nameSort', 'phoneEnc', 'phoneHash', 'phoneTail', 'platformId', 'platformWorkerId', 'workType', 'vehicle',
  'cityCode', 'unitId', 'unitPath', 'status', 'userId', 'consentVersion', 'consentPurpose', 'consentAt', 'consentChannel',
  'consentWithdrawnAt', 'createdAt', 'updatedAt',
] as const;
export type WorkerRow = { [K in (typeof workerColumns)[number]]: string | number | null };

export async function nextId(db: Db, table: 'workers' | 'members'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('id').as('maxId')).executeTakeFirst();
  return Number(row?.maxId ?? 0) + 1;
}

export async function syncSequence(db: Db, table: 'workers' | 'members'): Promise<void> {
  // Explicit ids do not advance a serial's sequence on PostgreSQL; SQLite's autoincrement follows max(id).
  if (engineOf(db) === 'postgres') {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db);
  }
}

/**
 * Writes a chunk of new people in one transaction, and their search grams (unless the input says none) to
 * the staging table moveStagedGrams empties: the tokens of each row's name and phone tail, beside its sort
 * key, top-level unit and path, the same rows the import's writer makes.
 */
export async function writeChunk(input: Pick<PeopleInput, 'db' | 'searchGrams'>, table: SearchableTable, columns: readonly string[], rows: Record<string, string | number | null>[]) {
  const grams: Row[] = [];
  if (input.searchGrams !== false) {
    for (const row of rows) {
      const unitPath = row.unitPath === null || row.unitPath === undefined ? null : String(row.unitPath);
      const common = { root: gramRootOf(unitPath), sortKey: String(row.nameSort), personId: Number(row.id), unitPath };
      for (const gram of personTokens(String(row.name), String(row.phoneTail))) grams.push({ gram, ...common });
    }
  }
  await input.db.transaction().execute(async (trx) => {
    await insertRows(trx, table, columns as never, rows as never);
    if (grams.length === 0) return;
    await createStagedGrams(trx, table);
    await insertRows(trx, `${table}GramsStaged` as never, gramColumns as never, grams as never);
  });
}

const gramColumns = ['gram', 'root', 'sortKey', 'personId', 'unitPath'] as const;
const stagedGramsOf = (table: SearchableTable) => `${table}_grams_staged`;
// Its columns taken from the grams table, so PostgreSQL sorts it in the same "C" collation.
const createStagedGrams = (db: Db | Transaction<Database>, table: SearchableTable) =>
  sql`create table if not exists ${sql.table(stagedGramsOf(table))} as select gram, root, sort_key, person_id, unit_path from ${sql.table(`${table}_grams`)} where 1 = 0`.execute(db);

/**
 * Moves the staged grams into `<table>_grams` in the key's order, its other indexes made afterwards. At
 * a million workers (5.7 million gram rows) written chunk by chunk into the key's b-tree, each chunk in
 * key order, they took ~80 s; staged, moved in one sorted pass and indexed after, ~40 s
 * (bench/.scratch/grams-order.ts).
 */
export async function moveStagedGrams(input: Pick<PeopleInput, 'db' | 'searchGrams'>, table: SearchableTable): Promise<void> {
  if (input.searchGrams === false) return;
  const staged = sql.table(stagedGramsOf(table));
  // Made here too when no chunk had a person to stage.
  await createStagedGrams(input.db, table);
  await withIndexesMadeAfter(input.db, `${table}_grams`, async (trx) => {
    await sql`insert into ${sql.table(`${table}_grams`)} (gram, root, sort_key, person_id, unit_path)
      select gram, root, sort_key, person_id, unit_path from ${staged} order by gram, root, sort_key, person_id`.execute(trx);
    await sql`drop table ${staged}`.execute(trx);
  });
}

export function branchesOf(world: OrgWorld, platformIds: ReadonlyMap<string, number>): Branch[] {
  const codeOfId = new Map([...platformIds].map(([code, id]) => [id, code]));
  const groupsOf = new Map<number, SeedUnit[]>();
  for (const unit of world.units) {
    if (unit.kind !== 'group' || unit.closedOn !== null || unit.parentId === null) continue;
    const list = groupsOf.get(unit.parentId) ?? [];
    list.push(unit);
    groupsOf.set(unit.parentId, list);
  }
  return world.units
    .filter((u) => u.kind === 'mobile_branch' && u.closedOn === null && u.platformId !== null && u.cityCode !== null)
    .map((unit, index) => {
      const platformCode = codeOfId.get(unit.platformId as number) as string;
      const platform = seedPlatforms.find((p) => p.code === platformCode);
      if (!platform) throw new Error(`Unit ${unit.id} names a platform the seed did not insert`);
      return { unit, index, platformCode, workType: platform.workType, city: seedCity(unit.cityCode as string), groups: groupsOf.get(unit.id) ?? [], workers: [], members: [] };
    });
}


// ---------------------------------------------------------------------------------------------
// Writing many rows: one transaction per CHUNK rows

export type Row = Record<string, string | number | null>;

export class ChunkWriter {
  private rows: Row[] = [];
  count = 0;
  constructor(
    private readonly db: Db,
    private readonly table: keyof Database,
    private readonly columns: readonly string[],
  ) {}

  async push(row: Row): Promise<void> {
    this.rows.push(row);
    this.count += 1;
    if (this.rows.length >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    await this.db.transaction().execute((trx) => insertRows(trx, this.table, this.columns as never, rows as never));
  }
}
