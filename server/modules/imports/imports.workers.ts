// The workers import: upsert by (platform, platform worker id) into serving units within the uploader's
// scope. The batch loop, transactions and resumption are imports.batches.ts's.
import type { Kysely } from 'kysely';
import type { AppDeps } from '../../core/deps.js';
import { createJobRunner, type JobHandler, type JobRunner, type JobRunnerOptions } from '../../core/jobs.js';
import { authorize, type Actor } from '../../core/scope.js';
import { fieldCodec } from '../../core/sensitive.js';
import type { Database } from '../../db/tables.js';
import { batchedImportHandler, type Counts, type ImportOptions, type Rejected, type Trx } from './imports.batches.js';
import type { SourceRow } from './imports.files.js';
import { membersImportHandler } from './imports.members.js';
import { workerWriter, type WorkerDecision, type WorkerSnapshot, type WorkerWriter } from './imports.workers.write.js';
import { importLookups, mapWorkerHeaders, validateWorkerRow, type HeaderMapping, type ImportLookups, type PlatformRef, type RowRejection, type WorkerImportRow } from './imports.rules.js';

export type WorkersImportOptions = ImportOptions;

type Db = Kysely<Database>;
type Unit = { id: number; path: string };
type Snapshot = WorkerSnapshot;
type Decision = WorkerDecision;

const keyOf = (platformId: number, platformWorkerId: string) => `${platformId}\u0000${platformWorkerId}`;
// Look-ups bind one parameter per value: 5,000 stays far below SQLite's 32,766 and PostgreSQL's 65,535.
const LOOKUP_CHUNK = 5000;
function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
const rejection = (zh: string, en: string, field: RowRejection['field'] = null): RowRejection[] => [{ field, message: { zh, en } }];

/**
 * What the transaction under way has decided so far, kept across its slices: the writer inserts new workers
 * only at the transaction's end (imports.workers.write.ts), so until then the database does not know them,
 * and a later row with the same platform id or phone must meet them here. Workers read from the database
 * are kept too; their updates are written at once, so the two cannot disagree.
 */
type Decided = { byKey: Map<string, Snapshot>; phoneOwner: Map<string, string> };
const nothingDecided = (): Decided => ({ byKey: new Map(), phoneOwner: new Map() });

type JobState = { actor: Actor; lookups: ImportLookups; mapping: HeaderMapping; units: Map<string, Unit>; dryRun: boolean; hashPhone: (phone: string) => string; write: WorkerWriter; decided: Decided };

/**
 * Every (platform, city)'s default serving unit, read once per job: the batch form of defaultServingUnit
 * (the open mobile branch with the lowest id). Asking per pair cost a scan of the platform's units each
 * time, thousands of times over in a national file.
 */
async function servingUnits(db: Db): Promise<Map<string, Unit>> {
  const branches = await db
    .selectFrom('orgUnits')
    .select(['id', 'path', 'platformId', 'cityCode'])
    .where('kind', '=', 'mobile_branch')
    .where('closedOn', 'is', null)
    .where('platformId', 'is not', null)
    .where('cityCode', 'is not', null)
    .orderBy('id')
    .execute();
  const units = new Map<string, Unit>();
  for (const b of branches) {
    const key = `${b.platformId}:${b.cityCode}`;
    if (!units.has(key)) units.set(key, { id: b.id, path: b.path });
  }
  return units;
}

function servingUnitOf(state: JobState, platformId: number, cityCode: string): Unit | null {
  return state.units.get(`${platformId}:${cityCode}`) ?? null;
}

function unitRejection(state: JobState, unit: Unit | null, row: WorkerImportRow): RowRejection[] | null {
  if (!unit) return rejection(`该平台在城市 ${row.cityCode} 没有开放的流动党员党支部`, `The platform has no open mobile branch in city ${row.cityCode}`, 'city');
  if (authorize(state.actor, 'person.write', unit.path) !== 'allowed') {
    return rejection('该劳动者所属的服务组织不在您的管辖范围内', 'The serving unit of this worker is outside your scope');
  }
  return null;
}

