import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptNullable, normalizeIdCard, normalizePhone, sensitiveCodec } from '../../core/sensitive.js';
import { listWorkers } from '../../modules/workers/workers.queries.js';
import { type ConvoyDb, type DatabaseHandle, openDatabase } from '../database.js';
import { migrateToLatest } from '../migrate.js';
import { type SeedSummary, seedDemo } from './seed-demo.js';

// The demo world with its people, on SQLite files as `npm start` has it. The accounts step is left
// out of the second seed (it hashes four passwords), so the comparisons skip what it links.
const now = new Date('2026-11-25T02:00:00.000Z');
const codec = sensitiveCodec('people-world test secret, 32+ characters long');
const SLOW = 60_000;

const folder = mkdtempSync(join(tmpdir(), 'convoy-people-'));
const handles: DatabaseHandle[] = [];
async function seeded(name: string, skip: string[] = []): Promise<{ db: ConvoyDb; summary: SeedSummary }> {
  const handle = openDatabase(`sqlite:${join(folder, name)}`);
  handles.push(handle);
  await migrateToLatest(handle.db);
  const summary = await seedDemo(handle.db, { now, codec, skip });
  return { db: handle.db, summary };
}
afterAll(async () => {
  for (const handle of handles) await handle.destroy();
  rmSync(folder, { recursive: true, force: true });
});

/** A member row with its membership details decrypted. */
function openMember<T extends { joinDate: string; homeOrgText: string | null; mobilityReason: string | null }>(m: T): T {
  return { ...m, joinDate: codec.decrypt(m.joinDate), homeOrgText: decryptNullable(codec, m.homeOrgText), mobilityReason: decryptNullable(codec, m.mobilityReason) };
}

/** What must repeat between runs: everything but the ciphertexts, with the encrypted values decrypted. */
async function peopleOf(db: ConvoyDb) {
  const workers = await db.selectFrom('workers').selectAll().orderBy('id').execute();
  const members = await db.selectFrom('members').selectAll().orderBy('id').execute();
  const transfers = await db.selectFrom('memberTransfers').selectAll().orderBy('id').execute();
  const declarations = await db.selectFrom('memberDeclarations').selectAll().orderBy('id').execute();
  return {
    workers: workers.map(({ phoneEnc, userId: _userId, ...rest }) => ({ ...rest, phone: codec.decrypt(phoneEnc) })),
    members: members.map(({ phoneEnc, idCardEnc, ...rest }) => ({ ...openMember(rest), phone: codec.decrypt(phoneEnc), idCard: codec.decrypt(idCardEnc) })),
    roles: await db.selectFrom('memberRoles').selectAll().orderBy('id').execute(),
    transfers: transfers.map((t) => ({ ...t, reason: codec.decrypt(t.reason), rejectReason: decryptNullable(codec, t.rejectReason) })),
    declarations: declarations.map((d) => ({ ...d, homeOrgText: codec.decrypt(d.homeOrgText), joinDate: codec.decrypt(d.joinDate), decisionReason: decryptNullable(codec, d.decisionReason) })),
    assignments: await db.selectFrom('liaisonAssignments').selectAll().orderBy('workerId').execute(),
    contacts: await db.selectFrom('liaisonContacts').selectAll().orderBy('id').execute(),
  };
}

