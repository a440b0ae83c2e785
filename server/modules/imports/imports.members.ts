// The members import: upsert by ID number (its keyed hash), each member hosted by an open mobile branch
// within the uploader's scope, named by id or exact name. An import never moves a member between
// branches: that is a transfer of relation, with its own workflow.
import type { AppDeps } from '../../core/deps.js';
import type { JobHandler } from '../../core/jobs.js';
import { nameSortKey } from '../../core/name-sort.js';
import { authorize, type Actor } from '../../core/scope.js';
import { decryptNullable, encryptNullable, fieldCodec, type SensitiveCodec } from '../../core/sensitive.js';
import { personTokens } from '../../core/text-search.js';
import type { Member, OrgUnit } from '../../db/tables.js';
import { type NewPerson, writeNewPeopleGrams, writeSearchTokensBatch } from '../../db/text-search.js';
import { hostRefusal } from '../members/members.rules.js';
import { batchedImportHandler, rejection, type Counts, type ImportOptions, type Rejected, type Trx } from './imports.batches.js';
import type { SourceRow } from './imports.files.js';
import { mapMemberHeaders, validateMemberRow, type MemberHeaderMapping, type MemberImportField, type MemberImportRow } from './imports.members.rules.js';

type HostUnit = Pick<OrgUnit, 'id' | 'path' | 'name'>;
type UnitAnswer = { unit: HostUnit } | { refused: { zh: string; en: string } };
type JobState = { actor: Actor; mapping: MemberHeaderMapping; units: Map<string, UnitAnswer>; dryRun: boolean; at: string; today: string };

const memberColumns = ['id', 'name', 'gender', 'birthYear', 'phoneHash', 'idCardHash', 'joinDate', 'status', 'unitId', 'unitPath', 'isMobile', 'homeOrgText', 'mobilityType', 'workerId'] as const;
type Existing = Pick<Member, (typeof memberColumns)[number]>;
type Decision = { row: MemberImportRow; phoneHash: string; idCardHash: string; unit: HostUnit; existing: Existing | null; workerId: number | null };

const refuse = (zh: string, en: string, field: MemberImportField | null = null) => rejection<MemberImportField>(zh, en, field);

/** The host a row names: a unit id or an exact unit name, within the uploader's scope; memoized per job. */
async function hostOf(trx: Trx, state: JobState, value: string): Promise<UnitAnswer> {
  const cached = state.units.get(value);
  if (cached) return cached;
  const columns = ['id', 'path', 'name', 'kind', 'closedOn'] as const;
  const candidates = /^\d+$/.test(value)
    ? await trx.selectFrom('orgUnits').select(columns).where('id', '=', Number(value)).execute()
    : await trx.selectFrom('orgUnits').select(columns).where('name', '=', value).execute();
  const writable = candidates.filter((u) => authorize(state.actor, 'person.write', u.path) === 'allowed');
  let answer: UnitAnswer;
  if (writable.length === 0) answer = { refused: { zh: `您的管辖范围内没有“${value}”这个组织`, en: `There is no unit "${value}" within your scope` } };
  else if (writable.length > 1) answer = { refused: { zh: `您的管辖范围内有多个名为“${value}”的组织，请填写组织编号`, en: `Several units in your scope are named "${value}"; use the unit id` } };
  else {
    const unit = writable[0]!;
    const refusal = hostRefusal(unit);
    answer = refusal ? { refused: refusal } : { unit: { id: unit.id, path: unit.path, name: unit.name } };
  }
  state.units.set(value, answer);
  return answer;
}

function differs(e: Existing, row: MemberImportRow, phoneHash: string): boolean {
  return (
    e.name !== row.name ||
    e.gender !== row.gender ||
    e.birthYear !== row.birthYear ||
    e.phoneHash !== phoneHash ||
    e.joinDate !== row.joinDate ||
    e.status !== row.status ||
    e.isMobile !== (row.isMobile ? 1 : 0) ||
    e.homeOrgText !== row.homeOrgText ||
    e.mobilityType !== row.mobilityType
  );
}