/** Decides every row of a batch against the database and the rows before it, then writes (unless a dry run). */
async function commitBatch(trx: Trx, state: JobState, batch: readonly SourceRow[], counts: Counts): Promise<Rejected[]> {
  const rejected: Rejected[] = [];
  const valid: { rowNumber: number; row: WorkerImportRow; phoneHash: string }[] = [];
  for (const source of batch) {
    const verdict = validateWorkerRow(source.cells, state.mapping, state.lookups);
    if (verdict.ok) valid.push({ rowNumber: source.number, row: verdict.row, phoneHash: state.hashPhone(verdict.row.phone) });
    else rejected.push({ rowNumber: source.number, rejections: verdict.rejections });
  }

  // What the database holds for this slice and the transaction has not met yet: workers by platform id,
  // and the owners of its phones.
  const { byKey, phoneOwner } = state.decided;
  const byPlatform = new Map<number, string[]>();
  for (const v of valid) {
    if (byKey.has(keyOf(v.row.platformId, v.row.platformWorkerId))) continue;
    const ids = byPlatform.get(v.row.platformId);
    if (ids) ids.push(v.row.platformWorkerId);
    else byPlatform.set(v.row.platformId, [v.row.platformWorkerId]);
  }
  const columns = ['id', 'name', 'phoneHash', 'platformId', 'platformWorkerId', 'workType', 'vehicle', 'cityCode', 'status', 'unitId', 'unitPath', 'consentWithdrawnAt'] as const;
  for (const [platformId, ids] of byPlatform) {
    for (const some of chunks(ids, LOOKUP_CHUNK)) {
      const existing = await trx.selectFrom('workers').select(columns).where('platformId', '=', platformId).where('platformWorkerId', 'in', some).execute();
      for (const w of existing) byKey.set(keyOf(w.platformId, w.platformWorkerId), { ...w, phone: null });
    }
  }
  for (const hashes of chunks([...new Set(valid.map((v) => v.phoneHash).filter((hash) => !phoneOwner.has(hash)))], LOOKUP_CHUNK)) {
    const owners = await trx.selectFrom('workers').select(['phoneHash', 'platformId', 'platformWorkerId']).where('phoneHash', 'in', hashes).execute();
    for (const o of owners) phoneOwner.set(o.phoneHash, keyOf(o.platformId, o.platformWorkerId));
  }

  const decisions = new Map<string, Decision>();
  for (const { rowNumber, row, phoneHash } of valid) {
    const key = keyOf(row.platformId, row.platformWorkerId);
    const owner = phoneOwner.get(phoneHash);
    if (owner !== undefined && owner !== key) {
      rejected.push({ rowNumber, rejections: rejection('已有使用这个手机号的劳动者记录', 'A worker with this phone number is already recorded', 'phone') });
      continue;
    }
    const current = byKey.get(key);
    if (!current) {
      const unit = servingUnitOf(state, row.platformId, row.cityCode);
      const refused = unitRejection(state, unit, row);
      if (refused) {
        rejected.push({ rowNumber, rejections: refused });
        continue;
      }
      const snapshot: Snapshot = { id: null, phone: row.phone, name: row.name, phoneHash, workType: row.workType, vehicle: row.vehicle, cityCode: row.cityCode, status: row.status, unitId: unit!.id, unitPath: unit!.path, consentWithdrawnAt: null };
      byKey.set(key, snapshot);
      phoneOwner.set(phoneHash, key);
      decisions.set(key, { platformId: row.platformId, platformWorkerId: row.platformWorkerId, snapshot, kind: 'create' });
      counts.created += 1;
      continue;
    }
    if (current.consentWithdrawnAt) {
      rejected.push({ rowNumber, rejections: rejection('该劳动者已撤回同意，记录不再更新', 'This worker withdrew consent; the record is no longer updated') });
      continue;
    }
    if (current.id !== null && authorize(state.actor, 'person.write', current.unitPath ?? '/unassigned/') !== 'allowed') {
      rejected.push({ rowNumber, rejections: rejection('该平台工号的劳动者由您管辖范围之外的组织服务', 'The worker with this platform id is served by a unit outside your scope', 'platformWorkerId') });
      continue;
    }
    const changed = current.name !== row.name || current.phoneHash !== phoneHash || current.workType !== row.workType || current.vehicle !== row.vehicle || current.cityCode !== row.cityCode || current.status !== row.status;
    if (!changed) {
      counts.unchanged += 1;
      continue;
    }
    let unit: Unit | null = current.unitId !== null && current.unitPath !== null ? { id: current.unitId, path: current.unitPath } : null;
    // A worker who moved city is served by the branch there; otherwise the serving unit stays as it was set.
    if (current.cityCode !== row.cityCode) {
      unit = servingUnitOf(state, row.platformId, row.cityCode);
      const refused = unitRejection(state, unit, row);
      if (refused) {
        rejected.push({ rowNumber, rejections: refused });
        continue;
      }
    }
    if (current.phoneHash !== phoneHash) {
      phoneOwner.delete(current.phoneHash);
      phoneOwner.set(phoneHash, key);
    }
    Object.assign(current, { name: row.name, phone: row.phone, phoneHash, workType: row.workType, vehicle: row.vehicle, cityCode: row.cityCode, status: row.status, unitId: unit?.id ?? null, unitPath: unit?.path ?? null });
    // A new worker of this transaction is inserted at its end from its snapshot, changed above (a transaction
    // given way to a writer is forgotten whole, so no decision needs to keep an earlier state).
    if (current.id !== null && !decisions.has(key)) decisions.set(key, { platformId: row.platformId, platformWorkerId: row.platformWorkerId, snapshot: current, kind: 'update' });
    counts.updated += 1;
  }
  if (!state.dryRun) await state.write(trx, [...decisions.values()]);
  return rejected;
}

