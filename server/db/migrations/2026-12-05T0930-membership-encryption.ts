import { type Kysely, type Migration, sql } from 'kysely';
import { engineOf } from '../engine.js';

// Membership details join phones and ID numbers as fields stored only encrypted: when someone joined the
// Party, where their relation is kept, why they move, what a worker declared and why a declaration or a
// transfer was refused. The columns keep their names and hold the codec's envelopes (join dates become
// text on PostgreSQL). No query filters, sorts or counts by them, so nothing is kept in clear beside them;
// mobility_type (three coarse values, like status and is_mobile, which lists filter on) stays as it is.
//
// A migration has no secret of its own: migrateToLatest hands this one the server's codec. A database
// holding membership rows is not upgraded without it (the migration refuses before changing anything),
// so an upgraded database never keeps these values in clear; removePlaintextRemnants then rewrites the
// tables' storage so the old values do not linger in free pages or dead row versions either.

export type FieldCipher = { encrypt: (plain: string) => string; decrypt: (envelope: string) => string };

export const MEMBERSHIP_ENCRYPTION = '2026-12-05T0930-membership-encryption';

const columnsByTable = {
  members: ['join_date', 'home_org_text', 'mobility_reason'],
  member_declarations: ['join_date', 'home_org_text', 'decision_reason'],
  member_transfers: ['reason', 'reject_reason'],
} as const;
type Table = keyof typeof columnsByTable;
const tables = Object.keys(columnsByTable) as Table[];

const BATCH = 500;
// The codec's envelope (sensitive.ts): version, key id, IV, tag, body. A value already in this form was
// encrypted by an earlier, interrupted run of this step and is left alone.
const ENVELOPE = /^v1:k\d+:[\w-]+:[\w-]+:[\w-]*$/;

type Row = { id: number } & Record<string, string | null>;

/** Rewrites every row of a table through `change`, a batch at a time in id order; returns the rows changed. */
async function rewriteRows(db: Kysely<unknown>, table: Table, change: (value: string) => string | null): Promise<number> {
  const columns = columnsByTable[table];
  let lastId = 0;
  let changed = 0;
  for (;;) {
    const rows = (await sql<Row>`select id, ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} where id > ${lastId} order by id limit ${BATCH}`.execute(db)).rows;
    if (rows.length === 0) return changed;
    lastId = Number(rows[rows.length - 1]!.id);
    for (const row of rows) {
      const updates = columns.flatMap((column) => {
        // The app's connection renames result columns to camelCase; a bare connection does not.
        const value = row[column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] ?? row[column];
        if (value === null || value === undefined) return [];
        const next = change(String(value));
        return next === null ? [] : [sql`${sql.ref(column)} = ${next}`];
      });
      if (updates.length === 0) continue;
      await sql`update ${sql.table(table)} set ${sql.join(updates)} where id = ${row.id}`.execute(db);
      changed += 1;
    }
  }
}

async function inOneTransaction(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  // PostgreSQL runs migrations inside the migrator's transaction; SQLite's migrator runs them without one.
  if (db.isTransaction) await work(db);
  else await db.transaction().execute(work);
}

async function rowsIn(db: Kysely<unknown>, table: Table): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The migration, bound to the codec it encrypts with; `encryptedRows()` tells whether it had any to do. */
export function membershipEncryption(cipher: FieldCipher | undefined): Migration & { encryptedRows: () => number } {
  let encrypted = 0;
  return {
    encryptedRows: () => encrypted,
    async up(db: Kysely<unknown>): Promise<void> {
      encrypted = 0;
      let existing = 0;
      for (const table of tables) existing += await rowsIn(db, table);
      if (existing > 0 && !cipher) {
        throw new Error(
          'This upgrade encrypts membership data and needs the field-encryption key: run it with CONVOY_SECRET set ' +
            '(and CONVOY_KEY_FILE if keys were rotated), e.g. by starting the server or `npm run migrate`.',
        );
      }
      await inOneTransaction(db, async (trx) => {
        if (engineOf(trx) === 'postgres') {
          for (const table of ['members', 'member_declarations']) await sql`alter table ${sql.table(table)} alter column join_date type text`.execute(trx);
        }
        if (!cipher) return;
        for (const table of tables) encrypted += await rewriteRows(trx, table, (value) => (ENVELOPE.test(value) ? null : cipher.encrypt(value)));
      });
    },
    async down(db: Kysely<unknown>): Promise<void> {
      let existing = 0;
      for (const table of tables) existing += await rowsIn(db, table);
      if (existing > 0 && !cipher) throw new Error('Undoing the membership encryption needs the field-encryption key (CONVOY_SECRET).');
      await inOneTransaction(db, async (trx) => {
        if (cipher) for (const table of tables) await rewriteRows(trx, table, (value) => (ENVELOPE.test(value) ? cipher.decrypt(value) : null));
        if (engineOf(trx) === 'postgres') {
          for (const table of ['members', 'member_declarations']) await sql`alter table ${sql.table(table)} alter column join_date type date using join_date::date`.execute(trx);
        }
      });
    },
  };
}

/**
 * After encrypting existing rows: the old values must not survive in the file. SQLite keeps them in
 * freed page space and in WAL frames until a VACUUM and a truncating checkpoint; PostgreSQL keeps them in
 * dead row versions until the table is rewritten (VACUUM FULL, which takes a brief exclusive lock once).
 * Neither may run inside a transaction, so this runs after the migrator has finished.
 */
export async function removePlaintextRemnants(db: Kysely<unknown>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    // VACUUM FULL keeps a dead row version while any other transaction of this database holds a snapshot
    // older than the rewrite (an autovacuum ANALYZE, a request that began before it): once, in a busy test
    // run, an old plain value survived that way. So it waits, a bounded time, until none does.
    await untilNoOlderSnapshot(db, 60_000);
    await sql`vacuum full ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
    return;
  }
  await sql`vacuum`.execute(db);
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}

/**
 * Waits until no other session of this database holds a snapshot or a transaction begun before now, so
 * that row versions deleted before now are no longer needed by anyone. Gives up after `boundMs`: a
 * session held open for that long keeps them (the upgrade then goes on, as PostgreSQL itself would).
 */
async function untilNoOlderSnapshot(db: Kysely<unknown>, boundMs: number): Promise<void> {
  const { rows } = await sql<{ mark: string }>`select (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text as mark`.execute(db);
  const mark = rows[0]!.mark;
  const giveUpAt = Date.now() + boundMs;
  for (;;) {
    const older = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()
        and (age(backend_xmin) > age(${mark}::xid) or age(backend_xid) > age(${mark}::xid))`.execute(db);
    if (older.rows[0]!.n === 0 || Date.now() >= giveUpAt) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
