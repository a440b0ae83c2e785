// Runs one cell of the matrix over HTTP: builds the route's request for a role and a side, sends it as
// that role, and for a write that is refused, tells which tables it changed (it must change none).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { ConvoyDb } from '../db/database.js';
import { freshMaker } from './authz-fresh.js';
import type { ProbeRequest, Probes } from './authz-probe.js';
import { appealProbes } from './authz-probes.appeals.js';
import { peopleProbes } from './authz-probes.people.js';
import { serviceProbes } from './authz-probes.services.js';
import { apiOf, type MatrixRole, type Side, type World } from './authz-world.js';

export const allProbes: Probes = { ...peopleProbes, ...appealProbes, ...serviceProbes };

// Sessions are not the target of any check (a bearer request may refresh its own session's last use).
const UNWATCHED_TABLES = new Set(['sessions', 'kysely_migration', 'kysely_migration_lock']);
// Database triggers refuse UPDATE and DELETE on the audit log, so its count tells every change, and
// reading its thousands of rows for each refusal would be most of the test's time.
const APPEND_ONLY_TABLES = new Set(['audit_log']);

const tablesOf = new WeakMap<ConvoyDb, string[]>();
async function watchedTables(db: ConvoyDb): Promise<string[]> {
  const known = tablesOf.get(db);
  if (known) return known;
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((name) => !UNWATCHED_TABLES.has(name)).sort();
  tablesOf.set(db, tables);
  return tables;
}

/** A digest of every watched table's rows, to tell whether a refused request changed anything. */
export async function fingerprint(db: ConvoyDb): Promise<Map<string, string>> {
  // The tables are read side by side: on PostgreSQL each is a round trip of its own.
  const digests = await Promise.all(
    (await watchedTables(db)).map(async (table): Promise<[string, string]> => {
      if (APPEND_ONLY_TABLES.has(table)) {
        const { rows } = await sql<{ n: unknown }>`select count(*) as n from ${sql.table(table)}`.execute(db);
        return [table, String(rows[0]?.n)];
      }
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
      const lines = rows.map((r) => JSON.stringify(r)).sort();
      return [table, createHash('sha256').update(lines.join('\n')).digest('hex')];
    }),
  );
  return new Map(digests);
}

export type Observation = { status: number; body: string; changedTables: string[] };

export type Checker = (route: { method: string; path: string }, role: MatrixRole, side: Side) => Promise<Observation>;

export function checkerFor(w: World): Checker {
  const api = apiOf(w.ctx);
  const fresh = freshMaker(w, api);
  // Requests whose target a refused write left untouched, ready for the next role (see sameForEveryRole).
  const untouched = new Map<string, ProbeRequest>();
  return async (route, role, side) => {
    const key = `${route.method} ${route.path}`;
    const probe = allProbes[key];
    if (!probe) throw new Error(`no probe for ${key}: add one to server/security/authz-probes.*.ts`);
    const caller = role === 'anonymous' ? null : w.A.callers[role];
    const S = side === 'own' ? w.A : w.B;
    const isWrite = route.method !== 'GET';
    const spareKey = `${key} ${side}`;
    const request = untouched.get(spareKey) ?? (await probe.probe({ w, api, fresh, role, side, S, caller }));
    untouched.delete(spareKey);
    const who = request.as === undefined ? caller : request.as;
    const before = isWrite ? await fingerprint(w.ctx.db) : null;
    const response = await api.call(who, route.method as 'GET', request.url, request.payload, request.headers);
    await request.settle?.(response);
    let changedTables: string[] = [];
    if (before && response.statusCode >= 300) {
      const after = await fingerprint(w.ctx.db);
      changedTables = [...after.keys()].filter((t) => after.get(t) !== before.get(t));
      if (probe.sameForEveryRole && changedTables.length === 0 && !request.settle) untouched.set(spareKey, request);
    }
    return { status: response.statusCode, body: response.body, changedTables };
  };
}
