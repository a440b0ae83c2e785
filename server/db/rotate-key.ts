// Re-encrypts every sensitive field (phones, ID numbers, membership details) under the current key,
// batch by batch while the server keeps serving. Each row is rewritten only if it still holds the value
// that was read (compare-and-set), so a change the server makes meanwhile is never overwritten with stale data.
import { type Kysely, sql } from 'kysely';
import type { SensitiveCodec } from '../core/sensitive.js';
import type { Database } from './tables.js';

/** Every column that holds an encrypted value, by table (snake_case, as in the migrations). */
export const encryptedColumns = [
  { table: 'workers', column: 'phone_enc' },
  { table: 'members', column: 'phone_enc' },
  { table: 'members', column: 'id_card_enc' },
  { table: 'appeals', column: 'contact_phone_enc' },
  // Membership details keep their column names (migration 2026-12-05T0930-membership-encryption).
  { table: 'members', column: 'join_date' },
  { table: 'members', column: 'home_org_text' },
  { table: 'members', column: 'mobility_reason' },
  { table: 'member_declarations', column: 'home_org_text' },
  { table: 'member_declarations', column: 'join_date' },
  { table: 'member_declarations', column: 'decision_reason' },
  { table: 'member_transfers', column: 'reason' },
  { table: 'member_transfers', column: 'reject_reason' },
] as const;

export async function reencryptAll(db: Kysely<Database>, codec: SensitiveCodec, batchSize = 500): Promise<Record<string, number>> {
  const current = codec.currentKeyId();
  const counts: Record<string, number> = {};
  for (const { table, column } of encryptedColumns) {
    let lastId = 0;
    let rewritten = 0;
    for (;;) {
      const rows = (await sql<{ id: number; value: string | null }>`select id, ${sql.ref(column)} as value from ${sql.table(table)} where id > ${lastId} order by id limit ${batchSize}`.execute(db)).rows;
      if (rows.length === 0) break;
      lastId = Number(rows[rows.length - 1]!.id);
      const stale = rows.filter((row): row is { id: number; value: string } => row.value !== null && codec.keyIdOf(row.value) !== current);
      await db.transaction().execute(async (trx) => {
        for (const row of stale) {
          const fresh = codec.encrypt(codec.decrypt(row.value));
          const result = await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${fresh} where id = ${row.id} and ${sql.ref(column)} = ${row.value}`.execute(trx);
          rewritten += Number(result.numAffectedRows ?? 0);
        }
      });
    }
    counts[`${table}.${column}`] = rewritten;
  }
  return counts;
}
