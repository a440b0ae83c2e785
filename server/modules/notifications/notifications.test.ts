import nodemailer from 'nodemailer';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import type { OutboxChannel } from '../../db/tables-appeals.js';
import { describeEachEngine, type Session, TEST_NOW } from '../../test/harness.js';
import { buildTwoProvinces } from '../org/org.factory.js';
import { createDeliveryWorker, type DeliveryAdapter, type DeliveryMessage, deliveryAdaptersFrom, emailAdapter, loggingAdapter } from './notifications.delivery.js';
import { enqueueNotifications, type NotificationItem, unitRecipients } from './notifications.operations.js';

const PASSWORD = 'correct-horse-battery';
const MINUTE = 60_000;
const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

const item = (userId: number, kind: string, n = 1): NotificationItem => ({
  userId,
  kind,
  appealId: null,
  title: { zh: `诉求已受理 ${n}`, en: `Appeal acknowledged ${n}` },
  body: { zh: '支部已受理您的诉求。', en: 'Your branch has acknowledged your appeal.' },
});

/** An adapter that records what it sends and fails the first `failures` sends. */
function fakeAdapter(channel: OutboxChannel, failures = 0, delayMs = 0) {
  const sent: DeliveryMessage[] = [];
  let calls = 0;
  const adapter: DeliveryAdapter = {
    channel,
    send: async (message) => {
      calls += 1;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (calls <= failures) throw new Error(`gateway down (${calls})`);
      sent.push(message);
    },
  };
  return { adapter, sent, calls: () => calls };
}