describe('the people step at the demo size', () => {
  let db: ConvoyDb;
  let summary: SeedSummary;
  beforeAll(async () => {
    ({ db, summary } = await seeded('first.db'));
  }, SLOW);

  it('generates thousands of workers and hundreds of members, with roles, transfers, declarations and liaison', () => {
    expect(summary.workers).toBeGreaterThanOrEqual(3_000);
    expect(summary.workers).toBeLessThanOrEqual(5_000);
    expect(summary.members).toBeGreaterThanOrEqual(300);
    expect(summary.members).toBeLessThanOrEqual(500);
    expect(summary.memberRoles).toBeGreaterThan(100);
    expect(summary.liaisonAssignments).toBeGreaterThan(1_000);
    expect(summary.liaisonContacts).toBeGreaterThan(1_000);
  });

  it('generates the same people from the same seed (phones compared decrypted)', { timeout: SLOW }, async () => {
    const again = await seeded('second.db', ['demo-accounts']);
    expect(await peopleOf(again.db)).toEqual(await peopleOf(db));
  });

  it('serves every worker by an open mobile branch of its platform and city, with that branch path', async () => {
    const rows = await db
      .selectFrom('workers')
      .leftJoin('orgUnits', 'orgUnits.id', 'workers.unitId')
      .select(['workers.id', 'workers.unitPath', 'workers.platformId', 'workers.cityCode', 'orgUnits.path', 'orgUnits.kind', 'orgUnits.closedOn', 'orgUnits.platformId as unitPlatform', 'orgUnits.cityCode as unitCity'])
      .execute();
    const wrong = rows.filter((r) => r.unitPath !== r.path || r.kind !== 'mobile_branch' || r.closedOn !== null || r.platformId !== r.unitPlatform || r.cityCode !== r.unitCity);
    expect(wrong).toEqual([]);
  });

  it('gives workers unique, valid phones and unique platform worker ids, and mostly active, consenting', async () => {
    const workers = await db.selectFrom('workers').selectAll().execute();
    expect(new Set(workers.map((w) => w.phoneHash)).size).toBe(workers.length);
    expect(new Set(workers.map((w) => `${w.platformId}/${w.platformWorkerId}`)).size).toBe(workers.length);
    const phones = workers.map((w) => codec.decrypt(w.phoneEnc));
    expect(phones.every((p) => normalizePhone(p) === p && /^1[35789]/.test(p))).toBe(true);
    expect(workers.every((w, i) => w.phoneHash === codec.hash(phones[i] as string) && w.phoneTail === phones[i]?.slice(-4))).toBe(true);
    const active = workers.filter((w) => w.status === 'active').length / workers.length;
    expect(active).toBeGreaterThan(0.92);
    expect(active).toBeLessThan(0.98);
    const consented = workers.filter((w) => w.consentAt !== null);
    expect(consented.length / workers.length).toBeGreaterThan(0.8);
    expect(consented.every((w) => w.consentVersion === '2026-10' && w.consentPurpose && ['mobile_page', 'paper', 'import'].includes(w.consentChannel ?? ''))).toBe(true);
    expect(workers.some((w) => w.consentWithdrawnAt !== null)).toBe(true);
    expect(workers.filter((w) => w.workType === 'ride_hailing').every((w) => w.vehicle === 'car')).toBe(true);
    expect(workers.filter((w) => w.workType === 'freight').every((w) => ['van', 'light_truck', 'medium_truck', 'heavy_truck'].includes(w.vehicle))).toBe(true);
  });

  it('links the demo driver to a worker in the demo secretary branch', async () => {
    const driver = await db.selectFrom('users').select(['id', 'workerId', 'displayName']).where('username', '=', 'driver').executeTakeFirstOrThrow();
    const worker = await db.selectFrom('workers').selectAll().where('id', '=', driver.workerId ?? 0).executeTakeFirstOrThrow();
    expect(worker.userId).toBe(driver.id);
    expect(worker.name).toBe(driver.displayName);
    const secretaryUnit = summary.accounts.find((a) => a.username === 'branch')?.unitId;
    expect(worker.unitId).toBe(secretaryUnit);
  });

  it('finds a seeded worker by a two-character fragment of the name, through the search index', async () => {
    const worker = await db.selectFrom('workers').select(['id', 'name']).where('consentWithdrawnAt', 'is', null).where('name', 'like', '___').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const fragment = worker.name.slice(1);
    const found = [];
    let after: { nameSort: string; id: number } | null = null;
    for (;;) {
      const page = await listWorkers(db, { scope: 'all', q: fragment, after, limit: 100 });
      found.push(...page.slice(0, 100));
      if (page.length <= 100) break;
      const last = page[99] as (typeof page)[number];
      after = { nameSort: last.nameSort, id: last.id };
    }
    expect(found.map((w) => w.id)).toContain(worker.id);
    expect(found.every((w) => w.name.includes(fragment))).toBe(true);
  });

  it('gives members valid ID numbers, unique phones and IDs, and links members who are workers by the same phone', async () => {
    const members = (await db.selectFrom('members').selectAll().execute()).map(openMember);
    const ids = members.map((m) => codec.decrypt(m.idCardEnc));
    expect(ids.filter((id) => normalizeIdCard(id) !== id)).toEqual([]);
    expect(new Set(members.map((m) => m.idCardHash)).size).toBe(members.length);
    expect(new Set(members.map((m) => m.phoneHash)).size).toBe(members.length);
    // The 17th digit is odd for men, even for women; the birth date is the member's birth year.
    expect(members.every((m, i) => (Number(ids[i]?.[16]) % 2 === 1) === (m.gender === 'male') && ids[i]?.slice(6, 10) === String(m.birthYear))).toBe(true);
    expect(members.every((m) => m.birthYear >= 1960 && m.birthYear <= 2000)).toBe(true);
    const mobile = members.filter((m) => m.isMobile === 1);
    expect(mobile.length / members.length).toBeGreaterThan(0.5);
    expect(mobile.length / members.length).toBeLessThan(0.7);
    expect(mobile.every((m) => /党支部$/.test(m.homeOrgText ?? '') && m.mobilityType && m.mobilityReason)).toBe(true);
    expect(members.some((m) => m.status === 'probationary')).toBe(true);
    const workerPhones = new Map((await db.selectFrom('workers').select(['id', 'phoneHash', 'unitId']).execute()).map((w) => [w.phoneHash, w]));
    const linked = members.filter((m) => m.workerId !== null);
    expect(linked.length).toBeGreaterThan(20);
    // One person, one phone: a member whose phone a worker has is that worker, in the same branch.
    for (const m of members) {
      const worker = workerPhones.get(m.phoneHash);
      expect(worker?.id ?? null).toBe(m.workerId);
      if (worker) expect(worker.unitId).toBe(m.unitId);
    }
  });

  it('has one open secretary per open branch, held by a member of it, and some ended roles', async () => {
    const branches = await db.selectFrom('orgUnits').select('id').where('kind', '=', 'mobile_branch').where('closedOn', 'is', null).execute();
    const secretaries = await db
      .selectFrom('memberRoles')
      .innerJoin('members', 'members.id', 'memberRoles.memberId')
      .select(['memberRoles.unitId', 'members.unitId as hostId', 'members.status'])
      .where('role', '=', 'secretary')
      .where('toDate', 'is', null)
      .execute();
    expect(secretaries.map((s) => s.unitId).sort((a, b) => a - b)).toEqual(branches.map((b) => b.id).sort((a, b) => a - b));
    expect(secretaries.every((s) => s.hostId === s.unitId && s.status === 'full')).toBe(true);
    const ended = await db.selectFrom('memberRoles').selectAll().where('toDate', 'is not', null).execute();
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((r) => r.toDate !== null && r.fromDate < r.toDate)).toBe(true);
    const branchUser = await db.selectFrom('users').select('memberId').where('username', '=', 'branch').executeTakeFirstOrThrow();
    const secretaryUnit = summary.accounts.find((a) => a.username === 'branch')?.unitId;
    expect(await db.selectFrom('memberRoles').select('role').where('memberId', '=', branchUser.memberId ?? 0).where('unitId', '=', secretaryUnit ?? 0).where('toDate', 'is', null).execute()).toEqual([{ role: 'secretary' }]);
  });

  it('has transfers in each state and declarations pending and decided, consistent with the members', async () => {
    const transfers = await db.selectFrom('memberTransfers').innerJoin('members', 'members.id', 'memberTransfers.memberId').selectAll('memberTransfers').select('members.unitId as hostId').execute();
    expect(new Set(transfers.map((t) => t.status))).toEqual(new Set(['requested', 'approved', 'done', 'rejected']));
    // Open or rejected: still hosted by the sending branch; done: by the receiving one.
    expect(transfers.every((t) => t.hostId === (t.status === 'done' ? t.toUnitId : t.fromUnitId) && t.fromUnitId !== t.toUnitId)).toBe(true);
    expect(transfers.every((t) => t.requestedAt < now.toISOString() && (t.status !== 'rejected' || (t.rejectReason && t.rejectedAt && t.rejectedAt > t.requestedAt)))).toBe(true);
    const declarations = await db.selectFrom('memberDeclarations').innerJoin('workers', 'workers.id', 'memberDeclarations.workerId').selectAll('memberDeclarations').select('workers.unitId as workerUnit').execute();
    expect(new Set(declarations.map((d) => d.status))).toEqual(new Set(['pending', 'verified', 'rejected']));
    expect(declarations.every((d) => d.unitId === d.workerUnit && (d.status === 'pending') === (d.decidedAt === null))).toBe(true);
    expect(new Set(declarations.map((d) => d.workerId)).size).toBe(declarations.length);
  });

  it('assigns each member up to about ten workers of the same branch, leaves some workers without, and logs contacts', async () => {
    const rows = await db
      .selectFrom('liaisonAssignments')
      .innerJoin('workers', 'workers.id', 'liaisonAssignments.workerId')
      .innerJoin('members', 'members.id', 'liaisonAssignments.memberId')
      .select(['liaisonAssignments.memberId', 'workers.unitId as workerUnit', 'members.unitId as memberUnit', 'workers.status'])
      .execute();
    expect(rows.filter((r) => r.workerUnit !== r.memberUnit || r.status !== 'active')).toEqual([]);
    const perMember = new Map<number, number>();
    for (const r of rows) perMember.set(r.memberId, (perMember.get(r.memberId) ?? 0) + 1);
    expect(Math.max(...perMember.values())).toBeLessThanOrEqual(12);
    expect(rows.length).toBeLessThan(summary.workers * 0.95);
    const contacts = await db.selectFrom('liaisonContacts').selectAll().execute();
    const since = new Date(now.getTime() - 91 * 86_400_000).toISOString().slice(0, 10);
    expect(contacts.every((c) => c.contactedOn >= since && c.contactedOn < now.toISOString().slice(0, 10) && c.notes)).toBe(true);
    expect(new Set(contacts.map((c) => c.channel))).toEqual(new Set(['visit', 'phone', 'wechat', 'station']));
    expect(contacts.some((c) => c.demandsRaised === '平台抽成上调，收入下降')).toBe(true);
    const assigned = new Set(rows.map((r) => r.memberId));
    const contacting = new Set(contacts.map((c) => c.memberId));
    expect([...assigned].some((m) => !contacting.has(m))).toBe(true);
  });

  it('does not run without a codec', async () => {
    const handle = openDatabase('sqlite::memory:');
    handles.push(handle);
    await migrateToLatest(handle.db);
    await expect(seedDemo(handle.db, { now, skip: ['demo-accounts'] })).rejects.toThrow(/codec/);
  });
});
