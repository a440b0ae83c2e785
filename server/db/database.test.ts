// The PostgreSQL connection pool's life: a connection the server ends while idle must not end the process,
// and destroy() returns only once every connection has closed (a test's database is dropped right after).
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type Fresh } from '../test/harness.js';
import { openDatabase } from './database.js';
import { preparedStatement } from './prepared.js';

async function adminQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const nameOf = (url: string) => new URL(url).pathname.slice(1);
const openSockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;

describe('PostgreSQL connection pool', () => {
  let fresh: Fresh | undefined;
  afterEach(async () => {
    await fresh?.drop();
    fresh = undefined;
  });

  it('drops an idle connection the server ended, tells, and answers the next query on a new one', async () => {
    fresh = await freshDatabase('postgres');
    const lost: Error[] = [];
    const handle = openDatabase(fresh.url, { onConnectionLost: (error) => lost.push(error) });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
      const [ended] = await adminQuery<{ ended: boolean }>('select pg_terminate_backend($1) as ended', [rows[0]!.pid]);
      expect(ended?.ended).toBe(true);
      await expect.poll(() => lost.length, { timeout: 10_000 }).toBe(1);
      expect(lost[0]!.message).toMatch(/terminating connection/);
      const again = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
      expect(again.rows[0]!.pid).not.toBe(rows[0]!.pid);
    } finally {
      await handle.destroy();
    }
  });

  it('destroy() returns once every connection is closed, so nothing is left for a dropped database to end', async () => {
    fresh = await freshDatabase('postgres');
    const socketsBefore = openSockets();
    const handle = openDatabase(fresh.url, { poolSize: 6 });
    // Six statements side by side open six connections; all are idle when destroy() is called.
    await Promise.all(Array.from({ length: 6 }, () => sql`select pg_sleep(0.05)`.execute(handle.db)));
    const before = await adminQuery<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [nameOf(fresh.url)]);
    expect(before[0]?.n).toBe(6);
    await handle.destroy();
    // Checked at once, in this process: the sockets are gone when destroy() returns, not a moment later.
    expect(openSockets()).toBe(socketsBefore);
    const after = await adminQuery<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [nameOf(fresh.url)]);
    expect(after[0]?.n).toBe(0);
  });

  it('sends the statements db/prepared.ts compiles, and other texts from their third call, as named prepared statements that PostgreSQL plans once', async () => {
    fresh = await freshDatabase('postgres');
    const handle = openDatabase(fresh.url, { poolSize: 1 });
    try {
      const plusOne = preparedStatement(['n'], (db, p: { n: number }) => db.selectNoFrom(sql<number>`cast(${p.n} as integer) + 1`.as('m')));
      for (let n = 0; n < 8; n += 1) expect((await plusOne(handle.db, { n })).rows).toEqual([{ m: n + 1 }]);
      // Built as they come: a text seen three times is kept from then on, but not one whose columns are `*`
      // (a count(*) is a value, and is kept) nor one with an IN list.
      for (let call = 0; call < 3; call += 1) {
        await sql`select 1 as one`.execute(handle.db);
        await sql`select 2 as two where 2 in (${call}, 2)`.execute(handle.db);
        await sql`select * from (select 3 as three) t`.execute(handle.db);
        await sql`select t.* from (select 3 as three) t`.execute(handle.db);
        await sql`select count(*) as five from (select 5) t`.execute(handle.db);
      }
      await sql`select 4 as four`.execute(handle.db);
      const kept = await sql<{ statement: string; custom: number; generic: number }>`select statement, custom_plans::int as custom, generic_plans::int as generic from pg_prepared_statements order by prepare_time`.execute(handle.db);
      expect(kept.rows.map((row) => row.statement)).toEqual(['select cast($1 as integer) + 1 as "m"', 'select 1 as one', 'select count(*) as five from (select 5) t']);
      // Planned for each of the first five calls, then a generic plan reused for the rest.
      expect(kept.rows[0]).toMatchObject({ custom: 5, generic: 3 });
    } finally {
      await handle.destroy();
    }
  });
});
