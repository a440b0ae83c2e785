import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sensitiveCodec } from '../core/sensitive.js';
import { insertWorker } from '../modules/appeals/appeals.factory.js';
import { buildTwoProvinces } from '../modules/org/org.factory.js';
import { engines, type Fresh, freshDatabase } from '../test/harness.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateTo, migrateToLatest, migrationNames } from './migrate.js';
import { MEMBERSHIP_ENCRYPTION } from './migrations/2026-12-05T0930-membership-encryption.js';

// A database as the release before membership encryption left it: join dates, home organizations,
// mobility and transfer reasons and declarations in clear. Upgrading it must leave none of them in clear,
// neither in the rows nor (SQLite: the file and its WAL; PostgreSQL: the table files) in freed space.
const codec = sensitiveCodec('membership upgrade test secret, 32+ characters');
const plain = {
  memberJoinDate: '1999-04-23',
  memberHome: '甘肃省天水市麦积区某村党支部',
  mobilityReason: '随车队长期在外跑运输',
  declarationHome: '河南省周口市川汇区某社区党委',
  declarationJoinDate: '2003-09-14',
  declarationRefusal: '原组织关系尚在核实之中',
  transferReason: '家中老人需要照顾回乡工作',
  transferRefusal: '接收支部暂无法联系本人核实',
};
const secrets = Object.values(plain);
const previous = migrationNames()[migrationNames().indexOf(MEMBERSHIP_ENCRYPTION) - 1]!;

async function membershipRows(handle: DatabaseHandle) {
  return {
    members: await handle.db.selectFrom('members').select(['joinDate', 'homeOrgText', 'mobilityReason']).execute(),
    declarations: await handle.db.selectFrom('memberDeclarations').select(['homeOrgText', 'joinDate', 'decisionReason']).execute(),
    transfers: await handle.db.selectFrom('memberTransfers').select(['reason', 'rejectReason']).execute(),
  };
}

/** The bytes of every file the engine keeps the tables in, after making it write them out. */
async function storedBytes(engine: (typeof engines)[number], url: string): Promise<Buffer> {
  if (engine === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    const folder = dirname(file);
    return Buffer.concat(readdirSync(folder).filter((name) => name.startsWith('convoy.db')).map((name) => readFileSync(join(folder, name))));
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('checkpoint');
    const { rows } = await client.query<{ path: string }>(
      `select current_setting('data_directory') || '/' || pg_relation_filepath(c.oid) as path from pg_class c
       where c.relname in ('members', 'member_declarations', 'member_transfers') or c.oid in (select reltoastrelid from pg_class where relname in ('members', 'member_declarations', 'member_transfers'))`,
    );
    return Buffer.concat(rows.flatMap((r) => readdirSync(dirname(r.path)).filter((name) => name === r.path.split('/').pop() || name.startsWith(`${r.path.split('/').pop()}.`)).map((name) => readFileSync(join(dirname(r.path), name)))));
  } finally {
    await client.end();
  }
}

/** A session that takes a snapshot now (touching no membership table) and ends its transaction after `ms`. */
async function holdSnapshot(url: string, ms: number): Promise<{ released: Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin isolation level repeatable read');
  await client.query('select 1');
  const released = new Promise<void>((resolve, reject) => {
    setTimeout(() => void client.query('commit').then(() => client.end()).then(resolve, reject), ms);
  });
  return { released };
}

describe.each(engines)('upgrading a database that holds membership data in clear [%s]', (engine) => {
  let fresh: Fresh;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    expect(inject('pgAdminUrl')).toBeTruthy();
    fresh = await freshDatabase(engine);
    handle = openDatabase(fresh.url);
    await migrateTo(handle.db, previous);
    const world = await buildTwoProvinces(handle.db);
    const workerId = await insertWorker(handle.db, world.branchA, '马晓东', world.platform.id);
    const at = '2026-01-01T00:00:00.000Z';
    const { id: memberId } = await handle.db
      .insertInto('members')
      .values({
        name: '马晓东', nameSort: 'ma xiao dong', gender: 'male', birthYear: 1976,
        phoneEnc: codec.encrypt('13912345678'), phoneHash: codec.hash('13912345678'), phoneTail: '5678',
        idCardEnc: codec.encrypt('ID-1'), idCardHash: codec.hash('ID-1'),
        joinDate: plain.memberJoinDate, status: 'full', unitId: world.branchA.id, unitPath: world.branchA.path, isMobile: 1,
        homeOrgText: plain.memberHome, mobilityType: 'across_provinces', mobilityReason: plain.mobilityReason, liaisonTarget: 10, createdAt: at, updatedAt: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto('memberDeclarations')
      .values({ workerId, unitId: world.branchA.id, unitPath: world.branchA.path, homeOrgText: plain.declarationHome, joinDate: plain.declarationJoinDate, status: 'rejected', decisionReason: plain.declarationRefusal, decidedAt: at, createdAt: at })
      .execute();
    await handle.db
      .insertInto('memberTransfers')
      .values({ memberId, fromUnitId: world.branchA.id, toUnitId: world.branchB.id, status: 'rejected', reason: plain.transferReason, rejectReason: plain.transferRefusal, requestedAt: at, rejectedAt: at })
      .execute();
  });

  afterAll(async () => {
    await handle?.destroy();
    await fresh?.drop();
  });

  it('refuses to upgrade without the key, changing nothing', async () => {
    await expect(migrateToLatest(handle.db)).rejects.toThrow(/CONVOY_SECRET/);
    expect(await membershipRows(handle)).toEqual({
      members: [{ joinDate: plain.memberJoinDate, homeOrgText: plain.memberHome, mobilityReason: plain.mobilityReason }],
      declarations: [{ homeOrgText: plain.declarationHome, joinDate: plain.declarationJoinDate, decisionReason: plain.declarationRefusal }],
      transfers: [{ reason: plain.transferReason, rejectReason: plain.transferRefusal }],
    });
  });

  it('encrypts every value with the key, leaving none in clear in the rows or the files', { timeout: 60_000 }, async () => {
    // Another session's snapshot taken before the upgrade and released while it runs (on PostgreSQL an old
    // snapshot keeps dead row versions, so the upgrade must wait it out rather than leave them).
    const holder = engine === 'postgres' ? await holdSnapshot(fresh.url, 3_000) : null;
    expect(await migrateToLatest(handle.db, { codec })).toContain(MEMBERSHIP_ENCRYPTION);
    await holder?.released;
    const rows = await membershipRows(handle);
    const raw = JSON.stringify(rows);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    const open = (value: string | null) => (value === null ? null : codec.decrypt(value));
    expect(rows.members.map((m) => [open(m.joinDate), open(m.homeOrgText), open(m.mobilityReason)])).toEqual([[plain.memberJoinDate, plain.memberHome, plain.mobilityReason]]);
    expect(rows.declarations.map((d) => [open(d.homeOrgText), open(d.joinDate), open(d.decisionReason)])).toEqual([[plain.declarationHome, plain.declarationJoinDate, plain.declarationRefusal]]);
    expect(rows.transfers.map((t) => [open(t.reason), open(t.rejectReason)])).toEqual([[plain.transferReason, plain.transferRefusal]]);
    const bytes = await storedBytes(engine, fresh.url);
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
  });
});
