// An import killed mid-way: a CSV of workers is uploaded to the server running as its own process, the
// process is SIGKILLed once some batches have committed, and a new one is started. Committed batches
// must be whole (never part of one), and the restarted server must resume the job and end with the
// exact counts, without a duplicate worker or a duplicate error row.
import { beforeAll, expect, it } from 'vitest';
import { nameSortKey } from './core/name-sort.js';
import { sensitiveCodec } from './core/sensitive.js';
import { BATCH_UNIT, FIRST_BATCH_SIZE } from './modules/imports/imports.batches.js';
import { buildTwoProvinces } from './modules/org/org.factory.js';
import { describeEachEngine } from './test/harness.js';
import { startServerProcess } from './test/server-process.js';

const SECRET = 'x'.repeat(40);
// The server imports with its default batches: FIRST_BATCH_SIZE rows, then more. The file holds a few
// batches, so the kill lands inside one after the first has committed.
const ROWS = 2.5 * FIRST_BATCH_SIZE;
/** Rows 0..EXISTING-1 are workers already recorded under another name: the import updates them. */
const EXISTING = 300;
// IMPORT_STALE_SECONDS: how long the restarted server waits before it takes over the dead one's job.
const STALE_SECONDS = 3;

const nameOf = (i: number) => `导入司机${i}`;
const phoneOf = (i: number) => `158${String(i).padStart(8, '0')}`;
const isBad = (i: number) => i >= EXISTING && i % 50 === 49;
const BAD = Array.from({ length: ROWS }, (_, i) => i).filter(isBad).length;

