// Imports on a thread of their own (a server on a SQLite file, as main.ts builds it): the job runs to its
// exact counts there, the server's own writes go on meanwhile (waiting for the thread's write lock on a
// timer, the thread giving way), a stop without requeue leaves the job to be resumed as after a crash, and
// closing the app ends the thread.
import { statSync } from 'node:fs';
import { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { systemClock } from '../../core/clock.js';
import { type DatabaseHandle, openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { freshDatabase, type Fresh } from '../../test/harness.js';
import { createUser } from '../auth/auth.queries.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { FIRST_BATCH_SIZE } from './imports.batches.js';
import type { ImportJobView } from './imports.schema.js';
import type { ThreadedJobRunner } from './imports.thread-runner.js';

const PASSWORD = 'correct-horse-battery';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚';
const nameOf = (i: number) => `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 20]}${GIVEN[Math.floor(i / 400) % 20]}`;
const HEADER = '姓名,手机号,平台,平台工号,工作类型,车辆,城市,状态';

let fresh: Fresh;
let handle: DatabaseHandle;
let app: FastifyInstance;
let headers: Record<string, string>;
let platformCode: string;
let platformId: number;
let parentUnitId: number;
const serverStatements: string[] = [];
// The thread truncates the WAL after a transaction once it is past this (512 MB in a server).
const WAL_LIMIT = 1024 * 1024;
const threadRunning = () => (app.importJobs as ThreadedJobRunner).threadRunning();
const walSize = () => statSync(`${fresh.url.slice('sqlite:'.length)}-wal`).size;

const csvOf = (from: number, count: number, prefix: string) => {
  const lines = [HEADER];
  for (let i = from; i < from + count; i++) lines.push(`${nameOf(i)},137${String(i).padStart(8, '0')},${platformCode},${prefix}${i},网约车,汽车,510100,在职`);
  return `${lines.join('\n')}\n`;
};
const upload = async (csv: string) => {
  const response = await app.inject({ method: 'POST', url: '/api/v1/imports/workers?fileName=workers.csv', headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<ImportJobView>();
};
const jobOf = async (id: number) => (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers })).json<ImportJobView>();
const workersOf = async (prefix: string) =>
  Number((await handle.db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).where('platformWorkerId', 'like', `${prefix}%`).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  fresh = await freshDatabase('sqlite');
  // Every statement the server's own connections run: the import's must not be among them.
  handle = openDatabase(fresh.url, { log: (event) => void serverStatements.push(event.query.sql) });
  await migrateToLatest(handle.db);
  // What the migrations wrote (a gram table rebuilt among them) is not the server writing an import's rows.
  serverStatements.length = 0;
  const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: fresh.url, LOG_LEVEL: 'silent', IMPORT_STALE_SECONDS: '2' });
  app = await buildApp(
    { db: handle.db, engine: handle.engine, config, clock: systemClock, writersWaiting: handle.writersWaiting, importThread: { waitingWriters: handle.waitingWriters!, walLimitBytes: WAL_LIMIT } },
    { logger: false, webRoot: '/nonexistent' },
  );
  await app.ready();
  const world = await buildTwoProvinces(handle.db);
  platformCode = world.platform.code;
  platformId = world.platform.id;
  parentUnitId = world.committee.id;
  await createUser(handle.db, { username: 'admin', password: PASSWORD, displayName: '管理员', grants: [{ role: 'org_admin', unitId: world.sichuan.id }] }, new Date());
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  headers = { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
});

afterAll(async () => {
  await app?.close();
  await handle?.destroy();
  await fresh?.drop();
});

it('runs an import on its thread to the exact counts, and its rows are searchable from the server', async () => {
  // No thread while there is nothing to import: an idle one held ~100 MB of the server's memory.
  expect(threadRunning()).toBe(false);
  const queued = await upload(csvOf(0, 3000, 'A'));
  await expect.poll(threadRunning, { timeout: 5000, interval: 10 }).toBe(true);
  await app.importJobs.drain();
  expect(await jobOf(queued.id)).toMatchObject({ status: 'done', rowsDone: 3000, rowsTotal: 3000, created: 3000, rejected: 0, error: null });
  expect(await workersOf('A')).toBe(3000);
  // Written by the thread's connection: the server's never inserted a worker or a gram.
  expect(serverStatements.filter((text) => /insert into "?workers/i.test(text))).toEqual([]);
  const found = await app.inject({ method: 'GET', url: `/api/v1/workers?q=${encodeURIComponent(nameOf(1234))}`, headers });
  expect(found.json<{ items: { name: string }[] }>().items.map((w) => w.name)).toContain(nameOf(1234));
  // Its work done, the thread ends.
  await expect.poll(threadRunning, { timeout: 10_000, interval: 50 }).toBe(false);
});

it("lets the server's writes through while it imports: none fails, and the import still ends exact", async () => {
  const queued = await upload(csvOf(10_000, 20_000, 'B'));
  // Units written through the API, one after another, while the thread holds the write lock batch by batch.
  const created: number[] = [];
  while ((await jobOf(queued.id)).status !== 'done' && created.length < 200) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/org-units', headers, payload: { parentId: parentUnitId, kind: 'mobile_branch', name: `并行写入支部${created.length}`, platformId, cityCode: '510100' } });
    expect(response.statusCode, response.body).toBe(201);
    created.push(response.json<{ id: number }>().id);
  }
  await app.importJobs.drain();
  expect(await jobOf(queued.id)).toMatchObject({ status: 'done', rowsDone: 20_000, created: 20_000, rejected: 0 });
  expect(await workersOf('B')).toBe(20_000);
  // Truncated after the last transaction: without that the WAL only grew (67 MB here).
  expect(walSize()).toBeLessThan(WAL_LIMIT);
  expect(created.length).toBeGreaterThan(1);
  expect(handle.writersWaiting!()).toBe(0);
});

it('leaves a job stopped without requeue to be resumed, as after a crash, and ends the thread on close', async () => {
  // More rows than the first batch, so the stop lands between two batches however soon the thread takes the job
  // (a file of one batch ran to its end when the thread had taken it before the stop came).
  const rows = 2.5 * FIRST_BATCH_SIZE;
  const queued = await upload(csvOf(100_000, rows, 'C'));
  await app.importJobs.stop({ requeue: false });
  const stopped = await jobOf(queued.id);
  // Stopped as a crash would leave it: claimed or not yet, never finished, never half a batch.
  expect(stopped.status === 'running' || stopped.status === 'queued').toBe(true);
  expect(await workersOf('C')).toBe(stopped.rowsDone);
  app.importJobs.start();
  // The claim goes stale after IMPORT_STALE_SECONDS; the restarted runner then takes the job over.
  await expect.poll(async () => (await jobOf(queued.id)).status, { timeout: 60_000, interval: 250 }).toBe('done');
  expect(await jobOf(queued.id)).toMatchObject({ rowsDone: rows, created: rows, rejected: 0 });
  expect(await workersOf('C')).toBe(rows);
  // A job queued while the thread was ending (its wake too late for it) starts the next thread.
  const late = await upload(csvOf(50_000, 500, 'D'));
  await app.importJobs.drain();
  expect(await jobOf(late.id)).toMatchObject({ status: 'done', created: 500 });
}, 120_000);