async function commitBatch(trx: Trx, codec: SensitiveCodec, state: JobState, batch: readonly SourceRow[], counts: Counts): Promise<Rejected[]> {
  const rejected: Rejected[] = [];
  const valid: { rowNumber: number; row: MemberImportRow; phoneHash: string; idCardHash: string }[] = [];
  for (const source of batch) {
    const verdict = validateMemberRow(source.cells, state.mapping, state.today);
    if (verdict.ok) valid.push({ rowNumber: source.number, row: verdict.row, phoneHash: codec.hash(verdict.row.phone), idCardHash: codec.hash(verdict.row.idCard) });
    else rejected.push({ rowNumber: source.number, rejections: verdict.rejections });
  }

  // What the database holds for this batch: members by ID number and by phone, workers by phone.
  const byIdCard = new Map<string, Existing>();
  const phoneOwner = new Map<string, string>();
  const workerByPhone = new Map<string, number>();
  const linkedWorkers = new Set<number>();
  if (valid.length > 0) {
    const idHashes = [...new Set(valid.map((v) => v.idCardHash))];
    const phoneHashes = [...new Set(valid.map((v) => v.phoneHash))];
    // Compared in clear: the membership details are stored encrypted.
    for (const m of await trx.selectFrom('members').select(memberColumns).where('idCardHash', 'in', idHashes).execute()) {
      byIdCard.set(m.idCardHash, { ...m, joinDate: codec.decrypt(m.joinDate), homeOrgText: decryptNullable(codec, m.homeOrgText) });
    }
    for (const m of await trx.selectFrom('members').select(['phoneHash', 'idCardHash']).where('phoneHash', 'in', phoneHashes).execute()) phoneOwner.set(m.phoneHash, m.idCardHash);
    const workers = await trx.selectFrom('workers').select(['id', 'phoneHash']).where('phoneHash', 'in', phoneHashes).execute();
    for (const w of workers) workerByPhone.set(w.phoneHash, w.id);
    if (workers.length > 0) {
      const linked = await trx.selectFrom('members').select('workerId').where('workerId', 'in', workers.map((w) => w.id)).execute();
      for (const l of linked) if (l.workerId !== null) linkedWorkers.add(l.workerId);
    }
  }

  const decisions = new Map<string, Decision>();
  for (const { rowNumber, row, phoneHash, idCardHash } of valid) {
    const owner = phoneOwner.get(phoneHash);
    if (owner !== undefined && owner !== idCardHash) {
      rejected.push({ rowNumber, rejections: refuse('已有使用这个手机号的党员记录', 'A member with this phone number is already recorded', 'phone') });
      continue;
    }
    const host = await hostOf(trx, state, row.unit);
    const existing = byIdCard.get(idCardHash) ?? null;
    const earlier = decisions.get(idCardHash);
    if (existing) {
      if (authorize(state.actor, 'person.write', existing.unitPath) !== 'allowed') {
        rejected.push({ rowNumber, rejections: refuse('持该身份证号的党员由您管辖范围之外的支部管理', 'The member with this ID number is hosted by a branch outside your scope', 'idCard') });
        continue;
      }
      if ('refused' in host) {
        rejected.push({ rowNumber, rejections: refuse(host.refused.zh, host.refused.en, 'unit') });
        continue;
      }
      if (host.unit.id !== existing.unitId) {
        rejected.push({ rowNumber, rejections: refuse('导入不能更改党员所在支部，请办理组织关系转接', 'An import cannot move a member to another branch; request a transfer of relation instead', 'unit') });
        continue;
      }
      if (!differs(existing, row, phoneHash)) {
        counts.unchanged += 1;
        continue;
      }
      if (existing.phoneHash !== phoneHash) {
        phoneOwner.delete(existing.phoneHash);
        phoneOwner.set(phoneHash, idCardHash);
      }
      // The snapshot moves with the row, so a later row of the same person compares against it.
      Object.assign(existing, { name: row.name, gender: row.gender, birthYear: row.birthYear, phoneHash, joinDate: row.joinDate, status: row.status, isMobile: row.isMobile ? 1 : 0, homeOrgText: row.homeOrgText, mobilityType: row.mobilityType });
      decisions.set(idCardHash, { row, phoneHash, idCardHash, unit: host.unit, existing, workerId: existing.workerId });
      counts.updated += 1;
      continue;
    }
    if ('refused' in host) {
      rejected.push({ rowNumber, rejections: refuse(host.refused.zh, host.refused.en, 'unit') });
      continue;
    }
    if (earlier) {
      // The same new person twice in one batch: the later row wins, counted as an update.
      if (earlier.unit.id !== host.unit.id) {
        rejected.push({ rowNumber, rejections: refuse('导入不能更改党员所在支部，请办理组织关系转接', 'An import cannot move a member to another branch; request a transfer of relation instead', 'unit') });
        continue;
      }
      decisions.set(idCardHash, { ...earlier, row, phoneHash });
      phoneOwner.set(phoneHash, idCardHash);
      counts.updated += 1;
      continue;
    }
    // One person is one record: a worker with the same phone is linked, unless another member has them.
    const workerId = workerByPhone.get(phoneHash) ?? null;
    if (workerId !== null && linkedWorkers.has(workerId)) {
      rejected.push({ rowNumber, rejections: refuse('这个手机号的劳动者已关联另一名党员', 'The worker with this phone number is already linked to another member', 'phone') });
      continue;
    }
    if (workerId !== null) linkedWorkers.add(workerId);
    phoneOwner.set(phoneHash, idCardHash);
    decisions.set(idCardHash, { row, phoneHash, idCardHash, unit: host.unit, existing: null, workerId });
    counts.created += 1;
  }
  if (!state.dryRun) await writeDecisions(trx, codec, state.at, [...decisions.values()]);
  return rejected;
}