describeEachEngine('notifications', (ctx) => {
  let world: Awaited<ReturnType<typeof buildTwoProvinces>>;
  let li = 0;
  let anna = 0;
  let wang = 0;
  let liSession: Session;
  let wangSession: Session;

  beforeAll(async () => {
    world = await buildTwoProvinces(ctx.db);
    li = await ctx.createUser({ username: 'li', password: PASSWORD, displayName: '李书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    anna = await ctx.createUser({ username: 'anna', password: PASSWORD, displayName: 'Anna', locale: 'en', grants: [{ role: 'org_admin', unitId: world.branchA.id }] });
    wang = await ctx.createUser({ username: 'wang', password: PASSWORD, displayName: '王书记', grants: [{ role: 'branch_secretary', unitId: world.branchB.id }] });
    // Not recipients of branch A: disabled, granted beneath it, or not a role that answers for it.
    const gone = await ctx.createUser({ username: 'gone', password: PASSWORD, displayName: '离任书记', grants: [{ role: 'branch_secretary', unitId: world.branchA.id }] });
    await ctx.db.updateTable('users').set({ disabledAt: TEST_NOW }).where('id', '=', gone).execute();
    await ctx.createUser({ username: 'group', password: PASSWORD, displayName: '组长', grants: [{ role: 'branch_secretary', unitId: world.groupA.id }] });
    await ctx.createUser({ username: 'member', password: PASSWORD, displayName: '党员', grants: [{ role: 'member', unitId: world.branchA.id }] });
    await ctx.db.updateTable('users').set({ email: 'li@example.org' }).where('id', '=', li).execute();
    liSession = await ctx.login('li', PASSWORD);
    wangSession = await ctx.login('wang', PASSWORD);
  });

  beforeEach(async () => {
    ctx.clock.set(TEST_NOW);
    await ctx.db.deleteFrom('outbox').execute();
    await ctx.db.deleteFrom('notifications').execute();
  });

  const outboxOf = (notificationId: number) => ctx.db.selectFrom('outbox').selectAll().where('notificationId', '=', notificationId).executeTakeFirstOrThrow();
  const newestOf = (userId: number) => ctx.db.selectFrom('notifications').selectAll().where('userId', '=', userId).orderBy('id', 'desc').executeTakeFirstOrThrow();

  it('finds the secretaries and admins granted exactly on a unit, still enabled', async () => {
    expect(await unitRecipients(ctx.db, world.branchA.id)).toEqual([li, anna]);
    expect(await unitRecipients(ctx.db, world.branchB.id)).toEqual([wang]);
    expect(await unitRecipients(ctx.db, world.committee.id)).toEqual([]);
  });

  it('writes each notification in its recipient’s language, with an email row only for users with an address', async () => {
    await ctx.db.transaction().execute((trx) => enqueueNotifications(trx, [item(li, 'appeal.acknowledged'), item(anna, 'appeal.acknowledged'), item(li, 'appeal.acknowledged')], ctx.clock.now()));
    const rows = await ctx.db.selectFrom('notifications').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.userId, r.title, r.body, r.createdAt, r.readAt])).toEqual([
      [li, '诉求已受理 1', '支部已受理您的诉求。', TEST_NOW, null],
      [anna, 'Appeal acknowledged 1', 'Your branch has acknowledged your appeal.', TEST_NOW, null],
    ]);
    const outbox = await ctx.db.selectFrom('outbox').selectAll().execute();
    expect(outbox).toEqual([expect.objectContaining({ notificationId: rows[0]!.id, channel: 'email', status: 'pending', attempts: 0, nextAttemptAt: TEST_NOW, lockedUntil: null })]);
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const failing = ctx.db.transaction().execute(async (trx) => {
      await enqueueNotifications(trx, [item(li, 'appeal.submitted')], ctx.clock.now());
      throw new Error('the appeal change failed');
    });
    await expect(failing).rejects.toThrow('the appeal change failed');
    expect(await ctx.db.selectFrom('notifications').select('id').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('outbox').select('id').execute()).toEqual([]);
  });

  it('lists the caller’s own notifications newest first, paged, with the unread count', async () => {
    await enqueueNotifications(ctx.db, [item(li, 'a', 1), item(li, 'b', 2), item(li, 'c', 3), item(wang, 'a', 9)], ctx.clock.now());
    const first = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications?limit=2', headers: liSession.headers });
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((n: { title: string }) => n.title)).toEqual(['诉求已受理 3', '诉求已受理 2']);
    expect(page1.unreadCount).toBe(3);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await ctx.app.inject({ method: 'GET', url: `/api/v1/notifications?limit=2&cursor=${page1.nextCursor}`, headers: liSession.headers });
    expect(second.json()).toMatchObject({ items: [{ title: '诉求已受理 1', kind: 'a', appealId: null, readAt: null }], nextCursor: null, unreadCount: 3 });
    const unauthenticated = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications' });
    expect(unauthenticated.statusCode).toBe(401);
  });

  it('marks one read, keeps the first reading time, and filters unread', async () => {
    await enqueueNotifications(ctx.db, [item(li, 'a', 1), item(li, 'b', 2)], ctx.clock.now());
    const older = await ctx.db.selectFrom('notifications').select('id').where('userId', '=', li).orderBy('id').executeTakeFirstOrThrow();
    ctx.clock.advance(5 * MINUTE);
    const read = await ctx.app.inject({ method: 'POST', url: `/api/v1/notifications/${older.id}/read`, headers: liSession.headers });
    expect(read.statusCode, read.body).toBe(200);
    const readAt = new Date(Date.parse(TEST_NOW) + 5 * MINUTE).toISOString();
    expect(read.json()).toMatchObject({ id: older.id, readAt });
    ctx.clock.advance(MINUTE);
    const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/notifications/${older.id}/read`, headers: liSession.headers });
    expect(again.json()).toMatchObject({ id: older.id, readAt });
    const unread = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=true', headers: liSession.headers });
    expect(unread.json()).toMatchObject({ items: [{ title: '诉求已受理 2', readAt: null }], nextCursor: null, unreadCount: 1 });
  });

  it('answers 404 for someone else’s notification and leaves it unread', async () => {
    await enqueueNotifications(ctx.db, [item(li, 'a')], ctx.clock.now());
    const own = await newestOf(li);
    const response = await ctx.app.inject({ method: 'POST', url: `/api/v1/notifications/${own.id}/read`, headers: wangSession.headers });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await newestOf(li)).readAt).toBeNull();
    const missing = await ctx.app.inject({ method: 'POST', url: `/api/v1/notifications/${own.id + 1000}/read`, headers: liSession.headers });
    expect(missing.statusCode).toBe(404);
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: wangSession.headers });
    expect(list.json()).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it('marks all of the caller’s notifications read, and no one else’s', async () => {
    await enqueueNotifications(ctx.db, [item(li, 'a'), item(li, 'b'), item(wang, 'a')], ctx.clock.now());
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: liSession.headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ marked: 2 });
    const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: liSession.headers });
    expect(list.json().unreadCount).toBe(0);
    expect((await newestOf(wang)).readAt).toBeNull();
  });

  it('retries a failed email with backoff and records its delivery', async () => {
    await enqueueNotifications(ctx.db, [item(li, 'appeal.acknowledged')], ctx.clock.now());
    const notification = await newestOf(li);
    const email = fakeAdapter('email', 2);
    const worker = createDeliveryWorker({ db: ctx.db, clock: ctx.clock, adapters: [email.adapter], log: quietLog });
    const at = (ms: number) => new Date(Date.parse(TEST_NOW) + ms).toISOString();

    expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await outboxOf(notification.id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: at(MINUTE), lockedUntil: null, lastError: 'gateway down (1)' });
    // Not due yet: nothing is tried before the backoff has passed.
    ctx.clock.advance(MINUTE - 1);
    expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    ctx.clock.advance(1);
    expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await outboxOf(notification.id)).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: at(3 * MINUTE), lastError: 'gateway down (2)' });
    ctx.clock.advance(2 * MINUTE);
    expect(await worker.drainOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await outboxOf(notification.id)).toMatchObject({ status: 'delivered', attempts: 3, deliveredAt: at(3 * MINUTE), lockedUntil: null, lastError: null });
    expect(email.sent).toEqual([{ to: 'li@example.org', subject: '诉求已受理 1', text: '支部已受理您的诉求。' }]);
    expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(email.calls()).toBe(3);
  });

  it('gives up after eight attempts, waiting longer each time up to an hour', async () => {
    await enqueueNotifications(ctx.db, [item(li, 'appeal.acknowledged')], ctx.clock.now());
    const notification = await newestOf(li);
    const email = fakeAdapter('email', Infinity);
    const worker = createDeliveryWorker({ db: ctx.db, clock: ctx.clock, adapters: [email.adapter], log: quietLog });
    const waits: number[] = [];
    for (let attempt = 1; attempt < 8; attempt++) {
      expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
      const row = await outboxOf(notification.id);
      const wait = Date.parse(row.nextAttemptAt) - ctx.clock.now().getTime();
      waits.push(wait / MINUTE);
      ctx.clock.advance(wait);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await outboxOf(notification.id)).toMatchObject({ status: 'failed', attempts: 8, lastError: 'gateway down (8)', deliveredAt: null });
    ctx.clock.advance(24 * 60 * MINUTE);
    expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(email.calls()).toBe(8);
  });

  it('fails a row at once when its channel has no adapter, and sends SMS through the logging adapter', async () => {
    await enqueueNotifications(ctx.db, [item(li, 'appeal.acknowledged')], ctx.clock.now(), { channels: ['email', 'sms'] });
    const notification = await newestOf(li);
    const logged: object[] = [];
    const worker = createDeliveryWorker({ db: ctx.db, clock: ctx.clock, adapters: [loggingAdapter('sms', { info: (obj) => logged.push(obj) })], log: quietLog });
    expect(await worker.drainOnce()).toEqual({ delivered: 1, retried: 0, failed: 1 });
    const rows = await ctx.db.selectFrom('outbox').selectAll().where('notificationId', '=', notification.id).orderBy('channel').execute();
    expect(rows.map((r) => [r.channel, r.status, r.attempts, r.lastError])).toEqual([
      ['email', 'failed', 0, 'no delivery adapter for channel email (set CONVOY_SMTP_URL and CONVOY_MAIL_FROM)'],
      ['sms', 'delivered', 1, null],
    ]);
    expect(logged).toEqual([{ channel: 'sms', to: 'li', subject: '诉求已受理 1' }]);
    ctx.clock.advance(60 * MINUTE);
    expect(await worker.drainOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
  });

  it('delivers each row exactly once when two workers on two connections drain together', async () => {
    const count = 30;
    await enqueueNotifications(ctx.db, Array.from({ length: count }, (_, i) => item(li, `kind.${i}`, i)), ctx.clock.now());
    const second = openDatabase(ctx.url);
    try {
      const sends = new Map<string, number>();
      const byWorker = { a: 0, b: 0 };
      const adapterFor = (name: 'a' | 'b'): DeliveryAdapter => ({
        channel: 'email',
        send: async (message) => {
          // A pause in every send lets the other worker's claims interleave with this one's.
          await new Promise((resolve) => setTimeout(resolve, 3));
          sends.set(message.subject, (sends.get(message.subject) ?? 0) + 1);
          byWorker[name] += 1;
        },
      });
      const a = createDeliveryWorker({ db: ctx.db, clock: ctx.clock, adapters: [adapterFor('a')], log: quietLog });
      const b = createDeliveryWorker({ db: second.db, clock: ctx.clock, adapters: [adapterFor('b')], log: quietLog });
      const [fromA, fromB] = await Promise.all([a.drainOnce(), b.drainOnce()]);
      expect(fromA.delivered + fromB.delivered).toBe(count);
      expect(sends.size).toBe(count);
      expect([...sends.values()].every((n) => n === 1)).toBe(true);
      expect(byWorker.a).toBeGreaterThan(0);
      expect(byWorker.b).toBeGreaterThan(0);
      const statuses = await ctx.db.selectFrom('outbox').select(['status', 'attempts']).execute();
      expect(statuses).toHaveLength(count);
      expect(statuses.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
    } finally {
      await second.destroy();
    }
  });

  it('sends email through a nodemailer transport, and offers SMTP only when configured', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const raw: string[] = [];
    const adapter = emailAdapter(
      {
        sendMail: async (mail) => {
          const { message } = await transport.sendMail(mail);
          // buffer: true hands the whole message back as a Buffer.
          raw.push(Buffer.isBuffer(message) ? message.toString('utf8') : '');
        },
      },
      'Convoy <noreply@convoy.example>',
    );
    await adapter.send({ to: 'li@example.org', subject: 'Appeal acknowledged', text: 'Your branch has acknowledged your appeal.' });
    expect(raw).toHaveLength(1);
    expect(raw[0]).toContain('From: Convoy <noreply@convoy.example>');
    expect(raw[0]).toContain('To: li@example.org');
    expect(raw[0]).toContain('Subject: Appeal acknowledged');
    expect(raw[0]).toContain('Your branch has acknowledged your appeal.');

    const channels = (config: { smtpUrl: string | null; mailFrom: string | null }) => deliveryAdaptersFrom(config, quietLog).map((a) => a.channel).sort();
    expect(channels({ smtpUrl: null, mailFrom: null })).toEqual(['sms', 'wechat']);
    expect(channels({ smtpUrl: 'smtp://user:pass@mail.convoy.example:587', mailFrom: 'noreply@convoy.example' })).toEqual(['email', 'sms', 'wechat']);
  });
});
