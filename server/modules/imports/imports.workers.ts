// The workers import: upsert by (platform, platform worker id) into serving units within the uploader's
// scope. The batch loop, transactions and resumption are imports.batches.ts's.
import type { Kysely } from 'kysely';
import type { AppDeps } from '../../core/deps.js';
import { createJobRunner, type JobHandler, type JobRunner, type JobRunnerOptions } from '../../core/jobs.js';
import { nameSortKey } from '../../core/name-sort.js';
import { authorize, type Actor } from '../../core/scope.js';
import { fieldCodec, type SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import type { Database, Worker } from '../../db/tables.js';
import { writeSearchTokensBatch } from '../../db/text-search.js';
import { batchedImportHandler, type Counts, type ImportOptions, type Rejected, type Trx } from './imports.batches.js';
import type { SourceRow } from './imports.files.js';
import { membersImportHandler } from './imports.members.js';
import { importLookups, mapWorkerHeaders, validateWorkerRow, type HeaderMapping, type ImportLookups, type PlatformRef, type RowRejection, type WorkerImportRow } from './imports.rules.js';

export { DEFAULT_BATCH_SIZE } from './imports.batches.js';
export type WorkersImportOptions = ImportOptions;

type Db = Kysely<Database>;
type Unit = { id: number; path: string };
type Snapshot = Pick<Worker, 'name' | 'phoneHash' | 'workType' | 'vehicle' | 'cityCode' | 'status' | 'unitId' | 'unitPath' | 'consentWithdrawnAt'> & {
  id: number | null;
  phone: string | null;
};
type Decision = { row: WorkerImportRow; snapshot: Snapshot; kind: 'create' | 'update' };

const keyOf = (platformId: number, platformWorkerId: string) => `${platformId}\u0000${platformWorkerId}`;
const rejection = (zh: string, en: string, field: RowRejection['field'] = null): RowRejection[] => [{ field, message: { zh, en } }];

type JobState = { actor: Actor; lookups: ImportLookups; mapping: HeaderMapping; units: Map<string, Unit>; dryRun: boolean; at: string };

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
async function commitBatch(trx: Trx, codec: SensitiveCodec, state: JobState, batch: readonly SourceRow[], counts: Counts): Promise<Rejected[]> {
  const rejected: Rejected[] = [];
  const valid: { rowNumber: number; row: WorkerImportRow; phoneHash: string }[] = [];
  for (const source of batch) {
    const verdict = validateWorkerRow(source.cells, state.mapping, state.lookups);
    if (verdict.ok) valid.push({ rowNumber: source.number, row: verdict.row, phoneHash: codec.hash(verdict.row.phone) });
    else rejected.push({ rowNumber: source.number, rejections: verdict.rejections });
  }

  // What the database already holds for this batch: workers by platform id, and the owners of its phones.
  const byKey = new Map<string, Snapshot>();
  const phoneOwner = new Map<string, string>();
  const byPlatform = new Map<number, string[]>();
  for (const v of valid) byPlatform.set(v.row.platformId, [...(byPlatform.get(v.row.platformId) ?? []), v.row.platformWorkerId]);
  const columns = ['id', 'name', 'phoneHash', 'platformId', 'platformWorkerId', 'workType', 'vehicle', 'cityCode', 'status', 'unitId', 'unitPath', 'consentWithdrawnAt'] as const;
  for (const [platformId, ids] of byPlatform) {
    const existing = await trx.selectFrom('workers').select(columns).where('platformId', '=', platformId).where('platformWorkerId', 'in', ids).execute();
    for (const w of existing) byKey.set(keyOf(w.platformId, w.platformWorkerId), { ...w, phone: null });
  }
  const hashes = [...new Set(valid.map((v) => v.phoneHash))];
  if (hashes.length > 0) {
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
      decisions.set(key, { row, snapshot, kind: 'create' });
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
    if (!decisions.has(key)) decisions.set(key, { row, snapshot: current, kind: current.id === null ? 'create' : 'update' });
    counts.updated += 1;
  }
  if (!state.dryRun) await writeDecisions(trx, codec, state.at, [...decisions.values()]);
  return rejected;
}

async function writeDecisions(trx: Trx, codec: SensitiveCodec, at: string, decisions: Decision[]) {
  const tokens: { id: number; tokens: string[] }[] = [];
  // Updates first, in row order: a phone one worker gives up may be taken by a row after it.
  for (const { snapshot: s } of decisions.filter((d) => d.kind === 'update')) {
    await trx
      .updateTable('workers')
      .set({
        name: s.name,
        nameSort: nameSortKey(s.name),
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
    tokens.push({ id: s.id!, tokens: personTokens(s.name, s.phone!.slice(-4)) });
  }
  const creates = decisions.filter((d) => d.kind === 'create');
  for (let i = 0; i < creates.length; i += 500) {
    const values = creates.slice(i, i + 500).map(({ snapshot: s, row }) => ({
      name: s.name,
      nameSort: nameSortKey(s.name),
      phoneEnc: codec.encrypt(s.phone!),
      phoneHash: s.phoneHash,
      phoneTail: s.phone!.slice(-4),
      platformId: row.platformId,
      platformWorkerId: row.platformWorkerId,
      workType: s.workType,
      vehicle: s.vehicle,
      cityCode: s.cityCode,
      unitId: s.unitId,
      unitPath: s.unitPath,
      status: s.status,
      consentChannel: 'import',
      createdAt: at,
      updatedAt: at,
    }));
    const inserted = await trx.insertInto('workers').values(values).returning(['id', 'name', 'phoneTail']).execute();
    for (const w of inserted) tokens.push({ id: w.id, tokens: personTokens(w.name, w.phoneTail) });
  }
  await writeSearchTokensBatch(trx, 'workers', tokens);
}

export function workersImportHandler(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>, options: ImportOptions = {}): JobHandler {
  const { db } = deps;
  const codec = fieldCodec(deps.config);
  return batchedImportHandler(deps, options, async ({ job, header, actor, dryRun, at }) => {
    const platforms = (await db.selectFrom('platforms').select(['id', 'code', 'name', 'nameEn', 'workType']).execute()) as PlatformRef[];
    const mapping = mapWorkerHeaders(header, JSON.parse(job.mapping) as Record<string, string>);
    if (mapping.missing.length > 0) throw new Error(`Missing columns: ${mapping.missing.join(', ')}`);
    const state: JobState = { actor, lookups: importLookups(platforms), mapping, units: await servingUnits(db), dryRun, at };
    return (trx, batch, counts) => commitBatch(trx, codec, state, batch, counts);
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The runner of import jobs; tests stop and restart it to simulate a crash. */
    importJobs: JobRunner;
  }
}

/** The runner the app starts: database-backed, so jobs survive restarts of the process. */
export function importJobRunner(deps: AppDeps, log?: JobRunnerOptions['log']): JobRunner {
  return createJobRunner({ db: deps.db, clock: deps.clock, log, staleMs: deps.config.importStaleMs, handlers: { workers: workersImportHandler(deps), members: membersImportHandler(deps) } });
}
