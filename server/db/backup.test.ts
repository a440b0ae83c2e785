import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AppealWorld, buildAppealWorld } from '../modules/appeals/appeals.factory.js';
import { describeEachEngine, freshDatabase } from '../test/harness.js';
import { tableChecksums } from './backup.js';
import { openDatabase } from './database.js';

const run = promisify(execFile);
const cli = (url: string, ...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, DATABASE_URL: url } });

describeEachEngine('backup and restore', (ctx) => {
  let w: AppealWorld;
  const folder = mkdtempSync(join(tmpdir(), 'convoy-backup-'));
  // The backups hold the test world's rows: they go with the test.
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const fileAppeal = (description: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: w.sessions.driver.headers, payload: { category: 'safety', description, anonymous: false } });

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    for (let i = 0; i < 5; i++) expect((await fileAppeal(`备份测试第${i + 1}条：夜间接单安全`)).statusCode).toBe(201);
  });

  it('restores a backup into a fresh database with every table’s rows and content identical', { timeout: 180_000 }, async () => {
    const file = join(folder, `convoy-${ctx.engine}.backup`);
    const { stdout } = await cli(ctx.url, 'backup', file);
    expect(stdout).toContain('Backed up');
    const target = await freshDatabase(ctx.engine);
    try {
      await cli(target.url, 'restore', file);
      const restored = openDatabase(target.url);
      try {
        const [before, after] = [await tableChecksums(ctx.db), await tableChecksums(restored.db)];
        expect(Object.keys(after)).toEqual(Object.keys(before));
        expect(after).toEqual(before);
        expect(after.appeals?.rows).toBe(5);
        expect(after.workers?.rows).toBeGreaterThan(0);
      } finally {
        await restored.destroy();
      }
      // A second restore onto data is refused, and nothing is touched.
      const again = await cli(target.url, 'restore', file).catch((error: { code: number; stderr: string }) => error);
      expect(again).toMatchObject({ code: 1 });
      expect((again as { stderr: string }).stderr).toContain('--force');
    } finally {
      await target.drop();
    }
  });

  it('takes a consistent backup while appeals are being filed', { timeout: 180_000 }, async () => {
    const file = join(folder, `busy-${ctx.engine}.backup`);
    let writing = true;
    const writer = (async () => {
      let n = 0;
      // Anonymous filings from many addresses: the per-account rate limit is not what this test is about.
      while (writing) {
        n++;
        const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/appeals', remoteAddress: `10.77.${Math.floor(n / 250)}.${(n % 250) + 1}`, payload: { category: 'rest_facilities', description: `并发备份第${n}条：服务站饮水机坏了`, anonymous: true, platformId: w.platform.id, cityCode: '510100' } });
        expect(response.statusCode, response.body).toBe(201);
      }
      return n;
    })();
    try {
      await cli(ctx.url, 'backup', file);
    } finally {
      // Stop filing whatever happens, so no request outlives the test.
      writing = false;
    }
    expect(await writer).toBeGreaterThan(0);
    const target = await freshDatabase(ctx.engine);
    try {
      await cli(target.url, 'restore', file);
      const restored = openDatabase(target.url);
      try {
        // Every appeal in the copy came with its whole transaction: its first event and its audit row.
        const appeals = await restored.db.selectFrom('appeals').select('id').execute();
        const submitted = await restored.db.selectFrom('appealEvents').select('appealId').where('kind', '=', 'submitted').execute();
        const audited = await restored.db.selectFrom('auditLog').select('entityId').where('action', '=', 'appeal.create').execute();
        expect(submitted.map((e) => e.appealId).sort()).toEqual(appeals.map((a) => a.id).sort());
        expect(audited.map((a) => Number(a.entityId)).sort()).toEqual(appeals.map((a) => a.id).sort());
        expect(appeals.length).toBeGreaterThanOrEqual(5);
      } finally {
        await restored.destroy();
      }
    } finally {
      await target.drop();
    }
  });
});
