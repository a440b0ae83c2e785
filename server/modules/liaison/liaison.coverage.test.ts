import { beforeAll, expect, it } from 'vitest';
import { chinaDate } from '../../core/clock.js';
import { nameSortKey } from '../../core/name-sort.js';
import { sensitiveCodec } from '../../core/sensitive.js';
import { Random } from '../../db/seed/random.js';
import type { OrgUnit } from '../../db/tables.js';
import { describeEachEngine, type Session } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';
import { buildTwoProvinces, buildUnit } from '../org/org.factory.js';
import { findUnit, moveSubtree } from '../org/org.queries.js';
import { coverageCountsQuery, coverageFromCounts, rebuildLiaisonCoverage } from './liaison.coverage.js';
import { coverageOf } from './liaison.coverage-oracle.js';
import { CONTACT_WINDOW_DAYS, share } from './liaison.rules.js';

const DAY = 86_400_000;
const SEED = Number(process.env.COVERAGE_SEED ?? 20261205);
const PASSWORD = 'correct-horse-battery';
const codec = sensitiveCodec('x'.repeat(40));

describeEachEngine('liaison: coverage from counts kept by triggers', (ctx) => {
  const rng = new Random(SEED, 'liaison-coverage');
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let extraBranch: OrgUnit;
  let admin: Session;
  const workers: number[] = [];
  const members: number[] = [];
  let serial = 0;
  let log: string[] = [];

  const pick = <T>(items: readonly T[]) => items[rng.int(0, items.length - 1)]!;
  const allUnits = async () => (await ctx.db.selectFrom('orgUnits').select(['id', 'path', 'name']).orderBy('id').execute()) as Pick<OrgUnit, 'id' | 'path' | 'name'>[];
  const branches = async () => Promise.all([world.branchA, world.branchB, world.groupA, extraBranch].map(async (u) => (await findUnit(ctx.db, u.id))!));
  const sinceOf = (now: Date) => chinaDate(new Date(now.getTime() - CONTACT_WINDOW_DAYS * DAY));

  async function compareEverywhere(label: string) {
    const now = ctx.clock.now();
    // The route's window, and a few others, so days on both sides of every edge are exercised.
    const windows = [sinceOf(now), chinaDate(new Date(now.getTime() - 3 * DAY)), chinaDate(new Date(now.getTime() - 90 * DAY)), chinaDate(new Date(now.getTime() + DAY))];
    for (const unit of await allUnits()) {
      for (const since of windows) {
        const expected = await coverageOf(ctx.db, unit.path, since);
        expect(await coverageFromCounts(ctx.db, unit.id, since), `${label}: ${unit.name} since ${since} (seed ${SEED}; ${log.slice(-10).join('; ')})`).toEqual(expected);
      }
    }
  }

  async function newWorker() {
    serial += 1;
    const phone = `136${String(serial).padStart(8, '0')}`;
    const unit = pick(await branches());
    const row = await ctx.db
      .insertInto('workers')
      .values({ name: `司机${serial}`, nameSort: nameSortKey(`司机${serial}`), phoneEnc: codec.encrypt(phone), phoneHash: codec.hash(phone), phoneTail: phone.slice(-4), platformId: world.platform.id, platformWorkerId: `C${serial}`, workType: 'ride_hailing', vehicle: 'car', cityCode: '510100', unitId: unit.id, unitPath: unit.path, status: rng.chance(0.85) ? 'active' : 'inactive', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    workers.push(row.id);
    log.push(`worker #${row.id} in ${unit.id}`);
  }

  async function newMember() {
    serial += 1;
    const phone = `135${String(serial).padStart(8, '0')}`;
    const unit = pick(await branches());
    const row = await ctx.db
      .insertInto('members')
      .values({ name: `党员${serial}`, nameSort: nameSortKey(`党员${serial}`), phoneEnc: codec.encrypt(phone), phoneHash: codec.hash(phone), phoneTail: phone.slice(-4), unitId: unit.id, unitPath: unit.path, gender: 'female', birthYear: 1986, idCardEnc: codec.encrypt(`ID${serial}`), idCardHash: codec.hash(`ID${serial}`), joinDate: codec.encrypt('2016-07-01'), status: 'full', isMobile: 0, liaisonTarget: rng.int(0, 3), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    members.push(row.id);
    log.push(`member #${row.id} in ${unit.id}`);
  }

  // A CSV import through the API: new workers, updates of known ones (name, phone, city, status) and one
  // rejected row: the row triggers keep the counts through the import's batched writes as through any other.
  async function importWorkers(created: number, updated: number) {
    const known = await ctx.db.selectFrom('workers').select('platformWorkerId').where('consentWithdrawnAt', 'is', null).orderBy('id').execute();
    const lines = [['姓名', '手机号', '平台', '平台工号', '工作类型', '车辆', '城市', '状态'].join(',')];
    const row = (name: string, phone: string, id: string, city: string, status: string) => [name, phone, world.platform.code, id, '网约车', '汽车', city, status].join(',');
    const cities = ['510100', '440300'];
    for (let i = 0; i < created; i++) {
      serial += 1;
      lines.push(row(`导入${serial}`, `137${String(serial).padStart(8, '0')}`, `C${serial}`, pick(cities), rng.chance(0.8) ? '在职' : '离职'));
    }
    for (let i = 0; i < updated && known.length > 0; i++) {
      serial += 1;
      lines.push(row(`改名${serial}`, `138${String(serial).padStart(8, '0')}`, pick(known).platformWorkerId, pick(cities), rng.chance(0.5) ? '在职' : '离职'));
    }
    serial += 1;
    lines.push(row(`坏号${serial}`, '12345', `C${serial}`, '510100', '在职'));
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/imports/workers?fileName=workers.csv', headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: lines.join('\n') + '\n' });
    expect(response.statusCode, response.body).toBe(202);
    await ctx.app.importJobs.drain();
    const job = (await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${response.json<{ id: number }>().id}`, headers: admin.headers })).json<{ status: string; created: number; updated: number; rejected: number }>();
    expect(job).toMatchObject({ status: 'done', rejected: 1 });
    const ids = await ctx.db.selectFrom('workers').select('id').orderBy('id').execute();
    workers.splice(0, workers.length, ...ids.map((w) => w.id));
    log.push(`import: created ${job.created}, updated ${job.updated}, rejected ${job.rejected}`);
    return job;
  }

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => ctx.app.inject({ method, url, headers: admin.headers, ...(payload ? { payload } : {}) });

  // Each step is one kind of write the figures depend on, through the API where it has one and straight to
  // the tables where it has not (imports, erasure, the seed write rows the same way: the triggers see all).
  const steps: Record<string, () => Promise<void>> = {
    async worker() {
      await newWorker();
    },
    async member() {
      await newMember();
    },
    async status() {
      const id = pick(workers);
      const status = rng.chance(0.5) ? 'active' : 'inactive';
      await ctx.db.updateTable('workers').set({ status }).where('id', '=', id).execute();
      log.push(`worker #${id} ${status}`);
    },
    async withdraw() {
      const id = pick(workers);
      await ctx.db.updateTable('workers').set({ consentWithdrawnAt: ctx.clock.now().toISOString() }).where('id', '=', id).execute();
      log.push(`worker #${id} withdrew consent`);
    },
    async moveWorker() {
      const id = pick(workers);
      const unit = pick(await branches());
      await ctx.db.updateTable('workers').set({ unitId: unit.id, unitPath: unit.path }).where('id', '=', id).execute();
      log.push(`worker #${id} to ${unit.id}`);
    },
    async moveMember() {
      const id = pick(members);
      const unit = pick(await branches());
      await ctx.db.updateTable('members').set({ unitId: unit.id, unitPath: unit.path }).where('id', '=', id).execute();
      log.push(`member #${id} to ${unit.id}`);
    },
    async target() {
      const id = pick(members);
      const target = rng.int(0, 4);
      await ctx.db.updateTable('members').set({ liaisonTarget: target }).where('id', '=', id).execute();
      log.push(`member #${id} target ${target}`);
    },
    async assign() {
      const workerId = pick(workers);
      const worker = await ctx.db.selectFrom('workers').select('unitId').where('id', '=', workerId).executeTakeFirstOrThrow();
      const sameBranch = await ctx.db.selectFrom('members').select('id').where('unitId', '=', worker.unitId!).execute();
      if (sameBranch.length > 0 && rng.chance(0.7)) {
        const response = await call('PUT', `/api/v1/liaison/assignments/${workerId}`, { memberId: pick(sameBranch).id });
        log.push(`assign #${workerId}: ${response.statusCode}`);
      } else {
        // A liaison from elsewhere, as an import or an older release may have left one.
        const memberId = pick(members);
        await ctx.db.deleteFrom('liaisonAssignments').where('workerId', '=', workerId).execute();
        await ctx.db.insertInto('liaisonAssignments').values({ workerId, memberId, assignedAt: ctx.clock.now().toISOString(), assignedBy: null }).execute();
        log.push(`assign #${workerId} to member #${memberId} directly`);
      }
    },
    async reassign() {
      const row = await ctx.db.selectFrom('liaisonAssignments').select('workerId').orderBy('workerId').execute();
      if (row.length === 0) return;
      const workerId = pick(row).workerId;
      const memberId = pick(members);
      await ctx.db.updateTable('liaisonAssignments').set({ memberId }).where('workerId', '=', workerId).execute();
      log.push(`assignment of #${workerId} now member #${memberId}`);
    },
    async unassign() {
      const id = pick(workers);
      const response = await call('DELETE', `/api/v1/liaison/assignments/${id}`);
      log.push(`unassign #${id}: ${response.statusCode}`);
    },
    async autoAssign() {
      const unit = pick([world.sichuan, world.committee, world.branchA, extraBranch]);
      const response = await call('POST', '/api/v1/liaison/auto-assign', { unitId: unit.id });
      log.push(`auto-assign ${unit.id}: ${response.body}`);
    },
    async contact() {
      const workerId = pick(workers);
      const contactedOn = chinaDate(new Date(ctx.clock.now().getTime() - rng.int(-2, 70) * DAY));
      const memberId = pick(members);
      if (rng.chance(0.5)) {
        const response = await call('POST', '/api/v1/liaison/contacts', { workerId, memberId, contactedOn, channel: 'phone' });
        log.push(`contact #${workerId} on ${contactedOn}: ${response.statusCode}`);
      } else {
        await ctx.db.insertInto('liaisonContacts').values({ workerId, memberId, contactedOn, channel: 'visit', createdAt: ctx.clock.now().toISOString(), createdBy: null }).execute();
        log.push(`contact #${workerId} on ${contactedOn} directly`);
      }
    },
    async changeContact() {
      const contacts = await ctx.db.selectFrom('liaisonContacts').select('id').orderBy('id').execute();
      if (contacts.length === 0) return;
      const id = pick(contacts).id;
      if (rng.chance(0.5)) {
        await ctx.db.deleteFrom('liaisonContacts').where('id', '=', id).execute();
        log.push(`contact ${id} deleted`);
      } else {
        const contactedOn = chinaDate(new Date(ctx.clock.now().getTime() - rng.int(0, 60) * DAY));
        await ctx.db.updateTable('liaisonContacts').set({ contactedOn, workerId: pick(workers) }).where('id', '=', id).execute();
        log.push(`contact ${id} moved to ${contactedOn}`);
      }
    },
    async erase() {
      // What privacy erasure does to the rows the figures read (privacy.erasure.ts): the worker becomes
      // inactive with consent withdrawn, the liaison goes, the contacts stay without their notes.
      const id = pick(workers);
      await ctx.db.transaction().execute(async (trx) => {
        await trx.updateTable('workers').set({ name: '已删除', status: 'inactive', consentWithdrawnAt: ctx.clock.now().toISOString(), anonymizedAt: ctx.clock.now().toISOString() }).where('id', '=', id).execute();
        await trx.updateTable('liaisonContacts').set({ notes: null, demandsRaised: null }).where('workerId', '=', id).execute();
        await trx.deleteFrom('liaisonAssignments').where('workerId', '=', id).execute();
      });
      log.push(`erase #${id}`);
    },
    async moveSubtree() {
      const [branchB, committee, shenzhen, chengdu, guangdong] = await Promise.all([world.branchB, world.committee, world.shenzhen, world.chengdu, world.guangdong].map(async (u) => (await findUnit(ctx.db, u.id))!));
      const [unit, parent] = rng.chance(0.5) ? [branchB!, branchB!.path.startsWith(committee!.path) ? shenzhen! : committee!] : [committee!, committee!.path.startsWith(chengdu!.path) ? guangdong! : chengdu!];
      await ctx.db.transaction().execute((trx) => moveSubtree(trx, unit, parent, ctx.clock.now()));
      log.push(`move ${unit.id} under ${parent.id}`);
    },
    async importWorkers() {
      await importWorkers(rng.int(1, 6), rng.int(0, 4));
    },
    async passTime() {
      ctx.clock.advance(rng.int(1, 9) * DAY + rng.int(0, DAY));
      admin = await ctx.login('admin', PASSWORD);
      log.push(`now ${ctx.clock.now().toISOString()}`);
    },
  };
  const weights: [keyof typeof steps, number][] = [
    ['worker', 8], ['member', 3], ['status', 3], ['withdraw', 1], ['moveWorker', 3], ['moveMember', 2], ['target', 2], ['assign', 8], ['reassign', 2],
    ['unassign', 3], ['autoAssign', 1], ['contact', 12], ['changeContact', 3], ['erase', 1], ['moveSubtree', 2], ['passTime', 3], ['importWorkers', 3],
  ];
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const randomStep = () => {
    let roll = rng.next() * total;
    for (const [name, w] of weights) if ((roll -= w) < 0) return name;
    return weights[0]![0];
  };

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    extraBranch = await buildUnit(ctx.db, { parent: world.shenzhen, kind: 'mobile_branch', name: '速达出行深圳第一流动党员党支部', platformId: world.platform.id, cityCode: '440300' });
    await ctx.createUser({ username: 'admin', password: PASSWORD, displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    admin = await ctx.login('admin', PASSWORD);
    for (let i = 0; i < 12; i++) await newWorker();
    for (let i = 0; i < 5; i++) await newMember();
  });

  it('gives the figures the brute-force reading gives, after random writes, moves and a sliding window', async () => {
    log = [];
    await compareEverywhere('start');
    for (let step = 0; step < 160; step++) {
      const name = randomStep();
      await steps[name]!();
      if (step % 20 === 19) await compareEverywhere(`step ${step}`);
    }
    await compareEverywhere('end');
    // And through the route, as a dashboard reads it.
    const sichuan = (await findUnit(ctx.db, world.sichuan.id))!;
    const expected = await coverageOf(ctx.db, sichuan.path, sinceOf(ctx.clock.now()));
    const response = await call('GET', `/api/v1/liaison/coverage?unitId=${sichuan.id}`);
    expect(response.json()).toEqual({ unitId: sichuan.id, ...expected, shareWithLiaison: share(expected.withLiaison, expected.workers), shareContactedLast30Days: share(expected.contactedLast30Days, expected.workers) });
  }, 600_000);

  it('gives the oracle’s figures after an import of new and updated workers with a rejected row', async () => {
    log = [];
    const job = await importWorkers(6, 4);
    expect(job.created).toBe(6);
    expect(job.updated).toBe(4);
    await compareEverywhere('after an import');
  });

  it('holds the same counts as a rebuild from the rows', async () => {
    const snapshot = async () => ({
      units: (await ctx.db.selectFrom('liaisonUnitCounts').selectAll().orderBy('unitId').execute()).filter((r) => r.workers !== 0 || r.members !== 0),
      days: (await ctx.db.selectFrom('liaisonContactDays').selectAll().where('n', '!=', 0).orderBy(['unitId', 'day']).execute()).map((r) => ({ ...r, n: Number(r.n) })),
    });
    const kept = await snapshot();
    expect(kept.units.length).toBeGreaterThan(0);
    expect(kept.days.length).toBeGreaterThan(0);
    await rebuildLiaisonCoverage(ctx.db);
    expect(await snapshot()).toEqual(kept);
    await compareEverywhere('after rebuild');
  });

  it('reads a unit’s coverage by the counts’ primary keys, never the workers', async () => {
    const plan = await planOf(ctx.db, ctx.engine, coverageCountsQuery(ctx.db, world.sichuan.id, '2026-11-01'));
    if (ctx.engine === 'sqlite') {
      expect(plan).toMatch(/SEARCH c USING PRIMARY KEY \(unit_id=\?\)/);
      expect(plan).toMatch(/SEARCH d USING PRIMARY KEY \(unit_id=\? AND day>\?\)/);
      expect(plan).not.toMatch(/SCAN/);
    } else {
      expect(plan).toMatch(/Scan (using|on) liaison_unit_counts_pkey/);
      expect(plan).toMatch(/Scan (using|on) liaison_contact_days_pk/);
      expect(plan).toMatch(/Index Cond: \(\(unit_id = \d+\) AND \(day >= /);
      expect(plan).not.toMatch(/Seq Scan/);
    }
    expect(plan).not.toMatch(/workers|members|liaison_contacts\b|liaison_assignments/);
  });
});
