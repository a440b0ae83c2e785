import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeIdCard, normalizePhone, sensitiveCodec } from '../../core/sensitive.js';
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

/** What must repeat between runs: everything but the ciphertexts, with the phones decrypted. */
async function peopleOf(db: ConvoyDb) {
  const workers = await db.selectFrom('workers').selectAll().orderBy('id').execute();
  return {
    workers: workers.map(({ phoneEnc, userId: _userId, ...rest }) => ({ ...rest, phone: codec.decrypt(phoneEnc) })),
  };
}

describe('the people step at the demo size', () => {
  let db: ConvoyDb;
  let summary: SeedSummary;
  beforeAll(async () => {
    ({ db, summary } = await seeded('first.db'));
  }, SLOW);

  it('generates thousands of workers', () => {
    expect(summary.workers).toBeGreaterThanOrEqual(3_000);
    expect(summary.workers).toBeLessThanOrEqual(5_000);
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

  it('does not run without a codec', async () => {
    const handle = openDatabase('sqlite::memory:');
    handles.push(handle);
    await migrateToLatest(handle.db);
    await expect(seedDemo(handle.db, { now, skip: ['demo-accounts'] })).rejects.toThrow(/codec/);
  });
});

// Keeps the import used until the member checks below use it.
void normalizeIdCard;
