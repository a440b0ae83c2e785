// What one request costs in statements (issue 6): every statement is a round trip on PostgreSQL and a
// trip through the driver on SQLite, so the count is pinned here and cannot silently grow back.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { type DatabaseHandle, openDatabase } from '../../db/database.js';
import { describeEachEngine } from '../../test/harness.js';
import { appLogging } from '../../test/test-logs.js';
import { APPEAL_TEST_PASSWORD, type AppealWorld, buildAppealWorld } from './appeals.factory.js';

describeEachEngine('appeals: statements per request', (ctx) => {
  let w: AppealWorld;
  let counted: DatabaseHandle;
  let app: FastifyInstance;
  let logging: ReturnType<typeof appLogging>;
  let driver: { authorization: string };
  const statements: string[] = [];

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    driver = await ctx.bearer('driver', APPEAL_TEST_PASSWORD);
    // A second app over its own connection whose every statement is logged, BEGIN and COMMIT included.
    counted = openDatabase(ctx.url, { log: (event) => { if (event.level === "query") statements.push(event.query.sql); } });
    logging = appLogging(`appeals-statements-${ctx.engine}`);
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, LOG_LEVEL: logging.level });
    app = await buildApp({ db: counted.db, engine: ctx.engine, config, clock: ctx.clock }, { ...logging.options, webRoot: '/nonexistent' });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await counted?.destroy();
    logging?.close();
  });

  const statementsOf = async (request: () => Promise<LightMyRequestResponse>, status: number) => {
    statements.length = 0;
    const response = await request();
    expect(response.statusCode, response.body).toBe(status);
    // The import runner polls its queue on its own timer; that is not the request's.
    return { response, run: statements.filter((text) => !text.includes('"import_jobs"')) };
  };

  const file = (key: string, description: string) => () =>
    app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { ...driver, 'idempotency-key': key }, payload: { category: 'income_fees', description, contactPreference: 'in_app' } });

  // Before issue 6: 17 (session, grants, key look-up, BEGIN, user, worker, liaison routing, SLA policy,
  // appeal, event, reach rows, audit, recipients, their users, notification, key row, COMMIT). Now 12 of
  // those: the actor in one; the worker with its routing in one; the key's INSERT … ON CONFLICT is its own
  // check; recipients read with their language and address. Plus one for the appeal figure counts (one
  // multi-row upsert) and one for the block rows of the country and the top-level committee (another table;
  // appeals.figure-blocks.rules.ts). If this number must grow, say why in the commit.
  const FILING_STATEMENTS = 14;

  it('files a worker’s appeal with an Idempotency-Key: one transaction of a pinned number of statements', async () => {
    const { response, run } = await statementsOf(file(randomUUID(), '统计语句：平台抽成又涨了'), 201);
    expect(run.length, run.join('\n')).toBe(FILING_STATEMENTS);
    // SQLite's transactions begin IMMEDIATE (db/sqlite-routing.ts); PostgreSQL's plainly.
    expect(run.filter((text) => /^begin( immediate)?$/.test(text))).toHaveLength(1);
    expect(run.at(-1)).toBe('commit');
    // What the statements wrote is the whole filing: the appeal, its timeline, reach rows, audit and notice.
    const id = response.json<{ id: number }>().id;
    const appeal = await ctx.db.selectFrom('appeals').select(['unitId', 'workerId']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(appeal).toEqual({ unitId: w.branchA.id, workerId: w.driverId });
    expect(await ctx.db.selectFrom('appealEvents').select('kind').where('appealId', '=', id).execute()).toEqual([{ kind: 'submitted' }]);
    expect((await ctx.db.selectFrom('appealReach').select('unitId').where('appealId', '=', id).execute()).length).toBeGreaterThan(0);
    expect(await ctx.db.selectFrom('notifications').select('userId').where('appealId', '=', id).execute()).toEqual([{ userId: w.users.secretaryA }]);
    expect(await ctx.db.selectFrom('auditLog').select('userId').where('action', '=', 'appeal.create').where('entityId', '=', String(id)).execute()).toEqual([{ userId: w.users.driver }]);
  });

  it('replays a retried key from the stored answer and commits nothing', async () => {
    const key = randomUUID();
    const first = await statementsOf(file(key, '统计语句：重试的请求'), 201);
    const again = await statementsOf(file(key, '统计语句：重试的请求'), 201);
    expect(again.response.headers['idempotent-replayed']).toBe('true');
    expect(again.response.json()).toEqual(first.response.json());
    expect(again.run).not.toContain('commit');
    expect(again.run).toContain('rollback');
    expect(await ctx.db.selectFrom('appeals').select('id').where('description', '=', '统计语句：重试的请求').execute()).toHaveLength(1);
  });

  it('reads a top-level committee’s appeal figures again with its change counters and the open-overdue count only', async () => {
    await ctx.createUser({ username: 'province', password: APPEAL_TEST_PASSWORD, displayName: '省行业党委分析员', grants: [{ role: 'org_admin', unitId: w.sichuan.id }] });
    const province = await ctx.bearer('province', APPEAL_TEST_PASSWORD);
    const read = () => app.inject({ method: 'GET', url: `/api/v1/appeal-figures?unitId=${w.sichuan.id}`, headers: province });
    const first = await statementsOf(read, 200);
    const again = await statementsOf(read, 200);
    expect(again.response.json<{ total: number }>().total).toBe(first.response.json<{ total: number }>().total);
    // The actor (its grant brings the unit's path, which tells scope and top level), the counters, the
    // open-overdue count: no block is read. Before session 22 the unit and its parent were read as well.
    expect(again.run, again.run.join('\n')).toHaveLength(3);
    expect(again.run.join('\n')).not.toMatch(/union all|"appeals"/);
  });

  it('reads an inbox page of the handler’s own unit without reading the unit, and of a unit below it with one read', async () => {
    const committee = await ctx.bearer('committee', APPEAL_TEST_PASSWORD);
    const inbox = (unitId: number) => () => app.inject({ method: 'GET', url: `/api/v1/appeals?unitId=${unitId}&limit=50`, headers: committee });
    const pageParts = (run: string[]) => run.filter((text) => text.includes('from "appeal_reach" as "r"')).length;
    // The actor with its grants (the unit's path among them), then the page's parts (running deadlines,
    // then the rest while the page is not full).
    const own = await statementsOf(inbox(w.committee.id), 200);
    expect(own.response.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
    expect(own.run, own.run.join('\n')).toHaveLength(1 + pageParts(own.run));
    expect(own.run.join('\n')).not.toMatch(/from "org_units" where/);
    const below = await statementsOf(inbox(w.branchA.id), 200);
    expect(below.run, below.run.join('\n')).toHaveLength(2 + pageParts(below.run));
    expect(below.run[1]).toMatch(/from "org_units" where "id" = /);
  });

  it('loads the actor of an authenticated read in one statement', async () => {
    const { run } = await statementsOf(() => app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: driver }), 200);
    expect(run, run.join('\n')).toHaveLength(1);
  });
});
