import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { type AppealWorld, buildAppealWorld, insertWorker } from './modules/appeals/appeals.factory.js';
import { describeEachEngine } from './test/harness.js';
import { startServerProcess } from './test/server-process.js';

const SECRET = 'x'.repeat(40);
const FILERS = 8;

type Attempt = { key: string; token: string; description: string; acknowledged: number | null };

// Appeals are filed over HTTP against the server as its own process, which is killed with SIGKILL at a
// random moment and started again; then every request is retried with its Idempotency-Key.
describeEachEngine('crash safety: appeals survive SIGKILL', (ctx) => {
  let w: AppealWorld;
  const tokens: string[] = [];

  beforeAll(async () => {
    w = await buildAppealWorld(ctx);
    for (let i = 0; i < FILERS; i++) {
      const workerId = await insertWorker(ctx.db, w.branchA, `崩溃测试司机${i}`, w.platform.id);
      const userId = await ctx.createUser({ username: `crash${i}`, password: 'correct-horse-battery', displayName: `司机${i}`, grants: [{ role: 'worker', unitId: w.branchA.id }] });
      await ctx.db.updateTable('users').set({ workerId }).where('id', '=', userId).execute();
      tokens.push((await ctx.bearer(`crash${i}`, 'correct-horse-battery')).authorization);
    }
    // The test clock is fixed; the server process runs on real time, so its tokens must not have expired there.
    await ctx.db.updateTable('sessions').set({ expiresAt: '2100-01-01T00:00:00.000Z' }).execute();
  });

  const submit = async (baseUrl: string, attempt: Attempt) => {
    const response = await fetch(`${baseUrl}/api/v1/appeals`, {
      method: 'POST',
      headers: { authorization: attempt.token, 'content-type': 'application/json', 'idempotency-key': attempt.key },
      body: JSON.stringify({ category: 'income_fees', description: attempt.description, anonymous: false }),
    });
    if (response.status !== 201) throw new Error(`${response.status} ${await response.text()}`);
    return ((await response.json()) as { id: number }).id;
  };

  it('keeps every acknowledged appeal exactly once, and retries after the restart make no duplicates', { timeout: 180_000 }, async () => {
    const attempts: Attempt[] = [];
    let server = await startServerProcess(ctx.url, SECRET);
    let stop = false;
    // The kill comes at a random moment after the first acknowledgement, so a slow start (a loaded
    // machine) cannot leave nothing acknowledged to check.
    let firstAcknowledged = () => {};
    const someAcknowledged = new Promise<void>((done) => (firstAcknowledged = done));
    const lanes = Array.from({ length: 4 }, async (_, lane) => {
      // At most 20 per lane, paced, so no filer meets the per-account rate limit even with the retries.
      for (let n = 0; !stop && n < 20; n++) {
        await new Promise((done) => setTimeout(done, 25 + Math.floor(Math.random() * 50)));
        const attempt: Attempt = { key: randomUUID(), token: tokens[(lane * 2 + n) % FILERS]!, description: `崩溃测试 ${lane}-${n}：平台调整计价规则`, acknowledged: null };
        attempts.push(attempt);
        try {
          attempt.acknowledged = await submit(server.baseUrl, attempt);
          firstAcknowledged();
        } catch {
          // The server died under this request: unknown whether it landed. Retried below.
          return;
        }
      }
    });
    await Promise.race([someAcknowledged, Promise.all(lanes)]);
    await new Promise((done) => setTimeout(done, Math.floor(Math.random() * 1200)));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(lanes);
    const acknowledged = attempts.filter((a) => a.acknowledged !== null);
    expect(acknowledged.length).toBeGreaterThan(0);
    console.info(`crash safety [${ctx.engine}]: ${attempts.length} requests, ${acknowledged.length} acknowledged before SIGKILL`);

    server = await startServerProcess(ctx.url, SECRET);
    try {
      for (const attempt of attempts) {
        const id = await submit(server.baseUrl, attempt);
        // A retry of an acknowledged request answers with the same appeal, never a second one.
        if (attempt.acknowledged !== null) expect(id).toBe(attempt.acknowledged);
      }
    } finally {
      await server.kill('SIGTERM');
    }
    const rows = await ctx.db.selectFrom('appeals').select(['id', 'description']).where('description', 'like', '崩溃测试 %').execute();
    expect(rows).toHaveLength(attempts.length);
    expect(new Set(rows.map((r) => r.description)).size).toBe(attempts.length);
    const ids = rows.map((r) => r.id);
    const events = await ctx.db.selectFrom('appealEvents').select('appealId').where('kind', '=', 'submitted').where('appealId', 'in', ids).execute();
    const audits = await ctx.db.selectFrom('auditLog').select('entityId').where('action', '=', 'appeal.create').where('entityId', 'in', ids.map(String)).execute();
    expect(events).toHaveLength(ids.length);
    expect(audits).toHaveLength(ids.length);
  });
});