async function writeDecisions(trx: Trx, codec: SensitiveCodec, at: string, decisions: Decision[]) {
  const tokens: { id: number; tokens: string[] }[] = [];
  const fields = (d: Decision) => ({
    name: d.row.name,
    nameSort: nameSortKey(d.row.name),
    gender: d.row.gender,
    birthYear: d.row.birthYear,
    phoneEnc: codec.encrypt(d.row.phone),
    phoneHash: d.phoneHash,
    phoneTail: d.row.phone.slice(-4),
    joinDate: codec.encrypt(d.row.joinDate),
    status: d.row.status,
    isMobile: d.row.isMobile ? 1 : 0,
    homeOrgText: encryptNullable(codec, d.row.homeOrgText),
    mobilityType: d.row.mobilityType,
    updatedAt: at,
  });
  // Updates first, in row order: a phone one member gives up may be taken by a row after it.
  for (const d of decisions.filter((x) => x.existing)) {
    await trx.updateTable('members').set(fields(d)).where('id', '=', d.existing!.id).execute();
    tokens.push({ id: d.existing!.id, tokens: personTokens(d.row.name, d.row.phone.slice(-4)) });
  }
  const creates = decisions.filter((x) => !x.existing);
  const created: NewPerson[] = [];
  for (let i = 0; i < creates.length; i += 200) {
    const values = creates.slice(i, i + 200).map((d) => ({
      ...fields(d),
      idCardEnc: codec.encrypt(d.row.idCard),
      idCardHash: d.idCardHash,
      unitId: d.unit.id,
      unitPath: d.unit.path,
      homeUnitId: null,
      mobilityReason: null,
      workerId: d.workerId,
      liaisonTarget: 10,
      createdAt: at,
    }));
    // New members' grams come from the rows as stored, written in the key's order (as the workers import does).
    const inserted = await trx.insertInto('members').values(values).returning(['id', 'name', 'nameSort', 'unitPath', 'phoneTail']).execute();
    created.push(...inserted.map((m) => ({ id: m.id, nameSort: m.nameSort, unitPath: m.unitPath, tokens: personTokens(m.name, m.phoneTail) })));
  }
  await writeSearchTokensBatch(trx, 'members', tokens);
  await writeNewPeopleGrams(trx, 'members', created);
}

export function membersImportHandler(deps: Pick<AppDeps, 'db' | 'clock' | 'config'>, options: ImportOptions = {}): JobHandler {
  const codec = fieldCodec(deps.config);
  return batchedImportHandler(deps, options, async ({ job, header, actor, dryRun, at }) => {
    const mapping = mapMemberHeaders(header, JSON.parse(job.mapping) as Record<string, string>);
    if (mapping.missing.length > 0) throw new Error(`Missing columns: ${mapping.missing.join(', ')}`);
    const state: JobState = { actor, mapping, units: new Map(), dryRun, at, today: at.slice(0, 10) };
    return (trx, batch, counts) => commitBatch(trx, codec, state, batch, counts);
  });
}
