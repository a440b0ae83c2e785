// What the people seeding parts share: their inputs, the branches people belong to, compact facts
// about workers, and writing rows in chunks.
import { type Kysely, sql } from 'kysely';
import type { SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import { engineOf } from '../engine.js';
import type { Database, WorkType } from '../tables.js';
import { type NewPerson, writeNewPeopleGrams } from '../text-search.js';
import { insertRows } from './bulk-insert.js';
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
 * Writes a chunk of new people and their search grams (unless the input says none) in one transaction. The
 * grams go in through the import's writer: the tokens of each row's name and phone tail, beside its sort key
 * and path, in the gram key's order, so at a million people each statement fills runs of the key's b-tree
 * instead of a page a row, and no statement looks for grams a new person cannot have yet.
 */
export async function writeChunk(input: Pick<PeopleInput, 'db' | 'searchGrams'>, table: 'workers' | 'members', columns: readonly string[], rows: Record<string, string | number | null>[]) {
  const people: NewPerson[] =
    input.searchGrams === false
      ? []
      : rows.map((row) => ({
          id: Number(row.id),
          nameSort: String(row.nameSort),
          unitPath: row.unitPath === null ? null : String(row.unitPath),
          tokens: personTokens(String(row.name), String(row.phoneTail)),
        }));
  await input.db.transaction().execute(async (trx) => {
    await insertRows(trx, table, columns as never, rows as never);
    if (people.length > 0) await writeNewPeopleGrams(trx, table, people);
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
