import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { fixedClock } from '../core/clock.js';
import { sensitiveCodec } from '../core/sensitive.js';
import { type AppealWorld, buildAppealWorld } from '../modules/appeals/appeals.factory.js';
import { buildMember } from '../modules/members/members.factory.js';
import { describeEachEngine } from '../test/harness.js';
import { encryptedColumns } from './rotate-key.js';
import { appLogging } from '../test/test-logs.js';

const run = promisify(execFile);
const SECRET = 'x'.repeat(40);

describeEachEngine('rotating the field-encryption key', (ctx) => {
  let w: AppealWorld;
  const keyFolder = mkdtempSync(join(tmpdir(), 'convoy-keys-'));
  const keyFile = join(keyFolder, 'field-keys.json');
  afterAll(() => rmSync(keyFolder, { recursive: true, force: true }));
  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    // Membership details in every encrypted column: a mobile member, a refused transfer, a refused declaration.
    const codec = sensitiveCodec(SECRET);
    const at = '2026-02-01T00:00:00.000Z';
    const member = await buildMember(ctx.db, codec, { unit: w.branchA, isMobile: true, homeOrgText: '河北省邢台市某村党支部', mobilityType: 'across_provinces', mobilityReason: '外出跑货运' });
    await ctx.db
      .insertInto('memberTransfers')
      .values({ memberId: member.id, fromUnitId: w.branchA.id, toUnitId: w.branchB.id, status: 'rejected', reason: codec.encrypt('随家人迁居'), rejectReason: codec.encrypt('接收支部未能联系本人'), requestedAt: at, rejectedAt: at })
      .execute();
    await ctx.db
      .insertInto('memberDeclarations')
      .values({ workerId: w.driverId, unitId: w.branchB.id, unitPath: w.branchB.path, homeOrgText: codec.encrypt('山东省菏泽市某镇党委'), joinDate: codec.encrypt('2009-06-30'), status: 'rejected', decisionReason: codec.encrypt('原组织未能核实'), decidedAt: at, createdAt: at })
      .execute();
  });

  /** Every encrypted value, by column: id and envelope. */
  const envelopes = async () => {
    const all: Record<string, { id: number; value: string }[]> = {};
    for (const { table, column } of encryptedColumns) {
      const rows = (await sql<{ id: number; value: string | null }>`select id, ${sql.ref(column)} as value from ${sql.table(table)} order by id`.execute(ctx.db)).rows;
      all[`${table}.${column}`] = rows.flatMap((r) => (r.value === null ? [] : [{ id: Number(r.id), value: r.value }]));
    }
    return all;
  };

  it('re-encrypts every phone, ID number and membership detail under a new key while a running server keeps reading them', { timeout: 180_000 }, async () => {
    const logging = appLogging(`rotate-key-serving-${ctx.engine}`);
    const config = loadConfig({ CONVOY_SECRET: SECRET, DATABASE_URL: ctx.url, LOG_LEVEL: logging.level, CONVOY_KEY_FILE: keyFile });
    // A server that was running before the rotation, with the same key file.
    const serving = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: fixedClock(ctx.clock.now()) }, { ...logging.options, webRoot: '/nonexistent' });
    try {
      const before = await ctx.db.selectFrom('workers').select(['id', 'phoneEnc', 'phoneHash']).orderBy('id').execute();
      const members = await ctx.db.selectFrom('members').select(['id', 'idCardEnc']).orderBy('id').execute();
      const oldCodec = sensitiveCodec(SECRET);
      expect(before.every((r) => oldCodec.keyIdOf(r.phoneEnc) === 'k1')).toBe(true);
      const sealedBefore = await envelopes();
      // Every member column holds something to rotate (this world files no appeal with a caller's phone).
      for (const [column, values] of Object.entries(sealedBefore)) if (column.startsWith('member')) expect(values.length, column).toBeGreaterThan(0);

      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'rotate-key'], { env: { ...process.env, DATABASE_URL: ctx.url, CONVOY_SECRET: SECRET, CONVOY_KEY_FILE: keyFile } });
      expect(stdout).toContain('New key k2 is current');
      expect(stdout).toContain(`workers.phone_enc: ${before.length} re-encrypted`);

      const after = await ctx.db.selectFrom('workers').select(['id', 'phoneEnc', 'phoneHash']).orderBy('id').execute();
      const rotated = sensitiveCodec(SECRET, keyFile);
      expect(after.every((r) => rotated.keyIdOf(r.phoneEnc) === 'k2')).toBe(true);
      expect(after.map((r) => rotated.decrypt(r.phoneEnc))).toEqual(before.map((r) => oldCodec.decrypt(r.phoneEnc)));
      // Every encrypted column, membership details included: nothing left under the old key, same plain text.
      const sealedAfter = await envelopes();
      for (const [column, values] of Object.entries(sealedAfter)) {
        expect(stdout).toContain(`${column}: ${values.length} re-encrypted`);
        expect(values.filter((v) => rotated.keyIdOf(v.value) !== 'k2'), column).toEqual([]);
        expect(values.map((v) => [v.id, rotated.decrypt(v.value)]), column).toEqual(sealedBefore[column]!.map((v) => [v.id, oldCodec.decrypt(v.value)]));
      }
      // Look-ups by hash keep working: the hash key is not rotated.
      expect(after.map((r) => r.phoneHash)).toEqual(before.map((r) => r.phoneHash));
      const idCards = await ctx.db.selectFrom('members').select(['idCardEnc']).orderBy('id').execute();
      expect(idCards.map((r) => rotated.decrypt(r.idCardEnc))).toEqual(members.map((r) => oldCodec.decrypt(r.idCardEnc)));
      // The old key alone can no longer read them.
      expect(() => oldCodec.decrypt(after[0]!.phoneEnc)).toThrow();

      const login = await serving.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'secB', password: 'correct-horse-battery' } });
      const headers = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
      const detail = await serving.inject({ method: 'GET', url: `/api/v1/workers/${w.driverId}`, headers });
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json().phone).toMatch(/^137\*{4}\d{4}$/);
      // Running it again finds nothing left under an old key after the new one.
      const again = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'rotate-key'], { env: { ...process.env, DATABASE_URL: ctx.url, CONVOY_SECRET: SECRET, CONVOY_KEY_FILE: keyFile } });
      expect(again.stdout).toContain('New key k3 is current');
    } finally {
      await serving.close();
      logging.close();
    }
  });
});
