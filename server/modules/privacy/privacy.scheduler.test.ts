import { beforeAll, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { TEST_NOW, describeEachEngine, type Session } from '../../test/harness.js';
import { APPEAL_TEST_PASSWORD, type AppealWorld, buildAppealWorld, insertWorker } from '../appeals/appeals.factory.js';
import { DELETION_OVERDUE_KIND, escalateOverdueDeletionRequests } from './privacy.scheduler.js';
import type { ReceiptStatus, StaffDeletionRequest } from './privacy.schema.js';
import { appLogging } from '../../test/test-logs.js';

const DAY = 86_400_000;

// Deletion requests left undone past their due date (15 days by default) are escalated once by the
// scheduler: to the unit above the person's serving unit, or to the system administrators.
describeEachEngine('privacy: overdue deletion requests', (ctx) => {
  let w: AppealWorld;
  let admin: number;
  let address = 0;
  const call = (session: Session | null, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: session?.headers ?? {}, remoteAddress: `10.9.1.${(address++ % 250) + 1}`, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    admin = await ctx.createUser({ username: 'root', password: 'correct-horse-battery', displayName: '系统管理员', grants: [{ role: 'system_admin', unitId: null }] });
    // With an address the outbox also holds an email row for the escalation.
    await ctx.db.updateTable('users').set({ email: 'committee@example.org' }).where('id', '=', w.users.committee).execute();
  });

  // Each test starts from its own "now" with no request open; sessions are made when needed, since a
  // moved clock expires them (and each login hashes a password).
  let start = new Date(TEST_NOW).getTime();
  beforeEach(async () => {
    start += 40 * DAY;
    ctx.clock.set(new Date(start));
    await ctx.db.updateTable('deletionRequests').set({ status: 'withdrawn' }).where('status', '=', 'requested').execute();
  });
  const as = (username: string) => ctx.login(username, APPEAL_TEST_PASSWORD);

  const ask = async (session: Session) => {
    const response = await call(session, 'POST', '/api/v1/me/deletion-requests', { reason: '不再跑车了' });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: number; dueAt: string; receipt: string }>();
  };
  const overdueNotes = (requestId: number) =>
    ctx.db.selectFrom('notifications').select(['userId', 'title', 'body']).where('kind', '=', DELETION_OVERDUE_KIND).where('title', 'like', `%#${requestId} %`).orderBy('userId').execute();

  it('escalates a request still waiting after 15 days once, to the unit above the serving branch, with notifications through the outbox and an audit row', async () => {
    const { id, dueAt } = await ask(await as('driver'));
    expect(Date.parse(dueAt) - ctx.clock.now().getTime()).toBe(15 * DAY);

    ctx.clock.set(new Date(Date.parse(dueAt) - 60_000));
    expect(await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now())).toBe(0);

    ctx.clock.set(new Date(Date.parse(dueAt) + 60_000));
    expect(await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now())).toBe(1);
    expect(await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now())).toBe(0);
    ctx.clock.advance(3 * DAY);
    expect(await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now())).toBe(0);

    const row = await ctx.db.selectFrom('deletionRequests').select(['escalatedAt', 'escalatedToUnitId', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'requested', escalatedToUnitId: w.committee.id });
    expect(row.escalatedAt).not.toBeNull();

    // The platform committee above branch B hears of it, and branch B, whose request it still is; nobody else.
    const notes = await overdueNotes(id);
    expect(notes.map((n) => n.userId).sort((a, b) => a - b)).toEqual([w.users.secretaryB, w.users.committee].sort((a, b) => a - b));
    // No name in the text: it leaves by email.
    expect(JSON.stringify(notes)).not.toContain('王建军');
    const outbox = await ctx.db.selectFrom('outbox as o').innerJoin('notifications as n', 'n.id', 'o.notificationId').select(['o.channel', 'o.status', 'n.userId']).where('n.kind', '=', DELETION_OVERDUE_KIND).execute();
    expect(outbox).toEqual([{ channel: 'email', status: 'pending', userId: w.users.committee }]);

    const audit = await ctx.db.selectFrom('auditLog').select(['userId', 'detail']).where('action', '=', 'privacy.deletion_escalated').where('entityId', '=', String(id)).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.userId).toBeNull();
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ dueAt, escalatedToUnitId: w.committee.id, notified: 2 });
  });

  it('lists waiting requests by due date, overdue first and marked, with whom it was escalated to; the unit above sees it too', async () => {
    const old = await ask(await as('driver'));
    ctx.clock.advance(16 * DAY);
    await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now());
    const fresh = await ask(await as('driver2'));
    const committee = await as('committee');
    const secretaryB = await as('secB');

    const list = await call(committee, 'GET', '/api/v1/deletion-requests?status=requested');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<{ items: StaffDeletionRequest[] }>().items;
    expect(items.map((r) => r.id)).toEqual([old.id, fresh.id]);
    expect(items[0]).toMatchObject({ overdue: true, escalatedToUnitName: w.committee.name, personName: '王建军' });
    expect(items[0]!.escalatedAt).not.toBeNull();
    expect(items[1]).toMatchObject({ overdue: false, escalatedAt: null, escalatedToUnitName: null });

    // Pages follow the same order.
    const first = await call(committee, 'GET', '/api/v1/deletion-requests?status=requested&limit=1');
    const page = first.json<{ items: StaffDeletionRequest[]; nextCursor: string }>();
    expect(page.items.map((r) => r.id)).toEqual([old.id]);
    const second = await call(committee, 'GET', `/api/v1/deletion-requests?status=requested&limit=1&cursor=${page.nextCursor}`);
    expect(second.json<{ items: StaffDeletionRequest[] }>().items.map((r) => r.id)).toEqual([fresh.id]);

    // The branch that has to answer sees it marked too; answered, it is no longer overdue.
    const mine = await call(secretaryB, 'GET', '/api/v1/deletion-requests?status=requested');
    expect(mine.json<{ items: StaffDeletionRequest[] }>().items).toEqual([expect.objectContaining({ id: old.id, overdue: true })]);
    const refused = await call(secretaryB, 'POST', `/api/v1/deletion-requests/${old.id}/reject`, { reason: '劳动仲裁尚未结案，记录须保留' });
    expect(refused.json()).toMatchObject({ status: 'rejected', overdue: false });
  });

  it('sends a request of someone no unit serves to the system administrators', async () => {
    // The liaison's account has a member record but no worker record: no serving unit.
    const { id, dueAt } = await ask(await as('liaison'));
    ctx.clock.set(new Date(Date.parse(dueAt) + 1));
    expect(await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now())).toBe(1);
    expect(await ctx.db.selectFrom('deletionRequests').select('escalatedToUnitId').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ escalatedToUnitId: null });
    expect((await overdueNotes(id)).map((n) => n.userId)).toEqual([admin]);
  });

  it('escalates once when several schedulers tick at the same moment', async () => {
    const { id, dueAt } = await ask(await as('driver2'));
    ctx.clock.set(new Date(Date.parse(dueAt) + 1));
    const results = await Promise.all([1, 2, 3].map(() => escalateOverdueDeletionRequests(ctx.db, ctx.clock.now())));
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    // Branch A (the serving unit) and the platform committee above it: one notification each.
    expect((await overdueNotes(id)).map((n) => n.userId).sort((a, b) => a - b)).toEqual([w.users.secretaryA, w.users.committee].sort((a, b) => a - b));
    expect(await ctx.db.selectFrom('auditLog').select('id').where('action', '=', 'privacy.deletion_escalated').where('entityId', '=', String(id)).execute()).toHaveLength(1);
  });

  it('shows the escalation by receipt, and once carried out, what was anonymized and what was kept and why', async () => {
    // A driver of its own: carrying the request out closes the account.
    const workerId = await insertWorker(ctx.db, w.branchA, '赵德胜', w.platform.id);
    const userId = await ctx.createUser({ username: 'driver3', password: APPEAL_TEST_PASSWORD, displayName: '赵德胜', grants: [{ role: 'worker', unitId: w.branchA.id }] });
    await ctx.db.updateTable('users').set({ workerId }).where('id', '=', userId).execute();
    const { id, receipt, dueAt } = await ask(await as('driver3'));
    const waiting = await call(null, 'POST', '/api/v1/privacy/deletion-receipts', { receipt });
    expect(waiting.json<ReceiptStatus>()).toMatchObject({ status: 'requested', dueAt, escalatedAt: null, outcome: null, decidedAt: null });
    ctx.clock.set(new Date(Date.parse(dueAt) + 1));
    await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now());
    expect((await call(null, 'POST', '/api/v1/privacy/deletion-receipts', { receipt })).json<ReceiptStatus>().escalatedAt).toBe(ctx.clock.now().toISOString());

    expect((await call(await as('secA'), 'POST', `/api/v1/deletion-requests/${id}/carry-out`, {})).statusCode).toBe(200);
    const done = (await call(null, 'POST', '/api/v1/privacy/deletion-receipts', { receipt })).json<ReceiptStatus>();
    expect(done).toMatchObject({ status: 'carried_out', outcome: { anonymized: { worker: 1, account: 1 } } });
    expect(done.outcome!.kept).toEqual(expect.arrayContaining([expect.stringMatching(/^audit_log: /)]));
    // Answered, it is never escalated again.
    ctx.clock.advance(30 * DAY);
    expect(await escalateOverdueDeletionRequests(ctx.db, ctx.clock.now())).toBe(0);
  });

  it('takes the deadline from DELETION_ANSWER_DAYS', async () => {
    expect(loadConfig({ CONVOY_SECRET: 'x'.repeat(40) }).deletionAnswerDays).toBe(15);
    expect(() => loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DELETION_ANSWER_DAYS: '0' })).toThrow(/DELETION_ANSWER_DAYS/);
    const logging = appLogging(`privacy-deadline-${ctx.engine}`);
    const config = loadConfig({ CONVOY_SECRET: 'x'.repeat(40), DATABASE_URL: ctx.url, DELETION_ANSWER_DAYS: '7', LOG_LEVEL: logging.level });
    const app = await buildApp({ db: ctx.db, engine: ctx.engine, config, clock: ctx.clock }, { ...logging.options, webRoot: '/nonexistent' });
    try {
      const asked = await app.inject({ method: 'POST', url: '/api/v1/me/deletion-requests', headers: (await as('driver')).headers, payload: {} });
      expect(asked.statusCode, asked.body).toBe(201);
      expect(Date.parse(asked.json<{ dueAt: string }>().dueAt) - ctx.clock.now().getTime()).toBe(7 * DAY);
    } finally {
      await app.close();
      logging.close();
    }
  });
});
