// The PostgreSQL connection pool's life: a connection the server ends while idle must not end the process,
// and destroy() returns only once every connection has closed (a test's database is dropped right after).
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshDatabase, type Fresh } from '../test/harness.js';
import { openDatabase } from './database.js';

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
});