function csvOf(): string {
  const lines = ['姓名,手机号,平台,平台工号,工作类型,车辆,城市,状态'];
  for (let i = 0; i < ROWS; i++) lines.push(`${nameOf(i)},${isBad(i) ? '12345' : phoneOf(i)},CRASH,C${i},网约车,汽车,510100,在职`);
  return lines.join('\r\n') + '\r\n';
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describeEachEngine('crash safety: an import killed mid-way resumes to the exact counts', (ctx) => {
  let token = '';

  beforeAll(async () => {
    const world = await buildTwoProvinces(ctx.db);
    await ctx.db.updateTable('platforms').set({ code: 'CRASH' }).where('id', '=', world.platform.id).execute();
    await ctx.createUser({ username: 'importer', password: 'correct-horse-battery', displayName: '导入员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] });
    token = (await ctx.bearer('importer', 'correct-horse-battery')).authorization;
    // The test clock is fixed; the server process runs on real time, so the token must not have expired there.
    await ctx.db.updateTable('sessions').set({ expiresAt: '2100-01-01T00:00:00.000Z' }).execute();
    const codec = sensitiveCodec(SECRET);
    const at = '2026-01-01T00:00:00.000Z';
    const rows = Array.from({ length: EXISTING }, (_, i) => ({
      name: `旧名${i}`,
      nameSort: nameSortKey(`旧名${i}`),
      phoneEnc: codec.encrypt(phoneOf(i)),
      phoneHash: codec.hash(phoneOf(i)),
      phoneTail: phoneOf(i).slice(-4),
      platformId: world.platform.id,
      platformWorkerId: `C${i}`,
      workType: 'ride_hailing' as const,
      vehicle: 'car' as const,
      cityCode: '510100',
      unitId: world.branchA.id,
      unitPath: world.branchA.path,
      status: 'active' as const,
      createdAt: at,
      updatedAt: at,
    }));
    for (let i = 0; i < rows.length; i += 100) await ctx.db.insertInto('workers').values(rows.slice(i, i + 100)).execute();
  });

  const jobRow = (id: number) => ctx.db.selectFrom('importJobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const importedWorkers = () => ctx.db.selectFrom('workers').select(['platformWorkerId', 'name']).where('platformWorkerId', 'like', 'C%').execute();
  const errorRows = (id: number) => ctx.db.selectFrom('importJobErrors').select('rowNumber').where('jobId', '=', id).orderBy('rowNumber').execute();

  it('keeps committed batches whole through SIGKILL, then resumes and ends with exact counts', { timeout: 300_000 }, async () => {
    const env = { IMPORT_STALE_SECONDS: String(STALE_SECONDS) };
    let server = await startServerProcess(ctx.url, SECRET, undefined, env);
    let jobId: number;
    try {
      const upload = await fetch(`${server.baseUrl}/api/v1/imports/workers?fileName=workers.csv`, { method: 'POST', headers: { authorization: token, 'content-type': 'text/csv' }, body: csvOf() });
      expect(upload.status, await upload.clone().text()).toBe(202);
      jobId = ((await upload.json()) as { id: number }).id;
      // Wait for the first committed batch, then kill at a random moment inside the next one.
      const deadline = Date.now() + 120_000;
      while ((await jobRow(jobId)).rowsDone < FIRST_BATCH_SIZE) {
        if (Date.now() > deadline) throw new Error(`The import made no progress:\n${server.output()}`);
        await sleep(50);
      }
      await sleep(Math.floor(Math.random() * 400));
    } finally {
      await server.kill('SIGKILL');
    }

    const crashed = await jobRow(jobId);
    // The test means nothing if the job had finished before the kill.
    expect(crashed.status).toBe('running');
    console.info(`import crash [${ctx.engine}]: killed after ${crashed.rowsDone} of ${ROWS} rows`);
    // Whole batches only: progress, workers and error rows all stop at the same batch boundary.
    expect(crashed.rowsDone % BATCH_UNIT).toBe(0);
    const doneRows = Array.from({ length: crashed.rowsDone }, (_, i) => i);
    const badSoFar = doneRows.filter(isBad);
    expect(crashed.rejectedCount).toBe(badSoFar.length);
    expect(crashed.updatedCount).toBe(EXISTING);
    expect(crashed.createdCount).toBe(crashed.rowsDone - EXISTING - badSoFar.length);
    const before = await importedWorkers();
    expect(before.filter((w) => w.name.startsWith('导入司机')).map((w) => w.platformWorkerId).sort()).toEqual(doneRows.filter((i) => !isBad(i)).map((i) => `C${i}`).sort());
    expect(before.filter((w) => w.name.startsWith('旧名'))).toEqual([]);
    expect((await errorRows(jobId)).map((e) => e.rowNumber)).toEqual(badSoFar.map((i) => i + 2));

    server = await startServerProcess(ctx.url, SECRET, undefined, env);
    try {
      const deadline = Date.now() + 150_000;
      let job = await jobRow(jobId);
      while (job.status !== 'done' && job.status !== 'failed') {
        if (Date.now() > deadline) throw new Error(`The import was not resumed to its end (${job.status}, ${job.rowsDone} rows):\n${server.output()}`);
        await sleep(250);
        job = await jobRow(jobId);
      }
      expect(job).toMatchObject({ status: 'done', rowsDone: ROWS, rowsTotal: ROWS, createdCount: ROWS - EXISTING - BAD, updatedCount: EXISTING, unchangedCount: 0, rejectedCount: BAD, error: null });
      // The answer over HTTP says the same.
      const view = await fetch(`${server.baseUrl}/api/v1/imports/${jobId}`, { headers: { authorization: token } });
      expect(await view.json()).toMatchObject({ status: 'done', created: ROWS - EXISTING - BAD, updated: EXISTING, rejected: BAD });
    } finally {
      await server.kill('SIGTERM');
    }

    const after = await importedWorkers();
    expect(after).toHaveLength(ROWS - BAD);
    expect(new Set(after.map((w) => w.platformWorkerId)).size).toBe(ROWS - BAD);
    expect(after.every((w) => w.name === nameOf(Number(w.platformWorkerId.slice(1))))).toBe(true);
    // The batch that was in flight at the kill was decided again, but its rejections were written once.
    expect((await errorRows(jobId)).map((e) => e.rowNumber)).toEqual(Array.from({ length: ROWS }, (_, i) => i).filter(isBad).map((i) => i + 2));
  });
});