export function workersImportHandler(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>, options: ImportOptions = {}): JobHandler {
  const { db } = deps;
  const codec = fieldCodec(deps.config);
  return batchedImportHandler(deps, options, async ({ job, header, actor, dryRun, at }) => {
    const platforms = (await db.selectFrom('platforms').select(['id', 'code', 'name', 'nameEn', 'workType']).execute()) as PlatformRef[];
    const mapping = mapWorkerHeaders(header, JSON.parse(job.mapping) as Record<string, string>);
    if (mapping.missing.length > 0) throw new Error(`Missing columns: ${mapping.missing.join(', ')}`);
    const state: JobState = { actor, lookups: importLookups(platforms), mapping, units: await servingUnits(db), dryRun, hashPhone: codec.hash, write: workerWriter(codec, at), decided: nothingDecided() };
    const finish = async (trx: Trx) => {
      state.decided = nothingDecided();
      await state.write.finish(trx);
    };
    const forget = () => {
      state.decided = nothingDecided();
      state.write.forget();
    };
    return Object.assign((trx: Trx, batch: readonly SourceRow[], counts: Counts) => commitBatch(trx, state, batch, counts), { finish, forget });
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The runner of import jobs; tests stop and restart it to simulate a crash. */
    importJobs: JobRunner;
  }
}

/** Every import kind's handler. */
export function importHandlers(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>, options: ImportOptions): JobRunnerOptions['handlers'] {
  return { workers: workersImportHandler(deps, options), members: membersImportHandler(deps, options) };
}

/**
 * The runner in the server's own thread, on its connections: database-backed, so jobs survive restarts of
 * the process. A server on a SQLite file runs its imports on a thread instead (imports.thread-runner.ts).
 */
export function importJobRunner(deps: AppDeps, log?: JobRunnerOptions['log']): JobRunner {
  const handlers = importHandlers(deps, { writersWaiting: deps.writersWaiting });
  return createJobRunner({ db: deps.db, clock: deps.clock, log, staleMs: deps.config.importStaleMs, handlers });
}
