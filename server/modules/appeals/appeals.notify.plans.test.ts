import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/harness.js';
import { planOf } from '../../test/query-plan.js';

// Every notice to a filer (a reply, an escalation, a closing) and the retention sweep look up the filer's
// accounts by worker id (appeals.notify.ts, appeals.retention.ts): an index walk, never a scan of every user.
describeEachEngine('a filer’s accounts by worker id', (ctx) => {
  it('are found through users_worker', async () => {
    const query = ctx.db.selectFrom('users').select('id').where('workerId', '=', 7).where('disabledAt', 'is', null);
    const plan = await planOf(ctx.db, ctx.engine, query);
    expect(plan).toMatch(/users_worker/);
    expect(plan).not.toMatch(/^SCAN users$|Seq Scan on users/m);
  });
});
